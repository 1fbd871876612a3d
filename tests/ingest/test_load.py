"""Loading documents: formats, graphs, batches, and bad input that must change nothing."""

from __future__ import annotations

import hashlib
import json
import re

import pyoxigraph as ox
import pytest

from graph import errors
from graph.ingest.load import load_documents, load_files, parse_document
from graph.store.namespaces import ID, REFERENCE_GRAPH, source_graph
from tests.conftest import snapshot
from tests.ingest.documents import document

POSITION_IRI = ox.NamedNode("https://w3id.org/parley/id/position/test-france-ceasefire")
HEADER = """@prefix parley: <https://w3id.org/parley#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix actor: <https://w3id.org/parley/id/actor/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
"""


def holds(store, subject: ox.NamedNode) -> bool:
    return bool(store.query("ASK { ?subject ?p ?o }", {"subject": subject}))


def test_a_valid_document_is_loaded_into_its_own_graph(store, data):
    report = load_files(store, [data / "valid-position.ttl"])
    # The source it describes is shared by every document: Parley placed its record in the reference graph.
    assert [document.graphs for document in report.loaded] == [
        [REFERENCE_GRAPH.value, source_graph("valid-position").value]
    ]
    source = ox.NamedNode("https://w3id.org/parley/id/source/test-communique")
    assert {quad.graph_name for quad in store.descriptions({source})} == {REFERENCE_GRAPH}
    # The parsed quads are let go once written; what the report says stays.
    in_its_graph = store.query(
        "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": source_graph("valid-position")}
    )
    # The report counts the document's own quads; the store holds them and the supertypes that follow from
    # them (the evidence's and the source's prov:Entity, each beside its type).
    written = len(list(in_its_graph)) + len(store.descriptions({source}))
    assert report.loaded[0].dataset is None and report.quads == written - 2
    assert holds(store, POSITION_IRI)
    in_graph = store.query(
        "SELECT ?position ?graph WHERE { GRAPH ?graph { ?position a parley:Position } }", {"position": POSITION_IRI}
    )
    assert [row["graph"] for row in in_graph] == [source_graph("valid-position")]


def test_the_same_document_is_not_loaded_twice(store, data):
    load_files(store, [data / "valid-position.ttl"])
    before = snapshot(store)
    report = load_files(store, [data / "valid-position.ttl"])
    assert report.loaded == [] and len(report.skipped) == 1
    assert snapshot(store) == before


