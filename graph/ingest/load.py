"""Read RDF documents, validate them against the shapes, and write them to the store.

A load takes one or more documents and is all or nothing: every document parses, the batch
passes validation, and then one transaction writes it, with a record of each document in the
log graph. A document whose SHA-256 is already in the log is skipped, so loading the seed graph
or a file again adds nothing.

Parsing never reaches outside the document: Oxigraph's JSON-LD parser loads no remote context,
and a document that asks for one is refused before parsing with a message that says so.
RDF/XML is not accepted (XML entities make it an expansion risk); convert it to Turtle.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property, lru_cache
from pathlib import Path

import pyoxigraph as ox

from graph.analysis.derived import affected_pairs, derived_is_current, refresh_derived
from graph.analysis.model import Negotiation
from graph.analysis.read import read_negotiation, read_positions
from graph.analysis.shifts import additions_in_place
from graph.errors import (
    DocumentSyntaxError,
    EmptyDocument,
    ForbiddenGraph,
    InvalidDocument,
    UnreadableDocument,
    UnsafeDocument,
    UnsupportedFormat,
)
from graph.ingest.changelog import change_record, write_record, write_summary
from graph.ingest.texts import PASSAGE_QUADS, TEXT, decode_text, line_and_column, verify_quotes
from graph.ingest.validate import ShapesValidator
from graph.progress import CountingReader, Progress, as_progress
from graph.store import BulkWrite, Dataset, FileParts, Store, nquads, open_dataset, queries, solutions
from graph.store.namespaces import (
    DERIVED_GRAPH,
    GRAPH,
    ID,
    LOG_GRAPH,
    ONTOLOGY_DIR,
    ONTOLOGY_GRAPH,
    PARLEY,
    PREFIXES,
    REFERENCE_GRAPH,
    SEEDS_DIR,
    instance,
    is_source_graph,
    slug_of,
    source_graph,
)

__all__ = [
    "Document",
    "LoadReport",
    "FORMATS",
    "MEDIA_TYPES",
    "format_for",
    "parse_document",
    "parse_upload",
    "read_document",
    "validate_documents",
    "check_documents",
    "load_documents",
    "replace_descriptions",
    "load_files",
    "load_seed_graph",
    "open_store",
    "slug_from_name",
    "supertype_quads",
]

FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "n-triples": ox.RdfFormat.N_TRIPLES,
    "n-quads": ox.RdfFormat.N_QUADS,
    "json-ld": ox.RdfFormat.JSON_LD,
}
"""The formats Parley reads, by the name ``--format`` takes."""

_EXTENSIONS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".trig": "trig",
    ".nt": "n-triples",
    ".ntriples": "n-triples",
    ".nq": "n-quads",
    ".nquads": "n-quads",
    ".jsonld": "json-ld",
    ".json": "json-ld",
}
MEDIA_TYPES: dict[str, str] = {
    "text/turtle": "turtle",
    "application/trig": "trig",
    "application/n-triples": "n-triples",
    "application/n-quads": "n-quads",
    "application/ld+json": "json-ld",
}
"""The media types Parley reads, each with its name in :data:`FORMATS`."""
_REFUSED = {".rdf": "RDF/XML", ".owl": "RDF/XML", ".xml": "RDF/XML", ".trix": "TriX", "application/rdf+xml": "RDF/XML"}
_DATASET_FORMATS = {ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS, ox.RdfFormat.JSON_LD}
_SYNTAX_PREFIX = re.compile(r"^Parser error (?:at|between) [^:]*:\s*")

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@dataclass
class Document:
    """A parsed document, not yet in the store.

    Its quads sit in a private in-memory dataset; triples outside a named graph were put in
    ``default_graph`` (for a file, ``graph/source/{file stem}`` unless the caller chose another).
    """

    name: str
    sha256: str
    format: ox.RdfFormat
    dataset: ox.Store | None
    """The parsed quads; None once the document is written (:meth:`release`)."""
    default_graph: ox.NamedNode
    computed: dict[ox.NamedNode, list[str]] = field(default_factory=dict)
    """What Parley adds as it loads the document (:func:`graph.ingest.texts.verify_quotes`), as N-Quads
    by graph: where each quote found stands in its source's text, and the SHA-256 of a text given
    without one. Written with the document; made by Parley from what the shapes checked, not checked again."""
    verified: int = 0
    """How many of its quotes were found in their source's text (the others are unverified)."""
    outside_named_graphs: bool = False
    """Did a dataset format (N-Quads, TriG, JSON-LD) put triples outside a named graph (moved to ``default_graph``)?"""

    @property
    def staged(self) -> ox.Store:
        """The parsed quads, while the document is not yet written."""
        if self.dataset is None:
            raise RuntimeError(f"{self.name} was let go once written: its quads are in the store")
        return self.dataset

    @cached_property
    def quads(self) -> int:
        """How many quads the document holds (duplicates counted once)."""
        return len(self.staged)

    @cached_property
    def graphs(self) -> list[str]:
        """The named graphs the document writes to."""
        return sorted(graph.value for graph in self.staged.named_graphs())

    def add_computed(self, graph: ox.NamedNode, nquads: str) -> None:
        """Add N-Quads, all in ``graph``, to what is written with the document (:attr:`computed`)."""
        self.computed.setdefault(graph, []).append(nquads)

    def computed_nquads(self, graphs: Callable[[ox.NamedNode], bool] = lambda graph: True) -> bytes:
        """What Parley computed for the document, in the graphs ``graphs`` accepts (all by default), as N-Quads."""
        return "".join(text for graph, texts in self.computed.items() if graphs(graph) for text in texts).encode()

    @cached_property
    def subjects(self) -> list[ox.NamedNode | ox.BlankNode | ox.Triple]:
        """The nodes the document describes (the subjects of its quads), once each."""
        return [row[0] for row in solutions(self.staged.query(queries.DOCUMENT_SUBJECTS))]

    @cached_property
    def quotes(self) -> int:
        """How many quotes its evidence holds."""
        rows = solutions(self.staged.query(queries.COUNT_QUOTES, prefixes=PREFIXES))
        return int(next(iter(rows))["quotes"].value)

    def release(self) -> None:
        """Let go of the parsed quads, keeping what a report says (name, checksum, counts, graphs).

        A load does this once the document is written (and the index after it read, where it is read
        from the documents): at 1M positions the staging dataset holds gigabytes that the derived
        graph's refresh needs.
        """
        self.keep_counts()
        self.dataset = None
        self.computed = {}
        self.__dict__.pop("subjects", None)

    def keep_counts(self) -> None:
        """Work out what a report says of the document (counts, graphs) now, before its dataset changes or goes."""
        _ = self.quads, self.graphs, self.quotes


