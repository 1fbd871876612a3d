"""Sources that hold their text: every quote checked against it, placed in it, or the write refused."""

from __future__ import annotations

import hashlib
import re

import pyoxigraph as ox
import pytest

from graph.analysis.model import Source
from graph.analysis.read import read_evidence, read_negotiation, read_sources
from graph.errors import (
    DocumentSyntaxError,
    EmptyDocument,
    InvalidDocument,
    QuoteMiss,
    QuoteNotFound,
    SourceExists,
    TextConflict,
    TextMismatch,
    UnknownSource,
)
from graph.ingest.documents import add_source, source_document
from graph.ingest.load import load_documents, parse_document
from graph.ingest.texts import decode_text, passage_nodes, set_text, source_text
from graph.store.namespaces import REFERENCE_GRAPH, SEEDS_DIR, instance, source_graph
from graph.workspace import Workspace
from tests.conftest import snapshot
from tests.ingest.shacl_reference import pyshacl_results

SEED = "us-may-walk-away-2025-04-18"
ARTICLE_BYTES = (SEEDS_DIR / f"{SEED}.txt").read_bytes()
ARTICLE = ARTICLE_BYTES.decode("utf-8")
ARTICLE_SHA256 = "43083409fa0d66df1caedd9e008cc93465f435e7acb1efb5eb6a4759bcc941c3"  # seeds/sources.ttl declares it

PREFIXES = """
@prefix parley:   <https://w3id.org/parley#> .
@prefix prov:     <http://www.w3.org/ns/prov#> .
@prefix dcterms:  <http://purl.org/dc/terms/> .
@prefix xsd:      <http://www.w3.org/2001/XMLSchema#> .
@prefix oa:       <http://www.w3.org/ns/oa#> .
@prefix actor:    <https://w3id.org/parley/id/actor/> .
@prefix issue:    <https://w3id.org/parley/id/issue/> .
@prefix position: <https://w3id.org/parley/id/position/> .
@prefix evidence: <https://w3id.org/parley/id/evidence/> .
@prefix source:   <https://w3id.org/parley/id/source/> .
"""

PLACED = """
SELECT ?evidence ?exact ?prefix ?suffix ?start ?end ?source ?graph WHERE {
    GRAPH ?graph { ?evidence prov:wasQuotedFrom ?passage }
    ?passage a oa:SpecificResource ; oa:hasSource ?source ; oa:hasSelector ?quote, ?position .
    ?quote a oa:TextQuoteSelector ; oa:exact ?exact ; oa:prefix ?prefix ; oa:suffix ?suffix .
    ?position a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
}
"""


def placed(store, evidence: str) -> dict | None:
    """Where the store says a piece of evidence's quote stands: its selectors' values, or None."""
    rows = list(store.query(PLACED, {"evidence": instance("evidence", evidence)}))
    assert len(rows) <= 1
    if not rows:
        return None
    row = rows[0]
    values = {name: row[name].value for name in ("exact", "prefix", "suffix", "source", "graph")}
    return {**values, "start": int(row["start"].value), "end": int(row["end"].value)}


def position(slug: str, quote: str, source: str = SEED, extra: str = "") -> str:
    """A TriG document of one position of Russia's on the ceasefire, quoting ``quote`` from ``source``."""
    return (
        PREFIXES
        + f"""
<https://w3id.org/parley/graph/source/{source}> {{
    position:{slug} a parley:Position ; parley:holder actor:russia ; parley:issue issue:ceasefire ;
        parley:stance parley:Opposes ; prov:wasDerivedFrom evidence:{slug} .
    evidence:{slug} a parley:Evidence ; parley:quote "{quote}" ; parley:source source:{source} {extra} .
}}
"""
    )


def load(store, text: str, name: str = "note.trig"):
    return load_documents(store, [parse_document(text.encode(), name)])


#
# The seed graph.
#


def test_the_seed_source_holds_the_seed_article_with_its_declared_sha256(store):
    assert source_text(store, SEED) == ARTICLE
    assert hashlib.sha256(ARTICLE_BYTES).hexdigest() == ARTICLE_SHA256
    (record,) = read_sources(store)
    assert (record.id, record.sha256, record.has_text) == (SEED, ARTICLE_SHA256, True)
    # The text sits with the source's record, in the reference graph.
    text = ox.NamedNode("https://w3id.org/parley#text")
    graphs = {quad.graph_name for quad in store.descriptions([instance("source", SEED)]) if quad.predicate == text}
    assert graphs == {REFERENCE_GRAPH}


