"""Parley over a real `oxigraph serve`: replicas, a store that stops, a store killed mid-load."""

from __future__ import annotations

import subprocess
import sys
import time

import httpx
import pytest

from graph.errors import StoreUnavailable
from graph.load import open_store
from tests.clients.server import free_port, serve, stop, wait_for_health
from tests.graph.test_store import big_document, count_kill_test_positions
from tests.oxigraph_server import OxigraphServer

TOKEN = "replica-token"
POSITION = {
    "id": "ukraine-opposes-us-russia-dialogue", "holder": "ukraine", "issue": "us-russia-dialogue", "stance": "opposes",
    "valid_from": "2025-04-19",
    "evidence": [{"quote": "Not without us.", "source": "us-may-walk-away-2025-04-18", "date": "2025-04-19"}],
}


@pytest.fixture
def fresh_oxigraph(tmp_path):
    server = OxigraphServer(tmp_path / "oxigraph").start()
    yield server
    server.kill()


def _conflict_issues(port: int) -> set[str]:
    response = httpx.get(f"http://127.0.0.1:{port}/conflicts", params={"a": "russia", "b": "ukraine", "as_of": "2025-04-20"})
    assert response.status_code == 200, response.text
    return {conflict["issue"] for conflict in response.json()["conflicts"]}


def _replica(tmp_path, name: str, url: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = serve(url, port, log_path=tmp_path / f"{name}.log", token=TOKEN, query_workers="1")
    wait_for_health(port, process)
    return process, port


def test_a_position_posted_to_one_replica_is_in_the_others_answers_within_a_second(fresh_oxigraph, tmp_path):
    first, first_port = _replica(tmp_path, "first", fresh_oxigraph.url)
    second, second_port = _replica(tmp_path, "second", fresh_oxigraph.url)
    try:
        before = _conflict_issues(second_port)
        assert "us-russia-dialogue" not in before and before == _conflict_issues(first_port)
        posted = httpx.post(f"http://127.0.0.1:{first_port}/positions", json=POSITION,
                            headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
        assert posted.status_code == 201, posted.text
        written = time.monotonic()
        while "us-russia-dialogue" not in _conflict_issues(second_port):
            assert time.monotonic() - written < 1.0, "the other replica did not see the write within a second"
            time.sleep(0.02)
        assert _conflict_issues(first_port) == _conflict_issues(second_port) == before | {"us-russia-dialogue"}
        third, third_port = _replica(tmp_path, "third", fresh_oxigraph.url)
        try:
            assert "us-russia-dialogue" in _conflict_issues(third_port)
        finally:
            stop(third)
    finally:
        stop(first)
        stop(second)


def test_a_stopped_store_is_a_503_that_says_so_and_the_service_recovers_by_itself(fresh_oxigraph, tmp_path):
    replica, port = _replica(tmp_path, "replica", fresh_oxigraph.url)
    try:
        expected = _conflict_issues(port)
        fresh_oxigraph.stop()
        time.sleep(0.3)  # answers may be 0.2 s stale (PARLEY_STORE_CHECK_INTERVAL); after that the store is asked
        response = httpx.get(f"http://127.0.0.1:{port}/conflicts", params={"a": "russia", "b": "ukraine"}, timeout=30)
        assert response.status_code == 503
        assert response.headers["content-type"] == "application/problem+json"
        assert "unreachable" in response.json()["detail"] and fresh_oxigraph.url in response.json()["detail"]
        assert httpx.get(f"http://127.0.0.1:{port}/health").status_code == 503
        fresh_oxigraph.start()
        assert _conflict_issues(port) == expected
        assert httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200
    finally:
        stop(replica)


def test_a_server_whose_default_graph_is_not_the_union_is_refused_with_how_to_set_it(tmp_path):
    server = OxigraphServer(tmp_path / "oxigraph", union_default_graph=False).start()
    try:
        for attempt in ("empty, so seeded first", "seeded already"):
            with pytest.raises(StoreUnavailable, match="--union-default-graph"):
                open_store(server.url)
    finally:
        server.kill()


@pytest.mark.slow
@pytest.mark.parametrize("after", [0.0, 1.5, 3.0, 6.0])
def test_a_store_killed_during_a_load_holds_all_of_it_or_none_after_a_restart(fresh_oxigraph, tmp_path, after):
    """The kill comes ``after`` seconds into the write (about 4 s of Graph Store Protocol requests and
    the closing update, then the derived graph's refresh)."""
    positions = 20_000  # 180,000 quads: the bulk path, in several Graph Store Protocol requests
    document = tmp_path / "big.trig"
    big_document(document, positions)
    open_store(fresh_oxigraph.url).close()  # seeded first, so that the kill cuts the load itself
    load = subprocess.Popen([sys.executable, "-m", "api.cli", "load", str(document), "--store", fresh_oxigraph.url],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    said = []
    for line in load.stderr:
        said.append(line)
        if "writing" in line:
            break
    time.sleep(after)
    fresh_oxigraph.kill()
    said += load.stderr.readlines()
    load.wait(timeout=60)
    fresh_oxigraph.start()
    found = count_kill_test_positions(fresh_oxigraph.url)
    if load.returncode != 0:
        assert "unreachable" in "".join(said), said
    assert found in (0, positions), found
    # The load is in the store exactly when its closing update went through, whatever came after it.
    if found == 0:
        assert load.returncode != 0, said


def test_a_store_that_takes_too_long_to_answer_is_named_with_the_limit():
    import socket

    from graph.store import RemoteStore

    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts connections, never answers
        port = silent.getsockname()[1]
        started = time.monotonic()
        with pytest.raises(StoreUnavailable, match=r"did not answer within 0\.5 s"):
            RemoteStore(f"http://127.0.0.1:{port}", timeout=5, read_timeout=0.5)
        assert time.monotonic() - started < 4  # the read limit, not the connection's, ended it
