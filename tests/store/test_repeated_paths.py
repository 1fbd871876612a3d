"""No SPARQL that Parley runs over a store, and no example query it ships, repeats a property path.

A repeated path (``rdfs:subClassOf*``, ``parley:speaksFor+``) is one some servers answer wrongly:
OpenLink Virtuoso 7.2 answered Parley's read of position links, ``a/rdfs:subClassOf*`` joined to
other patterns, with no row where Oxigraph gives nine. Parley does without: the store holds every
supertype beside a type (a ``parley:Demand`` is typed ``parley:Position`` too), and the class
hierarchy is closed in Python (:mod:`graph.store.vocabulary`). The only exceptions are listed below,
each with its reason.

Paths are found by Parley's own SPARQL parser (``ParsedSparql.repeated_paths``), not by a text
pattern: ``COUNT(*)``, ``SELECT *`` and ``?a + 1`` are no paths.
"""

from __future__ import annotations

import re
import shlex

import pyoxigraph as ox
import pytest

from graph.sparql.grammar import ParsedSparql, SparqlSyntaxError, parse_query, parse_update
from graph.store import queries
from graph.store.namespaces import PREFIXES
from tests.test_docs import PAGES, ROOT, read_blocks

TARGETS = (
    "finds a shape's focus nodes through rdf:type/rdfs:subClassOf*, in a document as it was sent (without the"
    " supertypes a load adds) beside the vocabulary it reads the hierarchy from"
)
LISTS = "reads the shapes' RDF lists (rdf:rest*/rdf:first), which no fixed pattern reads"
ON_THE_VALIDATORS_DATASET = {
    "VALIDATE_MIN_COUNT": TARGETS,
    "VALIDATE_MAX_COUNT": TARGETS,
    "VALIDATE_CLASS": TARGETS + "; and a value's class through rdfs:subClassOf*, likewise",
    "VALIDATE_NODE_CLASS": TARGETS + "; and the focus node's class through rdfs:subClassOf*, likewise",
    "VALIDATE_DATATYPE": TARGETS,
    "VALIDATE_DATATYPE_ALTERNATIVES": TARGETS + "; and " + LISTS,
    "VALIDATE_IN": TARGETS + "; and " + LISTS,
    "VALIDATE_NODE_KIND_IRI": TARGETS,
    "VALIDATE_MIN_INCLUSIVE": TARGETS,
    "VALIDATE_MAX_INCLUSIVE": TARGETS,
    "VALIDATE_MIN_LENGTH": TARGETS,
    "VALIDATE_PATTERN": TARGETS,
    "VALIDATE_LESS_THAN_OR_EQUALS": TARGETS,
    "VALIDATE_CLOSED": TARGETS + "; and " + LISTS,
    "VALIDATE_XONE": TARGETS + "; and " + LISTS,
    "UNSUPPORTED_DATATYPE_ALTERNATIVES": LISTS,
    "UNSUPPORTED_XONE_BRANCHES": LISTS,
}
"""The queries of ``graph/ingest/validate.py``, which run only over the validator's own embedded dataset (the
document being loaded, the vocabulary and the shapes), never over a store: why each repeats a path."""

SHOWN_WITH_A_PATH = {
    "parley:speaksFor* actor:russia": (
        "docs/sparql.md shows how to follow rule 1's groups (the closure of parley:speaksFor, which no fixed"
        " pattern states) in a query of the user's own, on the embedded store; the page says which servers"
        " answer repeated paths wrongly"
    ),
}
"""Queries the documentation shows with a repeated path, by a part of their text, and why."""

LIBRARY = [ROOT / "graph", ROOT / "api"]


def parse(text: str) -> ParsedSparql:
    """The parse of a query, or of an update."""
    try:
        return parse_query(text, PREFIXES)
    except SparqlSyntaxError:
        return parse_update(text, PREFIXES)


def library_texts() -> dict[str, str]:
    """Every SPARQL text of graph/store/queries.py, by name: its constants, and the texts its functions build."""
    texts = {
        name: value
        for name, value in vars(queries).items()
        if name.isupper() and not name.startswith("_") and isinstance(value, str)
    }
    pairs = [(ox.NamedNode("urn:example:Demand"), ox.NamedNode("urn:example:Position"))]
    texts["adding_supertypes()"] = queries.adding_supertypes(pairs)
    return texts


