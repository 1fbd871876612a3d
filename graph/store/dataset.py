"""What the library needs of a store (:class:`Dataset`), and what both stores share.

The abstract methods are what each store does its own way (:mod:`graph.store.embedded`,
:mod:`graph.store.remote`); the rest is done the same way for both, over those.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import stat
import threading
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import pyoxigraph as ox

from graph.errors import StoreFailed, StoreUnavailable, UnreadableDocument
from graph.store import queries
from graph.store.namespaces import DERIVED_GRAPH, ID, LOG_GRAPH, ONTOLOGY_GRAPH, PARLEY
from graph.store.vocabulary import parley_superclasses

Bindings = Mapping[str, ox.NamedNode | ox.Literal | ox.BlankNode]
"""Values for a query's variables, by variable name (without ``?``)."""
Graphs = list[ox.NamedNode]
"""The graphs of one part of a query's dataset: its default graphs (``FROM``) or its named graphs (``FROM NAMED``)."""
Removals = Mapping[ox.NamedNode | None, Sequence[ox.NamedNode | tuple[ox.NamedNode, ox.NamedNode]] | None]
"""What :meth:`Dataset.replace` removes: for each graph, the subjects whose triples go, or (subject, predicate)
pairs whose triples go; None for every triple of the graph. The key None means every graph but the derived
one, and takes subjects only."""

MEMORY = "memory"
"""The location of a store kept in memory only (for tests and throw-away sessions)."""

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_PENDING_LOAD = ox.NamedNode(PARLEY + "PendingLoad")
_PENDING_GRAPH = ox.NamedNode(PARLEY + "pendingGraph")
_LOADED_BY = ox.NamedNode(PARLEY + "loadedBy")
_PENDING_DEFAULT_GRAPH = ox.NamedNode(PARLEY + "pendingDefaultGraph")
# parley:PendingLoad's superclass in ontology/parley.ttl: the store holds every supertype (see add_missing_supertypes).
_ACTIVITY = ox.NamedNode("http://www.w3.org/ns/prov#Activity")

THIS_PROCESS = f"{socket.gethostname()} {os.getpid()}"
_CLASS_NAMES = {PARLEY + name: name.lower() for name in ("Actor", "Issue", "Position", "Evidence", "Source")}


@dataclass
class GraphStatistics:
    """What one named graph holds."""

    graph: str
    triples: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    """Instances per class: ``actor``, ``issue``, ``position``, ``evidence``, ``source``; and ``unverified``:
    the evidence whose quote was not found in its source's text (the source holds none)."""


