"""A real `oxigraph serve` process (the `oxigraph` package on PyPI) on a free loopback port, for the remote-store tests."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import httpx

from tests.clients.server import free_port
from tests.server_process import ServerProcess


def oxigraph_command() -> str:
    """The `oxigraph` program installed beside this Python (`make test` installs it from PyPI)."""
    found = Path(sys.executable).with_name("oxigraph")
    command = str(found) if found.exists() else shutil.which("oxigraph")
    assert command, "the remote-store tests need the oxigraph server: pip install oxigraph (make test does)"
    return command


class OxigraphServer(ServerProcess):
    """One `oxigraph serve --union-default-graph` over a directory (``timeout``: its ``--timeout-s``);
    stop, kill and start it again at will."""

    def __init__(self, directory: Path, timeout: int | None = 10, union_default_graph: bool = True):
        super().__init__(directory)
        self.timeout = timeout
        self.union_default_graph = union_default_graph
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = directory.parent / f"{directory.name}.log"
        self._seeded: bytes | None = None

    def command(self) -> list[str]:
        return [
            oxigraph_command(),
            "serve",
            "--location",
            str(self.directory),
            "--bind",
            f"127.0.0.1:{self.port}",
            *(["--union-default-graph"] if self.union_default_graph else []),
            # The server's own time limit stops a query Parley gave up on (the endless one of the tests).
            *(["--timeout-s", str(self.timeout)] if self.timeout else []),
        ]

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
