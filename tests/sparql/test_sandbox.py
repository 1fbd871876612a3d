"""Outside SPARQL: refused when it would reach out, stopped (for real) when it runs too long."""

from __future__ import annotations

import time

import pytest

from graph.ingest.load import open_store
from graph.sparql.sandbox import (
    NotAcceptable,
    QueryRefused,
    QueryRequest,
    QuerySandbox,
    QueryTimeout,
    Snapshots,
    TooManyResults,
    check_query,
    check_update,
)

ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * { SERVICE <http://x/> { ?s ?p ?o } }",
        "SELECT * { service silent <http://x/> { ?s ?p ?o } }",
        "SELECT * { ?s ?p ?o .SERVICE <http://x/> { ?s ?p ?o } }",
        "SELECT * {\nSERVICE\t?endpoint { ?s ?p ?o } }",
        "SELECT * { \\u0053ERVICE <http://x/> { ?s ?p ?o } }",
        "SELECT * { \\U00000053ERVICE <http://x/> { ?s ?p ?o } }",
        "PREFIX : <http://x/> SELECT * { SERVICE :x { ?s ?p ?o } }",
        "SELECT * { SERVICE:x { ?s ?p ?o } }",
        "SELECT * { ?s ?p ?o SERVICE:x { } }",
        "SELECT * { ?s ex:a\\' ?o SERVICE <http://x/> { } }",
        "SELECT * { ?s ?p ?o } # comment\nSERVICE",
    ],
)
def test_service_is_refused(text):
    with pytest.raises(QueryRefused):
        check_query(text)


@pytest.mark.parametrize(
    "text",
    [
        "LOAD <http://x/data.ttl>",
        "load silent <file:///etc/passwd> INTO GRAPH <urn:g>",
        'INSERT DATA { <urn:a> <urn:b> "c" } ; LOAD <http://x/>',
        "PREFIX : <http://x/> LOAD :x",
        "INSERT { ?s ?p ?o } WHERE { SERVICE <http://x/> { ?s ?p ?o } }",
    ],
)
def test_load_and_service_in_updates_are_refused(text):
    with pytest.raises(QueryRefused, match="LOAD|SERVICE"):
        check_update(text)


@pytest.mark.parametrize(
    "text",
    [
        'SELECT * { ?s ?p "SERVICE" }',
        "SELECT * { ?s ?p 'LOAD' }",
        'SELECT * { ?s ?p """a\nSERVICE <http://x/> { }\n""" }',
        "SELECT * { ?s <http://example.org/SERVICE> ?o }",
        "SELECT * { ?s ?p ?o } # SERVICE <http://x/>",
        "PREFIX ex: <http://example.org/> SELECT * { ?s ex:service ?load . ?s ex:load ex:SERVICE }",
        "SELECT ?service ?LOAD WHERE { ?service ?p ?LOAD }",
        "SELECT * { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }",
        'SELECT * { ?s ?p "say \\"SERVICE\\"" }',
    ],
)
def test_the_words_inside_strings_iris_comments_and_names_are_not_keywords(text):
    assert check_query(text).reaches_out == ()


@pytest.mark.parametrize(
    "text, form",
    [
        ("SELECT * { ?s ?p ?o }", "select"),
        ("PREFIX x: <http://x/select#> CONSTRUCT WHERE { ?s x:ask ?o }", "construct"),
        ("# SELECT\nASK { ?s ?p ?o }", "ask"),
        ("PREFIX x: <http://x/select#> DESCRIBE x:a", "describe"),
    ],
)
def test_the_parse_gives_the_query_form(text, form):
    assert check_query(text).form == form


def test_an_update_is_not_a_query():
    with pytest.raises(QueryRefused, match="expected 'SELECT'"):
        check_query("INSERT DATA { <a> <b> <c> }")


@pytest.fixture(scope="module")
def sandbox():
    with QuerySandbox(workers=1, timeout=1.0, row_limit=10) as running:
        yield running


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory):
    directory = tmp_path_factory.mktemp("snapshots") / "seed"
    open_store("memory").snapshot(directory)
    return directory


def test_a_query_over_the_limit_is_stopped_and_its_worker_killed(sandbox, snapshot):
    (worker,) = list(sandbox._idle.queue)
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        sandbox.run(snapshot, QueryRequest(ENDLESS))
    assert time.monotonic() - started < 2.5
    assert worker.process.poll() is not None, "the worker process no longer exists, so its CPU is free"
    answer = sandbox.run(snapshot, QueryRequest("ASK { ?s a parley:State }"))
    assert answer.body == b'{"head":{},"boolean":true}'


def test_too_many_rows_are_refused(sandbox, snapshot):
    with pytest.raises(TooManyResults):
        sandbox.run(snapshot, QueryRequest("SELECT * { ?s ?p ?o }"))
    answer = sandbox.run(snapshot, QueryRequest("SELECT * { ?s ?p ?o } LIMIT 10", results_format="tsv"))
    assert answer.rows == 10 and len(answer.body.splitlines()) == 11


def test_a_syntax_error_is_refused(sandbox, snapshot):
    with pytest.raises(QueryRefused, match="syntax"):
        sandbox.run(snapshot, QueryRequest("SELECT ?x WHERE {"))


def test_the_worker_refuses_service_itself_and_says_where(sandbox, snapshot):
    with pytest.raises(QueryRefused, match=r"SERVICE \(line 2, column 3\) is not allowed"):
        sandbox.run(snapshot, QueryRequest("SELECT * {\n  SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"))


def test_the_worker_picks_the_format_for_the_form_it_parsed(sandbox, snapshot):
    construct = "CONSTRUCT WHERE { ?s a parley:State }"
    answer = sandbox.run(snapshot, QueryRequest(construct, results_format=None, graph_format="n-triples"))
    assert answer.form == "graph" and answer.body.count(b"\n") == answer.rows > 0
    with pytest.raises(NotAcceptable) as refused:
        sandbox.run(snapshot, QueryRequest(construct, results_format="json", graph_format=None))
    assert refused.value.form == "construct"


def test_updates_are_checked_in_a_worker(sandbox):
    assert sandbox.check_update("INSERT DATA { <urn:a> <urn:b> 'c' }").kind == "update"
    with pytest.raises(QueryRefused, match="LOAD"):
        sandbox.check_update("LOAD <http://127.0.0.1:9/>")
    with pytest.raises(QueryRefused, match="nest more than 64"):
        sandbox.check_update("INSERT { <a:b> <a:c> <a:d> } WHERE " + "{ " * 10_000 + "} " * 10_000)


def test_snapshots_of_an_on_disk_store_follow_its_writes(tmp_path, sandbox):
    store = open_store(tmp_path / "store")
    snapshots = Snapshots(store, keep_for=0)
    ask = QueryRequest("ASK { <urn:a> <urn:p> ?o }")
    first = snapshots.current(0)
    assert snapshots.current(0) == first, "one snapshot per state"
    assert sandbox.run(first, ask).body.endswith(b"false}")
    store.write(b'<urn:a> <urn:p> "1" <urn:g> .\n')
    second = snapshots.current(1)
    assert sandbox.run(second, ask).body.endswith(b"true}")
    snapshots.current(2)
    assert not first.exists(), "superseded snapshots are removed"
    snapshots.close()
    store.close()
