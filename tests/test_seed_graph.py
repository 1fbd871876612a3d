"""The seed graph: valid, faithful to its source, and modelled as the source says."""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
import pytest
import rdflib

from graph.analysis.read import read_negotiation
from graph.store.namespaces import SEEDS_DIR, instance
from tests.ingest.shacl_reference import pyshacl_results


def rows(store, query: str, **bindings):
    return list(store.query(query, bindings or None))


EVIDENCE = """
SELECT ?evidence ?quote ?sha256 ?file WHERE {
    ?evidence a parley:Evidence ; parley:quote ?quote ; parley:source ?source .
    ?source parley:sha256 ?sha256 ; dcterms:identifier ?file .
}
"""


def source_text(sha256: str, file: str) -> str:
    content = (SEEDS_DIR / file).read_bytes()
    assert hashlib.sha256(content).hexdigest() == sha256, f"{file} does not match the SHA-256 of its record"
    return content.decode("utf-8")


def test_every_quote_occurs_verbatim_in_its_source(store):
    evidence = rows(store, EVIDENCE)
    assert len(evidence) >= 15
    for row in evidence:
        text = source_text(row["sha256"].value, row["file"].value)
        assert row["quote"].value in text, f"{row['evidence'].value}: quote not found verbatim in {row['file'].value}"


def test_every_position_has_evidence_with_a_quote_and_a_source(store):
    unsupported = rows(
        store,
        """
        SELECT ?position WHERE {
            ?position a/rdfs:subClassOf* parley:Position .
            FILTER NOT EXISTS { ?position prov:wasDerivedFrom/parley:quote ?quote ; prov:wasDerivedFrom/parley:source ?source }
        }""",
    )
    assert unsupported == []


def test_the_seed_graph_conforms_for_pyshacl_too():
    data = rdflib.Dataset()
    for path in SEEDS_DIR.iterdir():
        if path.suffix in (".ttl", ".trig"):
            data.parse(path, format="trig" if path.suffix == ".trig" else "turtle")
    flat = rdflib.Graph()
    for subject, predicate, obj, _ in data.quads():
        flat.add((subject, predicate, obj))
    issues = rdflib.Graph().parse(SEEDS_DIR.parent / "ontology" / "issues.ttl")
    assert pyshacl_results((flat + issues).serialize(format="turtle")) == set()


ACTORS = [
    "us",
    "russia",
    "ukraine",
    "france",
    "uk",
    "germany",
    "eu",
    "saudi-arabia",
    "donald-trump",
    "marco-rubio",
    "jd-vance",
    "vladimir-putin",
    "dmitry-peskov",
    "volodymyr-zelensky",
]
ISSUES = [
    "ukraine-nato-membership",
    "territory",
    "ukraine-army-size",
    "sanctions-on-russia",
    "european-sanctions-on-russia",
    "us-sanctions-on-russia",
    "ceasefire",
    "minerals-deal",
    "us-military-aid-to-ukraine",
    "us-mediation",
]


@pytest.mark.parametrize("slug", ACTORS)
def test_the_agreed_actor_slugs_exist(store, slug):
    assert store.is_instance(instance("actor", slug), ox.NamedNode("https://w3id.org/parley#Actor"))


@pytest.mark.parametrize("slug", ISSUES)
def test_the_agreed_issue_slugs_exist(store, slug):
    assert store.is_instance(instance("issue", slug), ox.NamedNode("https://w3id.org/parley#Issue"))


def test_people_speak_for_their_states(store):
    speakers = {
        (row["person"].value.rsplit("/", 1)[-1], row["state"].value.rsplit("/", 1)[-1])
        for row in rows(store, "SELECT ?person ?state WHERE { ?person a parley:Person ; parley:speaksFor ?state }")
    }
    assert {
        ("vladimir-putin", "russia"),
        ("marco-rubio", "us"),
        ("donald-trump", "us"),
        ("volodymyr-zelensky", "ukraine"),
    } <= speakers


def test_actors_and_issues_are_read_with_their_aliases(store):
    negotiation = read_negotiation(store)
    assert negotiation.actors["russia"].aliases == ("Moscow", "Russian Federation", "the Kremlin")
    assert {"Kyiv", "Kiev"} == set(negotiation.actors["ukraine"].aliases)
    assert {"Washington", "USA", "United States of America"} <= set(negotiation.actors["us"].aliases)
    assert negotiation.actors["marco-rubio"].aliases == ()
    assert negotiation.issues["ukraine-nato-membership"].aliases == ("Ukraine joining NATO",)
    assert negotiation.issues["alliances"].aliases == ()


def test_russias_demands_are_rejected_by_ukraine(store):
    rejected = rows(
        store,
        """
        SELECT ?issue ?demandStance ?answerStance WHERE {
            ?demand a parley:Demand ; parley:holder actor:vladimir-putin ; parley:addressee actor:ukraine ;
                    parley:issue ?issue ; parley:stance ?demandStance .
            ?answer parley:rejects ?demand ; parley:holder actor:ukraine ; parley:issue ?issue ; parley:stance ?answerStance .
        }""",
    )
    by_issue = {row["issue"].value.rsplit("/", 1)[-1]: (row["demandStance"], row["answerStance"]) for row in rejected}
    assert set(by_issue) == {"ukraine-nato-membership", "territory", "ukraine-army-size"}
    assert all(demand != answer for demand, answer in by_issue.values())


def test_the_campaign_promise_is_dated_and_superseded(store):
    (row,) = rows(
        store,
        """
        SELECT ?until ?from ?stance WHERE {
            ?later parley:supersedes ?earlier ; parley:validFrom ?from ; parley:stance ?stance .
            ?earlier a parley:Commitment ; parley:holder actor:donald-trump ; parley:validUntil ?until .
        }""",
    )
    assert row["until"].value <= row["from"].value == "2025-01-20"


def test_reported_views_say_who_reported_them(store):
    reported = rows(store, "SELECT ?by WHERE { ?evidence parley:reportedBy ?by }")
    assert {row["by"].value for row in reported} >= {"three European diplomatic sources, to Reuters", "US officials"}


def test_the_source_record_matches_the_text():
    graph = rdflib.Graph().parse(SEEDS_DIR / "sources.ttl")
    (sha256,) = graph.objects(None, rdflib.URIRef("https://w3id.org/parley#sha256"))
    (file,) = graph.objects(None, rdflib.DCTERMS.identifier)
    source_text(str(sha256), str(file))
