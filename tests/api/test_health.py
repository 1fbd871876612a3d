"""The application, in process: health and the OpenAPI document."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.anyio


async def test_health_answers_once_the_store_is_open(client, store_location):
    response = await client.get("/health")
    assert response.status_code == 200
    kind = "memory" if store_location == "memory" else "remote"
    # Over the embedded store the kernel's wall is there too (this kernel allows seccomp filters).
    wall = "seccomp" if kind == "memory" else "remote store"
    assert response.json() == {
        "status": "ok",
        "store": kind,
        "generation": 0,
        "writes": False,
        "sparql_network_wall": wall,
        "left_out": [],
        "derived_graph": "current",
    }


async def test_health_and_every_query_answer_say_when_the_derived_graph_is_stale(client, monkeypatch):
    from graph.analysis.derived import refresh_derived
    from graph.analysis.model import Evidence, Position, Source
    from graph.analysis.read import read_negotiation
    from graph.ingest import load

    ask = {"query": "ASK { ?s ?p ?o }"}
    assert (await client.get("/sparql", params=ask)).headers["Parley-Derived-Graph"] == "current"

    def fails(*arguments, **options):
        raise RuntimeError("the derived graph could not be written")

    # A write whose data is in and whose derived graph is not yet (a large load brings it current after).
    monkeypatch.setattr(load, "refresh_derived", fails)
    source = Source("us-may-walk-away-2025-04-18", "")
    position = Position(
        "stale-ceasefire",
        "dmitry-peskov",
        "ceasefire",
        "opposes",
        evidence=(Evidence("contacts were difficult", source),),
    )
    with pytest.raises(RuntimeError):
        client.app.state.workspace.create_position(position)
    assert (await client.get("/health")).json()["derived_graph"] == "stale"
    assert (await client.get("/sparql", params=ask)).headers["Parley-Derived-Graph"] == "stale"
    monkeypatch.undo()
    store = client.app.state.workspace.store
    refresh_derived(store, read_negotiation(store))  # as the next open of the store does
    assert (await client.get("/health")).json()["derived_graph"] == "current"


async def test_health_says_writes_are_on_when_a_token_is_set(writer):
    assert (await writer.get("/health")).json()["writes"] is True


async def test_every_operation_has_a_summary_and_a_description(client):
    paths = (await client.get("/openapi.json")).json()["paths"]
    expected = {
        "/health",
        "/actors",
        "/actors/{actor}",
        "/actors/{actor}/timeline",
        "/issues",
        "/issues/{issue}",
        "/positions",
        "/positions/{position}",
        "/conflicts",
        "/overlap",
        "/matrix",
        "/deadlocks",
        "/coalitions",
        "/mediators",
        "/inconsistencies",
        "/sources",
        "/sparql",
    }
    assert expected <= set(paths)
    for path, operations in paths.items():
        for method, operation in operations.items():
            assert operation.get("description"), f"{method.upper()} {path} has no description"
            assert operation["description"].endswith("."), f"{method.upper()} {path}: one full sentence"


async def test_the_docs_page_is_served(client):
    response = await client.get("/docs")
    assert response.status_code == 200 and "text/html" in response.headers["content-type"]


async def test_an_unknown_path_is_a_problem_document(client):
    response = await client.get("/nowhere")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["instance"] == "/nowhere"


async def test_cors_is_off_unless_configured(client):
    response = await client.get("/health", headers={"Origin": "https://example.org"})
    assert "access-control-allow-origin" not in response.headers


async def test_cors_allows_the_configured_origins_only():
    from tests.api.conftest import running

    async with running(cors_origins="https://analyst.example") as http:
        allowed = await http.get("/health", headers={"Origin": "https://analyst.example"})
        other = await http.get("/health", headers={"Origin": "https://evil.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://analyst.example"
    assert "access-control-allow-origin" not in other.headers


async def test_health_reports_what_the_analysis_leaves_out(tmp_path):
    from graph.ingest.load import open_store
    from tests.api.conftest import running
    from tests.ingest.test_bad_values import FORCED

    with open_store(tmp_path / "store") as store:
        store.update(FORCED)
    async with running(store=str(tmp_path / "store")) as http:
        health = (await http.get("/health")).json()
        assert {(left["node"], left["value"]) for left in health["left_out"]} == {
            ("position:ukraine-territory", "very"),
            ("position:putin-territory", "2025-13-01"),
        }
        conflicts = await http.get("/conflicts", params={"a": "russia", "b": "ukraine"})
        assert conflicts.status_code == 200
