"""The vocabulary as data: it parses, documents itself, and everything else uses only its terms."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from graph.store.namespaces import ONTOLOGY_DIR, PARLEY, SEEDS_DIR

VOCABULARY = rdflib.Graph().parse(ONTOLOGY_DIR / "parley.ttl")


@pytest.mark.parametrize("name", ["parley.ttl", "issues.ttl", "shapes.ttl"])
def test_each_ontology_file_parses(name):
    assert len(rdflib.Graph().parse(ONTOLOGY_DIR / name)) > 20


def test_every_class_and_property_has_a_label_and_a_comment():
    kinds = [OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty]
    terms = {term for kind in kinds for term in VOCABULARY.subjects(RDF.type, kind)}
    assert len(terms) > 40
    undocumented = sorted(
        str(term)
        for term in terms
        if VOCABULARY.value(term, RDFS.label) is None or VOCABULARY.value(term, RDFS.comment) is None
    )
    assert undocumented == []


def parley_terms(graph: rdflib.Graph) -> set[str]:
    return {
        str(node)
        for triple in graph
        for node in triple
        if isinstance(node, rdflib.URIRef) and str(node).startswith(PARLEY)
    }


@pytest.mark.parametrize(
    "path",
    [
        ONTOLOGY_DIR / "shapes.ttl",
        ONTOLOGY_DIR / "issues.ttl",
        *(path for path in SEEDS_DIR.iterdir() if path.suffix in (".ttl", ".trig")),
    ],
)
def test_other_files_use_only_defined_terms(path):
    graph = rdflib.Dataset() if path.suffix == ".trig" else rdflib.Graph()
    graph.parse(path, format="trig" if path.suffix == ".trig" else "turtle")
    triples = rdflib.Graph()
    for quad in graph.quads() if path.suffix == ".trig" else graph:
        triples.add(quad[:3])
    defined = {str(subject) for subject in VOCABULARY.subjects()}
    assert parley_terms(triples) - defined == set()


def test_the_generic_issues_form_one_scheme():
    issues = rdflib.Graph().parse(ONTOLOGY_DIR / "issues.ttl")
    (scheme,) = issues.subjects(RDF.type, SKOS.ConceptScheme)
    concepts = set(issues.subjects(RDF.type, rdflib.URIRef(PARLEY + "Issue")))
    assert concepts == set(issues.objects(scheme, SKOS.hasTopConcept))
    assert all(issues.value(concept, SKOS.definition) for concept in concepts)
