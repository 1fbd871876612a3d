"""The embedded store: one Oxigraph dataset on disk or in memory, the only module that opens one.

Reads run freely beside each other; writes go one at a time through :meth:`Store.write`,
:meth:`Store.replace` and :meth:`Store.update` (each one Oxigraph transaction, so a reader sees
the state before it or after it) or :meth:`Store.bulk_write` (the bulk loader for large loads into
new graphs, which readers must be kept from). A process killed mid-write leaves all of it or none
of it, either way. :meth:`Store.bulk_update` is the one exception, for the derived graph, which
is marked complete only at the end.
"""

from __future__ import annotations

import contextlib
import itertools
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from graph.errors import StoreUnavailable
from graph.store.dataset import MEMORY, Bindings, Dataset, Graphs, Removals, replacing_update
from graph.store.namespaces import DERIVED_GRAPH, ID, PREFIXES

_SNAPSHOT_DUMP = "dataset.nq"


EMPTIED_QUADS = 100_000
"""How many quads :meth:`Store._empty_graphs` lists at a time, then removes."""


class Store(Dataset):
    """Parley's RDF dataset in Oxigraph, on disk or in memory.

    Parameters
    ----------
    location : ``"memory"`` or the path of a directory (created if missing).
    told : told what opening does that takes a while (dropping what a load cut short wrote), if it does.

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

    bulk_part_bytes = 32 * 2**20
    """Oxigraph's bulk loader cannot be stopped; in parts of 32 MB (two seconds or so each), an abandoned bulk write
    stops soon, and writes no slower (measured on a 202 MB file: 13.1 s in parts of 32 MB, 13.0 s whole)."""

    def __init__(self, location: str | Path = MEMORY, told: Callable[[str], None] | None = None):
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
            hint = (
                " (is another Parley process, such as `parley serve`, using it?)"
                if "lock" in str(error).lower()
                else ""
            )
            raise StoreUnavailable(f"cannot open the store at {path}{hint}: {error}") from error
        self._drop_unfinished_bulk_writes(told)
        self._remove_views_left_by_a_kill()

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """Hold the write lock; a write the store fails (a full disk) raises :class:`StoreUnavailable`, which says
        so, rather than Oxigraph's ``OSError``, which a command would show as a traceback."""
        with self._write_lock:
            try:
                yield
            except OSError as error:
                raise StoreUnavailable(f"cannot write to the store at {self.location}: {error}") from error

    def __len__(self) -> int:
        return len(self._oxigraph)

    def close(self) -> None:
        """Flush and release the store; the object must not be used afterwards."""
        if self.location != MEMORY:
            self._oxigraph.flush()
        del self._oxigraph

    def is_empty(self) -> bool:
        """Return True when the store holds no quad at all."""
        return next(iter(self._oxigraph.quads_for_pattern(None, None, None)), None) is None

    @classmethod
    def around(cls, dataset: ox.Store) -> Store:
        """A store in memory over ``dataset`` (an Oxigraph store in memory, a parsed document's), which it then owns.

        Examples
        --------
        >>> dataset = ox.Store()
        >>> dataset.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("1"), ox.NamedNode("urn:g")))
        >>> len(Store.around(dataset))
        1
        """
        store = cls(MEMORY)
        store._oxigraph = dataset
        return store

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
            with self._writing():
                self._oxigraph.dump(str(directory / _SNAPSHOT_DUMP), format=ox.RdfFormat.N_QUADS)
        else:
            with self._writing():
                self._oxigraph.backup(str(directory))

    @contextlib.contextmanager
    def as_it_is(self) -> Iterator[Store]:
        """The store as it is now, read-only, for as long as the block runs while the store goes on changing.

        A snapshot (:meth:`snapshot`) in a directory beside the store's, so that an on-disk store's is hard links
        that cost little whatever its size; removed after, or left by a kill for the next open to remove.

        Examples
        --------
        >>> store = Store("memory")
        >>> with store.as_it_is() as before:
        ...     store.write(b'<urn:a> <urn:p> "1" <urn:g> .\\n')
        ...     len(before), len(store)
        (0, 1)
        """
        beside = None if self.location == MEMORY else Path(self.location).resolve().parent
        with tempfile.TemporaryDirectory(prefix=self._as_it_was_prefix, dir=beside) as directory:
            self.snapshot(Path(directory) / "store")
            view = Store.open_snapshot(Path(directory) / "store")
            try:
                yield view
            finally:
                del view._oxigraph  # read-only: nothing to flush

    @property
    def _as_it_was_prefix(self) -> str:
        return f".{Path(self.location).name}.as-it-was-"

    def _remove_views_left_by_a_kill(self) -> None:
        """Remove what :meth:`as_it_is` left beside the store when its process was killed (none is in use: this
        process holds the store, and it has not made one yet)."""
        for left in Path(self.location).resolve().parent.glob(self._as_it_was_prefix + "*"):
            shutil.rmtree(left, ignore_errors=True)

    def _query(self, sparql: str, bindings: Bindings, default_graphs: Graphs, named_graphs: Graphs):
        # pyoxigraph's union flag wins over a dataset, even the text's own FROM: it is set only where no
        # graph is named, and then the dataset is given whole (None would leave the text's, or all graphs).
        own = bool(default_graphs or named_graphs)
        return self._oxigraph.query(
            sparql,
            prefixes=PREFIXES,
            use_default_graph_as_union=not own,
            default_graph=list(default_graphs) if own else None,
            named_graphs=list(named_graphs) if own else None,
            substitutions={ox.Variable(name): value for name, value in bindings.items()} if bindings else None,
        )

    def descriptions(self, subjects) -> list[ox.Quad]:
        """Every quad whose subject is one of ``subjects``, in any graph but the derived one."""
        return [
            quad
            for subject in subjects
            for quad in self._oxigraph.quads_for_pattern(subject, None, None)
            if quad.graph_name != DERIVED_GRAPH
        ]

    def has_graph(self, graph: ox.NamedNode) -> bool:
        """Return True if the named graph exists in the store."""
        return self._oxigraph.contains_named_graph(graph)

    def write(self, nquads: bytes) -> None:
        """Add N-Quads to the store in one transaction: all of them, or none if anything fails.

        This is the one way into the store: loads, uploads and the derived graph all come here.
        """
        with self._writing():
            self._oxigraph.load(nquads, ox.RdfFormat.N_QUADS)

    def replace(self, removals: Removals, quads: list[ox.Quad]) -> None:
        """Remove the triples of some subjects and add ``quads``, all in one transaction.

        Parameters
        ----------
        removals : graph to the subjects, or (subject, predicate) pairs, whose triples it loses (None: every
            triple of the graph). The key None means every graph but the derived one.
        quads : what to add (no blank nodes: DELETE/INSERT DATA cannot name them).

        Oxigraph offers removal and insertion together only as a SPARQL Update, so this writes one.
        Every term in it is serialised by Oxigraph itself (N-Triples syntax, escaped); no text is
        formatted in.
        """
        update = replacing_update(removals, quads)
        if update:
            with self._writing():
                self._oxigraph.update(update)

    def _write_bulk(self, data: bytes, format: ox.RdfFormat = ox.RdfFormat.N_QUADS, to_graph=None) -> None:
        with self._writing():
            self._oxigraph.bulk_load(data, format, base_iri=ID, to_graph=to_graph)

    def _empty_graphs(self, graphs: list[ox.NamedNode]) -> None:
        """Remove the quads of ``graphs``, each in a transaction of its own, a slice of :data:`EMPTIED_QUADS` listed
        at a time (the store is not changed under its own iterator): Oxigraph deletes quad by quad, and one
        transaction for all of them holds them all in memory. Ctrl-C is heard between two quads; the pending
        load's record, removed last, leaves the rest to the next open."""
        for graph in graphs:
            while quads := list(
                itertools.islice(self._oxigraph.quads_for_pattern(None, None, None, graph), EMPTIED_QUADS)
            ):
                with self._writing():
                    for quad in quads:
                        self._oxigraph.remove(quad)

    def _clear_default_graph(self) -> None:
        with self._writing():
            self._oxigraph.clear_graph(ox.DefaultGraph())

    def holds_default_triples(self) -> bool:
        return next(iter(self._oxigraph.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update over the store, in one transaction (the caller has checked it is allowed)."""
        with self._write_lock:  # its OSError may be the network wall refusing a LOAD that got past the checks
            self._oxigraph.update(sparql, prefixes=PREFIXES)

    def bulk_update(self, graph: ox.NamedNode, removed: list[ox.Quad], nquads: Iterable[bytes]) -> None:
        """In ``graph``, remove the quads ``removed`` and bulk-write ``nquads`` (N-Quads texts, taken one at a
        time so that the caller can make them as they go): fast, *not* one transaction.

        For data that can be derived again (the derived graph), whose completeness is recorded
        separately afterwards: a crash halfway leaves it visibly stale, never silently partial.
        Oxigraph deletes quad by quad, so callers remove only what changed.
        """
        with self._writing(), ThreadPoolExecutor(1, thread_name_prefix="parley-bulk-update") as writer:
            for quad in removed:
                self._oxigraph.remove(ox.Quad(quad.subject, quad.predicate, quad.object, graph))
            writing: Future[None] | None = None
            for text in nquads:  # made here while the text before is written there (the loader lets go of the GIL)
                if writing is not None:
                    writing.result()
                writing = writer.submit(self._oxigraph.bulk_load, text, ox.RdfFormat.N_QUADS) if text else None
            if writing is not None:
                writing.result()

    def dump(self, format: ox.RdfFormat = ox.RdfFormat.N_QUADS, graph: ox.NamedNode | None = None) -> bytes:
        """Serialise the whole dataset, or one graph, to bytes."""
        return self._oxigraph.dump(format=format, from_graph=graph, prefixes=PREFIXES if graph else None) or b""
