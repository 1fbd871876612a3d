"""Fixtures shared by every test: fresh stores, embedded and remote, and the seed documents' folder.

The ``store`` fixture runs each test that takes it three times: over an embedded in-memory store,
over a real `oxigraph serve` process and over a real Virtuoso (remote stores of two server
families), each server started once for the session.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from graph.ingest.load import open_store
from graph.store import RemoteStore, Store
from tests.oxigraph_server import OxigraphServer
from tests.virtuoso_server import VirtuosoServer

DATA = Path(__file__).parent / "data"


STORES = ["embedded", "remote", pytest.param("virtuoso", marks=pytest.mark.virtuoso)]
"""The stores a test runs over: embedded, `oxigraph serve` ("remote") and Virtuoso (marked ``virtuoso``, which
``-m "not virtuoso"`` leaves out of a quick local run; `make test` runs them all)."""


class StoreLocation(str):
    """Where a store is (``memory`` or a server's URL), with the options that reach it: ``options`` for
    :func:`graph.ingest.load.open_store`, ``settings`` for :class:`api.settings.Settings`."""

    options: dict[str, str]

    def __new__(cls, location: str, options: dict[str, str] | None = None) -> StoreLocation:
        made = super().__new__(cls, location)
        made.options = dict(options or {})
        return made

    @property
    def settings(self) -> dict[str, str]:
        return {"store": str(self), **{f"store_{name}": value for name, value in self.options.items()}}


T = TypeVar("T")


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory) -> OxigraphServer:
    """One `oxigraph serve` for the session; tests that use it reset it first."""
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph") / "store").start()
    yield server
    server.stop()


@pytest.fixture
def remote_store_url(oxigraph) -> str:
    """The URL of the session's `oxigraph serve`, holding the seed graph only."""
    if oxigraph.process.poll() is not None:
        oxigraph.start()
    oxigraph.reset()
    return oxigraph.url


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory) -> VirtuosoServer:
    """One Virtuoso for the session; tests that use it reset it first."""
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso")).start()
    yield server
    server.stop()


@pytest.fixture
def virtuoso_location(virtuoso) -> StoreLocation:
    """The session's Virtuoso, holding the seed graph only, with the options that reach it."""
    if virtuoso.process.poll() is not None:
        virtuoso.start()
    virtuoso.reset()
    return StoreLocation(virtuoso.url, virtuoso.options)


@pytest.fixture(params=STORES)
def store_location(request) -> StoreLocation:
    """Where a fresh store is, holding the ontology and the seed graph: ``memory`` or a remote server's URL
    (with its endpoints in ``options``)."""
    if request.param == "virtuoso":
        return request.getfixturevalue("virtuoso_location")
    return StoreLocation("memory" if request.param == "embedded" else request.getfixturevalue("remote_store_url"))


@pytest.fixture
def store(store_location) -> Store | RemoteStore:
    """A fresh store holding the ontology and the seed graph, embedded (in memory) and remote."""
    with open_store(store_location, **store_location.options) as opened:
        yield opened


@pytest.fixture
def data() -> Path:
    """The folder of small hand-written test documents."""
    return DATA


def snapshot(store: Store) -> set[bytes]:
    """Every quad of the store as an N-Quads line, to check that a failed write changed nothing."""
    return set(store.dump().splitlines())


def eventually(ask: Callable[[], T], accept: Callable[[T], bool], seconds: float = 10.0) -> T:
    """The first answer of ``ask`` that ``accept`` takes, asked again every 20 ms for up to ``seconds``
    (a wait on a condition, never on the clock alone)."""
    deadline = time.monotonic() + seconds
    while True:
        answer = ask()
        if accept(answer):
            return answer
        assert time.monotonic() < deadline, f"still {answer!r} after {seconds} s"
        time.sleep(0.02)


def hearing_ctrl_c() -> None:
    """For ``subprocess.Popen(preexec_fn=...)``: the command hears Ctrl-C (SIGINT) even where the tests were started
    with it ignored (``nohup``, a background job), which a child keeps, and Python then leaves alone."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
