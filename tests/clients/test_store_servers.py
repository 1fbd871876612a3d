"""Parley over a second server family, OpenLink Virtuoso 7 (Debian's), beside `oxigraph serve`.

One test (or more) for each thing that once held only over Oxigraph server: the request forms, what
"empty" means, Graph Store Protocol writes, the version counter, foreign blank node labels, the media
type of each query form, row caps, large ``VALUES`` blocks, booleans spelt ``1``, and digest
authentication. The answers of the analysis over Virtuoso are checked equal to the embedded store's.
"""

from __future__ import annotations

import asyncio
import http.server
import os
import subprocess
import sys
import threading

import httpx
import pyoxigraph as ox
import pytest

from graph.analysis.read import read_negotiation
from graph.errors import StoreFailed
from graph.ingest.load import open_store
from graph.store import RemoteStore
from graph.store.namespaces import ID, LOG_GRAPH
from tests.api.conftest import AUTH, TOKEN, running
from tests.clients.server import free_port, serve, stop, wait_for_health
from tests.conftest import StoreLocation, eventually
from tests.virtuoso_server import PASSWORD, USER, VirtuosoServer

pytestmark = pytest.mark.virtuoso

READS = [
    ("/conflicts", {"a": "russia", "b": "ukraine", "as_of": "2025-04-20"}),
    ("/overlap", {"a": "russia", "b": "us", "as_of": "2025-04-20"}),
    ("/deadlocks", {"as_of": "2025-04-20"}),
    ("/coalitions", {"as_of": "2025-04-20"}),
    ("/mediators", {"a": "russia", "b": "ukraine", "as_of": "2025-04-20"}),
    ("/positions", {}),
    ("/actors", {}),
    ("/issues", {}),
    ("/export/gexf", {}),
]


@pytest.fixture
def fresh_virtuoso(tmp_path):
    """A new Virtuoso database, as a user first points Parley at it: only the server's own graphs."""
    server = VirtuosoServer(tmp_path / "virtuoso").start()
    yield server
    server.kill()


class Endpoint:
    """A loopback HTTP server that answers every request with ``status`` and ``body`` (typed ``media_type``)
    and writes nothing: a Graph Store endpoint misconfigured, or one that only says it wrote."""

    def __init__(self, status: int, media_type: str = "text/html", body: bytes = b""):
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(status)
                self.send_header("Content-Type", media_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *arguments) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/data"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


async def _answers(location: StoreLocation | str) -> dict[str, object]:
    async with running(store=location) as http:
        answers = {}
        for path, params in READS:
            response = await http.get(path, params=params)
            assert response.status_code == 200, (path, response.text)
            answers[path] = response.text if path.startswith("/export") else response.json()
        return answers


# Every answer equal to the embedded store's


def test_the_analysis_over_virtuoso_answers_as_over_the_embedded_store(virtuoso_location):
    over_virtuoso = asyncio.run(_answers(virtuoso_location))
    embedded = asyncio.run(_answers("memory"))
    assert over_virtuoso == embedded
    assert len(over_virtuoso["/conflicts"]["conflicts"]) == 3  # what the seed says, by hand


def test_the_model_read_from_virtuoso_is_the_embedded_stores(virtuoso_location):
    with open_store(virtuoso_location, **virtuoso_location.options) as remote, open_store("memory") as embedded:
        assert read_negotiation(remote) == read_negotiation(embedded)


# 1. The Protocol's portable request forms


def test_parley_stats_answers_over_virtuoso_at_once(virtuoso_location, tmp_path):
    environment = {
        **os.environ,
        **{f"PARLEY_{name.upper()}": value for name, value in virtuoso_location.settings.items()},
    }
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", "stats"], capture_output=True, text=True, timeout=60, env=environment
    )
    assert done.returncode == 0, done.stderr
    assert "source/us-may-walk-away-2025-04-18" in done.stdout
    assert "virtrdf" not in done.stdout  # the server's own graphs are not the store's


def test_a_query_longer_than_a_url_goes_as_a_form_and_is_answered(virtuoso_location):
    with open_store(virtuoso_location, **virtuoso_location.options) as store:
        long = "SELECT (COUNT(*) AS ?n) WHERE { ?s a parley:Position } # " + "padding " * 1000
        (row,) = store.query(long)
        assert int(row["n"].value) == len(read_negotiation(store).positions)


def test_the_direct_form_is_there_for_servers_that_take_it(remote_store_url):
    with open_store(remote_store_url, request_form="direct") as direct, open_store(remote_store_url) as portable:
        assert read_negotiation(direct) == read_negotiation(portable)
        direct.update("INSERT DATA { GRAPH <urn:direct> { <urn:a> <urn:b> <urn:c> } }")
        assert bool(portable.query("ASK { GRAPH <urn:direct> { <urn:a> <urn:b> <urn:c> } }"))