class Dataset(ABC):
    """What the library needs of a store, embedded (:class:`Store`) or remote (:class:`RemoteStore`).

    The abstract methods are what each store does its own way; the rest is done the same way for
    both, over those. Library functions take a ``Dataset``, never one of the two.
    """

    location: str
    shared = False
    """True when other processes may write the same data (a remote store): replicas compare :meth:`version`."""
    default_graph_of_its_own = True
    """True when an update without ``GRAPH`` writes a default graph apart from the named ones (the embedded
    store); a server whose default graph is the union of the named ones has none to write."""
    batch_subjects = 1_000
    """How many subjects one update of a bulk update removes, or one query's ``VALUES`` block binds (Virtuoso
    compiles a block of 4,000 rows for 1.7 s, and refuses one of 5,000 as too large; 1,000 take 0.13 s)."""
    bulk_part_bytes: int | None = None
    """A bulk write of lines (:meth:`BulkWrite.add`) goes in parts of about this many bytes, so that one abandoned
    stops once the part being written is in, not the whole file; None: in one part (a server's own batches count
    each graph back, which parts would blur)."""
    _server_graphs: set[str] | None = None
    """:meth:`server_graphs`, once read."""
    _own_graphs: tuple[int, list[ox.NamedNode]] | None = None
    """:meth:`own_graphs` and the version they were read at."""

    def query(
        self,
        sparql: str,
        bindings: Bindings | None = None,
        default_graphs: Graphs | None = None,
        named_graphs: Graphs | None = None,
    ) -> Any:
        """Run a SPARQL query: a boolean for ASK, solutions for SELECT, triples for CONSTRUCT and
        DESCRIBE (pyoxigraph's types).

        Parameters
        ----------
        sparql : the query text, usually a constant of :mod:`graph.store.queries`.
        bindings : variable name (without ``?``) to RDF term. Only variables that a SELECT projects
            are substituted.
        default_graphs : the graphs whose merge is the default graph (``FROM``, ``default-graph-uri``).
        named_graphs : the only graphs ``GRAPH`` may match (``FROM NAMED``, ``named-graph-uri``).

        Where ``default_graphs`` and ``named_graphs`` name no graph, the query runs over the store's
        own dataset: the union of all graphs as default graph, and every named graph. Where they name
        any, they are the whole dataset: the default graph is the merge of ``default_graphs`` (empty if
        none) and ``GRAPH`` matches only ``named_graphs`` (none if none), as the SPARQL Protocol's
        ``default-graph-uri`` and ``named-graph-uri`` say. The text's own ``FROM`` and ``FROM NAMED``
        are not read here (a store has no parser): the caller passes them
        (:func:`graph.sparql.sandbox.dataset_of`).

        Examples
        --------
        >>> from graph.store import Store
        >>> store = Store()
        >>> store.write(b'<urn:a> <urn:p> "1" <urn:g> .\\n<urn:b> <urn:p> "2" <urn:h> .\\n')
        >>> count = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
        >>> [row["n"].value for row in store.query(count)]
        ['2']
        >>> [row["n"].value for row in store.query(count, default_graphs=[ox.NamedNode("urn:g")])]
        ['1']
        """
        return self._query(sparql, bindings or {}, list(default_graphs or ()), list(named_graphs or ()))

    def query_each(
        self, sparql: str, variable: str, values: Sequence[ox.NamedNode] | None
    ) -> Iterator[ox.QuerySolution]:
        """The rows of a SELECT with ``variable`` bound to each of ``values`` (None: left free), asked in slices
        of :attr:`batch_subjects` (a ``VALUES`` block each), so that any number of values reach any server.

        Examples
        --------
        >>> from graph.store import Store
        >>> store = Store()
        >>> store.write(b'<urn:a> <urn:p> "1" <urn:g> .\\n<urn:b> <urn:p> "2" <urn:g> .\\n')
        >>> rows = store.query_each("SELECT ?s ?o WHERE { ?s <urn:p> ?o }", "s", [ox.NamedNode("urn:b")])
        >>> [row["o"].value for row in rows]
        ['2']
        """
        for results in self._slices(sparql, variable, values):
            yield from results

    def table(
        self, sparql: str, columns: Sequence[str], variable: str = "", values: Sequence[ox.NamedNode] | None = None
    ) -> Iterator[Sequence[Any]]:
        """The rows of a SELECT, each the values of ``columns`` in that order (None where unbound), ``variable``
        bound to each of ``values`` as :meth:`query_each` binds it (None: left free).

        For reading many rows: a row unpacked by position costs less than one read by name (measured over
        100k rows in memory: 0.24 s against 0.61 s).

        Examples
        --------
        >>> from graph.store import Store
        >>> store = Store()
        >>> store.write(b'<urn:a> <urn:p> "1" <urn:g> .\\n')
        >>> [(o.value, s.value) for o, s in store.table("SELECT ?s ?o WHERE { ?s <urn:p> ?o }", ("o", "s"))]
        [('1', 'urn:a')]
        """
        for results in self._slices(sparql, variable, values):
            if [found.value for found in results.variables] == list(columns):
                yield from results
            else:
                yield from ([row[column] for column in columns] for row in results)

    def _slices(self, sparql: str, variable: str, values: Sequence[ox.NamedNode] | None) -> Iterator[Any]:
        """The answers of a SELECT with ``variable`` bound to each slice of ``values`` (one answer if None)."""
        if values is None:
            yield self.query(sparql)
            return
        for start in range(0, len(values), self.batch_subjects):
            rows = [(value,) for value in values[start : start + self.batch_subjects]]
            yield self.query(queries.bind_values(sparql, [variable], rows))

    @abstractmethod
    def _query(self, sparql: str, bindings: Bindings, default_graphs: Graphs, named_graphs: Graphs) -> Any:
        """Run a query as :meth:`query` says, its arguments made plain (no ``None``)."""

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL Update, as one transaction."""

    @abstractmethod
    def descriptions(self, subjects: Iterable[ox.NamedNode]) -> list[ox.Quad]:
        """Every quad whose subject is one of ``subjects``, in any graph but the derived one."""

    @abstractmethod
    def has_graph(self, graph: ox.NamedNode) -> bool:
        """Return True if the named graph exists in the store."""

    @abstractmethod
    def write(self, nquads: bytes) -> None:
        """Add N-Quads, in one transaction."""

    @abstractmethod
    def replace(self, removals: Removals, quads: list[ox.Quad]) -> None:
        """Remove the triples of the given subjects, or subjects and predicates (all, for None), from each graph and
        add ``quads``, at once."""

    @abstractmethod
    def bulk_update(self, graph: ox.NamedNode, removed: list[ox.Quad], nquads: Iterable[bytes]) -> None:
        """In ``graph``, remove the quads ``removed`` and add the N-Quads texts, the fast way."""

    @abstractmethod
    def dump(self, format: ox.RdfFormat = ox.RdfFormat.N_QUADS, graph: ox.NamedNode | None = None) -> bytes:
        """Every quad (or the triples of ``graph``) in ``format``."""

    @abstractmethod
    def is_empty(self) -> bool:
        """Return True when the store holds no quad in any named graph."""

    @abstractmethod
    def close(self) -> None:
        """Let go of the store; the object must not be used afterwards."""

    @abstractmethod
    def __len__(self) -> int:
        """How many quads the store holds."""

    @abstractmethod
    def _write_bulk(self, data: bytes, format: ox.RdfFormat = ox.RdfFormat.N_QUADS, to_graph=None) -> None:
        """Write ``data`` (N-Quads; an embedded store also reads other formats, triples going ``to_graph``)
        into new graphs the fast way, outside a transaction (see :meth:`bulk_writing`)."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def is_instance(self, value: ox.NamedNode, class_: ox.NamedNode) -> bool:
        """Return True if ``value`` is typed ``class_`` or one of its subclasses in any graph.

        An instance of a subclass of a Parley class is typed by the class too (:meth:`add_missing_supertypes`).
        """
        return bool(self.query(queries.IS_INSTANCE_OF, {"value": value, "class": class_}))

    def instances_of(self, class_: ox.NamedNode) -> list[str]:
        """Return the IRIs of every instance of ``class_`` (or of a subclass, see :meth:`is_instance`) in any graph."""
        return [row["instance"].value for row in self.query(queries.INSTANCES_OF, {"class": class_})]

    def has_document(self, sha256: str) -> bool:
        """Return True if a document with this SHA-256 was loaded before."""
        return bool(self.query(queries.DOCUMENT_LOADED, {"sha256": ox.Literal(sha256)}))

    def rewrite(self, graph: ox.NamedNode, quads: list[ox.Quad], subjects: list[ox.NamedNode] | None = None) -> None:
        """In ``graph``, remove every triple of ``subjects`` (all triples if None) and add ``quads``, in one
        transaction."""
        self.replace({graph: subjects}, quads)

    def version(self) -> int:
        """The log graph's version counter: how many writes through Parley the data has seen (0 if none)."""
        rows = list(self.query(queries.STORE_VERSION, {"log": LOG_GRAPH}))
        return int(rows[0]["version"].value) if rows else 0

    def raise_version(self, change: list[ox.Quad] | None = None) -> int:
        """Raise the version counter by one, for a write just made, and return it read back.

        Read back apart from the raise, so a value more than one above the caller's last one means
        another process wrote meanwhile. ``change`` is the write's record for the log graph (see
        :mod:`graph.ingest.changelog`), one ``parley:UnnumberedChange``: it is written in the same
        transaction as the raise and numbered by it (``parley:sequence``, the new version).
        """
        record = replacing_update({}, change) if change else ""
        self.update(f"{record} ;\n{queries.RAISE_STORE_VERSION}" if record else queries.RAISE_STORE_VERSION)
        version = self.version()
        if version == 0:
            # The raise is a plain update any SPARQL 1.1 server runs; one that ran it and kept no counter
            # would leave replicas blind to each other's writes, in silence.
            raise StoreFailed(f"the store at {self.location} took the raise of its version but holds no version", 502)
        return version

    def add_missing_supertypes(self) -> bool:
        """Type each instance of a Parley class by the class's superclasses too, where the store does not yet.

        Parley writes a ``parley:Demand`` as a ``parley:Position`` too (and an actor as a
        ``parley:Actor`` and a ``prov:Agent``: the ``rdfs:subClassOf`` closure of the ontology graph),
        in the graph of the type it follows from. A store an earlier version wrote lacks them: this
        adds them in one update, once. The update marks the store (``parley:holdsSupertypes`` in the log
        graph), so that the next call looks no further than the mark.

        Returns
        -------
        True if the store was not marked (it now holds every supertype, and is marked), False if it was.

        Examples
        --------
        >>> from graph.store import Store
        >>> store = Store("memory")
        >>> store.update("INSERT DATA { GRAPH <https://w3id.org/parley/graph/ontology> {"
        ...              " parley:Demand rdfs:subClassOf parley:Position } GRAPH <urn:g> { <urn:d> a parley:Demand } }")
        >>> store.add_missing_supertypes(), store.add_missing_supertypes()
        (True, False)
        >>> bool(store.query("ASK { GRAPH <urn:g> { <urn:d> a parley:Position } }"))
        True
        """
        if self.query(queries.SUPERTYPES_HELD):
            return False
        # No query first to ask whether any is missing: it would cost the update's own pass again.
        self.add_supertypes()
        return True

    def add_supertypes(self) -> None:
        """Type each instance of a Parley class by the class's superclasses where the store does not yet, and
        mark the store as lacking none (see :meth:`add_missing_supertypes`), in one update.

        The superclasses are those of the ontology graph's ``rdfs:subClassOf`` axioms, closed in Python
        (:func:`graph.store.vocabulary.parley_superclasses`): no server is asked for ``rdfs:subClassOf+``.
        """
        axioms = self.query(queries.SUBCLASS_AXIOMS, {"graph": ONTOLOGY_GRAPH})
        above = parley_superclasses((row["class"], row["superclass"]) for row in axioms)
        pairs = [(class_, other) for class_, more in above.items() for other in more]
        self.update(queries.adding_supertypes(pairs, outside=self.default_graph_of_its_own))

    def statistics(self) -> list[GraphStatistics]:
        """Return triples and instances of each class, per named graph, sorted by graph IRI (the server's own
        graphs left out: :meth:`server_graphs`)."""
        server_graphs = self.server_graphs()
        graphs: dict[str, GraphStatistics] = {}
        for row in self.query(queries.GRAPH_TRIPLE_COUNTS):
            name = row["graph"].value
            if name not in server_graphs:
                graphs[name] = GraphStatistics(name, int(row["triples"].value))
        for row in self.query(queries.GRAPH_INSTANCE_COUNTS):
            if row["graph"].value in graphs:
                graphs[row["graph"].value].counts[_CLASS_NAMES[row["class"].value]] = int(row["instances"].value)
        for row in self.query(queries.GRAPH_UNVERIFIED_COUNTS):
            if row["graph"].value in graphs:
                graphs[row["graph"].value].counts["unverified"] = int(row["unverified"].value)
        return [graphs[name] for name in sorted(graphs)]

    def own_graphs(self) -> list[ox.NamedNode]:
        """The graphs of the store's own dataset, to give a query as its dataset where the server holds graphs
        of its own (:meth:`server_graphs`), which its default dataset would take in; none where it holds none
        (the store's default dataset is then its own).

        Listing the graphs counts every triple, so the list is kept for as long as the store's
        :meth:`version` stays the same: a graph written outside Parley shows once Parley next writes.
        """
        if not self.server_graphs():
            return []
        version = self.version()
        if self._own_graphs is None or self._own_graphs[0] != version:
            counted = self.query(queries.GRAPH_TRIPLE_COUNTS)
            server_graphs = self.server_graphs()
            self._own_graphs = (version, [row["graph"] for row in counted if row["graph"].value not in server_graphs])
        return self._own_graphs[1]

    def server_graphs(self) -> set[str]:
        """The graphs a SPARQL server held before Parley first wrote to it (Virtuoso's system graphs), which
        are the server's, not the store's (none in an embedded store). Read once: they are recorded when
        Parley first fills the server, and never change after."""
        if self._server_graphs is None:
            self._server_graphs = {row["graph"].value for row in self.query(queries.SERVER_GRAPHS)}
        return self._server_graphs

    def bulk_write(
        self,
        new_graphs: list[ox.NamedNode],
        bulk: bytes,
        rest: bytes,
        while_writing: Callable[[], None] | None = None,
    ) -> None:
        """Write a large load: ``bulk`` (N-Quads, only into ``new_graphs``) the fast way, then ``rest``
        (N-Quads, named graphs, no blank nodes) in one transaction; all of it or none, even across a crash
        (see :meth:`bulk_writing`).

        ``while_writing`` runs in this thread while another one writes ``bulk`` (the loader
        validates meanwhile); if it raises, the bulk part is dropped and its error raised.

        Raises
        ------
        ValueError
            If one of ``new_graphs`` already exists.
        """
        with self.bulk_writing(new_graphs) as writing:
            writing.add(bulk)
            if while_writing is not None:
                while_writing()
            writing.commit(list(ox.parse(rest, format=ox.RdfFormat.N_QUADS)))

    @contextlib.contextmanager
    def bulk_writing(self, new_graphs: list[ox.NamedNode], default_graph: bool = False) -> Iterator[BulkWrite]:
        """Around a large load written the fast way: parts go into ``new_graphs`` in another thread as they are
        added (:meth:`BulkWrite.add`), while the caller goes on; :meth:`BulkWrite.commit` ends the load with
        one transaction. Leaving without a commit, or with an error, waits for the parts and drops them.

        The fast way (Oxigraph's bulk loader; a remote store's Graph Store Protocol, in batches) is
        not one transaction, so a ``parley:PendingLoad`` naming the new graphs and this process is
        committed first, and the transaction that ends the load removes it. A store that opens
        with a pending load whose process is gone drops its graphs
        (:meth:`_drop_unfinished_bulk_writes`): they were new, so nothing else is lost. Readers in
        this process may see the parts before the end; callers hold readers off.

        ``default_graph`` says that a part may also write the default graph (an N-Quads file written as it is,
        which the bulk loader reads apart from the load's parse); it must be empty, and a load dropped empties it.

        Raises
        ------
        ValueError
            If one of ``new_graphs`` already exists, or ``default_graph`` is asked of a store whose
            default graph holds triples.
        """
        record, marker = self._pending_record(new_graphs, default_graph)
        self.replace({}, marker)
        writing = BulkWrite(self, record, new_graphs)
        try:
            yield writing
        finally:
            writing.abandon()

    def _clear_default_graph(self) -> None:
        """Empty the default graph apart from the named ones (the embedded store's; a server has none to clear)."""
        raise ValueError(f"the store at {self.location} has no default graph of its own to clear")

    def holds_default_triples(self) -> bool:
        """Does the default graph apart from the named ones hold triples? (Parley writes named graphs only.)"""
        return False

    def check_default_graph(self) -> None:
        """Raise :class:`StoreUnavailable` if the store holds named graphs its default graph does not show.

        Parley's queries read the default graph as the union of the named graphs: the embedded store
        always does; a server must be configured to. An empty store cannot tell, so opening an empty
        one asks again once the seed graph is in (:func:`graph.ingest.load.open_store`).
        """
        if self.query(queries.ANY_QUAD) and not self.query(queries.ANY_DEFAULT_TRIPLE):
            raise StoreUnavailable(
                f"the store at {self.location} keeps its default graph apart from its named graphs; Parley needs "
                "it to be their union (oxigraph serve --union-default-graph; Fuseki: unionDefaultGraph)"
            )

    def _pending_record(
        self, new_graphs: list[ox.NamedNode], default_graph: bool = False
    ) -> tuple[ox.NamedNode, list[ox.Quad]]:
        """A ``parley:PendingLoad`` naming ``new_graphs`` (and the default graph, if written) and the process that
        writes them."""
        existing = [graph for graph in new_graphs if self.has_graph(graph)]
        if existing:
            raise ValueError(f"bulk_write only creates graphs; these exist: {', '.join(g.value for g in existing)}")
        if default_graph and (not self.default_graph_of_its_own or self.holds_default_triples()):
            raise ValueError(f"{self.location}: a bulk write writes a default graph only if it is empty and apart")
        record = ox.NamedNode(f"{ID}load/pending-{uuid.uuid4().hex}")
        marker = [
            ox.Quad(record, RDF_TYPE, _PENDING_LOAD, LOG_GRAPH),
            ox.Quad(record, RDF_TYPE, _ACTIVITY, LOG_GRAPH),
            ox.Quad(record, _LOADED_BY, ox.Literal(THIS_PROCESS), LOG_GRAPH),
        ]
        marker += [ox.Quad(record, _PENDING_GRAPH, graph, LOG_GRAPH) for graph in new_graphs]
        if default_graph:
            marker.append(ox.Quad(record, _PENDING_DEFAULT_GRAPH, ox.Literal(True), LOG_GRAPH))
        return record, marker

    def _drop_unfinished_bulk_writes(self, told: Callable[[str], None] | None = None) -> None:
        """Drop the graphs of every pending load that nobody is writing any more, and the records; ``told`` is
        told first, if there are any (at a million quads, a drop takes minutes)."""
        pending: dict[ox.NamedNode, list[ox.NamedNode]] = {}
        default_graph = False
        for row in self.query(queries.PENDING_LOADS, {"log": LOG_GRAPH}):
            if self._abandoned(row["loadedBy"].value if row["loadedBy"] is not None else None):
                pending.setdefault(row["load"], [])
                if row["graph"] is not None:
                    pending[row["load"]].append(row["graph"])
                default_graph = default_graph or row["defaultGraph"] is not None
        if told is not None and (pending or default_graph):
            told("dropping what a load cut short wrote")
        if default_graph:  # before the records go: a kill now leaves them, and the next open clears it again
            self._clear_default_graph()
        if pending:
            # The records go last: a kill or Ctrl-C before leaves the rest to the next open.
            self._empty_graphs([graph for graphs in pending.values() for graph in graphs])
            removals: dict[ox.NamedNode | None, list[ox.NamedNode] | None] = {
                graph: None for graphs in pending.values() for graph in graphs
            }
            removals[LOG_GRAPH] = list(pending)
            self.update(replacing_update(removals, []))

    def _empty_graphs(self, graphs: list[ox.NamedNode]) -> None:
        """Remove what ``graphs`` hold before the transaction that drops them, where a store does that faster
        (the embedded store); a server drops them in that transaction."""
        return None

    def _abandoned(self, loaded_by: str | None) -> bool:
        """Is the pending load of ``loaded_by`` ("host pid") cut short? In an embedded store always:
        one process at a time can open it, and this one has not started a load yet."""
        return True