def test_all_eighteen_seed_quotes_are_verified_and_none_is_counted_unverified(store):
    negotiation = read_negotiation(store)
    evidence = {e for p in negotiation.positions.values() for e in read_evidence(store, p.id)}
    assert len({e.quote for e in evidence}) == 18 and all(e.verified for e in evidence)
    assert negotiation.unverified_positions() == set()
    graph = source_graph(SEED).value
    (counts,) = [s.counts for s in store.statistics() if s.graph == graph]
    assert (counts["evidence"], counts.get("unverified", 0)) == (18, 0)


def test_the_selectors_of_a_seed_quote_point_where_it_stands_in_the_text_file(store):
    """Peskov's second sentence, worked out by hand from the text file.

    Paragraphs 1 to 6 of the file are 201 + 441 + 274 + 243 + 267 + 257 = 1,683 characters with their
    line breaks. Paragraph 7 opens "Kremlin spokesman Dmitry Peskov responded that ... conflict. ": its
    second sentence starts at column 165 (counting from 0) and runs its last 95 characters, to the end
    of the line. So it starts at 1,683 + 165 = 1,848 and ends at 1,848 + 95 = 1,943, before the line break.
    """
    quote = "He said that Moscow remained open to dialogue with Washington but that contacts were difficult."
    assert placed(store, "peskov-dialogue") == {
        "exact": quote,
        "prefix": "riving to resolve the conflict. ",  # the 32 characters before it
        "suffix": "\nVice President JD Vance did add",  # the line break, then paragraph 8
        "start": 1848,
        "end": 1943,
        "source": instance("source", SEED).value,
        "graph": source_graph(SEED).value,
    }
    assert ARTICLE[1848:1943] == quote


def test_a_quote_typed_with_plain_marks_keeps_the_articles_own_in_its_selector(store):
    """The article writes “well, we're done” with typographic quotation marks; the seed's quote has plain ones."""
    where = placed(store, "trump-were-done")
    assert where is not None
    assert where["exact"].startswith("Mr Rubio said Mr Trump is prepared to just declare “well, we're done”")
    assert ARTICLE[where["start"] : where["end"]] == where["exact"]


def test_what_parley_writes_for_the_seed_conforms_to_the_shapes_for_pyshacl_too(store):
    """The passages and selectors Parley writes are held to the shapes that describe them, by the reference engine."""
    turtle_parts = []
    for graph in (REFERENCE_GRAPH, source_graph(SEED)):
        turtle_parts.append(store.dump(ox.RdfFormat.TURTLE, graph).decode())
    data = "\n".join(turtle_parts)
    assert "TextPositionSelector" in data
    issues = (SEEDS_DIR.parent / "ontology" / "issues.ttl").read_text(encoding="utf-8")
    assert pyshacl_results(data + "\n" + issues) == set()


#
# Writes of evidence from a source that holds its text.
#


def test_a_made_up_quote_from_the_seed_source_is_refused_naming_it_and_the_closest_passage(store):
    before = snapshot(store)
    with pytest.raises(QuoteNotFound) as refused:
        load(store, position("russia-no-dialogue", "Moscow has rejected any dialogue with Washington."))
    assert refused.value.misses == [
        QuoteMiss(
            "evidence:russia-no-dialogue",
            SEED,
            "Moscow has rejected any dialogue with Washington.",
            "that Moscow remained open to dialogue with Washington",
        )
    ]
    assert str(refused.value).startswith(
        "note.trig: 1 quote is not in its source's text\n  - evidence:russia-no-dialogue"
    )
    assert snapshot(store) == before


def test_one_quote_not_found_refuses_the_whole_batch(store):
    good = parse_document(position("russia-dialogue", "contacts were difficult").encode(), "good.trig")
    bad = parse_document(position("russia-no", "contacts were impossible").encode(), "bad.trig")
    before = snapshot(store)
    with pytest.raises(QuoteNotFound) as refused:
        load_documents(store, [good, bad])
    assert refused.value.document == "bad.trig" and [m.evidence for m in refused.value.misses] == ["evidence:russia-no"]
    assert snapshot(store) == before


def test_a_quote_found_is_written_with_where_it_stands(store):
    report = load(store, position("russia-dialogue", "contacts were difficult"))
    assert report.loaded[0].verified == 1 and report.loaded[0].quotes == 1
    where = placed(store, "russia-dialogue")
    assert where is not None and (where["start"], where["end"]) == (1943 - 24, 1943 - 1)  # ends before the full stop
    assert where["exact"] == "contacts were difficult" and where["graph"] == source_graph(SEED).value


