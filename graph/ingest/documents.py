"""RDF documents built from model objects: a position sent as JSON becomes what a file would say.

The document then takes the same road as a file (:func:`graph.ingest.load.load_documents`): the same
shapes validate it, and it is written all or nothing.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import date

import pyoxigraph as ox

from graph.analysis.model import Actor, Condition, Evidence, Issue, Position, Source
from graph.ingest.load import Document
from graph.store import nquads
from graph.store.namespaces import PARLEY, REFERENCE_GRAPH, SLUG, instance, source_graph

__all__ = [
    "position_document",
    "position_quads",
    "actor_quads",
    "issue_quads",
    "issue_field_quads",
    "ISSUE_FIELDS",
    "source_quads",
    "quads_document",
    "new_position_id",
    "SLUG",
]


XSD = "http://www.w3.org/2001/XMLSchema#"
PROV = "http://www.w3.org/ns/prov#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SKOS = "http://www.w3.org/2004/02/skos/core#"
SKOS_PREF_LABEL = ox.NamedNode(SKOS + "prefLabel")
SKOS_ALT_LABEL = ox.NamedNode(SKOS + "altLabel")
SKOS_DEFINITION = ox.NamedNode(SKOS + "definition")
SKOS_BROADER = ox.NamedNode(SKOS + "broader")
OWL_SAME_AS = ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs")
DCTERMS = "http://purl.org/dc/terms/"
_STANCES = {"supports": "Supports", "opposes": "Opposes", "neutral": "Neutral"}
_KINDS = {"position": "Position", "demand": "Demand", "offer": "Offer", "threat": "Threat", "commitment": "Commitment"}


def _parley(name: str) -> ox.NamedNode:
    return ox.NamedNode(PARLEY + name)


def new_position_id(holder: str, issue: str, seed: bytes | None = None) -> str:
    """A fresh position id: holder, issue and a suffix, random, or the start of ``seed``'s SHA-256.

    A seed (what the position says, in a document) gives the same id each time: the same document
    sent again names the positions it wrote before, and is refused as a duplicate.

    Examples
    --------
    >>> new_position_id("russia", "ceasefire").startswith("russia-ceasefire-")
    True
    >>> new_position_id("russia", "ceasefire", b"No.")
    'russia-ceasefire-38178a20'
    """
    suffix = hashlib.sha256(seed).hexdigest()[:8] if seed is not None else uuid.uuid4().hex[:8]
    return f"{holder}-{issue}-{suffix}"[-200:].lstrip("-")


def _date_literal(text: str) -> ox.Literal:
    """xsd:date, xsd:gYearMonth or xsd:gYear, by the form of ``text``; anything else stays a plain
    string, which the shapes then refuse with their own message."""
    kinds = ((r"\d{4}-\d{2}-\d{2}", "date"), (r"\d{4}-\d{2}", "gYearMonth"), (r"\d{4}", "gYear"))
    for pattern, kind in kinds:
        if re.fullmatch(pattern, text):
            return ox.Literal(text, datatype=ox.NamedNode(XSD + kind))
    return ox.Literal(text)


def _number_or_date(value) -> ox.Literal:
    if isinstance(value, date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    if isinstance(value, int) and not isinstance(value, bool):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    return ox.Literal(repr(float(value)), datatype=ox.NamedNode(XSD + "double"))


def position_document(position: Position) -> Document:
    """The RDF of one position with its evidence and conditions, as a document ready to load.

    The position goes to the graph of its first piece of evidence's source
    (``graph/source/{source}``), where a file from that source would put it. Evidence and
    conditions are named after the position (``evidence/{position}-1``...). Sources, actors and
    issues are referred to by id and must exist.

    Examples
    --------
    >>> from graph.analysis.model import Source
    >>> document = position_document(Position(
    ...     "russia-ceasefire-1", "russia", "ceasefire", stance="opposes",
    ...     evidence=(Evidence("We will not stop.", Source("talks", "")),)))
    >>> document.graphs, document.quads
    (['https://w3id.org/parley/graph/source/talks'], 9)
    """
    return quads_document(f"position {position.id}", position_quads(position), position_graph(position))


def quads_document(name: str, quads: list[ox.Quad], graph: ox.NamedNode | None = None) -> Document:
    """Quads built by Parley, as a document ready to load (named ``name`` in messages and in the log).

    ``graph`` is the document's own graph (by default, that of its first quad).

    Examples
    --------
    >>> quads_document("actor x", actor_quads(Actor("x", "X", "state"))).graphs
    ['https://w3id.org/parley/graph/reference']
    """
    dataset = ox.Store()
    dataset.extend(quads)
    own = graph or next((q.graph_name for q in quads if isinstance(q.graph_name, ox.NamedNode)), REFERENCE_GRAPH)
    return Document(name, hashlib.sha256(nquads(quads)).hexdigest(), ox.RdfFormat.N_QUADS, dataset, own)


def position_graph(position: Position) -> ox.NamedNode:
    """The graph a position goes to: its first piece of evidence's source's (``graph/source/api`` if none)."""
    sources = [e.source.id for e in position.evidence if e.source is not None]
    return source_graph(sources[0] if sources else "api")


def position_quads(position: Position) -> list[ox.Quad]:
    """The quads of one position with its evidence and conditions, in :func:`position_graph`.

    Examples
    --------
    >>> from graph.analysis.model import Source
    >>> quads = position_quads(Position("p", "russia", "ceasefire", stance="opposes",
    ...                                 evidence=(Evidence("No.", Source("talks", "")),)))
    >>> len(quads), str(quads[0].graph_name)
    (9, '<https://w3id.org/parley/graph/source/talks>')
    """
    node = instance("position", position.id)
    graph = position_graph(position)
    quads = [
        ox.Quad(node, RDF_TYPE, _parley(_KINDS.get(position.kind, position.kind)), graph),
        ox.Quad(node, _parley("holder"), instance("actor", position.holder), graph),
        ox.Quad(node, _parley("issue"), instance("issue", position.issue), graph),
    ]
    if position.stance is not None:
        quads.append(ox.Quad(node, _parley("stance"), _parley(_STANCES.get(position.stance, position.stance)), graph))
    for name, value in (("minValue", position.minimum), ("maxValue", position.maximum)):
        if value is not None:
            quads.append(ox.Quad(node, _parley(name), _number_or_date(value), graph))
    quads.append(ox.Quad(node, _parley("salience"), _number_or_date(float(position.salience)), graph))
    if position.red_line:
        quads.append(
            ox.Quad(node, _parley("redLine"), ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")), graph)
        )
    for name, day in (("validFrom", position.valid_from), ("validUntil", position.valid_until)):
        if day is not None:
            quads.append(ox.Quad(node, _parley(name), _date_literal(day), graph))
    quads += [ox.Quad(node, _parley("addressee"), instance("actor", a), graph) for a in position.addressees]
    quads += [ox.Quad(node, _parley("rejects"), instance("position", p), graph) for p in position.rejects]
    quads += [ox.Quad(node, _parley("supersedes"), instance("position", p), graph) for p in position.supersedes]
    for number, condition in enumerate(position.conditions, 1):
        quads += _condition_quads(instance("condition", f"{position.id}-{number}"), node, condition, graph)
    for number, evidence in enumerate(position.evidence, 1):
        quads += _evidence_quads(instance("evidence", f"{position.id}-{number}"), node, evidence, graph)
    return quads


def evidence_nodes(position: Position) -> list[ox.NamedNode]:
    """The nodes :func:`position_quads` gives the position's evidence, in order."""
    return [instance("evidence", f"{position.id}-{number}") for number in range(1, len(position.evidence) + 1)]