def shipped_queries() -> list[tuple[str, str]]:
    """Every query Parley shows a user, with where: the query page's examples, the documentation's
    ```` ```sparql ```` blocks and the queries of its ``parley sparql`` commands."""
    shipped = [(f"EXAMPLE_QUERIES[{title!r}]", text) for title, text in queries.EXAMPLE_QUERIES.items()]
    for page in PAGES:
        name = str(page.relative_to(ROOT))
        for block in read_blocks(page.read_text(encoding="utf-8").splitlines()):
            if block.language == "sparql":
                shipped.append((f"{name}, line {block.first}", block.text))
            elif block.language == "console":
                for number, line in enumerate(block.lines, block.first + 1):
                    if line.startswith("$ parley sparql "):
                        query = shlex.split(line[2:])[-1]
                        if not query.startswith("@"):  # a file the page writes from a sparql block
                            shipped.append((f"{name}, line {number}", query))
    return shipped


def test_the_parser_finds_the_repeated_paths_parley_used_and_nothing_else():
    used = "SELECT ?p WHERE { ?p ?r ?t . FILTER EXISTS { ?p a/rdfs:subClassOf* parley:Position } }"
    assert parse(used).repeated_paths == (("*", 1, 66),)
    assert parse("INSERT { ?i a ?s } WHERE { ?c rdfs:subClassOf+ ?s . ?i a ?c }").repeated_paths == (("+", 1, 46),)
    plain = "SELECT * WHERE { ?c parley:condition/parley:anyOf? ?a . BIND (?n + 1 * 2 AS ?m) } GROUP BY ?c"
    assert parse(plain).repeated_paths == ()
    assert parse("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").repeated_paths == ()


@pytest.mark.parametrize("name", sorted(library_texts()))
def test_no_query_over_a_store_repeats_a_path(name):
    paths = parse(library_texts()[name]).repeated_paths
    if name in ON_THE_VALIDATORS_DATASET:
        assert paths, f"{name} repeats no path any more: take it off the list"
    else:
        assert paths == (), f"{name} repeats a property path (mark, line, column), which some servers answer wrongly"


@pytest.mark.parametrize("name", sorted(ON_THE_VALIDATORS_DATASET))
def test_the_queries_that_repeat_a_path_run_only_in_the_validator(name):
    using = {
        str(path.relative_to(ROOT))
        for folder in LIBRARY
        for path in folder.rglob("*.py")
        if path.name != "queries.py" and re.search(rf"\b{name}\b", path.read_text(encoding="utf-8"))
    }
    assert using == {"graph/ingest/validate.py"}


def test_the_texts_checked_are_those_parley_ships():
    shipped = dict(shipped_queries())
    assert len(shipped) >= len(queries.EXAMPLE_QUERIES) + 10, "the pages' queries were found"
    assert any(where.startswith("README.md") for where in shipped), "a console query was read (README has one)"
    assert set(ON_THE_VALIDATORS_DATASET) <= set(library_texts())


@pytest.mark.parametrize("where, text", shipped_queries(), ids=lambda value: value if len(value) < 80 else "")
def test_no_example_query_repeats_a_path(where, text):
    paths = parse(text).repeated_paths
    allowed = [reason for part, reason in SHOWN_WITH_A_PATH.items() if part in text]
    assert paths == () or allowed, f"{where} repeats a property path (mark, line, column): {paths}"


def test_the_pages_that_show_a_path_say_which_servers_answer_it_wrongly():
    for part in SHOWN_WITH_A_PATH:
        pages = [page for page in PAGES if part in page.read_text(encoding="utf-8")]
        assert pages, f"no page shows {part!r} any more: take it off the list"
        assert all("Virtuoso" in page.read_text(encoding="utf-8") for page in pages)


def test_a_store_types_each_instance_by_every_class_a_path_would_reach(store):
    """So a plain ``?x a C`` answers as ``?x a/rdfs:subClassOf* C`` did, for every class of the hierarchy."""
    classes = {
        row["c"]
        for row in store.query(
            "SELECT DISTINCT ?c WHERE { { ?c rdfs:subClassOf ?s } UNION { ?s rdfs:subClassOf ?c } FILTER isIRI(?c) }"
        )
    }
    assert {ox.NamedNode(PREFIXES["parley"] + "Position"), ox.NamedNode(PREFIXES["prov"] + "Agent")} <= classes
    for class_ in classes:
        plain = {row["x"] for row in store.query("SELECT DISTINCT ?c ?x WHERE { ?x a ?c }", {"c": class_})}
        path = store.query("SELECT DISTINCT ?c ?x WHERE { ?x a/rdfs:subClassOf* ?c }", {"c": class_})
        assert plain == {row["x"] for row in path}, class_