def test_the_shapes_problems_are_said_before_a_missing_quote(store):
    invalid = position("russia-nowhere", "Not in the article.").replace("parley:stance parley:Opposes ;", "")
    with pytest.raises(InvalidDocument):
        load(store, invalid)


def test_a_documents_own_selectors_are_replaced_by_parleys(store):
    lying = """; prov:wasQuotedFrom evidence:russia-dialogue-passage .
    evidence:russia-dialogue-passage a oa:SpecificResource ; oa:hasSource source:us-may-walk-away-2025-04-18 ;
        oa:hasSelector evidence:russia-dialogue-at .
    evidence:russia-dialogue-at a oa:TextPositionSelector ; oa:start 0 ; oa:end 5"""
    load(store, position("russia-dialogue", "contacts were difficult", extra=lying))
    assert placed(store, "russia-dialogue")["start"] == 1919
    dropped = ox.NamedNode("https://w3id.org/parley/id/evidence/russia-dialogue-at")
    assert store.descriptions([dropped]) == []


def test_evidence_from_a_source_without_text_is_loaded_unverified(store):
    document = position("russia-briefing", "Nothing is agreed.", source="kremlin-briefing")
    record = PREFIXES + 'source:kremlin-briefing a parley:Source ; dcterms:title "Kremlin briefing" .'
    report = load_documents(
        store, [parse_document(record.encode(), "record.ttl"), parse_document(document.encode(), "b.trig")]
    )
    assert [(d.quotes, d.verified) for d in report.loaded] == [(0, 0), (1, 0)]
    assert placed(store, "russia-briefing") is None
    assert [e.verified for e in read_evidence(store, "russia-briefing")] == [False]
    assert read_negotiation(store).unverified_positions() == {"russia-briefing"}


def test_a_later_document_cannot_make_stored_evidence_verified(store):
    """Where evidence's quote stands is Parley's to say, for evidence loaded before as for a document's own."""
    document = position("russia-briefing", "Nothing is agreed.", source="kremlin-briefing")
    record = PREFIXES + 'source:kremlin-briefing a parley:Source ; dcterms:title "Kremlin briefing" .'
    load_documents(store, [parse_document(record.encode(), "record.ttl"), parse_document(document.encode(), "b.trig")])
    forged = PREFIXES + (
        "<https://w3id.org/parley/graph/source/kremlin-briefing> {\n"
        "    evidence:russia-briefing prov:wasQuotedFrom evidence:russia-briefing-passage .\n"
        "    evidence:russia-briefing-passage a oa:SpecificResource ; oa:hasSource source:kremlin-briefing ;\n"
        "        oa:hasSelector evidence:russia-briefing-at .\n"
        "    evidence:russia-briefing-at a oa:TextPositionSelector ; oa:start 0 ; oa:end 18 .\n"
        "}\n"
    )
    load(store, forged, "forged.trig")
    assert [e.verified for e in read_evidence(store, "russia-briefing")] == [False]
    assert store.descriptions([instance("evidence", "russia-briefing-at")]) == []
    (graph,) = [g for g in store.statistics() if g.graph.endswith("/kremlin-briefing")]
    assert graph.counts["unverified"] == 1


#
# Documents that carry a source's text.
#


def carrying(text: str, quote: str, sha256: str | None = None) -> str:
    """A document of a new source with its text and one position quoting it."""
    declared = f'; parley:sha256 "{sha256}"' if sha256 else ""
    return position("turkey-talks", quote, source="istanbul-talks") + (
        f'source:istanbul-talks a parley:Source ; dcterms:title "Istanbul talks" ; parley:text """{text}""" {declared} .\n'
    )


ISTANBUL = (
    "The delegations met for two hours.\nRussia\u2019s side said a ceasefire \u2013 for now \u2013 was off the table."
)


