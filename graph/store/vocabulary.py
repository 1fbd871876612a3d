"""Parley's vocabulary: its classes and properties as a SPARQL editor completes them, and its class hierarchy.

The terms are read from the ontology's Turtle (``ontology/parley.ttl``), not from the store, so the
list is the vocabulary Parley ships, whatever the store holds. The hierarchy is closed here, in
Python, from the ``rdfs:subClassOf`` axioms of either (:func:`superclass_closure`), never by a
repeated property path (``rdfs:subClassOf*``), which some SPARQL servers answer wrongly.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from graph.store.namespaces import ONTOLOGY_DIR, PARLEY, PREFIXES, compact

__all__ = ["Terms", "ontology_terms", "parley_terms", "superclass_closure", "parley_superclasses"]

Class = TypeVar("Class", bound=Hashable)

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


def superclass_closure(axioms: Iterable[tuple[Class, Class]]) -> dict[Class, frozenset[Class]]:
    """Each class that has a superclass, with all of them: the transitive closure of ``rdfs:subClassOf``.

    What ``?class rdfs:subClassOf+ ?superclass`` answers, worked out from the direct axioms. A class in
    a cycle is a superclass of itself, as it is by the path.

    Parameters
    ----------
    axioms : (class, superclass) pairs, one per ``rdfs:subClassOf`` triple.

    Returns
    -------
    dict
        Every class that is the subject of an axiom, with its superclasses, direct or not.

    Examples
    --------
    >>> closure = superclass_closure([("State", "Actor"), ("Actor", "Agent"), ("Person", "Actor")])
    >>> sorted(closure["State"]), sorted(closure["Actor"]), "Agent" in closure
    (['Actor', 'Agent'], ['Agent'], False)
    >>> sorted(superclass_closure([("A", "B"), ("B", "A")])["A"])
    ['A', 'B']
    """
    direct: dict[Class, set[Class]] = {}
    for class_, superclass in axioms:
        direct.setdefault(class_, set()).add(superclass)
    closure: dict[Class, frozenset[Class]] = {}
    for class_, parents in direct.items():
        reached: set[Class] = set()
        waiting = list(parents)
        while waiting:
            superclass = waiting.pop()
            if superclass not in reached:
                reached.add(superclass)
                waiting.extend(direct.get(superclass, ()))
        closure[class_] = frozenset(reached)
    return closure


def parley_superclasses(
    axioms: Iterable[tuple[object, object]],
) -> dict[ox.NamedNode, tuple[ox.NamedNode, ...]]:
    """Each class of the Parley namespace with its superclasses (:func:`superclass_closure`), sorted by IRI.

    These are the types Parley writes beside a type (a ``parley:Demand`` is a ``parley:Position`` too).
    A superclass may be another vocabulary's (``prov:Agent`` for ``parley:Actor``), never a blank
    node (an OWL restriction), which a write would make a new node of.

    Examples
    --------
    >>> p, prov = "https://w3id.org/parley#", "http://www.w3.org/ns/prov#"
    >>> axioms = [(ox.NamedNode(p + "State"), ox.NamedNode(p + "Actor")),
    ...           (ox.NamedNode(p + "Actor"), ox.NamedNode(prov + "Agent")),
    ...           (ox.NamedNode(p + "Actor"), ox.BlankNode()),
    ...           (ox.NamedNode(prov + "Person"), ox.NamedNode(prov + "Agent"))]
    >>> {compact(c): [compact(s) for s in above] for c, above in parley_superclasses(axioms).items()}
    {'parley:State': ['prov:Agent', 'parley:Actor'], 'parley:Actor': ['prov:Agent']}
    """
    return {
        class_: tuple(sorted((s for s in superclasses if isinstance(s, ox.NamedNode)), key=lambda s: s.value))
        for class_, superclasses in superclass_closure(axioms).items()
        if isinstance(class_, ox.NamedNode)
        and class_.value.startswith(PARLEY)
        and any(isinstance(s, ox.NamedNode) for s in superclasses)
    }
