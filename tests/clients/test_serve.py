"""`parley serve` as a real process on a loopback port, over a persistent store."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import httpx
import pytest

from graph.store import Store
from tests.conftest import snapshot


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(store_path, port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--store", str(store_path)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def wait_for_health(port: int, server: subprocess.Popen, seconds: float = 20) -> httpx.Response:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"server exited: {server.stdout.read()}")
        try:
            return httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.fail("server did not answer /health in time")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=10)


def test_serve_answers_health_and_a_restart_does_not_duplicate_the_seed(tmp_path):
    store_path = tmp_path / "store"
    port = free_port()
    server = serve(store_path, port)
    try:
        response = wait_for_health(port, server)
        assert response.status_code == 200 and response.json()["status"] == "ok"
    finally:
        stop(server)
    with Store(store_path) as store:
        first = snapshot(store)
    assert len(first) > 700

    server = serve(store_path, port)
    try:
        assert wait_for_health(port, server).status_code == 200
    finally:
        stop(server)
    with Store(store_path) as store:
        assert snapshot(store) == first