def test_a_batch_is_all_or_nothing(store, data, tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text(HEADER + "actor:x a parley:State .\n")  # no label
    before = snapshot(store)
    with pytest.raises(errors.InvalidDocument) as raised:
        load_files(store, [data / "valid-position.ttl", broken])
    assert raised.value.document.endswith("broken.ttl")
    assert snapshot(store) == before


def test_documents_of_a_batch_may_refer_to_each_other(store, tmp_path):
    actor = tmp_path / "actor.ttl"
    actor.write_text(HEADER + 'actor:moldova a parley:State ; rdfs:label "Moldova" .\n')
    uses = tmp_path / "uses.ttl"
    uses.write_text(
        HEADER
        + 'actor:transnistria a parley:Organization ; rdfs:label "Transnistria" ; parley:memberOf actor:moldova .\n'
    )
    report = load_files(store, [uses, actor])
    assert len(report.loaded) == 2


def test_an_unknown_actor_is_named_with_the_nearest_known_ones(store, tmp_path):
    document = tmp_path / "typo.ttl"
    document.write_text(HEADER + 'actor:x a parley:Person ; rdfs:label "X" ; parley:speaksFor actor:rusia .\n')
    with pytest.raises(
        errors.InvalidDocument, match=r"actor:rusia is not a known parley:Actor; did you mean actor:russia"
    ):
        load_files(store, [document])


def test_trig_triples_outside_a_graph_go_to_the_documents_graph(store):
    trig = (
        HEADER + 'actor:a a parley:State ; rdfs:label "A" .\n'
        '<https://w3id.org/parley/graph/source/other> { actor:b a parley:State ; rdfs:label "B" . }\n'
    )
    document = parse_document(trig.encode(), "mixed.trig")
    assert document.graphs == [source_graph("mixed").value, source_graph("other").value]
    assert not list(document.dataset.quads_for_pattern(None, None, None, ox.DefaultGraph()))


@pytest.mark.parametrize(
    "graph",
    [
        "https://w3id.org/parley/graph/ontology",
        "https://w3id.org/parley/graph/log",
        "https://w3id.org/parley/graph/derived",
        "https://w3id.org/parley/graph/reference",
        "https://w3id.org/parley/graph/source/Not_A_Slug",
        "http://example.org/elsewhere",
    ],
)
def test_a_document_naming_any_graph_but_a_source_graph_is_refused(store, graph):
    before = snapshot(store)
    trig = HEADER + f'<{graph}> {{ actor:b a parley:State ; rdfs:label "B" . }}\n'
    with pytest.raises(errors.ForbiddenGraph, match=re.escape(f"<{graph}>")):
        load_documents(store, [parse_document(trig.encode(), "forged.trig")])
    with pytest.raises(errors.ForbiddenGraph):
        parse_document(b"<urn:a> <urn:b> <urn:c> .", "plain.ttl", default_graph=ox.NamedNode(graph))
    assert snapshot(store) == before


def test_a_forged_load_record_cannot_make_a_later_upload_skipped(store, data):
    content = (data / "valid-position.ttl").read_bytes()
    digest = hashlib.sha256(content).hexdigest()
    forged = (
        f"<https://w3id.org/parley/graph/log> {{ <https://w3id.org/parley/id/load/{digest}> "
        f'a <https://w3id.org/parley#Load> ; <https://w3id.org/parley#sha256> "{digest}" . }}\n'
    )
    with pytest.raises(errors.ForbiddenGraph):
        parse_document(forged.encode(), "forged.trig")
    assert load_files(store, [data / "valid-position.ttl"]).loaded, "the real document is written"


@pytest.mark.parametrize("subject", ["actor/russia", "issue/ceasefire"])
def test_what_a_document_says_of_known_actors_goes_to_the_reference_graph(store, subject):
    """The document does not say what the subject is; the store does (the seed describes both in English)."""
    trig = HEADER + f'<{ID}{subject}> skos:altLabel "новое имя"@ru .\n'
    load_documents(store, [parse_document(trig.encode(), "aliases.ttl")])
    (quad,) = [
        quad
        for quad in store.descriptions({ox.NamedNode(ID + subject)})
        if quad.object == ox.Literal("новое имя", language="ru")
    ]
    assert quad.graph_name == REFERENCE_GRAPH


def test_relative_iris_resolve_under_the_instance_namespace():
    document = parse_document(b"<actor/a> <https://w3id.org/parley#memberOf> <actor/b> .", "relative.ttl")
    (quad,) = list(document.dataset)
    assert quad.subject.value == "https://w3id.org/parley/id/actor/a"


def test_json_ld_with_an_inline_context_loads(store):
    body = {
        "@context": {"parley": "https://w3id.org/parley#", "label": "http://www.w3.org/2000/01/rdf-schema#label"},
        "@id": "https://w3id.org/parley/id/actor/moldova",
        "@type": "parley:State",
        "label": "Moldova",
    }
    load_documents(store, [parse_document(json.dumps(body).encode(), "moldova.jsonld")])
    assert store.is_instance(ox.NamedNode(body["@id"]), ox.NamedNode("https://w3id.org/parley#Actor"))


@pytest.mark.parametrize(
    ("name", "content", "error", "message"),
    [
        ("empty.ttl", b"", errors.EmptyDocument, "empty"),
        ("blank.ttl", b"  \n\t\n", errors.EmptyDocument, "empty"),
        ("comments.ttl", b"# nothing here\n@prefix ex: <http://example.org/> .\n", errors.EmptyDocument, "no triples"),
        ("binary.ttl", b"\x7fELF\x02\x01\x01\x00\x00\x00", errors.DocumentSyntaxError, "binary data"),
        ("latin1.ttl", '<urn:a> <urn:b> "café" .'.encode("latin-1"), errors.DocumentSyntaxError, "not UTF-8"),
        (
            "broken.ttl",
            b'@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\n',
            errors.DocumentSyntaxError,
            "line 3",
        ),
        ("data.xyz", b"<urn:a> <urn:b> <urn:c> .", errors.UnsupportedFormat, "cannot tell the format"),
        ("data.rdf", b"<rdf:RDF/>", errors.UnsupportedFormat, "RDF/XML is not accepted"),
        ("remote.jsonld", b'{"@context": "https://schema.org/", "@id": "urn:a"}', errors.UnsafeDocument, "schema.org"),
        (
            "listed.jsonld",
            b'{"@context": [{"a": "urn:a"}, "file:///etc/passwd"], "@id": "urn:a"}',
            errors.UnsafeDocument,
            "file:///etc/passwd",
        ),
        (
            "nested.jsonld",
            b'{"@graph": [{"@context": "http://127.0.0.1:9/c", "@id": "urn:a"}]}',
            errors.UnsafeDocument,
            "127.0.0.1",
        ),
        ("bad.jsonld", b'{"@id": ', errors.DocumentSyntaxError, "invalid JSON"),
        (
            "twice.jsonld",
            b'{"@context": {"a": "urn:a"}, "@id": "urn:a", "@context": "http://127.0.0.1:9/c"}',
            errors.DocumentSyntaxError,
            "'@context' appears twice",
        ),
        (
            "deep.jsonld",
            b'{"@id": "urn:a", "urn:p": ' + b"[" * 1000 + b"1" + b"]" * 1000 + b"}",
            errors.DocumentSyntaxError,
            "nests more than 100 deep",
        ),
        (
            "deeper.jsonld",
            b'{"@id": "urn:a", "urn:p": ' + b"[" * 100_000 + b"1" + b"]" * 100_000 + b"}",
            errors.DocumentSyntaxError,
            "nests more than 100 deep",
        ),
        (
            "bad-base.jsonld",
            b'{"@id": "urn:a", "@graph": {"@id": "urn:b", "urn:p": 1}, "@context": {"@base": 7}}',
            errors.DocumentSyntaxError,
            "bad-base.jsonld",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_error_and_changes_nothing(store, tmp_path, name, content, error, message):
    path = tmp_path / name
    path.write_bytes(content)
    before = snapshot(store)
    with pytest.raises(error, match=message) as raised:
        load_files(store, [path])
    assert name in str(raised.value)
    assert snapshot(store) == before


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"prov__wasDerivedFrom": None}, "at least one piece of evidence"),
        ({"parley__minValue": "10"}, "never both"),
        ({"parley__salience": "1.5"}, "from 0 to 1"),
        ({"parley__stanse": "parley:Opposes"}, "did you mean parley:stance"),
        ({"parley__holder": "issue:territory"}, "it is an actor"),
    ],
    ids=["no evidence", "stance and range", "salience 1.5", "unknown property", "holder not an actor"],
)
def test_each_crafted_invalid_position_is_rejected_and_changes_nothing(store, tmp_path, changes, problem):
    path = tmp_path / "crafted.ttl"
    path.write_text(document(**changes))
    before = snapshot(store)
    with pytest.raises(errors.InvalidDocument, match=problem):
        load_files(store, [path])
    assert snapshot(store) == before


