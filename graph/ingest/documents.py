"""RDF documents built from model objects: a position sent as JSON, or a source given with its text,
becomes what a file would say.

The document then takes the same road as a file (:func:`graph.ingest.load.load_documents`): the same
shapes validate it, its quotes are checked against their source's text, and it is written all or nothing.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import date

import pyoxigraph as ox

from graph.analysis.model import AnyOf, Condition, Evidence, Position
from graph.errors import InvalidArgument, SourceExists
from graph.ingest.load import Document, LoadReport, load_documents
from graph.ingest.texts import TEXT
from graph.store import Dataset, nquads
from graph.store.namespaces import PARLEY, SLUG, instance, source_graph

__all__ = ["position_document", "new_position_id", "source_document", "add_source", "SLUG"]


XSD = "http://www.w3.org/2001/XMLSchema#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
_STANCES = {"supports": "Supports", "opposes": "Opposes", "neutral": "Neutral"}
_KINDS = {"position": "Position", "demand": "Demand", "offer": "Offer", "threat": "Threat", "commitment": "Commitment"}


def _parley(name: str) -> ox.NamedNode:
    return ox.NamedNode(PARLEY + name)


def new_position_id(holder: str, issue: str) -> str:
    """A fresh position id: holder, issue and a random suffix.

    Examples
    --------
    >>> new_position_id("russia", "ceasefire").startswith("russia-ceasefire-")
    True
    """
    return f"{holder}-{issue}-{uuid.uuid4().hex[:8]}"[-200:].lstrip("-")


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
    node = instance("position", position.id)
    sources = [e.source.id for e in position.evidence if e.source is not None]
    graph = source_graph(sources[0] if sources else "api")
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
    dataset = ox.Store()
    dataset.extend(quads)
    content = nquads(quads)
    return Document(
        f"position {position.id}", hashlib.sha256(content).hexdigest(), ox.RdfFormat.N_QUADS, dataset, graph
    )


def _condition_quads(
    node: ox.NamedNode, position: ox.NamedNode, condition: Condition | AnyOf, graph: ox.NamedNode
) -> list[ox.Quad]:
    """A position's condition; an either/or condition's alternatives are named after it (``{node}-1``...)."""
    quads = [ox.Quad(position, _parley("condition"), node, graph)]
    if isinstance(condition, AnyOf):
        quads += _described(node, condition.note, graph)
        for number, alternative in enumerate(condition.alternatives, 1):
            alternative_node = ox.NamedNode(f"{node.value}-{number}")
            quads.append(ox.Quad(node, _parley("anyOf"), alternative_node, graph))
            quads += _proposition_quads(alternative_node, alternative, graph)
    else:
        quads += _proposition_quads(node, condition, graph)
    return quads


def _proposition_quads(node: ox.NamedNode, condition: Condition, graph: ox.NamedNode) -> list[ox.Quad]:
    quads = [
        *_described(node, condition.note, graph),
        ox.Quad(node, _parley("issue"), instance("issue", condition.issue), graph),
        ox.Quad(node, _parley("stance"), _parley(_STANCES.get(condition.stance, condition.stance)), graph),
    ]
    quads += [ox.Quad(node, _parley("addressee"), instance("actor", a), graph) for a in condition.addressees]
    return quads


def _described(node: ox.NamedNode, note: str | None, graph: ox.NamedNode) -> list[ox.Quad]:
    """A parley:Condition, with its note if it has one."""
    quads = [ox.Quad(node, RDF_TYPE, _parley("Condition"), graph)]
    if note:
        quads.append(ox.Quad(node, RDFS_COMMENT, ox.Literal(note), graph))
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


def source_document(
    source: str,
    text: str,
    title: str,
    published: str,
    publisher: str | None = None,
    url: str | None = None,
    name: str | None = None,
) -> Document:
    """The record of a new source with its full text, as a document ready to load.

    Loaded, the record goes to the reference graph with the text's SHA-256, which Parley adds.
    ``published`` is YYYY-MM-DD (or YYYY-MM, YYYY: what the source says); the shapes refuse anything else.

    Raises
    ------
    InvalidArgument
        If ``source`` is not a slug or ``url`` is not an IRI.

    Examples
    --------
    >>> document = source_document("talks", "We met.", "Talks", "2025-04-20", url="https://example.org/talks")
    >>> document.graphs, document.quads
    (['https://w3id.org/parley/graph/source/talks'], 5)
    """
    if not SLUG.fullmatch(source):
        raise InvalidArgument("id", f"{source!r}: use lowercase letters, digits and inner hyphens")
    node, graph = instance("source", source), source_graph(source)
    quads = [
        ox.Quad(node, RDF_TYPE, _parley("Source"), graph),
        ox.Quad(node, ox.NamedNode(DCTERMS + "title"), ox.Literal(title), graph),
        ox.Quad(node, ox.NamedNode(DCTERMS + "issued"), _date_literal(published), graph),
        ox.Quad(node, TEXT, ox.Literal(text), graph),
    ]
    if publisher:
        quads.append(ox.Quad(node, ox.NamedNode(DCTERMS + "publisher"), ox.Literal(publisher), graph))
    if url:
        try:
            quads.append(ox.Quad(node, ox.NamedNode(DCTERMS + "source"), ox.NamedNode(url), graph))
        except ValueError as error:
            raise InvalidArgument("url", f"{url!r} is not an IRI: {error}") from None
    dataset = ox.Store()
    dataset.extend(quads)
    content = nquads(quads)
    return Document(
        name or f"source {source}", hashlib.sha256(content).hexdigest(), ox.RdfFormat.N_QUADS, dataset, graph
    )


def add_source(store: Dataset, document: Document, source: str) -> LoadReport:
    """Load the document of a new source (:func:`source_document`), refusing a slug a source has already.

    Raises
    ------
    SourceExists
        If a source has this slug: its text is given with :func:`graph.ingest.texts.set_text`.
    """
    if store.is_instance(instance("source", source), _parley("Source")):
        raise SourceExists(source)
    return load_documents(store, [document], deduplicate=False)
