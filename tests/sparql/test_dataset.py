"""A query's own dataset: FROM and FROM NAMED, the protocol's graphs over them, the union where neither names one.

Every answer is held to pyoxigraph's own over the same quads in a plain ``ox.Store()`` (which keeps
its default graph apart, as SPARQL 1.1 Query section 13 reads FROM and FROM NAMED), through the
sandbox's workers over both stores: a snapshot of the embedded one, and a real `oxigraph serve`
started with ``--union-default-graph`` (which applies the union to a query's FROM as well, unless
the dataset comes as protocol parameters).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from graph.ingest.load import open_store
from graph.sparql.grammar import parse_query
from graph.sparql.sandbox import GRAPH_FORMATS, RESULTS_FORMATS, QueryRequest, QuerySandbox, Snapshots, dataset_of
from graph.store import Dataset
from graph.store.namespaces import DERIVED_GRAPH, ONTOLOGY_GRAPH, PREFIXES, REFERENCE_GRAPH
from tests.conftest import STORES

ONTOLOGY, REFERENCE, DERIVED = ONTOLOGY_GRAPH.value, REFERENCE_GRAPH.value, DERIVED_GRAPH.value

# The shape of a dataset in one answer: the default graph's size, and each named graph's.
SHAPE = """SELECT ?graph (COUNT(*) AS ?triples) {dataset} WHERE {{
    {{ ?s ?p ?o BIND ("default" AS ?graph) }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} BIND (STR(?g) AS ?graph) }}
}} GROUP BY ?graph ORDER BY ?graph"""
COUNT = "SELECT (COUNT(*) AS ?n) {dataset} WHERE {{ ?s ?p ?o }}"

# (query text, default-graph-uri, named-graph-uri)
CASES = {
    "no dataset: the union default graph and every named graph": (SHAPE.format(dataset=""), (), ()),
    "FROM only: that graph as default graph, no named graphs": (SHAPE.format(dataset=f"FROM <{ONTOLOGY}>"), (), ()),
    "two FROM: the merge of both": (SHAPE.format(dataset=f"FROM <{ONTOLOGY}> FROM <{REFERENCE}>"), (), ()),
    "FROM a graph the store lacks: nothing at all": (COUNT.format(dataset="FROM <urn:nothing>"), (), ()),
    "FROM NAMED only: an empty default graph": (SHAPE.format(dataset=f"FROM NAMED <{ONTOLOGY}>"), (), ()),
    "FROM and FROM NAMED": (
        SHAPE.format(dataset=f"FROM <{REFERENCE}> FROM NAMED <{ONTOLOGY}> FROM NAMED <{DERIVED}>"),
        (),
        (),
    ),
    "GRAPH ?g matches only the FROM NAMED graphs": (
        f"SELECT DISTINCT ?g FROM NAMED <{ONTOLOGY}> FROM NAMED <urn:nothing> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        (),
        (),
    ),
    "GRAPH <iri> outside the FROM NAMED graphs matches nothing": (
        f"SELECT * FROM NAMED <{ONTOLOGY}> WHERE {{ GRAPH <{REFERENCE}> {{ ?s a parley:State }} }}",
        (),
        (),
    ),
    "ASK with FROM": (f"ASK FROM <{ONTOLOGY}> {{ ?s a parley:State }}", (), ()),
    "CONSTRUCT with FROM": (
        f"CONSTRUCT {{ ?s a parley:State }} FROM <{REFERENCE}> WHERE {{ ?s a parley:State }}",
        (),
        (),
    ),
    "default-graph-uri over the text's FROM": (SHAPE.format(dataset=f"FROM <{ONTOLOGY}>"), (REFERENCE,), ()),
    "named-graph-uri over the text's FROM NAMED": (
        SHAPE.format(dataset=f"FROM NAMED <{ONTOLOGY}>"),
        (),
        (DERIVED,),
    ),
    "named-graph-uri alone replaces the text's FROM too: an empty default graph": (
        SHAPE.format(dataset=f"FROM <{ONTOLOGY}>"),
        (),
        (DERIVED, ONTOLOGY),
    ),
    "default-graph-uri alone: no named graphs": (SHAPE.format(dataset=""), (ONTOLOGY, "urn:nothing"), ()),
}


@pytest.fixture(scope="module", params=STORES)
def served(request, tmp_path_factory) -> Iterator[tuple[Dataset, QuerySandbox, object]]:
    """A store holding the seed graph, a sandbox over it, and what its workers open (snapshot or connection)."""
    server = {"remote": "oxigraph", "virtuoso": "virtuoso"}.get(request.param)
    if server is None:
        location, options = "memory", {}
    else:
        running = request.getfixturevalue(server)
        if running.process.poll() is not None:
            running.start()
        running.reset()
        location, options = running.url, getattr(running, "options", {})
    with open_store(location, **options) as store, QuerySandbox(workers=1, network=store.shared) as sandbox:
        snapshots = Snapshots(store)
        yield store, sandbox, snapshots.current(0)
        snapshots.close()


def _terms(result) -> object:
    """An answer in plain values: a boolean, the rows as tuples of N-Triples terms, or the set of triples."""
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        return [tuple(str(term) for term in row) for row in result]
    return {(str(t.subject), str(t.predicate), str(t.object)) for t in result}


def reference_store(store: Dataset) -> ox.Store:
    """A plain pyoxigraph store holding the same quads as ``store``."""
    reference = ox.Store()
    reference.load(store.dump(), ox.RdfFormat.N_QUADS)
    return reference


def pyoxigraphs_answer(store: Dataset, text: str, default_graphs=(), named_graphs=()) -> object:
    """pyoxigraph's answer over the same quads, its default graph kept apart: the protocol's graphs as
    the whole dataset where given, else the text's own (or, with none, the union default graph)."""
    reference = reference_store(store)
    if default_graphs or named_graphs:
        return _terms(
            reference.query(
                text,
                prefixes=PREFIXES,
                default_graph=[ox.NamedNode(iri) for iri in default_graphs],
                named_graphs=[ox.NamedNode(iri) for iri in named_graphs],
            )
        )
    parsed = parse_query(text, PREFIXES)
    union = not parsed.from_graphs and not parsed.from_named_graphs
    return _terms(reference.query(text, prefixes=PREFIXES, use_default_graph_as_union=union))


