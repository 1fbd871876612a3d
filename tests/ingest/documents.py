"""Small hand-written documents: a complete position and its context, with parts changed on demand."""

from __future__ import annotations

PREFIXES = """
@prefix parley:   <https://w3id.org/parley#> .
@prefix rdfs:     <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos:     <http://www.w3.org/2004/02/skos/core#> .
@prefix prov:     <http://www.w3.org/ns/prov#> .
@prefix dcterms:  <http://purl.org/dc/terms/> .
@prefix xsd:      <http://www.w3.org/2001/XMLSchema#> .
@prefix ex:       <http://example.org/> .
@prefix actor:    <https://w3id.org/parley/id/actor/> .
@prefix issue:    <https://w3id.org/parley/id/issue/> .
@prefix position: <https://w3id.org/parley/id/position/> .
@prefix evidence: <https://w3id.org/parley/id/evidence/> .
@prefix source:   <https://w3id.org/parley/id/source/> .
@prefix condition: <https://w3id.org/parley/id/condition/> .
"""

CONTEXT = """
actor:russia a parley:State ; rdfs:label "Russia" .
issue:territory a parley:Issue ; skos:prefLabel "Territory" .
evidence:e1 a parley:Evidence ; parley:quote "We want it all." ; parley:source source:s1 .
source:s1 a parley:Source ; dcterms:title "A report" .
"""

EITHER_OR = """
issue:ceasefire a parley:Issue ; skos:prefLabel "Ceasefire" .
condition:either a parley:Condition ; rdfs:comment "either will do" ; parley:anyOf condition:truce, condition:land .
condition:truce a parley:Condition ; parley:issue issue:ceasefire ; parley:stance parley:Supports ;
    parley:addressee actor:russia .
condition:land a parley:Condition ; parley:issue issue:territory ; parley:stance parley:Opposes .
"""
"""An either/or condition of two alternatives (with CONTEXT, for ``parley:condition condition:either``)."""

VALID = {
    "a": "parley:Position",
    "parley:holder": "actor:russia",
    "parley:issue": "issue:territory",
    "parley:stance": "parley:Supports",
    "prov:wasDerivedFrom": "evidence:e1",
}


def document(context: str = CONTEXT, **properties: str | None) -> str:
    """Turtle for position:p1 with VALID's properties, changed by ``properties`` (None drops one)."""
    merged = {**VALID, **{key.replace("__", ":"): value for key, value in properties.items()}}
    body = " ;\n    ".join(f"{key} {value}" for key, value in merged.items() if value is not None)
    return f"{PREFIXES}\nposition:p1 {body} .\n{context}"


# A source, a position and its evidence in Turtle with relative IRIs, as a client uploads one to `POST /sources`.
BRIEFING = """
@prefix parley: <https://w3id.org/parley#> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<source/kremlin-briefing> a parley:Source ; dcterms:title "Kremlin briefing" ; dcterms:issued "2025-04-21"^^xsd:date .
<position/peskov-ceasefire> a parley:Position ; parley:holder <actor/dmitry-peskov> ; parley:issue <issue/ceasefire> ;
    parley:stance parley:Opposes ; prov:wasDerivedFrom <evidence/peskov-briefing> .
<evidence/peskov-briefing> a parley:Evidence ; parley:quote "There will be no ceasefire for now." ;
    parley:source <source/kremlin-briefing> .
"""