# 2. "Empty" judged from Parley's graphs


def test_a_new_virtuoso_is_seeded_though_it_holds_graphs_of_its_own(fresh_virtuoso):
    own = fresh_virtuoso.graphs(everything=True)
    assert own, "a new Virtuoso holds its system graphs"
    with open_store(fresh_virtuoso.url, **fresh_virtuoso.options) as store:
        assert len(read_negotiation(store).positions) > 0
        assert store.server_graphs() == set(own)
        graphs = {statistics.graph for statistics in store.statistics()}
        assert graphs and not graphs & set(own)
        dumped = {quad.graph_name.value for quad in ox.parse(store.dump(), format=ox.RdfFormat.N_QUADS)}
        assert not dumped & set(own)
        held = len(store)
        with open_store("memory") as embedded:
            assert held == len(embedded) + len(own)  # the record of the server's graphs, one triple each
    with open_store(fresh_virtuoso.url, **fresh_virtuoso.options) as again:  # not seeded twice
        assert len(again) == held


# 3. Graph Store Protocol writes: the Protocol's answer, and a count per graph


def _bulk(graph: str, count: int) -> bytes:
    return b"".join(f'<urn:s{i}> <urn:p> "{i}" <{graph}> .\n'.encode() for i in range(count))


def test_a_bulk_write_goes_one_graph_at_a_time_and_is_all_there(virtuoso_location):
    graphs = [f"{ID}test/bulk-{name}" for name in ("a", "b")]
    with open_store(virtuoso_location, **virtuoso_location.options) as store:
        store.bulk_write([ox.NamedNode(graph) for graph in graphs], _bulk(graphs[0], 3000) + _bulk(graphs[1], 5), b"")
        counts = {statistics.graph: statistics.triples for statistics in store.statistics()}
        assert (counts[graphs[0]], counts[graphs[1]]) == (3000, 5)


@pytest.mark.parametrize(
    ("status", "media_type", "body", "said"),
    [
        (200, "text/html", b"<html><body>SPARQL Graph Store</body></html>", "not a write the protocol knows"),
        (204, "text/plain", b"", "holds 0 of 3"),
    ],
    ids=["a page in a 200", "a 204 that wrote nothing"],
)
def test_a_bulk_write_the_server_did_not_do_fails_loudly_and_leaves_nothing(
    virtuoso_location, status, media_type, body, said
):
    endpoint = Endpoint(status, media_type, body)
    graph = ox.NamedNode(f"{ID}test/bulk-lost")
    try:
        with RemoteStore(virtuoso_location, **{**virtuoso_location.options, "graph_store_url": endpoint.url}) as store:
            before = store.dump()
            with pytest.raises(StoreFailed, match=said):
                store.bulk_write([graph], _bulk(graph.value, 3), b"")
            assert store.dump() == before
    finally:
        endpoint.close()


# 4. The version counter, with no update that depends on an unbound template variable


def test_the_version_counter_starts_and_rises_over_virtuoso(virtuoso_location):
    with open_store(virtuoso_location, **virtuoso_location.options) as store:
        store.update(f"DELETE WHERE {{ GRAPH {LOG_GRAPH} {{ {LOG_GRAPH} parley:version ?v }} }}")
        assert store.version() == 0
        assert store.raise_version() == 1
        assert store.raise_version() == 2


def test_replicas_over_virtuoso_see_each_others_writes(virtuoso_location, tmp_path):
    replicas = []
    try:
        for name in ("first", "second"):
            port = free_port()
            process = serve(
                virtuoso_location,
                port,
                log_path=tmp_path / f"{name}.log",
                token=TOKEN,
                query_workers="1",
                **{name: value for name, value in virtuoso_location.settings.items() if name != "store"},
            )
            wait_for_health(port, process)
            replicas.append((process, port))
        (_, first), (_, second) = replicas
        position = {
            "id": "ukraine-opposes-a-ceasefire-over-virtuoso",
            "holder": "ukraine",
            "issue": "us-russia-dialogue",
            "stance": "opposes",
            "valid_from": "2025-04-19",
            "red_line": True,
            "evidence": [
                {
                    "quote": "Kyiv says those demands are tantamount to demanding its capitulation.",
                    "source": "us-may-walk-away-2025-04-18",
                    "date": "2025-04-19",
                }
            ],
        }
        posted = httpx.post(f"http://127.0.0.1:{first}/positions", json=position, headers=AUTH, timeout=30)
        assert posted.status_code == 201, posted.text
        seen = eventually(
            lambda: httpx.get(f"http://127.0.0.1:{second}/positions/{position['id']}", timeout=10),
            lambda response: response.status_code == 200,
            seconds=5,
        )
        assert seen.json()["red_line"] is True  # 7. stored as "1"^^xsd:boolean, read as true
        changes = httpx.get(f"http://127.0.0.1:{second}/changes", timeout=10).json()
        assert any(position["id"] in str(change["object"]) for change in changes["orderedItems"])
    finally:
        for process, _ in replicas:
            stop(process)