class BulkWrite:
    """A large load being written the fast way, part after part in a thread of its own (see
    :meth:`Dataset.bulk_writing`, which makes one).

    Examples
    --------
    >>> from graph.store import Store
    >>> store = Store("memory")
    >>> graph = ox.NamedNode("https://w3id.org/parley/graph/source/example")
    >>> with store.bulk_writing([graph]) as writing:
    ...     writing.add(b'<urn:a> <urn:p> "1" <https://w3id.org/parley/graph/source/example> .\\n')
    ...     writing.commit([])
    >>> store.has_graph(graph), bool(store.query("ASK { ?load a parley:PendingLoad }"))
    (True, False)
    """

    def __init__(self, store: Dataset, record: ox.NamedNode, graphs: list[ox.NamedNode]):
        self.graphs = graphs
        """The new graphs it writes."""
        self._store = store
        self._record = record
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="parley-bulk-write")
        self._parts: list[Future[None]] = []
        self._stopping = threading.Event()
        self.ended = False
        """Committed, or dropped."""

    def add(self, data: bytes, format: ox.RdfFormat = ox.RdfFormat.N_QUADS, to_graph=None) -> None:
        """Write ``data`` into the new graphs once the parts added before are in (see :meth:`Dataset._write_bulk`),
        in parts of :attr:`Dataset.bulk_part_bytes` where its lines can be cut (:func:`line_parts`)."""
        parts = line_parts(data, format, self._store.bulk_part_bytes)
        self._parts.append(self._pool.submit(self._stopping_on_error, self._write_parts, data, parts, format, to_graph))

    def _stopping_on_error(self, write: Callable[..., None], *arguments) -> None:
        """Run ``write``; if it fails, write no more parts (:meth:`commit` raises its error; the write is dropped)."""
        try:
            write(*arguments)
        except BaseException:
            self._stopping.set()
            raise

    def _write_parts(self, data: bytes, parts: list[tuple[int, int]], format: ox.RdfFormat, to_graph) -> None:
        for start, end in parts:
            if self._stopping.is_set():  # abandoned: what is written is dropped, so write no more
                return
            self._store._write_bulk(data[start:end] if (start, end) != (0, len(data)) else data, format, to_graph)

    def add_file(self, parts: FileParts, format: ox.RdfFormat = ox.RdfFormat.N_QUADS, to_graph=None) -> None:
        """Write a file as :meth:`add` writes bytes, reading each part from the file as it comes to it, so that the
        file's bytes are never all in memory at once (2 GB at 1M positions), but for a format that is not cut.

        Each part is checked against the bytes the caller parsed (:class:`FileParts`) before it is written: a file
        changed since fails the write, which :meth:`commit` (or :meth:`raise_if_failed`) then raises
        (:class:`UnreadableDocument`) and leaving drops; the bulk loader is never given a byte that was not parsed.
        """
        self._parts.append(self._pool.submit(self._stopping_on_error, self._write_file, parts, format, to_graph))

    def _write_file(self, parts: FileParts, format: ox.RdfFormat, to_graph) -> None:
        for data in parts.read():
            if self._stopping.is_set():
                return
            self._store._write_bulk(data, format, to_graph)

    def raise_if_failed(self) -> None:
        """Raise the error of a part that has failed already (a file changed since it was parsed), which
        :meth:`commit` would raise only once the caller's work beside the write is done."""
        for part in self._parts:
            if part.done() and (error := part.exception()) is not None:
                raise error

    def commit(self, rest: list[ox.Quad], removals: Removals | None = None) -> None:
        """Once every part is in, end the load in one transaction: remove ``removals`` (from the parts too) and the
        pending record, and add ``rest`` (named graphs, no blank nodes). Raises the first part's error, if any."""
        for part in self._parts:
            part.result()
        self._store.replace({LOG_GRAPH: [self._record], **(removals or {})}, rest)
        self.ended = True
        self._pool.shutdown()

    def abandon(self) -> None:
        """Drop what was written, once the parts are done (their errors ignored); nothing, once committed."""
        if self.ended:
            return
        self.ended = True
        self._stopping.set()
        try:
            self._pool.shutdown(cancel_futures=True)  # waits for the part being written
            # A remote store that is down: whoever opens it next drops this load.
            with contextlib.suppress(StoreUnavailable, StoreFailed):
                self._store._drop_unfinished_bulk_writes()
        except KeyboardInterrupt as error:  # Ctrl-C again, while the part in hand is written or all is dropped
            error.add_note("nothing was loaded; what the bulk loader wrote is dropped when the store is next opened")
            raise


