"""What the test servers share (`oxigraph serve`, Virtuoso): a process over a directory, started and waited for,
stopped, killed and started again at will."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import httpx


class ServerProcess:
    """One server process; a subclass says how to run it (:meth:`command`) and how to ask it whether it answers."""

    url: str
    log: Path
    """Where the process writes its output."""
    probe = "/query"
    """The path asked ``ASK {}`` until the server answers."""
    start_within = 20.0
    """Seconds the server may take to answer after it starts."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        raise NotImplementedError

    def start(self):
        self.directory.mkdir(parents=True, exist_ok=True)
        with self.log.open("a") as log:
            self.process = subprocess.Popen(self.command(), cwd=self.directory, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self.start_within
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()[-3000:]
            try:
                httpx.get(f"{self.url}{self.probe}", params={"query": "ASK {}"}, timeout=2).raise_for_status()
                return self
            except (httpx.TransportError, httpx.HTTPStatusError):
                time.sleep(0.05)
        raise AssertionError(f"{self.command()[0]} did not answer within {self.start_within:.0f} s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def kill(self) -> None:
        """Kill -9: what a crash or a pulled plug does."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