# 5. Blank node labels of the server's own kind


def test_blank_nodes_labelled_nodeid_are_read_and_exported(virtuoso_location):
    with open_store(virtuoso_location, **virtuoso_location.options) as store:
        store.update("INSERT { GRAPH <urn:with-blank> { <urn:a> <urn:p> [ <urn:q> 1 ] } } WHERE {}")
        (row,) = store.query("SELECT ?o WHERE { GRAPH <urn:with-blank> { <urn:a> <urn:p> ?o } }")
        assert isinstance(row["o"], ox.BlankNode)
        dumped = list(ox.parse(store.dump(), format=ox.RdfFormat.N_QUADS))
        assert sum(quad.graph_name.value == "urn:with-blank" for quad in dumped) == 2

    async def export_and_ask() -> tuple[httpx.Response, httpx.Response]:
        async with running(store=virtuoso_location) as http:
            exported = await http.get("/export/rdf", params={"format": "n-quads"})
            asked = await http.get("/sparql", params={"query": "SELECT ?o WHERE { <urn:a> <urn:p> ?o }"})
            return exported, asked

    exported, asked = asyncio.run(export_and_ask())
    assert exported.status_code == 200 and b"<urn:with-blank>" in exported.content
    assert asked.status_code == 200 and asked.json()["results"]["bindings"][0]["o"]["type"] == "bnode"


# 6. Each query form with its media type; row caps; large VALUES blocks


def test_a_construct_comes_back_as_triples(virtuoso_location):
    with open_store(virtuoso_location, **virtuoso_location.options) as store:
        triples = list(store.query("CONSTRUCT { ?a a parley:Actor } WHERE { ?a a parley:Actor }"))
        assert triples and all(isinstance(triple, ox.Triple) for triple in triples)
        assert bool(store.query("ASK { ?a a parley:Actor }")) is True
        assert bool(store.query("ASK { ?a a parley:Nothing }")) is False


def test_an_answer_cut_at_the_servers_row_cap_is_an_error_that_says_so(tmp_path):
    # A cap the seed graph's reads fit under, and a query over every triple (the seed's and Virtuoso's) does not.
    capped = VirtuosoServer(tmp_path / "capped", row_cap=1500).start()
    try:
        with open_store(capped.url, **capped.options) as store, pytest.raises(StoreFailed, match="row cap of 1500"):
            list(store.query("SELECT ?s WHERE { ?s ?p ?o }"))

        async def ask() -> httpx.Response:
            async with running(store=StoreLocation(capped.url, capped.options)) as http:
                return await http.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o }"})

        response = asyncio.run(ask())
        # The store's failure, said as such (the SPARQL workers answer any store failure 503).
        assert response.status_code in (502, 503) and "row cap of 1500" in response.json()["detail"], response.text
    finally:
        capped.kill()


def test_five_thousand_subjects_are_asked_about_in_slices(virtuoso_location):
    with open_store(virtuoso_location, **virtuoso_location.options) as store:
        actors = [ox.NamedNode(f"{ID}actor/{slug}") for slug in ("russia", "ukraine")]
        subjects = actors + [ox.NamedNode(f"urn:nobody/{i}") for i in range(5000)]
        described = {quad.subject for quad in store.descriptions(subjects)}
        assert described == set(actors)


# 8. Digest authentication


def test_virtuosos_authenticated_endpoint_is_reached_with_digest(virtuoso_location, virtuoso):
    options = {**virtuoso_location.options, "query_url": f"{virtuoso.url}/sparql-auth"}
    options["update_url"] = options["query_url"]
    with RemoteStore(virtuoso_location, **options, user=USER, password=PASSWORD, auth="digest") as store:
        store.update("INSERT DATA { GRAPH <urn:digest> { <urn:a> <urn:b> <urn:c> } }")
        assert bool(store.query("ASK { GRAPH <urn:digest> { <urn:a> <urn:b> <urn:c> } }"))
    with pytest.raises(StoreFailed, match="answered 401"):
        RemoteStore(virtuoso_location, **options, user=USER, password="wrong", auth="digest")
