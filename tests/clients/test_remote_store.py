"""Parley over a real `oxigraph serve`: replicas, a store that stops, a store killed mid-load."""

from __future__ import annotations

import subprocess
import sys
import time

import httpx
import pytest

from graph.errors import StoreUnavailable
from graph.ingest.load import open_store
from tests.clients.server import free_port, serve, stop, wait_for_health
from tests.conftest import eventually
from tests.oxigraph_server import OxigraphServer
from tests.store.test_store import big_document, count_kill_test_positions

TOKEN = "replica-token"
POSITION = {
    "id": "ukraine-opposes-us-russia-dialogue",
    "holder": "ukraine",
    "issue": "us-russia-dialogue",
    "stance": "opposes",
    "valid_from": "2025-04-19",
    "evidence": [
        {
            "quote": "Kyiv says those demands are tantamount to demanding its capitulation.",
            "source": "us-may-walk-away-2025-04-18",
            "date": "2025-04-19",
        }
    ],
}


@pytest.fixture
def fresh_oxigraph(tmp_path):
    server = OxigraphServer(tmp_path / "oxigraph").start()
    yield server
    server.kill()


def _conflict_issues(port: int) -> set[str]:
    response = httpx.get(
        f"http://127.0.0.1:{port}/conflicts", params={"a": "russia", "b": "ukraine", "as_of": "2025-04-20"}
    )
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
        posted = httpx.post(
            f"http://127.0.0.1:{first_port}/positions",
            json=POSITION,
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=30,
        )
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
        # Answers may be 0.2 s stale (PARLEY_STORE_CHECK_INTERVAL); after that the store is asked.
        response = eventually(
            lambda: httpx.get(f"http://127.0.0.1:{port}/conflicts", params={"a": "russia", "b": "ukraine"}, timeout=30),
            lambda answered: answered.status_code != 200,
        )
        assert response.status_code == 503
        assert response.headers["content-type"] == "application/problem+json"
        assert "unreachable" in response.json()["detail"] and fresh_oxigraph.url in response.json()["detail"]
        assert httpx.get(f"http://127.0.0.1:{port}/health").status_code == 503
        # A streamed answer fails before its first byte: a problem document, not a 200 with a broken body.
        export = eventually(
            lambda: httpx.get(f"http://127.0.0.1:{port}/export/gexf", timeout=30),
            lambda answered: answered.status_code != 200,
        )
        assert export.status_code == 503 and export.headers["content-type"] == "application/problem+json"
        fresh_oxigraph.start()
        assert _conflict_issues(port) == expected
        assert httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200
    finally:
        stop(replica)


def test_a_server_whose_default_graph_is_not_the_union_is_refused_with_how_to_set_it(tmp_path):
    server = OxigraphServer(tmp_path / "oxigraph", union_default_graph=False).start()
    try:
        for _attempt in ("empty, so seeded first", "seeded already"):
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
    load = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "load", str(document), "--store", fresh_oxigraph.url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
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


class CuttingProxy:
    """A loopback SPARQL server in front of a real one, that cuts short the answer of any query marked CUT.

    It answers those as a server does when its own time limit passes while it streams: status 200,
    the results begun, then the end of the body.
    """

    CUT = (
        b'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
        b'<head><variable name="s"/></head>\n<results>\n<result><binding name="s"><uri>urn:a</uri></binding></result>\n'
    )

    def __init__(self, target: str):
        import http.server
        import threading

        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._forward("GET", b"")

            def do_POST(self) -> None:
                self._forward("POST", self.rfile.read(int(self.headers.get("Content-Length") or 0)))

            def _forward(self, method: str, body: bytes) -> None:
                if b"CUT" in body or "CUT" in self.path:
                    self._answer(200, "application/sparql-results+xml", proxy.CUT)
                    return
                headers = {
                    name: value for name, value in self.headers.items() if name.lower() in ("content-type", "accept")
                }
                forwarded = httpx.request(method, target + self.path, content=body, headers=headers, timeout=30)
                self._answer(
                    forwarded.status_code, forwarded.headers.get("content-type", "text/plain"), forwarded.content
                )

            def _answer(self, status: int, media_type: str, content: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", media_type)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def log_message(self, *arguments) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_an_answer_the_store_cut_short_is_the_stores_failure_not_a_syntax_error(remote_store_url):
    from graph.errors import StoreFailed
    from graph.sparql.sandbox import QueryFailed, QueryRefused, QueryRequest, QuerySandbox
    from graph.store import RemoteStore

    proxy = CuttingProxy(remote_store_url)
    try:
        store = RemoteStore(proxy.url)
        assert bool(store.query("ASK { ?s ?p ?o }")), "other queries go through"
        with pytest.raises(StoreFailed, match="cut short") as failed:
            list(store.query("SELECT ?s WHERE { ?s ?p ?o } # CUT"))
        assert failed.value.status != 400
        with QuerySandbox(workers=1, network=True) as sandbox:
            with pytest.raises(QueryFailed, match="cut short"):
                sandbox.run(store.connection(), QueryRequest("SELECT ?s WHERE { ?s ?p ?o } # CUT"))
            with pytest.raises(QueryRefused, match="syntax"):
                sandbox.run(store.connection(), QueryRequest("SELECT ?s WHERE { ?s ?p"))
        store.close()
    finally:
        proxy.close()


def test_over_http_a_cut_short_answer_is_a_5xx_that_says_so(remote_store_url):
    import asyncio

    from tests.api.conftest import running

    async def ask() -> httpx.Response:
        async with running(store=proxy.url) as http:
            return await http.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o } # CUT"})

    proxy = CuttingProxy(remote_store_url)
    try:
        response = asyncio.run(ask())
    finally:
        proxy.close()
    assert response.status_code in (502, 503) and "cut short" in response.json()["detail"], response.text
