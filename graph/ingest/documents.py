"""RDF documents built from model objects: actors, issues, sources and positions sent as JSON or read
from a spreadsheet, and a source given with its text, become what a file would say.

The document then takes the same road as a file (:func:`graph.ingest.load.load_documents`): the same
shapes validate it, its quotes are checked against their source's text, and it is written all or
nothing. Its RDF is written as N-Quads text and parsed once, as a file is: for a hundred thousand
positions that is several times faster than building a Python object per quad.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
import uuid
from collections.abc import Collection, Iterable, Iterator
from datetime import date
from functools import lru_cache

import pyoxigraph as ox

from graph.analysis.model import QUANTITY, Actor, AnyOf, Condition, Evidence, Issue, Position, Source
from graph.errors import InvalidArgument, SourceExists
from graph.ingest.load import Document, LoadReport, load_documents
from graph.store import Dataset
from graph.store.namespaces import ID, PARLEY, SLUG, instance, source_graph

__all__ = [
    "position_document",
    "positions_document",
    "nquads_document",
    "generate_position_nquads",
    "position_parts",
    "generate_actor_nquads",
    "generate_issue_nquads",
    "ISSUE_FIELDS",
    "generate_source_nquads",
    "graph_of",
    "new_position_id",
    "source_document",
    "add_source",
    "SLUG",
]


XSD = "http://www.w3.org/2001/XMLSchema#"
PROV = "http://www.w3.org/ns/prov#"
_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_COMMENT = "<http://www.w3.org/2000/01/rdf-schema#comment>"
_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_DCTERMS = "http://purl.org/dc/terms/"
_ACTOR_KINDS = {"state": "State", "organization": "Organization", "coalition": "Coalition", "person": "Person"}
_ACTOR_LINKS = (("speaksFor", "speaks_for"), ("memberOf", "member_of"), ("hasLeverageOver", "leverage_over"))
_SAME_AS = "<http://www.w3.org/2002/07/owl#sameAs>"
_DERIVED_FROM = f"<{PROV}wasDerivedFrom>"
_STANCES = {"supports": "Supports", "opposes": "Opposes", "neutral": "Neutral"}
_KINDS = {"position": "Position", "demand": "Demand", "offer": "Offer", "threat": "Threat", "commitment": "Commitment"}
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_IRI_SAFE = re.compile(r"[A-Za-z0-9._~%!$&'()*+,;=:@/-]+")
"""What a slug may hold to stand in an IRI as it is (RFC 3987's unreserved and sub-delims, and ``%``)."""
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_DATE_KINDS = (
    (re.compile(r"\d{4}-\d{2}-\d{2}"), "date"),
    (re.compile(r"\d{4}-\d{2}"), "gYearMonth"),
    (re.compile(r"\d{4}"), "gYear"),
)


def _parley(name: str) -> str:
    return f"<{PARLEY}{name}>"


@lru_cache(maxsize=65536)
def _iri(kind: str, slug: str) -> str:
    """``<https://w3id.org/parley/id/{kind}/{slug}>``, refusing a slug that would break out of the IRI."""
    if not _IRI_SAFE.fullmatch(slug):
        raise ValueError(f"{slug!r} cannot name a {kind}: use lowercase letters, digits and inner hyphens")
    return f"<{ID}{kind}/{slug}>"


def _string(text: str) -> str:
    return '"' + text.translate(_ESCAPES) + '"'


def new_position_id(holder: str, issue: str, seed: bytes | None = None) -> str:
    """A position id: its holder and issue, and a suffix, random or a digest of ``seed``.

    A seed (what the position says: a spreadsheet's row, a JSON document's position) gives the same
    id each time, so the same statement sent again names the position it wrote before. The id is a
    slug whatever the holder's and issue's ids hold (``US_gov``: ``us-gov``).

    Examples
    --------
    >>> new_position_id("russia", "ceasefire").startswith("russia-ceasefire-")
    True
    >>> new_position_id("russia", "ceasefire", b"No."), new_position_id("US_gov", "ceasefire", b"No.")
    ('russia-ceasefire-5a9df2157a', 'us-gov-ceasefire-5a9df2157a')
    """
    suffix = hashlib.blake2b(seed, digest_size=5).hexdigest() if seed is not None else uuid.uuid4().hex[:10]
    stem = _NOT_SLUG.sub("-", f"{holder}-{issue}".lower()).strip("-")[:188].rstrip("-")
    return f"{stem}-{suffix}" if stem else suffix


def _date_literal(text: str) -> str:
    """xsd:date, xsd:gYearMonth or xsd:gYear, by the form of ``text``; anything else stays a plain
    string, which the shapes then refuse with their own message."""
    for pattern, kind in _DATE_KINDS:
        if pattern.fullmatch(text):
            return f'"{text}"^^<{XSD}{kind}>'
    return _string(text)


def _number_or_date(value) -> str:
    if isinstance(value, date):
        return f'"{value.isoformat()}"^^<{XSD}date>'
    if isinstance(value, int) and not isinstance(value, bool):
        return f'"{value}"^^<{XSD}integer>'
    if not math.isfinite(value):
        raise ValueError(f"{value!r} is not a finite number")
    return f'"{float(value)!r}"^^<{XSD}double>'


def generate_position_nquads(position: Position) -> Iterator[str]:
    """The N-Quads lines of one position with its evidence and conditions.

    The position goes to the graph of its first piece of evidence's source
    (``graph/source/{source}``), where a file from that source would put it. Evidence and
    conditions are named after the position (``evidence/{position}-1``...). Sources, actors and
    issues are referred to by id.

    Examples
    --------
    >>> position = Position("p1", "russia", "ceasefire", stance="opposes", evidence=(Evidence("No."),))
    >>> print("".join(generate_position_nquads(position)).replace("https://w3id.org/parley", "P"), end="")
    <P/id/position/p1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <P#Position> <P/graph/source/api> .
    <P/id/position/p1> <P#holder> <P/id/actor/russia> <P/graph/source/api> .
    <P/id/position/p1> <P#issue> <P/id/issue/ceasefire> <P/graph/source/api> .
    <P/id/position/p1> <P#stance> <P#Opposes> <P/graph/source/api> .
    <P/id/position/p1> <P#salience> "0.5"^^<http://www.w3.org/2001/XMLSchema#double> <P/graph/source/api> .
    <P/id/position/p1> <http://www.w3.org/ns/prov#wasDerivedFrom> <P/id/evidence/p1-1> <P/graph/source/api> .
    <P/id/evidence/p1-1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <P#Evidence> <P/graph/source/api> .
    <P/id/evidence/p1-1> <P#quote> "No." <P/graph/source/api> .
    """
    node = _iri("position", position.id)
    source = next((e.source.id for e in position.evidence if e.source is not None), "api")
    graph = f" {graph_of(source)} .\n"
    yield f"{node} {_TYPE} {_parley(_KINDS.get(position.kind, position.kind))}{graph}"
    yield f"{node} {_parley('holder')} {_iri('actor', position.holder)}{graph}"
    yield f"{node} {_parley('issue')} {_iri('issue', position.issue)}{graph}"
    if position.stance is not None:
        yield f"{node} {_parley('stance')} {_parley(_STANCES.get(position.stance, position.stance))}{graph}"
    for name, value in (("minValue", position.minimum), ("maxValue", position.maximum)):
        if value is not None:
            yield f"{node} {_parley(name)} {_number_or_date(value)}{graph}"
    yield f"{node} {_parley('salience')} {_number_or_date(float(position.salience))}{graph}"
    if position.red_line:
        yield f'{node} {_parley("redLine")} "true"^^<{XSD}boolean>{graph}'
    for name, day in (("validFrom", position.valid_from), ("validUntil", position.valid_until)):
        if day is not None:
            yield f"{node} {_parley(name)} {_date_literal(day)}{graph}"
    for name, kind, values in (
        ("addressee", "actor", position.addressees),
        ("rejects", "position", position.rejects),
        ("supersedes", "position", position.supersedes),
    ):
        for target in values:
            yield f"{node} {_parley(name)} {_iri(kind, target)}{graph}"
    for number, condition in enumerate(position.conditions, 1):
        yield from _condition_nquads(_iri("condition", f"{position.id}-{number}"), node, condition, graph)
    for number, evidence in enumerate(position.evidence, 1):
        yield from _evidence_nquads(_iri("evidence", f"{position.id}-{number}"), node, evidence, graph)


def position_parts(position: Position) -> Iterator[tuple[str, str, str]]:
    """The nodes :func:`generate_position_nquads` gives a position's evidence, conditions and the
    alternatives of its either/or conditions, each as (kind, slug, where it stands in the position).

    ``where`` is a JSON path and counts from 0, as JSON does. An either/or condition's alternatives
    are sorted (:class:`~graph.analysis.model.AnyOf`), so they are named together: ``any[*]``.

    Examples
    --------
    >>> from graph.analysis.model import Condition
    >>> either = AnyOf((Condition("truce", "supports"), Condition("talks", "supports")))
    >>> position = Position("p", "us", "sanctions", conditions=(either,), evidence=(Evidence("If."),))
    >>> list(position_parts(position))  # doctest: +NORMALIZE_WHITESPACE
    [('condition', 'p-1', 'conditions[0]'), ('condition', 'p-1-1', 'conditions[0].any[*]'),
     ('condition', 'p-1-2', 'conditions[0].any[*]'), ('evidence', 'p-1', 'evidence[0]')]
    """
    for number, condition in enumerate(position.conditions, 1):
        yield "condition", f"{position.id}-{number}", f"conditions[{number - 1}]"
        for alternative in range(1, len(condition.alternatives) + 1 if isinstance(condition, AnyOf) else 1):
            yield "condition", f"{position.id}-{number}-{alternative}", f"conditions[{number - 1}].any[*]"
    for number in range(1, len(position.evidence) + 1):
        yield "evidence", f"{position.id}-{number}", f"evidence[{number - 1}]"


@lru_cache(maxsize=4096)
def graph_of(source: str) -> str:
    """The N-Quads name of a source's graph (``graph/source/{source}``)."""
    return f"<{source_graph(source).value}>"


def _condition_nquads(node: str, position: str, condition: Condition | AnyOf, graph: str) -> Iterator[str]:
    """A position's condition; an either/or condition's alternatives are named after it (``{node}-1``...)."""
    yield f"{position} {_parley('condition')} {node}{graph}"
    if isinstance(condition, AnyOf):
        yield from _described(node, condition.note, graph)
        for number, alternative in enumerate(condition.alternatives, 1):
            alternative_node = f"{node[:-1]}-{number}>"
            yield f"{node} {_parley('anyOf')} {alternative_node}{graph}"
            yield from _proposition_nquads(alternative_node, alternative, graph)
    else:
        yield from _proposition_nquads(node, condition, graph)


def _proposition_nquads(node: str, condition: Condition, graph: str) -> Iterator[str]:
    """A condition that one stance on one issue meets."""
    yield from _described(node, condition.note, graph)
    yield f"{node} {_parley('issue')} {_iri('issue', condition.issue)}{graph}"
    yield f"{node} {_parley('stance')} {_parley(_STANCES.get(condition.stance, condition.stance))}{graph}"
    for addressee in condition.addressees:
        yield f"{node} {_parley('addressee')} {_iri('actor', addressee)}{graph}"


def _described(node: str, note: str | None, graph: str) -> Iterator[str]:
    """A parley:Condition, with its note if it has one."""
    yield f"{node} {_TYPE} {_parley('Condition')}{graph}"
    if note:
        yield f"{node} {_COMMENT} {_string(note)}{graph}"


def _evidence_nquads(node: str, position: str, evidence: Evidence, graph: str) -> Iterator[str]:
    yield f"{position} {_DERIVED_FROM} {node}{graph}"
    yield f"{node} {_TYPE} {_parley('Evidence')}{graph}"
    yield f"{node} {_parley('quote')} {_string(evidence.quote)}{graph}"
    if evidence.source is not None:
        yield f"{node} {_parley('source')} {_iri('source', evidence.source.id)}{graph}"
    if evidence.speaker:
        yield f"{node} {_parley('speaker')} {_iri('actor', evidence.speaker)}{graph}"
    if evidence.stated_on:
        yield f"{node} {_parley('statedOn')} {_date_literal(evidence.stated_on)}{graph}"
    for reporter in evidence.reported_by:
        yield f"{node} {_parley('reportedBy')} {_string(reporter)}{graph}"


def generate_actor_nquads(actor: Actor, graph: str, comment: str | None = None) -> Iterator[str]:
    """The N-Quads lines of a new actor (kind, label, aliases, relations, ``owl:sameAs``, power), in
    ``graph`` (the reference graph's IRI, or a source graph's: the load places them in the reference graph).

    An actor the store holds already may be given too, with only what is new to say of it (no label).

    Examples
    --------
    >>> lines = "".join(generate_actor_nquads(Actor("xj", "XJ", power=1.0), "<g>"))
    >>> print(lines.replace("https://w3id.org/parley", "P").replace("http://www.w3.org/", "W/"), end="")
    <P/id/actor/xj> <W/1999/02/22-rdf-syntax-ns#type> <P#Actor> <g> .
    <P/id/actor/xj> <W/2000/01/rdf-schema#label> "XJ" <g> .
    <P/id/actor/xj> <P#power> "1.0"^^<W/2001/XMLSchema#double> <g> .
    """
    node, end = _iri("actor", actor.id), f" {graph} .\n"
    if actor.label:
        yield f"{node} {_TYPE} {_parley(_ACTOR_KINDS.get(actor.kind, 'Actor'))}{end}"
        yield f"{node} {_LABEL} {_string(actor.label)}{end}"
    for alias in actor.aliases:
        yield f"{node} <{_SKOS}altLabel> {_string(alias)}{end}"
    for predicate, field in _ACTOR_LINKS:
        for other in getattr(actor, field):
            yield f"{node} {_parley(predicate)} {_iri('actor', other)}{end}"
    for iri in actor.same_as:
        yield f"{node} {_SAME_AS} <{iri}>{end}"
    if actor.power is not None:
        yield f"{node} {_parley('power')} {_number_or_date(float(actor.power))}{end}"
    if comment:
        yield f"{node} {_COMMENT} {_string(comment)}{end}"


ISSUE_FIELDS = {
    "label": _SKOS + "prefLabel",
    "definition": _SKOS + "definition",
    "aliases": _SKOS + "altLabel",
    "broader": _SKOS + "broader",
}
"""The property that holds each field of an issue a change may replace (``PATCH /issues/{id}``)."""


def generate_issue_nquads(issue: Issue, graph: str, fields: Collection[str] | None = None) -> Iterator[str]:
    """The N-Quads lines of a new issue (label, scale, unit, definition, broader issues, aliases), in ``graph``;
    or, given ``fields`` (of :data:`ISSUE_FIELDS`), only those fields', for a change that replaces them.

    Examples
    --------
    >>> truce = Issue("truce", "Truce", broader=("ceasefire",), aliases=("Lull",))
    >>> print("".join(generate_issue_nquads(truce, "<g>", fields=["aliases"])), end="")
    <https://w3id.org/parley/id/issue/truce> <http://www.w3.org/2004/02/skos/core#altLabel> "Lull" <g> .
    """
    node, end = _iri("issue", issue.id), f" {graph} .\n"
    if fields is None:
        yield f"{node} {_TYPE} {_parley('Issue')}{end}"
        yield f"{node} {_parley('scale')} {_parley('Quantity' if issue.scale == QUANTITY else 'Binary')}{end}"
        if issue.unit:
            yield f"{node} {_parley('unit')} {_string(issue.unit)}{end}"
    values = {
        "label": [_string(issue.label)],
        "definition": [_string(issue.definition)] if issue.definition else [],
        "aliases": [_string(alias) for alias in issue.aliases],
        "broader": [_iri("issue", broader) for broader in issue.broader],
    }
    for field, predicate in ISSUE_FIELDS.items():
        if fields is None or field in fields:
            yield from (f"{node} <{predicate}> {value}{end}" for value in values[field])


def generate_source_nquads(
    source: Source, graph: str, sha256: str | None = None, text: str | None = None
) -> Iterator[str]:
    """The N-Quads lines of a new source (title, date, publisher, URL, its text and the text's SHA-256), in ``graph``.

    Given its ``text``, the source holds it, and every quote taken from it in the same load is checked
    against it (:func:`graph.ingest.texts.verify_quotes`).

    Examples
    --------
    >>> lines = "".join(generate_source_nquads(Source("talks", "The talks", "2025-05-16"), "<g>"))
    >>> print(lines.replace("https://w3id.org/parley", "P").replace("http://", "").replace("/XMLSchema", ""), end="")
    <P/id/source/talks> <www.w3.org/1999/02/22-rdf-syntax-ns#type> <P#Source> <g> .
    <P/id/source/talks> <purl.org/dc/terms/title> "The talks" <g> .
    <P/id/source/talks> <purl.org/dc/terms/issued> "2025-05-16"^^<www.w3.org/2001#date> <g> .

    Raises
    ------
    ValueError
        If its URL is not an IRI.
    """
    node, end = _iri("source", source.id), f" {graph} .\n"
    yield f"{node} {_TYPE} {_parley('Source')}{end}"
    yield f"{node} <{_DCTERMS}title> {_string(source.title)}{end}"
    if source.issued:
        yield f"{node} <{_DCTERMS}issued> {_date_literal(source.issued)}{end}"
    if source.publisher:
        yield f"{node} <{_DCTERMS}publisher> {_string(source.publisher)}{end}"
    if source.url:
        yield f"{node} <{_DCTERMS}source> {ox.NamedNode(source.url)}{end}"
    if sha256:
        yield f"{node} {_parley('sha256')} {_string(sha256)}{end}"
    if text:
        yield f"{node} {_parley('text')} {_string(text)}{end}"


def positions_document(
    positions: Iterable[Position], name: str, sha256: str | None = None, described: Iterable[str] = ()
) -> Document:
    """The RDF of many positions as one document ready to load (see :func:`generate_position_nquads`).

    Parameters
    ----------
    positions : the positions, each with its evidence and conditions.
    name : how messages name the document (``positions.csv``).
    sha256 : the checksum the load records; by default that of the generated N-Quads.
    described : N-Quads lines of the actors, issues and sources the document describes too
        (:func:`generate_actor_nquads`...).

    Examples
    --------
    >>> from graph.analysis.model import Source
    >>> said = (Evidence("We will not stop.", Source("talks", "")),)
    >>> document = positions_document(
    ...     [Position("p1", "russia", "ceasefire", stance="opposes", evidence=said),
    ...      Position("p2", "ukraine", "ceasefire", stance="supports", evidence=said)], "two.csv")
    >>> document.name, document.graphs, document.quads
    ('two.csv', ['https://w3id.org/parley/graph/source/talks'], 18)
    """
    lines = (line for position in positions for line in generate_position_nquads(position))
    return nquads_document(name, itertools.chain(described, lines), sha256)


def nquads_document(name: str, lines: Iterable[str], sha256: str | None = None) -> Document:
    """N-Quads lines (of the generators here, or of :func:`graph.store.nquads`) as one document ready to load.

    ``sha256`` is the checksum the load records; by default that of the lines.

    Examples
    --------
    >>> document = nquads_document("issue truce", generate_issue_nquads(Issue("truce", "Truce"), "<urn:g>"))
    >>> document.graphs, document.quads
    (['urn:g'], 3)
    """
    content = "".join(lines).encode()
    dataset = ox.Store()
    dataset.load(content, ox.RdfFormat.N_QUADS)
    graphs = sorted(graph.value for graph in dataset.named_graphs())
    default = ox.NamedNode(graphs[0]) if graphs else source_graph("api")
    checksum = sha256 or hashlib.sha256(content).hexdigest()
    return Document(name, checksum, ox.RdfFormat.N_QUADS, dataset, default)


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
    return positions_document([position], f"position {position.id}")


def source_document(source: Source, text: str, name: str | None = None) -> Document:
    """The record of a new source with its full text, as a document ready to load.

    Loaded, the record goes to the reference graph with the text's SHA-256, which Parley adds.
    ``source.issued`` is YYYY-MM-DD (or YYYY-MM, YYYY: what the source says); the shapes refuse anything else.

    Raises
    ------
    InvalidArgument
        If the source's id is not a slug or its URL is not an IRI.

    Examples
    --------
    >>> document = source_document(Source("talks", "Talks", "2025-04-20", url="https://example.org/talks"), "We met.")
    >>> document.name, document.graphs, document.quads
    ('source talks', ['https://w3id.org/parley/graph/source/talks'], 5)
    """
    if not SLUG.fullmatch(source.id):
        raise InvalidArgument("id", f"{source.id!r}: use lowercase letters, digits and inner hyphens")
    if source.url:
        try:
            ox.NamedNode(source.url)
        except ValueError as error:
            raise InvalidArgument("url", f"{source.url!r} is not an IRI: {error}") from None
    graph = graph_of(source.id)
    content = "".join(generate_source_nquads(source, graph, text=text)).encode()
    dataset = ox.Store()
    dataset.load(content, ox.RdfFormat.N_QUADS)
    checksum = hashlib.sha256(content).hexdigest()
    return Document(name or f"source {source.id}", checksum, ox.RdfFormat.N_QUADS, dataset, source_graph(source.id))


def add_source(store: Dataset, document: Document, source: str) -> LoadReport:
    """Load the document of a new source (:func:`source_document`), refusing a slug a source has already.

    Raises
    ------
    SourceExists
        If a source has this slug: its text is given with :func:`graph.ingest.texts.set_text`.
    """
    if store.is_instance(instance("source", source), ox.NamedNode(PARLEY + "Source")):
        raise SourceExists(source)
    return load_documents(store, [document], deduplicate=False, operation="post")
