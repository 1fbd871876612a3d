"""Fixtures shared by every test: fresh stores, embedded and remote, and the seed documents' folder.

The ``store`` fixture runs each test that takes it twice: over an embedded in-memory store and
over a real `oxigraph serve` process (a remote store), started once for the session.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from graph.ingest.load import open_store
from graph.store import RemoteStore, Store
from tests.oxigraph_server import OxigraphServer

DATA = Path(__file__).parent / "data"


STORES = ["embedded", "remote"]

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


@pytest.fixture(params=STORES)
def store_location(request) -> str:
    """Where a fresh store is, holding the ontology and the seed graph: ``memory`` or a remote server's URL."""
    return "memory" if request.param == "embedded" else request.getfixturevalue("remote_store_url")


@pytest.fixture
def store(store_location) -> Store | RemoteStore:
    """A fresh store holding the ontology and the seed graph, embedded (in memory) and remote."""
    with open_store(store_location) as opened:
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