def test_a_document_that_carries_its_sources_text_is_checked_against_it(store):
    report = load(store, carrying(ISTANBUL, "Russia's side said a ceasefire - for now - was off the table."), "i.trig")
    assert report.loaded[0].verified == 1
    assert source_text(store, "istanbul-talks") == ISTANBUL
    (record,) = [s for s in read_sources(store) if s.id == "istanbul-talks"]
    assert record.sha256 == hashlib.sha256(ISTANBUL.encode()).hexdigest() and record.has_text
    where = placed(store, "turkey-talks")
    # Line 1 is 34 characters and a line break; line 2, the quote in the text's own marks, 61 to the end.
    assert (where["start"], where["end"]) == (35, 96) and len(ISTANBUL) == 96
    assert where["exact"] == "Russia\u2019s side said a ceasefire \u2013 for now \u2013 was off the table."
    assert (where["prefix"], where["suffix"]) == (" delegations met for two hours.\n", "")


def test_a_passage_across_a_line_break_with_marks_and_a_backslash_is_stored_as_the_text_has_it(store):
    """What N-Quads must escape in a passage (a line break, a quotation mark, a backslash) comes back as it was."""
    text = 'Minutes.\nHe said "we will\r\nnot sign" \\ today.'
    turtle_text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r").replace("\n", "\\n")
    document = position("turkey-talks", 'said \\"we will not sign\\" \\\\ today', source="istanbul-talks") + (
        f'source:istanbul-talks a parley:Source ; dcterms:title "Minutes" ; parley:text "{turtle_text}" .\n'
    )
    load(store, document, "m.trig")
    assert source_text(store, "istanbul-talks") == text
    where = placed(store, "turkey-talks")
    assert where["exact"] == 'said "we will\r\nnot sign" \\ today' == text[where["start"] : where["end"]]
    assert (where["prefix"], where["suffix"]) == ("Minutes.\nHe ", ".")


def test_a_document_whose_quote_is_not_in_the_text_it_carries_is_refused(store):
    before = snapshot(store)
    with pytest.raises(QuoteNotFound) as refused:
        load(store, carrying(ISTANBUL, "Russia's side said a ceasefire was on the table."), "i.trig")
    assert [(m.evidence, m.source) for m in refused.value.misses] == [("evidence:turkey-talks", "istanbul-talks")]
    assert snapshot(store) == before


def test_a_text_whose_sha256_is_not_the_declared_one_is_refused(store):
    wrong = "0" * 64
    before = snapshot(store)
    with pytest.raises(TextMismatch) as refused:
        load(store, carrying(ISTANBUL, "for now", sha256=wrong), "i.trig")
    assert (refused.value.declared, refused.value.computed) == (wrong, hashlib.sha256(ISTANBUL.encode()).hexdigest())
    assert "declares 0000" in str(refused.value)
    assert snapshot(store) == before


def test_a_text_that_matches_the_declared_sha256_is_taken(store):
    load(store, carrying(ISTANBUL, "for now", sha256=hashlib.sha256(ISTANBUL.encode()).hexdigest()), "i.trig")
    assert source_text(store, "istanbul-talks") == ISTANBUL


def test_a_document_may_not_change_the_text_a_source_holds(store):
    before = snapshot(store)
    changed = PREFIXES + f'source:{SEED} parley:text "Another text." .'
    with pytest.raises(TextConflict) as refused:
        load(store, changed, "change.ttl")
    assert f"POST /sources/{SEED}/text" in str(refused.value)
    assert snapshot(store) == before


def test_a_document_may_give_the_same_text_again(store):
    text = ARTICLE.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    load(store, PREFIXES + f'source:{SEED} parley:text "{text}" .', "same.ttl")
    assert source_text(store, SEED) == ARTICLE


#
# A text given to a source, or replaced.
#


def test_replacing_a_text_that_lacks_stored_quotes_is_refused_naming_them(store):
    """Without paragraph 7, both of Peskov's sentences are gone, and nothing else."""
    paragraphs = ARTICLE.split("\n")
    shorter = "\n".join(paragraphs[:6] + paragraphs[7:])
    before = snapshot(store)
    with pytest.raises(QuoteNotFound) as refused:
        set_text(store, SEED, shorter)
    assert [miss.evidence for miss in refused.value.misses] == ["evidence:peskov-dialogue", "evidence:peskov-progress"]
    assert str(refused.value).startswith(
        f"text of source {SEED}: the text that would replace that of source {SEED} lacks 2 quotes"
    )
    assert snapshot(store) == before


def test_replacing_a_text_that_keeps_every_quote_places_them_anew(store):
    longer = "Preface.\n" + ARTICLE
    report = set_text(store, SEED, longer)
    assert (report.verified, report.replaced, report.changed) == (18, True, True)
    assert report.sha256 == hashlib.sha256(longer.encode()).hexdigest() == read_sources(store)[0].sha256
    assert placed(store, "peskov-dialogue")["start"] == 1848 + 9
    assert source_text(store, SEED) == longer