def line_parts(data: bytes, format: ox.RdfFormat, size: int | None) -> list[tuple[int, int]]:
    """Where to cut ``data`` into parts of about ``size`` bytes (each at least that, but the last), at line ends:
    (start, end) of each. One part, unless ``data`` is N-Quads or N-Triples without blank nodes (their lines mean
    the same apart; a blank node's label names one node only within one part) and larger than ``size``.

    Examples
    --------
    >>> line_parts(b"<urn:a> <urn:p> 1 .\\n" * 3, ox.RdfFormat.N_TRIPLES, 25)
    [(0, 40), (40, 60)]
    >>> line_parts(b"_:b <urn:p> 1 .\\n" * 3, ox.RdfFormat.N_TRIPLES, 25)
    [(0, 48)]
    """
    line_formats = (ox.RdfFormat.N_QUADS, ox.RdfFormat.N_TRIPLES)
    if size is None or len(data) <= size or format not in line_formats or b"_:" in data:
        return [(0, len(data))]
    parts, start = [], 0
    while start < len(data):
        end = data.find(b"\n", start + size - 1) + 1 or len(data)
        parts.append((start, end))
        start = end
    return parts


@dataclass(frozen=True)
class FileParts:
    """Where a file's bytes, as a load parsed them, are cut for the bulk loader (:func:`line_parts`), with the
    SHA-256 of each part: the bulk loader reads the file again, a part at a time, and each part read must be the
    one parsed.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "lines.nt"
    >>> _ = path.write_bytes(b"<urn:a> <urn:p> 1 .\\n" * 3)
    >>> parts = FileParts.of(path, path.read_bytes(), ox.RdfFormat.N_TRIPLES, 25)
    >>> [len(part) for part in parts.read()]
    [40, 20]
    >>> _ = path.write_bytes(b"<urn:a> <urn:p> 2 .\\n" * 3)
    >>> list(parts.read())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graph.errors.UnreadableDocument: .../lines.nt: the file changed while it was loaded ...
    """

    path: Path
    cuts: tuple[tuple[int, int, bytes], ...]
    """Each part's start, end and SHA-256 digest."""

    @classmethod
    def of(cls, path: Path, content: bytes, format: ox.RdfFormat, size: int | None) -> FileParts:
        """The parts of ``content``, the bytes read from ``path``, in parts of about ``size`` bytes."""
        whole = memoryview(content)  # the parts hashed where they lie, not copied
        return cls(
            Path(path),
            tuple(
                (start, end, hashlib.sha256(whole[start:end]).digest())
                for start, end in line_parts(content, format, size)
            ),
        )

    def read(self) -> Iterator[bytes]:
        """Each part, read from the file, once it is found to be the part parsed.

        Raises
        ------
        UnreadableDocument
            If the file cannot be read, or a part of it is not what was parsed (the file changed since).
        """
        try:
            # Not blocking: a path made a FIFO since it was parsed would wait for a writer for ever.
            with os.fdopen(os.open(self.path, os.O_RDONLY | os.O_NONBLOCK), "rb") as file:
                if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                    raise UnreadableDocument(str(self.path), "the file changed while it was loaded (no longer a file)")
                for start, end, digest in self.cuts:
                    file.seek(start)
                    data = file.read(end - start)
                    if hashlib.sha256(data).digest() != digest:
                        raise UnreadableDocument(
                            str(self.path),
                            f"the file changed while it was loaded (bytes {start:,} to {end:,} are not the ones "
                            "parsed); load it again",
                        )
                    yield data
        except OSError as error:
            raise UnreadableDocument(str(self.path), f"cannot read the file again to write it: {error}") from None