@dataclass
class LoadReport:
    """What a load did."""

    loaded: list[Document]
    skipped: list[Document]
    """Documents already in the store (same SHA-256), not written again."""
    negotiation: Negotiation | None = None
    """The analysis index as it is after the load: the one given, updated in place, or a fresh read."""
    version: int | None = None
    """The store's version counter after the load (see :meth:`graph.store.Store.raise_version`)."""

    @property
    def quads(self) -> int:
        return sum(document.quads for document in self.loaded)


def format_for(name: str, format: str | None = None) -> ox.RdfFormat:
    """Return the RDF format of a document from ``format`` (a name or media type) or its extension.

    Raises
    ------
    UnsupportedFormat
        For RDF/XML and TriX, and for anything Parley does not read.

    Examples
    --------
    >>> format_for("seeds/talks.trig")
    <RdfFormat TriG>
    >>> format_for("upload", "text/turtle")
    <RdfFormat Turtle>
    """
    supported = "Turtle (.ttl), TriG (.trig), N-Triples (.nt), N-Quads (.nq) or JSON-LD (.jsonld)"
    key = (format or Path(name).suffix).lower().split(";")[0].strip()
    if key in _REFUSED:
        raise UnsupportedFormat(
            name, f"{_REFUSED[key]} is not accepted (XML entity expansion risk); convert it to {supported}"
        )
    key = MEDIA_TYPES.get(key, _EXTENSIONS.get(key, key))
    if key in FORMATS:
        return FORMATS[key]
    if format:
        raise UnsupportedFormat(name, f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    raise UnsupportedFormat(name, f"cannot tell the format from the file name; use {supported}, or name the format")


def parse_document(
    content: bytes,
    name: str,
    format: str | None = None,
    default_graph: ox.NamedNode | None = None,
    progress: Progress | None = None,
) -> Document:
    """Parse one document into a :class:`Document`, refusing anything that is not clean RDF.

    A document writes source graphs only (``graph/source/{slug}``): one that names any other graph,
    Parley's own or another, is refused. The actors, issues and sources it describes are placed
    in the reference graph by the load (:func:`load_documents`), not by the document.

    Parameters
    ----------
    content : the document's bytes (UTF-8 text).
    name : how to name the document in messages (a path or an upload name).
    format : a format name or media type; by default guessed from ``name``'s extension.
    default_graph : where triples outside a named graph go; by default ``graph/source/{stem of name}``.
        Relative IRIs resolve against ``https://w3id.org/parley/id/``.
    progress : told how many bytes the parser has read.

    Raises
    ------
    UnsupportedFormat, EmptyDocument, UnsafeDocument, DocumentSyntaxError, ForbiddenGraph

    Examples
    --------
    >>> document = parse_document(b'<actor/x> a <https://w3id.org/parley#State> .', "x.ttl")
    >>> document.quads, document.graphs
    (1, ['https://w3id.org/parley/graph/source/x'])
    >>> parse_document(b'<urn:x> <urn:p> <urn:y> <https://w3id.org/parley/graph/log> .', "x.nq")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graph.errors.ForbiddenGraph: x.nq: names the graph <https://w3id.org/parley/graph/log>; a document writes ...
    """
    document = _parse(content, name, format, default_graph, progress)
    for graph in document.graphs:
        if not is_source_graph(graph):
            raise ForbiddenGraph(
                name,
                f"names the graph <{graph}>; a document writes only source graphs, "
                f"<{GRAPH}source/{{slug}}> (Parley places actors, issues and "
                "sources in the reference graph itself)",
            )
    return document


def _parse(
    content: bytes, name: str, format: str | None, default_graph: ox.NamedNode | None, progress: Progress | None = None
) -> Document:
    """Parse a document wherever its graphs are (Parley's own files: the ontology); tell ``progress`` the bytes read."""
    rdf_format = format_for(name, format)
    if not content.strip():
        raise EmptyDocument(name, "the document is empty")
    if b"\x00" in content:
        raise DocumentSyntaxError(
            name,
            "binary data (a NUL byte), not an RDF text document",
            *line_and_column(content, content.index(b"\x00")),
        )
    text = _utf8_text(content, name)
    if rdf_format == ox.RdfFormat.JSON_LD:
        _refuse_remote_contexts(text, name)
    del text  # a copy of the whole file (2 GB at 1M positions), which the parse below has no use for

    graph = default_graph or source_graph(slug_from_name(Path(name).stem))
    dataset = ox.Store()
    # Read in pieces, the parser tells how far it has gone (measured: no slower than parsing the bytes at once).
    source = content if progress is None else io.BufferedReader(CountingReader(content, progress), 1 << 20)
    try:
        outside = False
        if rdf_format in _DATASET_FORMATS:
            dataset.load(source, rdf_format, base_iri=ID)
            outside = _move_default_graph(dataset, graph)
        else:
            dataset.load(source, rdf_format, base_iri=ID, to_graph=graph)
    except SyntaxError as error:
        raise DocumentSyntaxError(name, _SYNTAX_PREFIX.sub("", error.msg), error.lineno, error.offset) from None
    if len(dataset) == 0:
        raise EmptyDocument(name, "the document holds no triples")
    return Document(name, hashlib.sha256(content).hexdigest(), rdf_format, dataset, graph, outside_named_graphs=outside)


def _utf8_text(content: bytes, name: str) -> str:
    """``content`` decoded, or the error that says where it is not UTF-8."""
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DocumentSyntaxError(
            name,
            f"not UTF-8 text (byte 0x{content[error.start]:02x}); RDF documents must be UTF-8",
            *line_and_column(content, error.start),
        ) from None


def read_document(
    path: str | Path,
    format: str | None = None,
    default_graph: ox.NamedNode | None = None,
    progress: Progress | Callable[[str], None] | None = None,
) -> Document:
    """Read and parse one file; see :func:`parse_document`. ``progress`` is told of the parse, in bytes."""
    path = Path(path)
    content = _read(path)
    told = as_progress(progress)
    told.phase(f"parsing {path}", len(content), "bytes")
    return parse_document(content, str(path), format, default_graph, told)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise UnreadableDocument(str(path), f"cannot read the file: {error.strerror}") from None


def parse_upload(content: bytes, format: str, graph: str | None = None) -> Document:
    """Parse a document sent over HTTP, choosing where its triples outside a named graph go.

    Parameters
    ----------
    content : the body.
    format : its media type (``text/turtle``, ``application/trig``, ``application/ld+json``...).
    graph : the slug of the source graph (``graph/source/{graph}``). By default, the one source the
        document describes; a document that describes none or several must say.

    Raises
    ------
    UnsupportedFormat, EmptyDocument, UnsafeDocument, DocumentSyntaxError
        As :func:`parse_document`; also when the graph cannot be chosen.
    """
    name = "upload"
    document = parse_document(content, name, format, source_graph(graph) if graph else None)
    if graph is not None or not document.staged.contains_named_graph(source_graph("upload")):
        return document
    sources = sorted(
        {
            quad.subject.value
            for quad in document.staged.quads_for_pattern(None, RDF_TYPE, ox.NamedNode(PARLEY + "Source"))
            if isinstance(quad.subject, ox.NamedNode)
        }
    )
    if len(sources) != 1:
        found = f"it describes {len(sources)} sources" if sources else "it describes no parley:Source"
        raise EmptyDocument(
            name,
            f"cannot tell which source graph its triples belong to ({found}); "
            "send ?graph=<source slug>, or use TriG with named graphs",
        )
    return parse_document(content, name, format, source_graph(slug_of(sources[0])))


@lru_cache(maxsize=1)
def _validator() -> ShapesValidator:
    return ShapesValidator()


class _Batch:
    """What a document of a batch may refer to: the other documents of the batch, then the store."""

    def __init__(self, document: Document, documents: list[Document], store: Dataset, validator: ShapesValidator):
        self._others = [other for other in documents if other is not document]
        self._store = store
        self._validator = validator

    def is_instance(self, value: ox.NamedNode, class_: ox.NamedNode) -> bool:
        classes = self._validator.classes_within(class_)
        for other in self._others:
            if any(quad.object in classes for quad in other.staged.quads_for_pattern(value, RDF_TYPE, None)):
                return True
        return self._store.is_instance(value, class_)

    def instances_of(self, class_: ox.NamedNode) -> list[str]:
        classes = self._validator.classes_within(class_)
        in_batch = (
            node.value for other in self._others for node in _typed(other, classes) if isinstance(node, ox.NamedNode)
        )
        # Once each: a document may type a node by a class and a superclass of it, and the store may hold it too.
        return list(dict.fromkeys([*in_batch, *self._store.instances_of(class_)]))


def validate_documents(
    documents: list[Document],
    store: Dataset,
    stored: list[list[ox.Quad]] | None = None,
    progress: Progress | None = None,
    one_at_a_time: bool = False,
) -> None:
    """Check every document against the shapes, letting each refer to the store and to the others.

    ``stored`` is what the store holds about each document's subjects (:func:`stored_descriptions`),
    read before a bulk write begins when validation runs beside it; read now if not given.
    ``progress`` is told of each query the validator runs; ``one_at_a_time`` runs one at a time.

    Raises
    ------
    InvalidDocument
        For the first document with violations, listing all of them.
    """
    validator = _validator()
    stored = stored if stored is not None else stored_descriptions(documents, store)
    for document, described in zip(documents, stored, strict=True):
        violations = validator.validate(
            document.staged, _Batch(document, documents, store, validator), described, progress, one_at_a_time
        )
        if violations:
            raise InvalidDocument(document.name, violations)


def check_documents(documents: list[Document], store: Dataset) -> None:
    """Check documents as a load would, and write nothing: the shapes, then each quote whose source
    holds its text against that text (:func:`graph.ingest.texts.verify_quotes`).

    Raises
    ------
    InvalidDocument, QuoteNotFound, TextMismatch, TextConflict
    """
    validate_documents(documents, store)
    refusal = verify_quotes(documents, store)
    if refusal is not None:
        raise refusal


def stored_descriptions(documents: list[Document], store: Dataset) -> list[list[ox.Quad]]:
    """For each document, every quad the store holds about its subjects (validated with it)."""
    return [
        store.descriptions([subject for subject in document.subjects if isinstance(subject, ox.NamedNode)])
        for document in documents
    ]


def load_documents(
    store: Dataset,
    documents: list[Document],
    progress: Progress | Callable[[str], None] | None = None,
    negotiation: Negotiation | None = None,
    deduplicate: bool = True,
    operation: str = "load",
    early: EarlyWrite | None = None,
) -> LoadReport:
    """Validate ``documents`` together and write them, all or nothing, then refresh the derived graph.

    Documents already in the store (by SHA-256) are skipped, unless ``deduplicate`` is False (a
    write built from a request, which may rightly repeat one that was deleted since). Nothing is
    written unless every document is valid; the write is one transaction, or for a large load into
    new graphs the bulk loader under a pending record (:meth:`Store.bulk_write`). Given the live
    ``negotiation`` of the store (a server's analysis index),
    documents that only add positions update it in place and refresh only the stands they touch;
    otherwise the derived graph is rebuilt from the store.

    Every quote whose source holds its text (in the store, or given by a document of the batch) must be
    found in it, and is written with where it stands (:func:`graph.ingest.texts.verify_quotes`).

    The write is recorded in the change log as ``operation`` (see :mod:`graph.ingest.changelog`).

    ``early`` is the bulk loader writing the one document's file as it is, begun once it was parsed
    (:func:`load_files`): until the load ends it, the store is read as it was before (:attr:`EarlyWrite.before`).

    Raises
    ------
    InvalidDocument
        For the first document the shapes refuse (before any quote is reported missing).
    QuoteNotFound, TextMismatch, TextConflict
        For a quote not in its source's text, or a text that is not its source's (see ``verify_quotes``).

    Examples
    --------
    >>> from graph.store import Store
    >>> store = Store("memory")
    >>> report = load_seed_graph(store)
    >>> [document.name for document in report.loaded][:2]
    ['ontology/parley.ttl', 'ontology/issues.ttl']
    >>> load_seed_graph(store).loaded
    []
    """
    told = as_progress(progress)
    reading = early.before if early is not None else store  # the store as it was, till the load ends
    fresh, skipped, seen = [], [], set()
    for document in documents:
        if deduplicate and (document.sha256 in seen or reading.has_document(document.sha256)):
            skipped.append(document)
        else:
            seen.add(document.sha256)
            fresh.append(document)
    if not fresh:
        told.finish()
        return LoadReport([], skipped, negotiation)
    if early is not None and not early.holds(fresh):  # load_files checked before it began: a guard for other callers
        early.writing.abandon()
        early = None
    for document in fresh:
        place_shared_descriptions(document, reading)
    told.phase("checking quotes against their sources' texts")
    refusal = verify_quotes(fresh, reading)
    if refusal is not None:
        validate_documents(fresh, reading)  # what the shapes find wrong is said first: a quote is checked once sound
        raise refusal
    now = _now()
    records = [quad for document in fresh for quad in _log_record(document, now, unique=not deduplicate)]
    records += supertype_quads(records)
    only_positions = all(_only_positions(document) for document in fresh)
    positions = [iri for document in fresh for iri in _instances(document, PARLEY + "Position")]
    added = positions if only_positions else []
    before = _index_before(reading, negotiation, added if only_positions else None)
    copy = _copy_before(reading, fresh, before, len(positions))
    if early is not None:
        _validate_while_written(early, fresh[0], records, told, copy)
    else:
        _validate_and_write(store, fresh, nquads(records), told, copy)
    # From here on the documents are in: whatever stops the load (an error, Ctrl-C) must say so.
    with _noting_the_documents_are_in():
        verb = {"load": "loaded", "import": "imported", "post": "posted"}.get(operation, operation)
        summary = f"{verb} {', '.join(document.name for document in fresh)}"
        in_place = negotiation is not None and only_positions
        if copy is None or in_place:
            _release(fresh)  # before the index is read from the store: at 1M positions, they hold gigabytes
        told.phase("reading the analysis index")
        with _after_write(store) as record:
            if negotiation is not None and in_place:
                new_positions = read_positions(store, added)
                changes = additions_in_place(negotiation, new_positions, date.today())
                record += change_record(operation, write_summary(summary, changes), changes, negotiation)
                pairs: set[tuple[str, str]] | None = affected_pairs(negotiation, new_positions)
            else:
                negotiation = read_negotiation(store, _as_written(copy, fresh) if copy is not None else None)
                copy = None  # let go of it, and of the documents, before the derived graph is brought current
                _release(fresh)
                told.phase("recording the changes in the change log")
                if before is None:  # new positions only and no index at hand: before, the index lacked just them
                    ids = [slug_of(iri.value) for iri in added]
                    record += write_record(operation, summary, negotiation.without_positions(ids), negotiation, ids)
                else:
                    record += write_record(operation, summary, before, negotiation)
                pairs = None
        # The data and its record are in: replicas answer from them at once, the derived graph stale till it is done.
        version = store.raise_version(record)
        refresh_derived(store, negotiation, pairs=pairs, new_loads=len(fresh), progress=told)
    told.finish()
    return LoadReport(fresh, skipped, negotiation, version)


def _index_before(store: Dataset, negotiation: Negotiation | None, positions: list[ox.NamedNode] | None):
    """The index before a load, for the change log: the one at hand; else read now, unless the load only adds
    new positions (``positions``, none of them in the store yet), which the index after it can leave out."""
    if negotiation is not None:
        return negotiation
    if positions is not None and not store.descriptions(positions):
        return None
    return read_negotiation(store)


COPIED_POSITIONS = 0.25
"""A large load copies the store into memory before it writes (:func:`_copy_before`) if the store holds no more
positions than this share of those the load adds: validation asks the copy what the store says of the documents'
subjects, and the index after the load is read from it (:func:`_as_written`). A store holding more is asked
itself, which then costs less than a copy."""


def _copy_before(store: Dataset, documents: list[Document], before: Negotiation | None, added: int) -> Store | None:
    """The store before a large load of ``added`` positions, copied into memory without its derived graph (see
    :data:`COPIED_POSITIONS`).

    None where the load is small, or the store holds many positions, or how many is not known (no index at
    hand), or it is a server: its dump leaves out the graphs of its own that its queries read, and may meet its
    cap on rows.
    """
    if store.shared or before is None or sum(document.quads for document in documents) < BULK_WRITE_QUADS:
        return None
    if len(before.positions) > COPIED_POSITIONS * added:
        return None
    copy = Store()
    copy.write(store.dump(ox.RdfFormat.N_QUADS))
    copy.replace({DERIVED_GRAPH: None}, [])
    return copy


def _as_written(copy: Store, documents: list[Document]) -> Store:
    """The store after a load, in memory: ``copy`` (what it held before) and the documents as the load wrote them,
    with their supertypes and what Parley computed for them.

    A load only adds, so this is what the store holds but for the load's records in the log graph and the
    derived graph, which the index never reads: it is read from here at memory's speed (measured at 100k
    positions: 9.8 s against 15.1 s from the store on disk). It is built in the largest document's dataset,
    which the load lets go of next (what a report says of each document is worked out first). Quads go in
    as terms, never as text to parse again, which would name each blank node anew.
    """
    for document in documents:
        document.keep_counts()
    dataset = max(documents, key=lambda document: document.quads).staged
    for document in documents:
        if document.staged is not dataset:
            dataset.extend(document.staged)
        dataset.extend(_supertypes(document))
        dataset.extend(ox.parse(document.computed_nquads(), ox.RdfFormat.N_QUADS))
    dataset.extend(ox.parse(copy.dump(), ox.RdfFormat.N_QUADS))
    return Store.around(dataset)


def _release(documents: list[Document]) -> None:
    """Let go of the documents' parsed quads, once written and read (see :meth:`Document.release`)."""
    for document in documents:
        document.release()


@contextlib.contextmanager
def _after_write(store: Dataset) -> Iterator[list[ox.Quad]]:
    """Around the index brought up to date after a write (within :func:`_noting_the_documents_are_in`): a
    failure there still raises the version so that replicas learn of the documents, with the write's record
    (the list yielded) if it was made by then."""
    record: list[ox.Quad] = []
    try:
        yield record
    except (Exception, KeyboardInterrupt):
        with contextlib.suppress(Exception):  # best effort: replicas still learn of the new data
            store.raise_version(record)
        raise


@contextlib.contextmanager
def _noting_the_documents_are_in() -> Iterator[None]:
    """Around what follows a write: a failure says that the documents are in and the derived graph stale."""
    try:
        yield
    except (Exception, KeyboardInterrupt) as error:
        # The documents are in: whoever reports this error must not say that nothing was loaded.
        error.add_note(
            "the documents were loaded; the derived graph is stale until the store is next opened, which rebuilds it"
        )
        raise


def replace_descriptions(
    store: Dataset,
    document: Document,
    subjects: list[ox.NamedNode],
    graph: ox.NamedNode = REFERENCE_GRAPH,
    negotiation: Negotiation | None = None,
) -> LoadReport:
    """Replace all that ``graph`` says of ``subjects`` by what ``document`` says, in one transaction.

    The document is validated as its subjects will stand after the write: with what other graphs
    say of them, without what it replaces. Then the analysis index is read again and the derived
    graph rebuilt (a change of names or of the issue hierarchy reaches every group's stands).
    ``negotiation`` is the index before the write, if at hand (the change log compares it with the one after).

    Raises
    ------
    InvalidDocument
        If the subjects, so described, break the shapes; nothing is written.

    Examples
    --------
    >>> from graph.analysis.model import Issue
    >>> from graph.ingest.documents import generate_issue_nquads, nquads_document
    >>> from graph.store.namespaces import instance
    >>> moved = Issue("ceasefire", "Ceasefire", broader=("mediation",))
    >>> document = nquads_document("issue ceasefire", generate_issue_nquads(moved, f"<{REFERENCE_GRAPH.value}>"))
    >>> store = open_store("memory")
    >>> report = replace_descriptions(store, document, [instance("issue", "ceasefire")])
    >>> report.negotiation.issues["ceasefire"].broader
    ('mediation',)
    """
    validator = _validator()
    replaced = set(subjects)
    stored = [
        quad
        for quad in stored_descriptions([document], store)[0]
        if not (quad.graph_name == graph and quad.subject in replaced)
    ]
    violations = validator.validate(document.staged, _Batch(document, [document], store, validator), stored)
    if violations:
        raise InvalidDocument(document.name, violations)
    records = _log_record(document, _now(), unique=True)
    types = document.staged.quads_for_pattern(None, RDF_TYPE, None)
    before = negotiation if negotiation is not None else read_negotiation(store)  # for the change log
    store.replace({graph: subjects}, [*document.staged, *supertype_quads([*types, *records]), *records])
    with _noting_the_documents_are_in():
        document.release()
        with _after_write(store) as record:
            after = read_negotiation(store)
            record += write_record("post", f"changed {document.name}", before, after)
        version = store.raise_version(record)
        refresh_derived(store, after)
    return LoadReport([document], [], after, version)


BULK_WRITE_QUADS = 50_000
"""From this many quads on, the graphs a load creates go through Oxigraph's bulk loader (see Store.bulk_write)."""


def _validate_and_write(
    store: Dataset, documents: list[Document], records: bytes, told: Progress, copy: Dataset | None = None
) -> None:
    """Validate documents and write them, with the types that follow from theirs (:func:`_written`) and
    their log records, all or nothing. What the store says of their subjects is read from ``copy``, the store
    copied into memory (:func:`_copy_before`), if given: at 100k positions, asking the store on disk of each
    subject took 3.4 s.

    A large load into new graphs goes the store's fast way (:meth:`Store.bulk_write`), and is
    validated while it is written: if it is invalid, what was written is dropped. What goes into
    graphs that exist already (shared actors and issues) and the log records are written in the
    transaction that ends it. Anything else is validated first, then written in one transaction.
    """
    quads = sum(document.quads + document.verified * PASSAGE_QUADS for document in documents)
    graphs = {graph for document in documents for graph in _named_graphs(document)}
    new = sorted((graph for graph in graphs if not store.has_graph(graph)), key=lambda graph: graph.value)
    if quads >= BULK_WRITE_QUADS and new:
        bulk_parts: list[bytes] = []
        rest_parts = [records]
        for document in documents:
            _split_by_graph(document, set(new), bulk_parts, rest_parts)
        bulk, rest = b"".join(bulk_parts), b"".join(rest_parts)
        # A blank node shared by both parts would be split in two by INSERT DATA: keep those in one transaction.
        if b"_:" not in rest:
            told.phase(
                f"validating {len(documents)} document(s), {quads:,} quads, while writing them",
                len(documents) * _validator().checks,
                "checks",
            )
            # What the store holds about the documents is read before it holds the documents too.
            stored = stored_descriptions(documents, copy if copy is not None else store)
            # One query at a time: the bulk loader keeps a core busy, and two queries beside it slow it more than
            # they gain (measured at 100k positions: both done at 20.9 s, against 22.6 s with two at a time).
            store.bulk_write(
                new, bulk, rest, while_writing=lambda: validate_documents(documents, store, stored, told, True)
            )
            return
    told.phase(
        f"validating {len(documents)} document(s), {quads:,} quads", len(documents) * _validator().checks, "checks"
    )
    described = stored_descriptions(documents, copy if copy is not None else store)
    validate_documents(documents, store, described, told)
    told.phase("writing")
    store.write(b"".join(_written(document) + document.computed_nquads() for document in documents) + records)


def _validate_while_written(
    early: EarlyWrite, document: Document, records: list[ox.Quad], told: Progress, copy: Dataset | None
) -> None:
    """Validate the document while the bulk loader writes its file, then end the write with what the load writes
    that the file does not say (see :class:`EarlyWrite`). If the document is invalid, what was written is dropped.

    What the store says of its subjects is read from ``copy`` if given, else from the store as it was.
    """
    new = set(early.writing.graphs)
    supertypes = _supertypes(document)
    early.writing.add(
        nquads([quad for quad in supertypes if quad.graph_name in new])
        + document.computed_nquads(lambda graph: graph in new)
    )
    early.writing.raise_if_failed()  # a file changed in a part written by now is refused before validation
    quads = document.quads + document.verified * PASSAGE_QUADS
    told.phase(f"validating 1 document(s), {quads:,} quads, while writing its file", _validator().checks, "checks")
    stored = stored_descriptions([document], copy if copy is not None else early.before)
    validate_documents([document], early.before, stored, told)
    # What the load moved out of the file's graphs: the actors, issues and sources it describes.
    placed = [
        quad
        for graph in _named_graphs(document)
        if graph not in new
        for quad in document.staged.quads_for_pattern(None, None, None, graph)
    ]
    moved = sorted({quad.subject for quad in placed if isinstance(quad.subject, ox.NamedNode)}, key=str)
    computed = list(ox.parse(document.computed_nquads(lambda graph: graph not in new), ox.RdfFormat.N_QUADS))
    early.writing.commit(
        [*placed, *(quad for quad in supertypes if quad.graph_name not in new), *computed, *records],
        {graph: moved for graph in early.writing.graphs},
    )


def _split_by_graph(document: Document, new: set[ox.NamedNode], bulk: list[bytes], rest: list[bytes]) -> None:
    """Add what the store receives of the document (:func:`_written`) and what Parley computed for it to
    ``bulk`` where it goes to a ``new`` graph, to ``rest`` where it goes to one that exists."""
    parts = {graph: graph in new for graph in _named_graphs(document)}
    if all(parts.values()) or not any(parts.values()):  # the usual case: dump it whole
        (bulk if any(parts.values()) else rest).append(_written(document))
    else:
        for graph, is_new in parts.items():  # dump(from_graph=) would drop the graph name
            (bulk if is_new else rest).append(_written(document, graph))
    # Apart: a text given to a source places the quotes the store holds from it, in graphs the document may not write.
    bulk.append(document.computed_nquads(lambda graph: graph in new))
    rest.append(document.computed_nquads(lambda graph: graph not in new))


def _named_graphs(document: Document) -> list[ox.NamedNode]:
    """The graphs of a parsed document (all named: parsing moved its default graph to a source graph)."""
    return [graph for graph in document.staged.named_graphs() if isinstance(graph, ox.NamedNode)]


SHARED_KINDS = ("Actor", "Issue", "Source")
"""What every source may describe and the reference graph holds for all: actors, issues, sources."""


def place_shared_descriptions(document: Document, store: Dataset) -> None:
    """Move what ``document`` says of actors, issues and sources into the reference graph.

    Those are described by the document (typed there as one of :data:`SHARED_KINDS`, a subclass
    included) or by the store (a document adding an alias to an actor loaded before). Positions,
    evidence and conditions stay in the document's source graph, and Parley's own vocabulary
    (the ontology's issue scheme) in its graph.
    """
    kinds = set().union(*(_validator().classes_within(ox.NamedNode(PARLEY + kind)) for kind in SHARED_KINDS))
    shared = set(_typed(document, kinds))
    # Those the document leaves untyped may be the store's (a new alias of a known actor).
    untyped = [
        node
        for node in document.subjects
        if isinstance(node, ox.NamedNode) and not _describes(document.staged, node, RDF_TYPE)
    ]
    shared.update(
        node for node in untyped if any(store.is_instance(node, ox.NamedNode(PARLEY + kind)) for kind in SHARED_KINDS)
    )
    for subject in shared:
        for quad in list(document.staged.quads_for_pattern(subject, None, None, None)):
            if isinstance(quad.graph_name, ox.NamedNode) and is_source_graph(quad.graph_name.value):
                document.staged.remove(quad)
                document.staged.add(ox.Quad(quad.subject, quad.predicate, quad.object, REFERENCE_GRAPH))
    document.__dict__.pop("graphs", None)  # the cached list of graphs changed


def supertype_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The types that follow from the ``rdf:type`` quads among ``quads``: for each of a Parley class, one
    per superclass of it in the vocabulary (``rdfs:subClassOf``, transitively), in the same graph.

    So the store answers ``?p a parley:Position`` with every position, a ``parley:Demand`` included,
    and ``?a a prov:Agent`` with every actor, without inference.

    Examples
    --------
    >>> state = ox.Quad(ox.NamedNode("urn:x"), RDF_TYPE, ox.NamedNode(PARLEY + "State"), ox.NamedNode("urn:g"))
    >>> [str(quad.object) for quad in supertype_quads([state])]
    ['<http://www.w3.org/ns/prov#Agent>', '<https://w3id.org/parley#Actor>']
    """
    superclasses = _validator().superclasses_of
    return [
        ox.Quad(quad.subject, RDF_TYPE, superclass, quad.graph_name)
        for quad in quads
        if quad.predicate == RDF_TYPE and isinstance(quad.object, ox.NamedNode)
        for superclass in superclasses(quad.object)
    ]


def _supertypes(document: Document, graph: ox.NamedNode | None = None) -> list[ox.Quad]:
    """:func:`supertype_quads` of the document's types (in ``graph`` only, if given), read class by class: of the
    hundreds of thousands of nodes a large document types, only those of a class with superclasses are read."""
    validator, staged = _validator(), document.staged
    return [
        ox.Quad(quad.subject, RDF_TYPE, superclass, quad.graph_name)
        for class_ in validator.classes_with_superclasses
        for quad in staged.quads_for_pattern(None, RDF_TYPE, class_, graph)
        for superclass in validator.superclasses_of(class_)
    ]


def _written(document: Document, graph: ox.NamedNode | None = None) -> bytes:
    """N-Quads of what the store receives of ``document`` (or of one graph of it): its quads, and the types
    that follow from its own (:func:`supertype_quads`), each in the graph of the type it follows from.

    Made as the document is written, once it is placed (:func:`place_shared_descriptions`: an actor's
    supertypes go with it to the reference graph) and apart from it: validation reads the document as
    it was sent, so the supertypes cost it nothing, and its report counts the quads it holds.
    """
    staged = document.staged
    quads = staged if graph is None else staged.quads_for_pattern(None, None, None, graph)
    return nquads(quads) + nquads(_supertypes(document, graph))


def _only_positions(document: Document) -> bool:
    """Does the document describe only positions, their evidence, conditions and sources?

    Only then can a live index take it in place; anything else (an actor's new parley:speaksFor,
    an issue's skos:broader) changes groups or inheritance, and the index is read again.
    """
    kinds = set().union(
        *(
            _validator().classes_within(ox.NamedNode(PARLEY + kind))
            for kind in ("Position", "Evidence", "Condition", "Source")
        )
    )
    typed = set(_typed(document, kinds))
    return all(subject in typed for subject in document.subjects)


def _instances(document: Document, class_iri: str) -> list[ox.NamedNode]:
    """The IRIs the document types as ``class_iri`` or one of its subclasses."""
    typed = _typed(document, _validator().classes_within(ox.NamedNode(class_iri)))
    return [node for node in typed if isinstance(node, ox.NamedNode)]


def _typed(document: Document, classes: Iterable[ox.NamedNode]) -> list[ox.NamedNode | ox.BlankNode | ox.Triple]:
    """The nodes the document types as one of ``classes``, once each (a position may be typed parley:Demand and
    parley:Position), class by class: a large document types hundreds of thousands of nodes, and only the
    ``rdf:type`` quads of these classes are read."""
    staged = document.staged
    return list(
        dict.fromkeys(
            quad.subject
            for class_ in sorted(classes, key=lambda class_: class_.value)
            for quad in staged.quads_for_pattern(None, RDF_TYPE, class_)
        )
    )


def _describes(dataset: ox.Store, subject: ox.NamedNode, predicate: ox.NamedNode | None = None) -> bool:
    """Does ``dataset`` hold a quad of ``subject`` (with ``predicate``, if given)?"""
    return next(dataset.quads_for_pattern(subject, predicate, None), None) is not None


def load_files(
    store: Dataset,
    paths: Iterable[str | Path],
    format: str | None = None,
    graph: ox.NamedNode | None = None,
    progress: Progress | Callable[[str], None] | None = None,
) -> LoadReport:
    """Read, validate and write files as one all-or-nothing batch; see :func:`load_documents`.

    One large file into an embedded store, whose graphs its bytes tell (:func:`graphs_before_parsing`), is
    written by the bulk loader from the file itself once parsed, while it is checked (:class:`EarlyWrite`).
    """
    told = as_progress(progress)
    files = [Path(path) for path in paths]
    if len(files) == 1 and isinstance(store, Store):
        return _load_file(store, files[0], format, graph or source_graph(slug_from_name(files[0].stem)), told)
    documents = [read_document(path, format, graph, told) for path in files]
    return load_documents(store, documents, told)


def _load_file(store: Store, path: Path, format: str | None, default_graph: ox.NamedNode, told: Progress) -> LoadReport:
    """Load one file; where it can (:class:`EarlyWrite`), the bulk loader writes it from the file while it is
    checked, the store read as it was.

    The file's bytes are let go of once parsed: at 1M positions they are 2 GB, which validation and the index
    would otherwise hold beside the parsed quads. The bulk loader reads the file again, a part at a time, each
    part checked against its SHA-256 as parsed (:class:`FileParts`). It begins after the parse, not beside it: at
    1M positions the two slow each other down more than one after the other (benchmarks/RESULTS.md, the sixth and
    seventh passes).
    """
    content = _read(path)
    rdf_format = format_for(str(path), format)
    named = rdf_format == ox.RdfFormat.N_QUADS
    # A pipe, read once, cannot be read again by the bulk loader.
    graphs = graphs_before_parsing(content, rdf_format, default_graph) if path.is_file() else None
    told.phase(f"parsing {path}", len(content), "bytes")
    document = parse_document(content, str(path), format, default_graph, told)
    if graphs is None or not _writable_early(store, graphs, named, document):
        del content
        return load_documents(store, [document], told)
    parts = FileParts.of(path, content, rdf_format, store.bulk_part_bytes)  # hashed before the bytes go
    del content
    # The parse found no triple outside the named graphs; should the bulk loader, reading apart, put one in the
    # default graph, the pending record says so and a drop empties it.
    with store.as_it_is() as before, store.bulk_writing(graphs, default_graph=named) as writing:
        writing.add_file(parts, rdf_format, None if named else default_graph)
        try:
            return load_documents(store, [document], told, early=EarlyWrite(writing, before, named))
        except (Exception, KeyboardInterrupt):
            if not writing.ended:  # the bulk loader cannot be stopped: say why the end waits for it
                told.phase(
                    f"stopping: what the bulk loader wrote of {path} is dropped once the part in hand is written "
                    "(Ctrl-C again leaves that to the next open)"
                )
            raise


@dataclass
class EarlyWrite:
    """The bulk loader writing a file as it is, into new graphs, from the file itself once the load parsed it
    (:func:`load_files`): a large load is written while it is checked and validated, not after.

    The load then writes in its closing transaction what differs from the file: the actors, issues and
    sources it describes, moved to the reference graph; the supertypes of its types; its log records.
    """

    writing: BulkWrite
    before: Dataset
    """The store as it was before the write began (:meth:`Store.as_it_is`), which the load reads until it ends."""
    named: bool
    """The file names its graphs (N-Quads): a triple outside them went to the store's default graph."""

    def holds(self, documents: list[Document]) -> bool:
        """Did the file write what ``documents`` (as parsed, not yet placed) hold, in the graphs the load writes?"""
        return len(documents) == 1 and self.could_hold(documents[0], self.writing.graphs, self.named)

    @staticmethod
    def could_hold(document: Document, graphs: list[ox.NamedNode], named: bool) -> bool:
        """Would the file of ``document`` (as parsed, not yet placed), written as it is, write it into ``graphs``?
        Not if a file that ``named`` its graphs put triples outside them: the bulk loader writes those to the
        default graph."""
        if named and document.outside_named_graphs:
            return False
        return set(_named_graphs(document)) <= set(graphs)


def graphs_before_parsing(
    content: bytes, rdf_format: ox.RdfFormat, default_graph: ox.NamedNode
) -> list[ox.NamedNode] | None:
    """The graphs a large file of lines writes, told from its bytes before it is parsed; None where they cannot be.

    N-Triples and Turtle write ``default_graph``. An N-Quads file writes the graphs that end its lines, where one
    or two IRIs end every line (the first's and the last's); a line that holds a triple, not a quad, ends with
    its object, which the parse then tells. None for a file with blank nodes (the bulk loader names them its own
    way) or of fewer than :data:`BULK_WRITE_QUADS` lines.

    Examples
    --------
    >>> graph = ox.NamedNode("https://w3id.org/parley/graph/source/g")
    >>> lines = b'<urn:s> <urn:p> "o" <https://w3id.org/parley/graph/source/g> .\\n' * BULK_WRITE_QUADS
    >>> graphs_before_parsing(lines, ox.RdfFormat.N_QUADS, ox.NamedNode("https://w3id.org/parley/graph/source/x"))
    [<NamedNode value=https://w3id.org/parley/graph/source/g>]
    >>> graphs_before_parsing(lines + b"# one comment\\n", ox.RdfFormat.N_QUADS, graph) is None
    True
    """
    lines = content.count(b"\n") + (not content.endswith(b"\n"))
    if lines < BULK_WRITE_QUADS or b"_:" in content:
        return None
    if rdf_format == ox.RdfFormat.N_TRIPLES or (
        rdf_format == ox.RdfFormat.TURTLE and b"[" not in content and b"(" not in content
    ):
        return [default_graph]
    if rdf_format != ox.RdfFormat.N_QUADS:
        return None
    # Slices of the two lines only: a file of gigabytes is not copied.
    end = len(content) - 1 if content.endswith(b"\n") else len(content)
    first, last = _last_iri(content[: content.find(b"\n")]), _last_iri(content[content.rfind(b"\n", 0, end) + 1 : end])
    if first is None or last is None:
        return None
    ends = {first, last}
    ended = sum(content.count(b" <" + iri + b"> .\n") + int(content.endswith(b" <" + iri + b"> .")) for iri in ends)
    if ended != lines:
        return None
    try:
        return sorted((ox.NamedNode(iri.decode()) for iri in ends), key=lambda graph: graph.value)
    except ValueError:  # not an IRI, or not UTF-8
        return None


def _last_iri(line: bytes) -> bytes | None:
    """The IRI that ends an N-Quads line (its graph, or its object), written plain (no escapes); else None."""
    body = line.rstrip()
    if not body.endswith(b"> ."):
        return None
    iri = body[body.rfind(b"<") + 1 : -3]
    return iri if iri and b"\\" not in iri else None


def _writable_early(store: Store, graphs: list[ox.NamedNode], named: bool, document: Document) -> bool:
    """Can the bulk loader write the parsed ``document``'s file as it is? Only a new one (by its SHA-256), whose
    quads are all in ``graphs``, told from its bytes, and only into new source graphs; for a file that ``named``
    its graphs (whose triples might name none), where the default graph is empty (a load cut short empties it)."""
    if not EarlyWrite.could_hold(document, graphs, named) or store.has_document(document.sha256):
        return False
    if not all(is_source_graph(graph.value) and not store.has_graph(graph) for graph in graphs):
        return False
    return not named or not store.holds_default_triples()


def seed_files() -> list[tuple[Path, ox.NamedNode | None]]:
    """The files of the seed graph, in load order, each with the graph its plain triples go to."""
    files: list[tuple[Path, ox.NamedNode | None]] = [
        (ONTOLOGY_DIR / "parley.ttl", ONTOLOGY_GRAPH),
        (ONTOLOGY_DIR / "issues.ttl", ONTOLOGY_GRAPH),
        (SEEDS_DIR / "sources.ttl", None),
    ]
    files += [(path, None) for path in sorted(SEEDS_DIR.glob("*.trig"))]
    return files


def load_seed_graph(store: Dataset, progress: Progress | Callable[[str], None] | None = None) -> LoadReport:
    """Load the ontology and the seed graph, each seed source with its text; documents already loaded are skipped."""
    documents = [
        # Parley's own vocabulary goes to its own graph; the seed documents take the way of any other.
        (_parse if path.parent == ONTOLOGY_DIR else parse_document)(
            path.read_bytes(), f"{path.parent.name}/{path.name}", None, graph
        )
        for path, graph in seed_files()
    ]
    _give_seed_texts(documents)
    return load_documents(store, documents, progress)


def _give_seed_texts(documents: list[Document]) -> None:
    """Give each seed source its text, ``seeds/<source slug>.txt``, in the document that describes the source.

    The text then takes the road of any text a document gives: checked against the SHA-256 the
    source's record declares, and every quote from the source checked against it.
    """
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        source = instance("source", path.stem)
        text = ox.Literal(decode_text(path.read_bytes(), f"{path.parent.name}/{path.name}"))
        for document in documents:
            described = document.staged.quads_for_pattern(source, RDF_TYPE, ox.NamedNode(PARLEY + "Source"))
            record = next(iter(described), None)
            if record is not None:
                document.staged.add(ox.Quad(source, TEXT, text, record.graph_name))
                break


def open_store(location: str | Path, progress: Progress | Callable[[str], None] | None = None, **remote) -> Dataset:
    """Open the store at ``location``; an empty one first receives the ontology and the seed graph.

    ``location`` is ``memory``, a directory, or the URL of a SPARQL 1.1 server (``remote``: the
    options of :class:`graph.store.RemoteStore`). A store an earlier version wrote receives the
    supertypes Parley now writes (:meth:`Dataset.add_missing_supertypes`), once. The derived
    graph is rebuilt if it answers for another day or misses a load (a process killed between a load
    and its refresh).
    """
    told = as_progress(progress)
    store = open_dataset(location, told.phase, **remote)
    if store.is_empty():
        load_seed_graph(store, progress)
        store.check_default_graph()
        store.add_missing_supertypes()  # none is missing: this marks the store as holding them all
        return store
    if store.add_missing_supertypes():
        store.raise_version()  # a write like any other (types added, maybe): replicas learn of it
    if not derived_is_current(store):
        told.phase("reading the analysis index")
        refresh_derived(store, read_negotiation(store), progress=told)
    return store


def _now() -> ox.Literal:
    """This moment, as the log records it."""
    return ox.Literal(datetime.now(UTC).isoformat(), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime"))


def _log_record(document: Document, when: ox.Literal, unique: bool = False) -> list[ox.Quad]:
    # A document loads once, so its SHA-256 names its record; a repeatable write gets its own.
    record = ox.NamedNode(f"{ID}load/{document.sha256}" + (f"-{uuid.uuid4().hex[:12]}" if unique else ""))
    return [
        ox.Quad(record, RDF_TYPE, ox.NamedNode(PARLEY + "Load"), LOG_GRAPH),
        ox.Quad(record, ox.NamedNode(PARLEY + "sha256"), ox.Literal(document.sha256), LOG_GRAPH),
        ox.Quad(record, ox.NamedNode("http://purl.org/dc/terms/identifier"), ox.Literal(document.name), LOG_GRAPH),
        ox.Quad(record, ox.NamedNode("http://www.w3.org/ns/prov#endedAtTime"), when, LOG_GRAPH),
    ]


def _move_default_graph(dataset: ox.Store, graph: ox.NamedNode) -> bool:
    """Move the triples of ``dataset``'s default graph into ``graph``; say whether there were any."""
    default = ox.DefaultGraph()
    moved = [
        ox.Quad(q.subject, q.predicate, q.object, graph) for q in dataset.quads_for_pattern(None, None, None, default)
    ]
    if moved:
        dataset.extend(moved)
        dataset.clear_graph(default)
    return bool(moved)


MAX_JSON_DEPTH = 100
"""How deep a JSON-LD document may nest its objects and arrays."""


def _without_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    keys = [key for key, _ in pairs]
    for key in keys:
        if keys.count(key) > 1:
            # A second "@context" would hide the first from any check that reads one of them.
            raise ValueError(f"the key {key!r} appears twice in one object")
    return dict(pairs)


def _refuse_remote_contexts(text: str, name: str) -> None:
    """Read the JSON strictly (no duplicate keys, bounded depth) and refuse a context from elsewhere."""
    try:
        document = json.loads(text, object_pairs_hook=_without_duplicate_keys)
    except json.JSONDecodeError as error:
        raise DocumentSyntaxError(name, f"invalid JSON: {error.msg}", error.lineno, error.colno) from None
    except ValueError as error:
        raise DocumentSyntaxError(name, f"invalid JSON-LD: {error}") from None
    except RecursionError:
        raise DocumentSyntaxError(name, f"the JSON nests more than {MAX_JSON_DEPTH} deep") from None
    pending = [(document, 1)]
    while pending:
        node, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            raise DocumentSyntaxError(name, f"the JSON nests more than {MAX_JSON_DEPTH} deep")
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("@context", "@import"):
                    _refuse_remote_context(value, name)
                pending.append((value, depth + 1))
        elif isinstance(node, list):
            pending.extend((item, depth + 1) for item in node)


def _refuse_remote_context(value: object, name: str) -> None:
    for context in value if isinstance(value, list) else [value]:
        if isinstance(context, str):
            raise UnsafeDocument(
                name,
                f"refers to the remote JSON-LD context {context!r}; "
                "Parley never fetches contexts: put the context inline",
            )


def slug_from_name(text: str) -> str:
    """A slug made of a file's name (its stem): lowercase letters and digits, runs of anything else a hyphen.

    Examples
    --------
    >>> slug_from_name("Talks in Istanbul, 16 May 2025")
    'talks-in-istanbul-16-may-2025'
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "document"
