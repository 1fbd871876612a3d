"""`parley serve` as a real process on a loopback port, over a persistent store."""

from __future__ import annotations

from graph.store import Store
from tests.clients.server import free_port, serve, stop, wait_for_health
from tests.conftest import snapshot


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
