"""The SPARQL 1.1 grammar Parley parses client text with: what it accepts, where it refuses, what it finds."""

from __future__ import annotations

import contextlib

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.sparql import grammar
from graph.sparql.grammar import MAX_NESTING, SparqlSyntaxError
from graph.store import queries
from graph.store.namespaces import PREFIXES


def parse_query(text: str):
    """Parse as the service does, Parley's prefixes predefined."""
    return grammar.parse_query(text, PREFIXES)


def parse_update(text: str):
    return grammar.parse_update(text, PREFIXES)


VALID_QUERIES = [
    "SELECT * { ?s ?p ?o }",
    "select distinct ?s where { ?s a ?t . ?t ^rdfs:subClassOf* ?x } order by desc(?s) limit 5 offset 2",
    "PREFIX : <http://x/> SELECT (COUNT(*) AS ?n) { ?s :p/:q|!(:r|^:s) ?o ; :t [ :u 1, -2.5e3 ] . "
    "FILTER(?o > 3 && ?o != 'x'@en || BOUND(?s)) }",
    "CONSTRUCT WHERE { ?s ?p ?o }",
    "CONSTRUCT { ?s <a:b> ( 1 2 ) } WHERE { ?s ?p ?o OPTIONAL { ?s ?q ?r } MINUS { ?s ?z 3 } }",
    "DESCRIBE <a:b>",
    "ASK { VALUES (?a ?b) { (1 UNDEF) (2 3) } VALUES () { () } BIND(?a+1 AS ?c) FILTER NOT EXISTS { ?a ?b ?c } }",
    "SELECT ?g (GROUP_CONCAT(DISTINCT ?x; separator=', ') AS ?l) { GRAPH ?g { ?x ?y ?z } } GROUP BY ?g "
    "HAVING (COUNT(?x) > 1)",
    "SELECT * { { ?s ?p ?o } UNION { SELECT ?s { ?s ?p ?o } LIMIT 1 } FILTER(?s IN (<a:b>, <a:c>)) "
    "FILTER (?s NOT IN ()) }",
    "SELECT * { ?s ?p ?o FILTER(REGEX(STR(?o), '^a', 'i') && STRSTARTS(?o, 'x') && ?o = xsd:date('2025-01-01')) }",
    "SELECT * {?s?p?o.?s?p 1.}",
    "SELECT ?x {} VALUES ?x { 1 }",
    "SELECT * { ?s ?p ?o FILTER(?o<3) }",
    "SELECT (SUM(?x)/2*3-1 AS ?y) (COUNT(DISTINCT ?s) AS ?n) { ?s ?p ?x }",
    "SELECT (IF(?x, 1, 2) AS ?z) (RAND() AS ?r) (BNODE() AS ?b) (CONCAT('a', STR(?x)) AS ?c) { ?s ?p ?x }",
    "SELECT * { ?s ?p ?o . ?o ?p2 ?o2 } ORDER BY ?s ASC(?o)",
    "SELECT * WHERE { ?s ?p [] . () ?p ?o . [ ?p ?o ] }",
    'SELECT * { ?s ?p """a\n\'\' "" b""" . ?s ?p \'it\\\'s\'@en-GB . ?s ?p "1"^^xsd:integer }',
    "SELECT * { ?s <http://example.org/a#b> _:b1 . _:b1 ?p true }",
    "SELECT ?x { ?x ?p ?v } GROUP BY ?x (STR(?v) AS ?s) ORDER BY ?x",
    "PREFIX a: <http://x/b/> SELECT * { <http://x/c> a:d ?e }",
    "SELECT * { ?s ?p ?o } # SERVICE <http://x/> { }",
]
VALID_UPDATES = [
    "INSERT DATA { <a:b> <a:c> 'd' . GRAPH <g:1> { <a:b> <a:c> 1 } }",
    "DELETE WHERE { ?s ?p ?o }",
    "WITH <g:1> DELETE { ?s ?p ?o } INSERT { ?s ?p 2 } USING <g:2> WHERE { ?s ?p ?o }",
    "CLEAR SILENT ALL ; DROP SILENT GRAPH <g:1>;",
    "CREATE GRAPH <g:1>; ADD DEFAULT TO GRAPH <g:1>; MOVE <g:1> TO DEFAULT; COPY SILENT <a:1> TO <a:2>",
    "PREFIX x: <http://x/> DELETE DATA { x:a x:b x:c } ; INSERT DATA { x:a x:b x:c }",
]


@pytest.mark.parametrize("text", VALID_QUERIES)
def test_valid_queries_parse_here_and_in_the_store(text):
    parse_query(text)
    ox.Store().query(text, prefixes=PREFIXES)