def condition_nodes(position: Position) -> list[ox.NamedNode]:
    """The nodes :func:`position_quads` gives the position's conditions, in order."""
    return [instance("condition", f"{position.id}-{number}") for number in range(1, len(position.conditions) + 1)]


_ACTOR_KINDS = {"state": "State", "organization": "Organization", "coalition": "Coalition", "person": "Person"}
_ACTOR_LINKS = (("speaksFor", "speaks_for"), ("memberOf", "member_of"), ("hasLeverageOver", "leverage_over"))


def actor_quads(actor: Actor, graph: ox.NamedNode = REFERENCE_GRAPH) -> list[ox.Quad]:
    """The description of a new actor (its kind, names, relations, ``owl:sameAs`` and power), in ``graph``.

    Examples
    --------
    >>> from graph.store.namespaces import compact
    >>> quads = actor_quads(Actor("turkiye", "Türkiye", "state", aliases=("Turkey",), power=0.4))
    >>> [(compact(quad.predicate), compact(quad.object)) for quad in quads]  # doctest: +NORMALIZE_WHITESPACE
    [('rdf:type', 'parley:State'), ('rdfs:label', "'Türkiye'"), ('skos:altLabel', "'Turkey'"),
     ('parley:power', '0.4')]
    """
    node = instance("actor", actor.id)
    quads = [
        ox.Quad(node, RDF_TYPE, _parley(_ACTOR_KINDS.get(actor.kind, "Actor")), graph),
        ox.Quad(node, RDFS_LABEL, ox.Literal(actor.label), graph),
    ]
    quads += [ox.Quad(node, SKOS_ALT_LABEL, ox.Literal(alias), graph) for alias in actor.aliases]
    for predicate, field in _ACTOR_LINKS:
        quads += [ox.Quad(node, _parley(predicate), instance("actor", other), graph) for other in getattr(actor, field)]
    quads += [ox.Quad(node, OWL_SAME_AS, ox.NamedNode(iri), graph) for iri in actor.same_as]
    if actor.power is not None:
        quads.append(ox.Quad(node, _parley("power"), _number_or_date(float(actor.power)), graph))
    return quads


