"""A real `parley serve` asked by real clients: SPARQLWrapper and plain HTTP."""

from __future__ import annotations

import csv
import io
import socket
import time
from urllib.error import HTTPError

import httpx
import pyoxigraph as ox
import pytest
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, Unauthorized

from tests.clients.server import free_port, serve, stop, wait_for_health

TIMEOUT = 2.0
STATES = "PREFIX parley: <https://w3id.org/parley#> SELECT ?state WHERE { ?state a parley:State } ORDER BY ?state"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    process = serve(tmp_path_factory.mktemp("served") / "store", port, token="client-token", query_timeout=str(TIMEOUT))
    try:
        wait_for_health(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


def _wrapper(server: str, query: str, return_format) -> SPARQLWrapper:
    sparql = SPARQLWrapper(f"{server}/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(return_format)
    return sparql


def test_sparqlwrapper_select_as_json_xml_and_csv(server):
    as_json = _wrapper(server, STATES, JSON).query().convert()
    states = [row["state"]["value"] for row in as_json["results"]["bindings"]]
    assert "https://w3id.org/parley/id/actor/russia" in states and "https://w3id.org/parley/id/actor/ukraine" in states
    as_xml = _wrapper(server, STATES, XML).query().convert()  # an xml.dom.minidom document
    uris = [node.firstChild.data for node in as_xml.getElementsByTagName("uri")]
    assert uris == states
    as_csv = _wrapper(server, STATES, CSV).query().convert()
    assert [row[0] for row in list(csv.reader(io.StringIO(as_csv.decode())))[1:]] == states


def test_sparqlwrapper_ask_and_construct(server):
    ask = _wrapper(
        server,
        "ASK { <https://w3id.org/parley/id/actor/vladimir-putin> "
        "<https://w3id.org/parley#speaksFor> <https://w3id.org/parley/id/actor/russia> }",
        JSON,
    )
    assert ask.query().convert()["boolean"] is True
    construct = _wrapper(server, "CONSTRUCT WHERE { <https://w3id.org/parley/id/actor/russia> ?p ?o }", TURTLE)
    turtle = construct.query().convert()
    triples = list(ox.parse(turtle, format=ox.RdfFormat.TURTLE))
    assert any(t.object == ox.Literal("Russia", language="en") for t in triples)


def test_sparqlwrapper_queries_the_dataset_its_from_or_its_graphs_name(server):
    ontology, reference = (f"https://w3id.org/parley/graph/{name}" for name in ("ontology", "reference"))
    shape = (
        "SELECT ?g (COUNT(*) AS ?n) {dataset} WHERE {{ {{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} }} }} "
        "GROUP BY ?g ORDER BY ?g"
    )

    def answer(query: str, default_graphs=(), named_graphs=(), method=None) -> list[tuple[str, int]]:
        sparql = _wrapper(server, query, JSON)
        for graph in default_graphs:
            sparql.addDefaultGraph(graph)
        for graph in named_graphs:
            sparql.addNamedGraph(graph)
        if method:
            sparql.setMethod(method)
        rows = sparql.query().convert()["results"]["bindings"]
        return [(row["g"]["value"] if "g" in row else "default", int(row["n"]["value"])) for row in rows]

    everything = answer(shape.format(dataset=""))
    sizes = dict(everything)
    assert sizes["default"] > sizes[reference] > 0 and sizes[ontology] > 0, "the union of all graphs by default"
    assert answer(shape.format(dataset=f"FROM <{ontology}>")) == [("default", sizes[ontology])]
    assert answer(shape.format(dataset=f"FROM NAMED <{ontology}>"), method=POST) == [(ontology, sizes[ontology])]
    both = answer(shape.format(dataset=f"FROM <{ontology}> FROM NAMED <{reference}>"))
    assert both == [("default", sizes[ontology]), (reference, sizes[reference])]
    assert answer(shape.format(dataset="FROM <urn:nothing>")) == []
    # The protocol's graphs replace the text's whole dataset.
    assert answer(shape.format(dataset=f"FROM <{ontology}>"), default_graphs=[reference]) == [
        ("default", sizes[reference])
    ]
    assert answer(shape.format(dataset=f"FROM <{ontology}>"), named_graphs=[reference]) == [
        (reference, sizes[reference])
    ]


def test_plain_http_conflicts(server):
    response = httpx.get(f"{server}/conflicts", params={"a": "russia", "b": "ukraine"})
    assert response.status_code == 200
    issues = {c["issue"] for c in response.json()["conflicts"]}
    assert issues == {"ukraine-nato-membership", "territory", "ukraine-army-size"}


def test_a_service_query_is_refused_and_never_connects(server):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(1.0)
        port = listener.getsockname()[1]
        query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"
        response = httpx.get(f"{server}/sparql", params={"query": query})
        assert response.status_code == 400 and "SERVICE" in response.json()["detail"]
        with pytest.raises(TimeoutError):
            listener.accept()


def test_a_query_built_to_run_for_hours_is_stopped_in_time(server):
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o . ?p ?q ?r }"
    started = time.monotonic()
    with pytest.raises(HTTPError) as refused:  # SPARQLWrapper passes a 503 on as urllib's error
        _wrapper(server, endless, JSON).query()
    assert refused.value.code == 503
    assert time.monotonic() - started < TIMEOUT + 2
    response = httpx.get(f"{server}/sparql", params={"query": endless})
    assert response.status_code == 503 and response.headers["content-type"] == "application/problem+json"
    started = time.monotonic()
    assert _wrapper(server, STATES, JSON).query().convert()["results"]["bindings"]
    assert time.monotonic() - started < 1.0, "the next query runs at normal speed"


def test_an_update_without_the_token_is_refused_and_changes_nothing(server):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = _wrapper(server, count, JSON).query().convert()
    update = SPARQLWrapper(f"{server}/sparql")
    update.setMethod(POST)
    update.setQuery("CLEAR ALL")
    with pytest.raises(Unauthorized):
        update.query()
    update.setQuery("LOAD <http://127.0.0.1:9/data.ttl>")
    update.addCustomHttpHeader("Authorization", "Bearer client-token")
    with pytest.raises(QueryBadFormed):  # SPARQLWrapper's name for a 400 answer
        update.query()
    assert _wrapper(server, count, JSON).query().convert() == before
