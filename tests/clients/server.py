"""Run `parley serve` as a real process on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(store_path, port: int, log_path: Path | None = None, **environment: str) -> subprocess.Popen:
    """Start ``parley serve`` over ``store_path``; ``environment`` adds PARLEY_* variables.

    Its output goes to ``log_path`` (default: a file beside the store), not to a pipe: a pipe nobody
    reads fills up after a few hundred access-log lines and then blocks the server.
    """
    env = {**os.environ, **{f"PARLEY_{name.upper()}": value for name, value in environment.items()}}
    log = Path(log_path or f"{store_path}.log").open("a")  # noqa: SIM115 (the server writes to it until it stops)
    server = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--store", str(store_path)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    server.log_path = log.name
    return server


def wait_for_health(port: int, server: subprocess.Popen, seconds: float = 30) -> httpx.Response:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"server exited: {Path(server.log_path).read_text()}")
        try:
            return httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.fail("server did not answer /health in time")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=10)