@pytest.mark.parametrize("text", VALID_UPDATES)
def test_valid_updates_parse_here_and_in_the_store(text):
    assert parse_update(text).kind == "update"
    ox.Store().update(text)


def test_every_query_parley_ships_parses():
    for name, text in queries.EXAMPLE_QUERIES.items():
        assert parse_query(text).form in ("select", "ask", "construct", "describe"), name


@pytest.mark.parametrize(
    "text, message, line, column",
    [
        ("SELECT ?x WHERE {", "expected", 1, 18),
        ("SELECT * { ?s ?p ?o }\nLIMIT x", "expected a whole number, found 'x'", 2, 7),
        ("SELECT * { ?s ?p ?o . FOO }", "found 'FOO'", 1, 23),
        ("SELECT * { ?s ?p ?o } ยง", "unexpected character", 1, 23),
        ("SELECT * { ?s ?p 'open }", "unexpected character", 1, 18),
        ("PREFIX SERVICE: <urn:x:> SELECT * { SERVICE:x { ?s ?p ?o } }", "begin with the keyword SERVICE", 1, 8),
        ("PREFIX GRAPHg: <urn:x:> COPY <urn:x> TO GRAPHg:log", "begin with the keyword GRAPH", 1, 8),
        ("PREFIX e: <http://a:> SELECT * { ?s ?p e:string }", "'http://a:string' is not one", 1, 40),
        ("SELECT * { ?s ?p ?o } # \\uu000A", "is not SPARQL's", 1, 25),
        ("BASE <http://h#f> PREFIX ex: <> ASK { ?s ?p ex:SERVICE:z { } }", "no BASE", 1, 1),
        ("PREFIX ex: <> ASK { ?s ?p ex:a }", "valid absolute IRI", 1, 12),
        ("SELECT * { ?s ?p <relative> }", "valid absolute IRI", 1, 18),
        ("SELECT * { SERVICE:x { ?s ?p ?o } }", "SERVICE: is not declared", 1, 12),
        ("PREFIX e: <urn:x:> SELECT * { ?s ?p e:a.b.c }", "one dot at most", 1, 37),
        ("SELECT * { \\u0053ERVICE <http://x/> { } }", "unexpected character", 1, 12),
        ('SELECT * { ?s ?p "\\u0022" }', "stands for", 1, 19),
        ("INSERT DATA { <a:b> <a:c> <a:d> }", "expected 'SELECT'", 1, 1),
        ("SELECT * { VALUES (?a ?b) { (1) } }", "a row of 1 values for 2 variables", 1, 29),
    ],
)
def test_a_text_outside_the_grammar_is_refused_saying_where(text, message, line, column):
    with pytest.raises(SparqlSyntaxError, match=message) as refused:
        parse_query(text)
    assert (refused.value.line, refused.value.column) == (line, column)


def test_tokens_are_cut_by_the_longest_match():
    # '+1' after an operand is a signed number the grammar adds; '1.' ends a triple with its dot.
    parse_query("SELECT (?a +1 AS ?b) { ?s ?p 1. }")


@pytest.mark.parametrize(
    "text",
    [
        'SELECT * { ?s ?p "\\u0041\\U0001F600" }',
        "SELECT * { ?s <urn:x:\\u0041> ?o }",
        "SELECT * { ?s ?p ?o } # \\u0041",
    ],
)
def test_codepoint_escapes_are_read_inside_strings_and_iris(text):
    assert parse_query(text).reaches_out == ()
    ox.Store().query(text)


@pytest.mark.parametrize(
    "text",
    [
        # Decoded before parsing (the grammar), these end a string, a comment or an IRI early;
        # decoded inside their token (Oxigraph), they do not: one of the two would run the SERVICE.
        'SELECT * { OPTIONAL { ?s ?p "\\u0022" } SERVICE <http://127.0.0.1:9/> { } OPTIONAL { ?x ?y "\\u0022" } }',
        "SELECT * { ?s ?p ?o } #\\u000A SERVICE <http://127.0.0.1:9/> { }",
        "SELECT * { ?s ?p <urn:a\\u003E SERVICE <http://127.0.0.1:9/> { } <urn:b> }",
        "SELECT * { ?s ?p 'a\\u0027 } SERVICE <http://127.0.0.1:9/> { } { ?s ?p \\u0027' }",
    ],
)
def test_an_escape_engines_would_read_differently_is_refused(text):
    with pytest.raises(SparqlSyntaxError, match="stands for"):
        parse_query(text)