def sandboxs_answer(served, text: str, default_graphs=(), named_graphs=()) -> object:
    _, sandbox, snapshot = served
    answer = sandbox.run(snapshot, QueryRequest(text, "json", "n-triples", tuple(default_graphs), tuple(named_graphs)))
    if answer.form == "graph":
        return _terms(ox.parse(answer.body, format=GRAPH_FORMATS["n-triples"]))
    return _terms(ox.parse_query_results(answer.body, format=RESULTS_FORMATS["json"]))


@pytest.mark.parametrize("case", list(CASES))
def test_the_sandbox_answers_over_the_dataset_pyoxigraph_reads(served, case):
    text, default_graphs, named_graphs = CASES[case]
    expected = pyoxigraphs_answer(served[0], text, default_graphs, named_graphs)
    assert sandboxs_answer(served, text, default_graphs, named_graphs) == expected


def test_from_counts_that_graph_alone_and_from_nothing_counts_nothing(served):
    _, sandbox, snapshot = served

    def count(dataset: str) -> int:
        answer = sandbox.run(snapshot, QueryRequest(COUNT.format(dataset=dataset)))
        return int(json.loads(answer.body)["results"]["bindings"][0]["n"]["value"])

    ontology = len(list(reference_store(served[0]).quads_for_pattern(None, None, None, ONTOLOGY_GRAPH)))
    assert count("") > count(f"FROM <{ONTOLOGY}>") == ontology > 0
    assert count("FROM <urn:nothing>") == 0
    assert count(f"FROM NAMED <{ONTOLOGY}>") == 0


def test_the_shape_of_each_dataset_is_what_section_13_says(served):
    # Held to pyoxigraph above; here by hand, so that a reading both share would not pass unseen.
    both = sandboxs_answer(served, CASES["FROM and FROM NAMED"][0])
    assert [graph for graph, _ in both] == ['"default"', f'"{DERIVED}"', f'"{ONTOLOGY}"']
    named_only = sandboxs_answer(served, CASES["FROM NAMED only: an empty default graph"][0])
    assert [graph for graph, _ in named_only] == [f'"{ONTOLOGY}"']
    overridden = sandboxs_answer(served, *CASES["default-graph-uri over the text's FROM"])
    reference = sandboxs_answer(served, SHAPE.format(dataset=f"FROM <{REFERENCE}>"))
    assert overridden == reference and [graph for graph, _ in reference] == ['"default"']


@pytest.mark.parametrize(
    "text, from_graphs, from_named_graphs",
    [
        ("SELECT * { ?s ?p ?o }", (), ()),
        (
            "SELECT * FROM parley:a FROM NAMED <urn:b> FROM <urn:c> { ?s ?p ?o }",
            ("https://w3id.org/parley#a", "urn:c"),
            ("urn:b",),
        ),
        ("ASK FROM NAMED <urn:b> { GRAPH ?g { } }", (), ("urn:b",)),
        ("CONSTRUCT { ?s ?p ?o } FROM <urn:a> WHERE { ?s ?p ?o }", ("urn:a",), ()),
        ("CONSTRUCT FROM <urn:a> WHERE { ?s ?p ?o }", ("urn:a",), ()),
        ("DESCRIBE <urn:x> FROM <urn:a>", ("urn:a",), ()),
        ("SELECT * { { SELECT * { GRAPH <urn:g> { ?s ?p ?o } } } }", (), ()),
    ],
)
def test_the_parse_reports_the_querys_from_and_from_named(text, from_graphs, from_named_graphs):
    parsed = parse_query(text, PREFIXES)
    assert (parsed.from_graphs, parsed.from_named_graphs) == (from_graphs, from_named_graphs)


def test_the_protocols_graphs_replace_the_texts_whole_dataset():
    parsed = parse_query("SELECT * FROM <urn:a> FROM NAMED <urn:b> { ?s ?p ?o }")
    node = ox.NamedNode
    assert dataset_of(parsed) == ([node("urn:a")], [node("urn:b")])
    assert dataset_of(parsed, default_graphs=["urn:c"]) == ([node("urn:c")], [])
    assert dataset_of(parsed, named_graphs=["urn:d"]) == ([], [node("urn:d")])
    assert dataset_of(parse_query("SELECT * { ?s ?p ?o }")) == ([], [])