def test_giving_the_text_a_source_holds_writes_nothing(store):
    before = snapshot(store)
    report = set_text(store, SEED, ARTICLE)
    assert (report.changed, report.replaced, report.verified, report.version) == (False, False, 18, None)
    assert snapshot(store) == before


def test_a_text_given_to_a_source_verifies_the_quotes_already_taken_from_it(store):
    record = PREFIXES + 'source:kremlin-briefing a parley:Source ; dcterms:title "Kremlin briefing" .'
    document = position("russia-briefing", "Nothing is agreed.", source="kremlin-briefing")
    load_documents(store, [parse_document(record.encode(), "r.ttl"), parse_document(document.encode(), "b.trig")])
    with pytest.raises(QuoteNotFound):
        set_text(store, "kremlin-briefing", "Everything is agreed.")
    report = set_text(store, "kremlin-briefing", "Peskov: Nothing is agreed.")
    assert (report.verified, report.replaced, report.changed) == (1, False, True)
    assert placed(store, "russia-briefing")["start"] == 8
    assert [e.verified for e in read_evidence(store, "russia-briefing")] == [True]


def test_a_text_must_match_the_sha256_a_source_declares_before_it_holds_one(store):
    declared = hashlib.sha256(b"The right text.").hexdigest()
    record = PREFIXES + f'source:archived a parley:Source ; dcterms:title "Archived" ; parley:sha256 "{declared}" .'
    load(store, record, "archived.ttl")
    with pytest.raises(TextMismatch):
        set_text(store, "archived", "The wrong text.")
    assert set_text(store, "archived", "The right text.").sha256 == declared


def test_a_text_for_an_unknown_source_names_the_nearest(store):
    with pytest.raises(UnknownSource) as refused:
        set_text(store, "us-may-walk-away", "text")
    assert refused.value.nearest == [SEED]


@pytest.mark.parametrize(
    ("content", "error", "message"),
    [
        (b"", EmptyDocument, "the text is empty"),
        (b"  \n", EmptyDocument, "the text is empty"),
        (b"line one\nline\x00two", DocumentSyntaxError, "line 2, column 5: binary data"),
        (b"caf\xe9", DocumentSyntaxError, "line 1, column 4: not UTF-8 text (byte 0xe9)"),
    ],
)
def test_what_is_not_a_text_is_refused(content, error, message):
    with pytest.raises(error, match=re.escape(message)):
        decode_text(content, "report.txt")


def test_a_text_keeps_its_line_endings_so_its_sha256_is_the_files():
    content = b"one\r\ntwo\r\n"
    assert hashlib.sha256(decode_text(content, "t.txt").encode()).digest() == hashlib.sha256(content).digest()


#
# New sources with their text, and deletions.
#


def test_a_new_source_is_recorded_with_its_text_and_its_sha256(store):
    record = Source("istanbul-talks", "Istanbul talks", "2025-05-16", "Example Wire", "https://example.org/t")
    document = source_document(record, ISTANBUL)
    add_source(store, document, "istanbul-talks")
    (record,) = [s for s in read_sources(store) if s.id == "istanbul-talks"]
    assert (record.title, record.issued, record.publisher, record.url) == (
        "Istanbul talks",
        "2025-05-16",
        "Example Wire",
        "https://example.org/t",
    )
    assert record.sha256 == hashlib.sha256(ISTANBUL.encode()).hexdigest()
    assert {quad.graph_name for quad in store.descriptions([instance("source", "istanbul-talks")])} == {REFERENCE_GRAPH}
    load(store, position("turkey-talks", "was off the table", source="istanbul-talks"))
    assert placed(store, "turkey-talks")["end"] == len(ISTANBUL) - 1


def test_a_new_source_may_not_take_the_slug_of_one_that_exists(store):
    before = snapshot(store)
    with pytest.raises(SourceExists):
        add_source(store, source_document(Source(SEED, "t", "2025-04-18"), "x"), SEED)
    assert snapshot(store) == before


def test_deleting_a_position_deletes_where_its_quote_stands(store):
    load(store, position("russia-dialogue", "contacts were difficult"))
    workspace = Workspace(store)
    workspace.delete_position("russia-dialogue")
    evidence = ox.NamedNode("https://w3id.org/parley/id/evidence/russia-dialogue")
    assert store.descriptions(passage_nodes(evidence)) == []