def issue_quads(issue: Issue, graph: ox.NamedNode = REFERENCE_GRAPH) -> list[ox.Quad]:
    """The description of a new issue (names, definition, broader issues, scale and unit), in ``graph``.

    Examples
    --------
    >>> quads = issue_quads(Issue("truce", "Truce", broader=("ceasefire",)))
    >>> [str(quad.object) for quad in quads if quad.predicate == SKOS_BROADER]
    ['<https://w3id.org/parley/id/issue/ceasefire>']
    """
    node = instance("issue", issue.id)
    quads = [
        ox.Quad(node, RDF_TYPE, _parley("Issue"), graph),
        ox.Quad(node, _parley("scale"), _parley(issue.scale.capitalize()), graph),
    ]
    quads += issue_field_quads(node, graph, issue.label, issue.definition, issue.aliases, issue.broader)
    if issue.unit is not None:
        quads.append(ox.Quad(node, _parley("unit"), ox.Literal(issue.unit), graph))
    return quads


ISSUE_FIELDS = {
    "label": SKOS_PREF_LABEL,
    "definition": SKOS_DEFINITION,
    "aliases": SKOS_ALT_LABEL,
    "broader": SKOS_BROADER,
}
"""The property that holds each field of an issue a change may replace (``PATCH /issues/{id}``)."""


def issue_field_quads(
    node: ox.NamedNode,
    graph: ox.NamedNode,
    label: str | None = None,
    definition: str | None = None,
    aliases: tuple[str, ...] = (),
    broader: tuple[str, ...] = (),
) -> list[ox.Quad]:
    """The quads of those of an issue's label, definition, aliases and broader issues that are given, in ``graph``.

    Examples
    --------
    >>> [str(q.object) for q in issue_field_quads(instance("issue", "truce"), REFERENCE_GRAPH, aliases=("Lull",))]
    ['"Lull"']
    """
    quads = [ox.Quad(node, SKOS_PREF_LABEL, ox.Literal(label), graph)] if label is not None else []
    if definition is not None:
        quads.append(ox.Quad(node, SKOS_DEFINITION, ox.Literal(definition), graph))
    quads += [ox.Quad(node, SKOS_ALT_LABEL, ox.Literal(alias), graph) for alias in aliases]
    quads += [ox.Quad(node, SKOS_BROADER, instance("issue", other), graph) for other in broader]
    return quads


def source_quads(source: Source, graph: ox.NamedNode = REFERENCE_GRAPH) -> list[ox.Quad]:
    """The bibliographic record of a new source (title, date, publisher, URL), in ``graph``.

    Examples
    --------
    >>> [str(quad.object) for quad in source_quads(Source("talks", "The talks", "2025-05-16"))][1:]
    ['"The talks"', '"2025-05-16"^^<http://www.w3.org/2001/XMLSchema#date>']
    """
    node = instance("source", source.id)
    quads = [
        ox.Quad(node, RDF_TYPE, _parley("Source"), graph),
        ox.Quad(node, ox.NamedNode(DCTERMS + "title"), ox.Literal(source.title), graph),
    ]
    if source.issued is not None:
        quads.append(ox.Quad(node, ox.NamedNode(DCTERMS + "issued"), _date_literal(source.issued), graph))
    if source.publisher is not None:
        quads.append(ox.Quad(node, ox.NamedNode(DCTERMS + "publisher"), ox.Literal(source.publisher), graph))
    if source.url is not None:
        quads.append(ox.Quad(node, ox.NamedNode(DCTERMS + "source"), ox.NamedNode(source.url), graph))
    return quads


def _condition_quads(
    node: ox.NamedNode, position: ox.NamedNode, condition: Condition, graph: ox.NamedNode
) -> list[ox.Quad]:
    quads = [
        ox.Quad(position, _parley("condition"), node, graph),
        ox.Quad(node, RDF_TYPE, _parley("Condition"), graph),
        ox.Quad(node, _parley("issue"), instance("issue", condition.issue), graph),
        ox.Quad(node, _parley("stance"), _parley(_STANCES.get(condition.stance, condition.stance)), graph),
    ]
    quads += [ox.Quad(node, _parley("addressee"), instance("actor", a), graph) for a in condition.addressees]
    if condition.note:
        quads.append(ox.Quad(node, RDFS_COMMENT, ox.Literal(condition.note), graph))
    return quads


def _evidence_quads(
    node: ox.NamedNode, position: ox.NamedNode, evidence: Evidence, graph: ox.NamedNode
) -> list[ox.Quad]:
    quads = [
        ox.Quad(position, ox.NamedNode(PROV + "wasDerivedFrom"), node, graph),
        ox.Quad(node, RDF_TYPE, _parley("Evidence"), graph),
        ox.Quad(node, _parley("quote"), ox.Literal(evidence.quote), graph),
    ]
    if evidence.source is not None:
        quads.append(ox.Quad(node, _parley("source"), instance("source", evidence.source.id), graph))
    if evidence.speaker:
        quads.append(ox.Quad(node, _parley("speaker"), instance("actor", evidence.speaker), graph))
    if evidence.stated_on:
        quads.append(ox.Quad(node, _parley("statedOn"), _date_literal(evidence.stated_on), graph))
    quads += [ox.Quad(node, _parley("reportedBy"), ox.Literal(r), graph) for r in evidence.reported_by]
    return quads
