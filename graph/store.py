"""The store: one Oxigraph dataset, the only module that touches it.

Reads run freely beside each other; writes go one at a time through :meth:`Store.write`,
:meth:`Store.replace` and :meth:`Store.update` (each one Oxigraph transaction, so a reader sees
the state before it or after it) or :meth:`Store.bulk_write` (the bulk loader for large loads into
new graphs, which readers must be kept from). A process killed mid-write leaves all of it or none
of it, either way. :meth:`Store.bulk_update` is the one exception, for the derived graph, which
is marked complete only at the end.

The SPARQL default graph is the union of all named graphs.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from graph import queries
from graph.errors import StoreUnavailable
from graph.namespaces import DERIVED_GRAPH, ID, LOG_GRAPH, PARLEY, PREFIXES

__all__ = ["Store", "GraphStatistics", "MEMORY"]

MEMORY = "memory"
"""The location of a store kept in memory only (for tests and throw-away sessions)."""

_SNAPSHOT_DUMP = "dataset.nq"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_PENDING_LOAD = ox.NamedNode(PARLEY + "PendingLoad")
_PENDING_GRAPH = ox.NamedNode(PARLEY + "pendingGraph")

_CLASS_NAMES = {PARLEY + name: name.lower() for name in ("Actor", "Issue", "Position", "Evidence", "Source")}


@dataclass
class GraphStatistics:
    """What one named graph holds."""

    graph: str
    triples: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    """Instances per class: ``actor``, ``issue``, ``position``, ``evidence``, ``source``."""


class Store:
    """Parley's RDF dataset in Oxigraph, on disk or in memory.

    Parameters
    ----------
    location : ``"memory"`` or the path of a directory (created if missing).

    Raises
    ------
    StoreUnavailable
        If the directory cannot be opened, for instance because another process holds it.

    Examples
    --------
    >>> store = Store("memory")
    >>> store.is_empty()
    True
    >>> store.write(b'<urn:a> <urn:p> "1" <urn:g> .\\n')
    >>> len(store)
    1
    """

    def __init__(self, location: str | Path = MEMORY):
        self.location = str(location)
        self._write_lock = threading.Lock()
        if self.location == MEMORY:
            self._oxigraph = ox.Store()
            return
        path = Path(location)
        try:
            path.mkdir(parents=True, exist_ok=True)
            self._oxigraph = ox.Store(str(path))
        except OSError as error:
            hint = " (is another Parley process, such as `parley serve`, using it?)" if "lock" in str(error).lower() else ""
            raise StoreUnavailable(f"cannot open the store at {path}{hint}: {error}") from error
        self._drop_unfinished_bulk_writes()

    def __len__(self) -> int:
        return len(self._oxigraph)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        """Flush and release the store; the object must not be used afterwards."""
        if self.location != MEMORY:
            self._oxigraph.flush()
        del self._oxigraph

    def is_empty(self) -> bool:
        """Return True when the store holds no quad at all."""
        return next(iter(self._oxigraph.quads_for_pattern(None, None, None)), None) is None

    @classmethod
    def open_snapshot(cls, directory: str | Path) -> Store:
        """Open, read-only, a snapshot that :meth:`snapshot` wrote (in another process, typically)."""
        directory = Path(directory)
        store = cls.__new__(cls)
        store.location = str(directory)
        store._write_lock = threading.Lock()
        dump = directory / _SNAPSHOT_DUMP
        if dump.exists():
            store._oxigraph = ox.Store()
            store._oxigraph.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
        else:
            store._oxigraph = ox.Store.read_only(str(directory))
        return store

    def snapshot(self, directory: str | Path) -> None:
        """Write a consistent copy of the store into ``directory`` (which must not exist yet).

        An on-disk store makes a RocksDB checkpoint: hard links to its immutable files, so it costs
        little whatever the size. A store in memory is dumped as N-Quads. Either way the snapshot
        opens with :meth:`open_snapshot` while this store goes on changing.
        """
        directory = Path(directory)
        if self.location == MEMORY:
            directory.mkdir(parents=True)
            with self._write_lock:
                self._oxigraph.dump(str(directory / _SNAPSHOT_DUMP), format=ox.RdfFormat.N_QUADS)
        else:
            with self._write_lock:
                self._oxigraph.backup(str(directory))

    def query(
        self,
        sparql: str,
        bindings: dict[str, ox.NamedNode | ox.Literal | ox.BlankNode] | None = None,
        default_graphs: list[ox.NamedNode] | None = None,
        named_graphs: list[ox.NamedNode] | None = None,
    ):
        """Run a SPARQL query over the union of all graphs, with ``bindings`` substituted.

        Parameters
        ----------
        sparql : the query text, usually a constant of :mod:`graph.queries`.
        bindings : variable name (without ``?``) to RDF term. Oxigraph substitutes only
            variables that a SELECT projects.
        default_graphs : the graphs whose union is the default graph, instead of all of them
            (the protocol's ``default-graph-uri``).
        named_graphs : the only graphs ``GRAPH`` may match (the protocol's ``named-graph-uri``).

        Returns
        -------
        A boolean for ASK, an iterator of solutions for SELECT, of triples for CONSTRUCT/DESCRIBE.
        """
        return self._oxigraph.query(
            sparql,
            prefixes=PREFIXES,
            use_default_graph_as_union=not default_graphs,
            default_graph=default_graphs or None,
            named_graphs=named_graphs or None,
            substitutions={ox.Variable(name): value for name, value in bindings.items()} if bindings else None,
        )

    def is_instance(self, value: ox.NamedNode, class_: ox.NamedNode) -> bool:
        """Return True if ``value`` is typed ``class_`` or one of its subclasses in any graph."""
        return bool(self.query(queries.IS_INSTANCE_OF, {"value": value, "class": class_}))

    def instances_of(self, class_: ox.NamedNode) -> list[str]:
        """Return the IRIs of every instance of ``class_`` (or of a subclass) in any graph."""
        return [row["instance"].value for row in self.query(queries.INSTANCES_OF, {"class": class_})]

    def descriptions(self, subjects) -> list[ox.Quad]:
        """Every quad whose subject is one of ``subjects``, in any graph but the derived one."""
        return [
            quad for subject in subjects
            for quad in self._oxigraph.quads_for_pattern(subject, None, None)
            if quad.graph_name != DERIVED_GRAPH
        ]

    def has_graph(self, graph: ox.NamedNode) -> bool:
        """Return True if the named graph exists in the store."""
        return self._oxigraph.contains_named_graph(graph)

    def has_document(self, sha256: str) -> bool:
        """Return True if a document with this SHA-256 was loaded before."""
        return bool(self.query(queries.DOCUMENT_LOADED, {"sha256": ox.Literal(sha256)}))

    def write(self, nquads: bytes) -> None:
        """Add N-Quads to the store in one transaction: all of them, or none if anything fails.

        This is the one way into the store: loads, uploads and the derived graph all come here.
        """
        with self._write_lock:
            self._oxigraph.load(nquads, ox.RdfFormat.N_QUADS)

    def rewrite(self, graph: ox.NamedNode, quads: list[ox.Quad], subjects: list[ox.NamedNode] | None = None) -> None:
        """In ``graph``, remove every triple of ``subjects`` (all triples if None) and add ``quads``, in one transaction."""
        self.replace({graph: subjects}, quads)

    def replace(self, removals: dict[ox.NamedNode | None, list[ox.NamedNode] | None], quads: list[ox.Quad]) -> None:
        """Remove the triples of some subjects and add ``quads``, all in one transaction.

        Parameters
        ----------
        removals : graph to the subjects whose triples it loses (None: every triple of the graph).
            The key None means every graph but the derived one.
        quads : what to add (no blank nodes: DELETE/INSERT DATA cannot name them).

        Oxigraph offers removal and insertion together only as a SPARQL Update, so this writes one.
        Every term in it is serialised by Oxigraph itself (N-Triples syntax, escaped); no text is
        formatted in.
        """
        update = _replacing(removals, quads)
        if update:
            with self._write_lock:
                self._oxigraph.update(update)

    def bulk_write(self, new_graphs: list[ox.NamedNode], bulk: bytes, rest: bytes) -> None:
        """Write a large load: ``bulk`` (N-Quads, only into ``new_graphs``) with Oxigraph's bulk loader,
        then ``rest`` (N-Quads, named graphs, no blank nodes) in one transaction; all of it or none,
        even across a crash.

        The bulk loader is several times faster than a transaction but not atomic, so a
        ``parley:PendingLoad`` naming the new graphs is committed first, and the transaction that
        writes ``rest`` removes it. A store that opens with a pending load drops its graphs
        (:meth:`_drop_unfinished_bulk_writes`): the graphs were new, so nothing else is lost.
        Readers in this process may see the bulk part before the end; callers hold readers off.

        Raises
        ------
        ValueError
            If one of ``new_graphs`` already exists.
        """
        existing = [graph for graph in new_graphs if self.has_graph(graph)]
        if existing:
            raise ValueError(f"bulk_write only creates graphs; these exist: {', '.join(g.value for g in existing)}")
        record = ox.NamedNode(f"{ID}load/pending-{uuid.uuid4().hex}")
        marker = [ox.Quad(record, RDF_TYPE, _PENDING_LOAD, LOG_GRAPH)]
        marker += [ox.Quad(record, _PENDING_GRAPH, graph, LOG_GRAPH) for graph in new_graphs]
        with self._write_lock:
            self._oxigraph.load(ox.serialize(marker, format=ox.RdfFormat.N_QUADS), ox.RdfFormat.N_QUADS)
            try:
                self._oxigraph.bulk_load(bulk, ox.RdfFormat.N_QUADS)
                rest_quads = list(ox.parse(rest, format=ox.RdfFormat.N_QUADS))
                self._oxigraph.update(_replacing({LOG_GRAPH: [record]}, rest_quads))
            except BaseException:
                self._drop_unfinished_bulk_writes()
                raise

    def _drop_unfinished_bulk_writes(self) -> None:
        """Drop the graphs of every pending load (a load cut short) and the pending records themselves."""
        pending: dict[ox.NamedNode, list[ox.NamedNode]] = {}
        for row in self.query(queries.PENDING_LOADS, {"log": LOG_GRAPH}):
            pending.setdefault(row["load"], [])
            if row["graph"] is not None:
                pending[row["load"]].append(row["graph"])
        if pending:
            removals = {graph: None for graphs in pending.values() for graph in graphs}
            removals[LOG_GRAPH] = list(pending)
            self._oxigraph.update(_replacing(removals, []))

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update over the store, in one transaction (the caller has checked it is allowed)."""
        with self._write_lock:
            self._oxigraph.update(sparql, prefixes=PREFIXES)

    def bulk_update(self, graph: ox.NamedNode, remove_subjects: list[ox.NamedNode], quads: list[ox.Quad]) -> None:
        """In ``graph``, remove the triples of ``remove_subjects`` and bulk-write ``quads``: fast, *not* one transaction.

        For data that can be derived again (the derived graph), whose completeness is recorded
        separately afterwards: a crash halfway leaves it visibly stale, never silently partial.
        Oxigraph deletes quad by quad, so callers remove only what changed.
        """
        with self._write_lock:
            for subject in remove_subjects:
                for quad in list(self._oxigraph.quads_for_pattern(subject, None, None, graph)):
                    self._oxigraph.remove(quad)
            if quads:
                self._oxigraph.bulk_load(ox.serialize(quads, format=ox.RdfFormat.N_QUADS), ox.RdfFormat.N_QUADS)

    def dump(self, format: ox.RdfFormat = ox.RdfFormat.N_QUADS, graph: ox.NamedNode | None = None) -> bytes:
        """Serialise the whole dataset, or one graph, to bytes."""
        return self._oxigraph.dump(format=format, from_graph=graph, prefixes=PREFIXES if graph else None)

    def statistics(self) -> list[GraphStatistics]:
        """Return triples and instances of each class, per named graph, sorted by graph IRI."""
        graphs: dict[str, GraphStatistics] = {}
        for row in self.query(queries.GRAPH_TRIPLE_COUNTS):
            name = row["graph"].value
            graphs[name] = GraphStatistics(name, int(row["triples"].value))
        for row in self.query(queries.GRAPH_INSTANCE_COUNTS):
            graphs[row["graph"].value].counts[_CLASS_NAMES[row["class"].value]] = int(row["instances"].value)
        return [graphs[name] for name in sorted(graphs)]


def _replacing(removals: dict[ox.NamedNode | None, list[ox.NamedNode] | None], quads: list[ox.Quad]) -> str:
    """The SPARQL Update of :meth:`Store.replace` ("" when there is nothing to do); the caller holds the write lock."""
    parts = []
    for graph, subjects in removals.items():
        if graph is None:
            parts += [
                f"DELETE {{ GRAPH ?g {{ {subject} ?p ?o }} }} WHERE {{ GRAPH ?g {{ {subject} ?p ?o }} "
                f"FILTER(?g != {DERIVED_GRAPH}) }}" for subject in subjects or ()
            ]
        elif subjects is None:
            parts.append(f"CLEAR SILENT GRAPH {graph}")
        else:
            parts += [f"DELETE WHERE {{ GRAPH {graph} {{ {subject} ?p ?o }} }}" for subject in subjects]
    by_graph: dict[ox.NamedNode, list[ox.Quad]] = {}
    for quad in quads:
        by_graph.setdefault(quad.graph_name, []).append(quad)
    for graph, graph_quads in by_graph.items():
        triples = " .\n".join(f"{q.subject} {q.predicate} {q.object}" for q in graph_quads)
        parts.append(f"INSERT DATA {{ GRAPH {graph} {{\n{triples} .\n}} }}")
    return " ;\n".join(parts)