def nquads(quads: Iterable[ox.Quad] | ox.Store) -> bytes:
    """N-Quads of ``quads``, or of every quad of an in-memory store (pyoxigraph types both as maybe None)."""
    if isinstance(quads, ox.Store):
        return quads.dump(format=ox.RdfFormat.N_QUADS) or b""
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""


def solutions(answer: object) -> ox.QuerySolutions:
    """A SELECT's answer, typed as such (pyoxigraph types every answer as any of the three forms)."""
    if not isinstance(answer, ox.QuerySolutions):
        raise TypeError(f"a SELECT was expected to answer solutions, not {type(answer).__name__}")
    return answer


def is_remote(location: str | Path) -> bool:
    """Does ``location`` name a SPARQL server (an ``http(s)://`` URL) rather than an embedded store?

    Examples
    --------
    >>> is_remote("http://127.0.0.1:7878"), is_remote("./data/store")
    (True, False)
    """
    return str(location).startswith(("http://", "https://"))


def replacing_update(removals: Removals, quads: list[ox.Quad]) -> str:
    """The SPARQL Update of :meth:`Store.replace` ("" when there is nothing to do); the caller holds the write lock."""
    parts = []
    for graph, subjects in removals.items():
        if graph is None:
            parts += [
                f"DELETE {{ GRAPH ?g {{ {subject} ?p ?o }} }} WHERE {{ GRAPH ?g {{ {subject} ?p ?o }} "
                f"FILTER(?g != {DERIVED_GRAPH}) }}"
                for subject in subjects or ()
            ]
        elif subjects is None:  # dropped, not cleared: an empty graph would still be one a load must not write anew
            parts.append(f"DROP SILENT GRAPH {graph}")
        else:
            parts += [
                f"DELETE WHERE {{ GRAPH {graph} {{ {subject} ?p ?o }} }}"
                if isinstance(subject, ox.NamedNode)
                else f"DELETE WHERE {{ GRAPH {graph} {{ {subject[0]} {subject[1]} ?o }} }}"
                for subject in subjects
            ]
    by_graph: dict[ox.NamedNode | ox.BlankNode | ox.DefaultGraph, list[ox.Quad]] = {}
    for quad in quads:
        by_graph.setdefault(quad.graph_name, []).append(quad)
    for target, graph_quads in by_graph.items():
        # Blank nodes go in one template, which any server takes (Virtuoso refuses them in INSERT DATA); over
        # the one empty solution of WHERE {}, it writes what INSERT DATA would. A label means one node within
        # one operation only, so those quads are not sliced.
        if any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in graph_quads):
            parts.append(f"INSERT {{ GRAPH {target} {{\n{_triples(graph_quads)} .\n}} }} WHERE {{}}")
            continue
        for start in range(0, len(graph_quads), INSERT_SLICE):
            parts.append(
                f"INSERT DATA {{ GRAPH {target} {{\n{_triples(graph_quads[start : start + INSERT_SLICE])} .\n}} }}"
            )
    return " ;\n".join(parts)


def deleting_update(graph: ox.NamedNode, quads: list[ox.Quad]) -> str:
    """The SPARQL Update that removes ``quads`` (no blank nodes) from ``graph``.

    Examples
    --------
    >>> quad = ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o"), ox.NamedNode("urn:g"))
    >>> deleting_update(ox.NamedNode("urn:g"), [quad])
    'DELETE DATA { GRAPH <urn:g> {\\n<urn:s> <urn:p> "o" .\\n} }'
    """
    return f"DELETE DATA {{ GRAPH {graph} {{\n{_triples(quads)} .\n}} }}" if quads else ""


INSERT_SLICE = 1_000
"""How many triples one ``INSERT DATA`` operation of an update holds: a request may hold many operations, which
a server runs as one transaction, but Virtuoso's parser runs out of stack in one block of 8,000 triples."""


def _triples(quads: list[ox.Quad]) -> str:
    return " .\n".join(f"{q.subject} {q.predicate} {q.object}" for q in quads)