def test_a_missing_file_is_named(store, tmp_path):
    with pytest.raises(errors.UnreadableDocument, match="missing.ttl: cannot read the file"):
        load_files(store, [tmp_path / "missing.ttl"])


def test_a_named_format_overrides_the_extension(store, tmp_path):
    path = tmp_path / "actor.txt"
    path.write_text(HEADER + 'actor:moldova a parley:State ; rdfs:label "Moldova" .\n')
    assert len(load_files(store, [path], format="turtle").loaded) == 1
    with pytest.raises(errors.UnsupportedFormat, match="unknown format 'yaml'"):
        load_files(store, [path], format="yaml")


FIFTY_MEGABYTES = 50 * 1024 * 1024


def repeated(line: bytes, size: int = FIFTY_MEGABYTES) -> bytes:
    return line * (size // len(line) + 1)


def test_fifty_megabytes_of_one_invalid_triple_give_one_clear_error(store, tmp_path):
    path = tmp_path / "repeated.nt"
    path.write_bytes(
        repeated(
            b"<https://w3id.org/parley/id/actor/x> <https://w3id.org/parley#stanse> <https://w3id.org/parley#Supports> .\n"
        )
    )
    before = snapshot(store)
    with pytest.raises(errors.InvalidDocument) as raised:
        load_files(store, [path])
    assert [v.value for v in raised.value.violations] == ["parley:stanse"]
    assert snapshot(store) == before


def test_fifty_megabytes_of_repeated_triples_with_an_error_at_the_end_change_nothing(store, tmp_path):
    line = b'<https://w3id.org/parley/id/actor/x> <http://example.org/note> "a repeated note" .\n'
    content = repeated(line)
    path = tmp_path / "repeated.nt"
    path.write_bytes(content + b"<urn:broken> <urn:p> .\n")
    before = snapshot(store)
    with pytest.raises(errors.DocumentSyntaxError) as raised:
        load_files(store, [path])
    assert raised.value.line == content.count(b"\n") + 1
    assert snapshot(store) == before


def test_fifty_megabytes_of_repeated_valid_triples_load_as_one(store, tmp_path):
    path = tmp_path / "repeated.nt"
    path.write_bytes(repeated(b'<https://w3id.org/parley/id/actor/x> <http://example.org/note> "a repeated note" .\n'))
    report = load_files(store, [path])
    assert report.quads == 1


def test_what_a_document_adds_to_a_stored_node_is_validated_with_it(store, tmp_path):
    document = tmp_path / "adds.ttl"
    document.write_text(HEADER + 'actor:russia parley:speaksFor actor:nobody ; parley:speaksFor "the US" .\n')
    before = snapshot(store)
    with pytest.raises(errors.InvalidDocument) as raised:
        load_files(store, [document])
    assert {(v.focus, v.value) for v in raised.value.violations} == {
        ("actor:russia", "actor:nobody"),
        ("actor:russia", "'the US'"),
    }
    assert snapshot(store) == before


def test_a_second_holder_for_a_stored_position_is_refused(store, tmp_path):
    document = tmp_path / "second-holder.ttl"
    document.write_text(
        HEADER + "<https://w3id.org/parley/id/position/putin-territory> parley:holder actor:ukraine .\n"
    )
    with pytest.raises(errors.InvalidDocument, match="exactly one holder"):
        load_files(store, [document])


def test_a_document_may_add_a_valid_statement_about_a_stored_actor(store, tmp_path):
    document = tmp_path / "adds.ttl"
    document.write_text(HEADER + "actor:uk parley:hasLeverageOver actor:russia .\n")
    assert len(load_files(store, [document]).loaded) == 1


EARLIER_SOURCE = """@prefix parley: <https://w3id.org/parley#> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix source: <https://w3id.org/parley/id/source/> .
source:earlier a parley:Source ; dcterms:title "An earlier report" ; dcterms:issued "2025-05-01"^^xsd:date .
"""
LARGE_LOAD = """@prefix parley: <https://w3id.org/parley#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix actor: <https://w3id.org/parley/id/actor/> .
@prefix issue: <https://w3id.org/parley/id/issue/> . @prefix position: <https://w3id.org/parley/id/position/> .
@prefix evidence: <https://w3id.org/parley/id/evidence/> . @prefix source: <https://w3id.org/parley/id/source/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
actor:new-state a parley:State ; rdfs:label "New state" .
actor:new-envoy a parley:Person ; rdfs:label "New envoy" ; parley:speaksFor actor:new-state .
issue:new-issue a parley:Issue ; skos:prefLabel "New issue" ; skos:broader issue:ceasefire .
source:memory-test a parley:Source ; dcterms:title "A memory test" ; dcterms:issued "2025-05-03"^^xsd:date .
position:m1 a parley:Demand ;
    parley:holder actor:new-envoy ; parley:issue issue:new-issue ; parley:stance parley:Supports ;
    parley:salience 0.7 ; parley:validFrom "2025-05"^^xsd:gYearMonth ; parley:addressee actor:russia ;
    prov:wasDerivedFrom evidence:m1 .
evidence:m1 a parley:Evidence ; parley:quote "Said earlier." ; parley:source source:earlier .
position:m2 a parley:Position ;
    parley:holder actor:new-state ; parley:issue issue:ceasefire ; parley:stance parley:Opposes ;
    parley:salience 0.4 ; parley:redLine true ; parley:rejects position:m1 ;
    parley:condition [ a parley:Condition ; parley:issue issue:new-issue ; parley:stance parley:Supports ;
                       parley:addressee actor:ukraine ] ;
    prov:wasDerivedFrom evidence:m2 .
evidence:m2 a parley:Evidence ; parley:quote "Said later." ; parley:source source:memory-test ;
    parley:statedOn "2025-05-04"^^xsd:date .
"""
# A second document of the same load: a subclass-typed actor and a position whose evidence is a blank node.
LARGE_LOAD_TOO = """@prefix parley: <https://w3id.org/parley#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix actor: <https://w3id.org/parley/id/actor/> .
@prefix issue: <https://w3id.org/parley/id/issue/> . @prefix position: <https://w3id.org/parley/id/position/> .
@prefix source: <https://w3id.org/parley/id/source/> .
actor:other-state a parley:State ; rdfs:label "Other state" .
position:m3 a parley:Offer ;
    parley:holder actor:other-state ; parley:issue issue:new-issue ; parley:stance parley:Neutral ;
    parley:salience 0.2 ; prov:wasDerivedFrom [ a parley:Evidence ; parley:quote "Said aside." ; parley:source source:earlier ] .
"""


def test_a_large_load_reads_the_index_after_it_in_memory_as_the_store_holds_it(store, monkeypatch):
    """What the load read in memory (the documents as written, beside a copy of the store before) is what
    the store gives: subclass-typed positions, a source's date the store holds, new actors, issues and conditions."""
    import graph.ingest.load
    from graph.analysis.read import read_negotiation

    load_documents(store, [parse_document(EARLIER_SOURCE.encode(), "earlier.ttl")])
    monkeypatch.setattr(graph.ingest.load, "BULK_WRITE_QUADS", 10)
    monkeypatch.setattr(graph.ingest.load, "COPIED_POSITIONS", 100.0)
    copies = []
    as_written = graph.ingest.load._as_written

    def noting(*given):
        copies.append(as_written(*given))
        return copies[-1]

    monkeypatch.setattr(graph.ingest.load, "_as_written", noting)
    documents = [
        parse_document(LARGE_LOAD.encode(), "memory-test.ttl"),
        parse_document(LARGE_LOAD_TOO.encode(), "memory-test-too.ttl"),
    ]
    report = load_documents(store, documents)
    index = report.negotiation
    assert len(copies) == (0 if store.shared else 1), "the index was read in memory (a server's is read from it)"
    from_store = read_negotiation(store)
    assert index == from_store and index.left_out == from_store.left_out
    demand, conditional = index.positions["m1"], index.positions["m2"]
    assert demand.kind == "demand" and demand.first_stated == "2025-05-01", "a supertype and a stored source's date"
    assert conditional.conditions and index.actors["new-envoy"].speaks_for == ("new-state",)
    assert index.evidence_of(conditional)[0].quote == "Said later.", "the evidence is fetched from the store"
    assert index.positions["m3"].first_stated == "2025-05-01", "through the blank-node evidence"
    for as_written in copies:  # the blank node is the same one in its document's quads and in its supertypes
        assert as_written.query("ASK { ?e a parley:Evidence , prov:Entity ; parley:quote 'Said aside.' }")
    # What the report says of each document is what it held, not what the index was read from.
    assert [(d.graphs, d.quotes) for d in report.loaded] == [
        ([REFERENCE_GRAPH.value, source_graph("memory-test").value], 2),
        ([REFERENCE_GRAPH.value, source_graph("memory-test-too").value], 1),
    ]


def test_a_large_load_into_a_store_of_many_positions_reads_the_index_from_the_store(store, monkeypatch):
    import graph.ingest.load

    monkeypatch.setattr(graph.ingest.load, "BULK_WRITE_QUADS", 10)
    copies = []
    monkeypatch.setattr(graph.ingest.load, "_as_written", lambda *given: copies.append(given))
    load_documents(store, [parse_document(EARLIER_SOURCE.encode(), "earlier.ttl")])
    report = load_documents(store, [parse_document(LARGE_LOAD.encode(), "memory-test.ttl")])
    assert copies == [], "the seed graph's 26 positions are more than a quarter of the load's two"
    assert set(report.negotiation.positions) >= {"m1", "m2"}
