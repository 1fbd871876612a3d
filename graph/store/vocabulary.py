"""Parley's vocabulary as a SPARQL editor completes it: its classes and properties, as prefixed names.

Read from the ontology's Turtle (``ontology/parley.ttl``), not from the store, so the list is the
vocabulary Parley ships, whatever the store holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.store.namespaces import ONTOLOGY_DIR, PREFIXES, compact

__all__ = ["Terms", "ontology_terms", "parley_terms"]

_RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
_CLASS_TYPES = {PREFIXES["owl"] + "Class", PREFIXES["rdfs"] + "Class"}
_PROPERTY_TYPES = {
    PREFIXES["owl"] + "ObjectProperty",
    PREFIXES["owl"] + "DatatypeProperty",
    PREFIXES["owl"] + "AnnotationProperty",
    PREFIXES["rdf"] + "Property",
}


@dataclass(frozen=True)
class Terms:
    """The classes and properties a vocabulary declares, as prefixed names, each list sorted."""

    classes: list[str]
    properties: list[str]


def ontology_terms(turtle: str) -> Terms:
    """The classes and properties declared in a Turtle text, written as prefixed names (``parley:Position``).

    A term is a class if typed ``owl:Class`` or ``rdfs:Class``, a property if typed an OWL property or
    ``rdf:Property``; blank nodes are left out. Linear in the number of triples.

    Parameters
    ----------
    turtle : the vocabulary, as Turtle.

    Returns
    -------
    Terms
        Its classes and its properties, each sorted and each named once.

    Examples
    --------
    >>> text = '''@prefix parley: <https://w3id.org/parley#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
    ... parley:Position a owl:Class . parley:holder a owl:ObjectProperty . parley:salience a owl:DatatypeProperty .'''
    >>> ontology_terms(text)
    Terms(classes=['parley:Position'], properties=['parley:holder', 'parley:salience'])
    """
    classes: set[str] = set()
    properties: set[str] = set()
    for triple in ox.parse(turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE):
        if triple.predicate != _RDF_TYPE or not isinstance(triple.subject, ox.NamedNode):
            continue
        if not isinstance(triple.object, ox.NamedNode):
            continue
        if triple.object.value in _CLASS_TYPES:
            classes.add(compact(triple.subject))
        elif triple.object.value in _PROPERTY_TYPES:
            properties.add(compact(triple.subject))
    return Terms(sorted(classes), sorted(properties))


def parley_terms(path: Path = ONTOLOGY_DIR / "parley.ttl") -> Terms:
    """The classes and properties of Parley's own vocabulary (:func:`ontology_terms` of ``ontology/parley.ttl``).

    Examples
    --------
    >>> terms = parley_terms()
    >>> "parley:Position" in terms.classes, "parley:holder" in terms.properties
    (True, True)
    """
    return ontology_terms(path.read_text(encoding="utf-8"))
