"""A real `oxigraph serve` process (the `oxigraph` package on PyPI) on a free loopback port, for the remote-store tests."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.clients.server import free_port


def oxigraph_command() -> str:
    """The `oxigraph` program installed beside this Python (`make test` installs it from PyPI)."""
    found = Path(sys.executable).with_name("oxigraph")
    command = str(found) if found.exists() else shutil.which("oxigraph")
    assert command, "the remote-store tests need the oxigraph server: pip install oxigraph (make test does)"
    return command


class OxigraphServer:
    """One `oxigraph serve --union-default-graph` over a directory (``timeout``: its ``--timeout-s``);
    stop, kill and start it again at will."""

    def __init__(self, directory: Path, timeout: int | None = 10, union_default_graph: bool = True):
        self.directory = directory
        self.timeout = timeout
        self.union_default_graph = union_default_graph
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self._seeded: bytes | None = None

    def start(self) -> OxigraphServer:
        log = (self.directory.parent / f"{self.directory.name}.log").open("a")
        self.process = subprocess.Popen(
            [
                oxigraph_command(),
                "serve",
                "--location",
                str(self.directory),
                "--bind",
                f"127.0.0.1:{self.port}",
                *(["--union-default-graph"] if self.union_default_graph else []),
                # The server's own time limit stops a query Parley gave up on (the endless one of the tests).
                *(["--timeout-s", str(self.timeout)] if self.timeout else []),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (self.directory.parent / f"{self.directory.name}.log").read_text()
            try:
                httpx.get(f"{self.url}/query", params={"query": "ASK {}"}, timeout=1)
                return self
            except httpx.TransportError:
                time.sleep(0.05)
        raise AssertionError("oxigraph serve did not answer in time")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def kill(self) -> None:
        """Kill -9: what a crash or a pulled plug does."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)

    def clear(self) -> None:
        """Drop every graph."""
        httpx.post(
            f"{self.url}/update", content=b"DROP ALL", headers={"Content-Type": "application/sparql-update"}, timeout=30
        ).raise_for_status()

    def reset(self) -> None:
        """Back to the seed graph as Parley first writes it (the first reset seeds it through Parley)."""
        from graph.ingest.load import open_store

        self.clear()
        if self._seeded is None:
            with open_store(self.url) as store:
                self._seeded = store.dump()
        else:
            httpx.post(
                f"{self.url}/store", content=self._seeded, headers={"Content-Type": "application/n-quads"}, timeout=30
            ).raise_for_status()
