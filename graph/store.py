"""The store: one Oxigraph dataset, the only module that touches it.

Reads run freely beside each other; every write goes through :meth:`Store.write`, one at a time,
and each write is one Oxigraph transaction, so a reader sees the state before it or after it and
a process killed mid-write leaves all of it or none of it.

The SPARQL default graph is the union of all named graphs.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from graph import queries
from graph.errors import StoreUnavailable
from graph.namespaces import DERIVED_GRAPH, PARLEY, PREFIXES

__all__ = ["Store", "GraphStatistics", "MEMORY"]

MEMORY = "memory"
"""The location of a store kept in memory only (for tests and throw-away sessions)."""

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

    def query(self, sparql: str, bindings: dict[str, ox.NamedNode | ox.Literal | ox.BlankNode] | None = None):
        """Run a SPARQL query over the union of all graphs, with ``bindings`` substituted.

        Parameters
        ----------
        sparql : the query text, usually a constant of :mod:`graph.queries`.
        bindings : variable name (without ``?``) to RDF term. Oxigraph substitutes only
            variables that a SELECT projects.

        Returns
        -------
        A boolean for ASK, an iterator of solutions for SELECT, of triples for CONSTRUCT/DESCRIBE.
        """
        return self._oxigraph.query(
            sparql,
            prefixes=PREFIXES,
            use_default_graph_as_union=True,
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
        """In ``graph``, remove every triple of ``subjects`` (all triples if None) and add ``quads``, in one transaction.

        Oxigraph offers removal and insertion together only as a SPARQL Update, so this writes one.
        Every term in it is serialised by Oxigraph itself (N-Triples syntax, escaped); no text is
        formatted in. Blank nodes are not allowed, since DELETE/INSERT DATA cannot name them.
        """
        parts = [f"CLEAR SILENT GRAPH {graph}"] if subjects is None else [
            f"DELETE WHERE {{ GRAPH {graph} {{ {subject} ?predicate ?object }} }}" for subject in subjects
        ]
        if quads:
            triples = " .\n".join(f"{q.subject} {q.predicate} {q.object}" for q in quads)
            parts.append(f"INSERT DATA {{ GRAPH {graph} {{\n{triples} .\n}} }}")
        with self._write_lock:
            self._oxigraph.update(" ;\n".join(parts))

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