TEXTS_OF_SIZE = {
    "a run of name characters, scanned once": lambda size: "SELECT * { " + "ab-" * size + " }",
    "escapes, each placed without counting from the start": lambda size: (
        'SELECT * { ?s ?p "' + "\\u00e9" * size + '" }'
    ),
    "writes, each placed in the line starts": lambda size: "CLEAR GRAPH <urn:a> ;\n" * size + "CLEAR DEFAULT",
    "a long namespace, checked once a name": lambda size: (
        "PREFIX p: <http://x/" + "a" * 4000 + "> ASK { VALUES ?x { " + "p: p:b " * size + "} }"
    ),
}


@pytest.mark.parametrize("make", TEXTS_OF_SIZE.values(), ids=TEXTS_OF_SIZE.keys())
def test_the_work_grows_in_proportion_to_the_text(make):
    import time

    def cpu_seconds(text: str) -> float:
        # The process's own CPU time, best of three: what other processes on a busy machine take is not counted.
        spent = []
        for _ in range(3):
            started = time.process_time()
            with contextlib.suppress(SparqlSyntaxError):
                parse_update(text) if text.startswith("CLEAR") else parse_query(text)
            spent.append(time.process_time() - started)
        return min(spent)

    # Four times the text: linear work takes about 4x, quadratic 16x.
    timings = [cpu_seconds(make(size)) for size in (5_000, 20_000)]
    assert timings[1] < 10 * timings[0] + 0.5, timings


@pytest.mark.parametrize("escape", ["\\UFFFFFFFF", "\\U00110000", "\\uDC00"])
def test_an_escape_of_no_character_is_refused(escape):
    with pytest.raises(SparqlSyntaxError, match="not a Unicode character"):
        parse_query(f"SELECT * {{ ?s ?p '{escape}' }}")


@pytest.mark.parametrize(
    "opening, closing, inner",
    [
        ("{ ", "} ", ""),
        ("( ", ") ", "1"),
        ("[ <a:p> ", "] ", "<a:o>"),
    ],
)
def test_nesting_is_bounded(opening, closing, inner):
    def nested(depth: int) -> str:
        if opening == "{ ":
            return "SELECT * WHERE " + opening * depth + closing * depth
        if opening == "( ":
            return "SELECT * { FILTER " + opening * (depth - 1) + inner + closing * (depth - 1) + "}"
        return "SELECT * { ?s <a:p> " + opening * (depth - 1) + inner + " " + closing * (depth - 1) + "}"

    parse_query(nested(MAX_NESTING))
    with pytest.raises(SparqlSyntaxError, match=f"nest more than {MAX_NESTING}"):
        parse_query(nested(MAX_NESTING + 1))


def test_a_long_chain_of_operations_does_not_recurse():
    parse_update(" ; ".join(["INSERT DATA { <a:b> <a:c> 1 }"] * 5_000))
    parse_query(
        "SELECT * { " + " . ".join(["?s <a:p> ?o"] * 5_000) + " FILTER(" + " || ".join(["?o = 1"] * 5_000) + ") }"
    )


def test_load_and_service_are_found_with_their_place():
    update = (
        "INSERT DATA { <urn:a> <urn:b> 'LOAD' } ;\n  load <http://x/> ;\nINSERT { ?s ?p ?o } WHERE { service ?e { } }"
    )
    assert parse_update(update).reaches_out == (("LOAD", 2, 3), ("SERVICE", 3, 29))


FRAGMENTS = st.sampled_from(
    [
        "SELECT",
        "ASK",
        "*",
        "{",
        "}",
        "(",
        ")",
        "[",
        "]",
        "?s",
        "$o",
        "<http://x/>",
        ":p",
        "ex:a\\'",
        "'s'",
        '"""x"""',
        ".",
        ";",
        ",",
        "a",
        "SERVICE",
        "LOAD",
        "\\u0053",
        "#c\n",
        "1",
        "-2.5e3",
        "^^",
        "@en",
        "FILTER",
        "=",
        "||",
        "GRAPH",
        "INSERT",
        "DATA",
        "WHERE",
        "UNION",
        "|",
        "/",
        "^",
        "!",
        " ",
        "\n",
        "VALUES",
        "UNDEF",
        "_:b",
        "\\",
        '"',
        "'",
    ]
)


@settings(max_examples=600, derandomize=True, deadline=None)
@given(st.lists(FRAGMENTS, max_size=40).map(" ".join) | st.text(max_size=60))
def test_any_text_is_parsed_or_refused_with_a_syntax_error(text):
    for parse in (parse_query, parse_update):
        try:
            parse(text)
        except SparqlSyntaxError as error:
            assert error.line >= 1 and error.column >= 1
