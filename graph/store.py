"""The store: one Oxigraph dataset, the only module that touches it.

Reads run freely beside each other; writes go one at a time through :meth:`Store.write`,
:meth:`Store.replace` and :meth:`Store.update` (each one Oxigraph transaction, so a reader sees
the state before it or after it) or :meth:`Store.bulk_write` (the bulk loader for large loads into
new graphs, which readers must be kept from). A process killed mid-write leaves all of it or none
of it, either way. :meth:`Store.bulk_update` is the one exception, for the derived graph, which
is marked complete only at the end.

The SPARQL default graph is the union of all named graphs.

:class:`RemoteStore` offers the same methods over a SPARQL 1.1 server (Oxigraph server, Fuseki,
GraphDB, Virtuoso): reads through the SPARQL Protocol, writes as SPARQL Updates (one request, one
transaction), large loads through the Graph Store Protocol in batches under the same pending
record. :func:`open_dataset` picks one by the location's form. Every write through Parley raises a
version counter in the log graph, which a replica compares to learn that another one wrote.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import httpx
import pyoxigraph as ox

from graph import queries
from graph.errors import StoreFailed, StoreUnavailable
from graph.namespaces import DERIVED_GRAPH, ID, LOG_GRAPH, PARLEY, PREFIXES

__all__ = [
    "Dataset",
    "Store",
    "RemoteStore",
    "nquads",
    "solutions",
    "open_dataset",
    "is_remote",
    "GraphStatistics",
    "MEMORY",
]

MEMORY = "memory"
"""The location of a store kept in memory only (for tests and throw-away sessions)."""

_SNAPSHOT_DUMP = "dataset.nq"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_PENDING_LOAD = ox.NamedNode(PARLEY + "PendingLoad")
_PENDING_GRAPH = ox.NamedNode(PARLEY + "pendingGraph")
_LOADED_BY = ox.NamedNode(PARLEY + "loadedBy")

_THIS_PROCESS = f"{socket.gethostname()} {os.getpid()}"
_CLASS_NAMES = {PARLEY + name: name.lower() for name in ("Actor", "Issue", "Position", "Evidence", "Source")}


@dataclass
class GraphStatistics:
    """What one named graph holds."""

    graph: str
    triples: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    """Instances per class: ``actor``, ``issue``, ``position``, ``evidence``, ``source``."""


class Dataset(ABC):
    """What the library needs of a store, embedded (:class:`Store`) or remote (:class:`RemoteStore`).

    The abstract methods are what each store does its own way; the rest is done the same way for
    both, over those. Library functions take a ``Dataset``, never one of the two.
    """

    location: str
    shared = False
    """True when other processes may write the same data (a remote store): replicas compare :meth:`version`."""

    @abstractmethod
    def query(
        self,
        sparql: str,
        bindings: Mapping[str, ox.NamedNode | ox.Literal | ox.BlankNode] | None = None,
        default_graphs: list[ox.NamedNode] | None = None,
        named_graphs: list[ox.NamedNode] | None = None,
    ) -> Any:
        """Run a SPARQL query over the union of all graphs: a boolean for ASK, solutions for SELECT,
        triples for CONSTRUCT and DESCRIBE (pyoxigraph's types)."""

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
    def replace(self, removals: dict[ox.NamedNode | None, list[ox.NamedNode] | None], quads: list[ox.Quad]) -> None:
        """Remove the triples of the given subjects (all, for None) from each graph and add ``quads``, at once."""

    @abstractmethod
    def bulk_update(self, graph: ox.NamedNode, remove_subjects: list[ox.NamedNode], nquads: Iterable[bytes]) -> None:
        """In ``graph``, remove every triple of ``remove_subjects`` and add the N-Quads texts, the fast way."""

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
    def _write_bulk(self, nquads: bytes) -> None:
        """Write N-Quads into new graphs the fast way, outside a transaction (see :meth:`bulk_write`)."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def is_instance(self, value: ox.NamedNode, class_: ox.NamedNode) -> bool:
        """Return True if ``value`` is typed ``class_`` or one of its subclasses in any graph."""
        return bool(self.query(queries.IS_INSTANCE_OF, {"value": value, "class": class_}))

    def instances_of(self, class_: ox.NamedNode) -> list[str]:
        """Return the IRIs of every instance of ``class_`` (or of a subclass) in any graph."""
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

    def raise_version(self) -> int:
        """Raise the version counter by one, for a write just made, and return it read back.

        Read back apart from the raise, so a value more than one above the caller's last one means
        another process wrote meanwhile.
        """
        self.update(queries.RAISE_STORE_VERSION)
        return self.version()

    def statistics(self) -> list[GraphStatistics]:
        """Return triples and instances of each class, per named graph, sorted by graph IRI."""
        graphs: dict[str, GraphStatistics] = {}
        for row in self.query(queries.GRAPH_TRIPLE_COUNTS):
            name = row["graph"].value
            graphs[name] = GraphStatistics(name, int(row["triples"].value))
        for row in self.query(queries.GRAPH_INSTANCE_COUNTS):
            graphs[row["graph"].value].counts[_CLASS_NAMES[row["class"].value]] = int(row["instances"].value)
        return [graphs[name] for name in sorted(graphs)]

    def bulk_write(
        self,
        new_graphs: list[ox.NamedNode],
        bulk: bytes,
        rest: bytes,
        while_writing: Callable[[], None] | None = None,
    ) -> None:
        """Write a large load: ``bulk`` (N-Quads, only into ``new_graphs``) the fast way, then ``rest``
        (N-Quads, named graphs, no blank nodes) in one transaction; all of it or none, even across a crash.

        The fast way (Oxigraph's bulk loader; a remote store's Graph Store Protocol, in batches) is
        not one transaction, so a ``parley:PendingLoad`` naming the new graphs and this process is
        committed first, and the transaction that writes ``rest`` removes it. A store that opens
        with a pending load whose process is gone drops its graphs
        (:meth:`_drop_unfinished_bulk_writes`): they were new, so nothing else is lost. Readers in
        this process may see the bulk part before the end; callers hold readers off.

        ``while_writing`` runs in this thread while another one writes ``bulk`` (the loader
        validates meanwhile); if it raises, the bulk part is dropped and its error raised.

        Raises
        ------
        ValueError
            If one of ``new_graphs`` already exists.
        """
        record, marker = self._pending_record(new_graphs)
        self.replace({}, marker)
        try:
            with ThreadPoolExecutor(1, thread_name_prefix="parley-bulk-write") as pool:
                written = pool.submit(self._write_bulk, bulk)
                try:
                    if while_writing is not None:
                        while_writing()
                finally:
                    failed = written.exception()  # waits for the write; its error, if any, comes second
                if failed is not None:
                    raise failed
            self.replace({LOG_GRAPH: [record]}, list(ox.parse(rest, format=ox.RdfFormat.N_QUADS)))
        except BaseException:
            # A remote store that is down: whoever opens it next drops this load.
            with contextlib.suppress(StoreUnavailable, StoreFailed):
                self._drop_unfinished_bulk_writes()
            raise

    def check_default_graph(self) -> None:
        """Raise :class:`StoreUnavailable` if the store holds named graphs its default graph does not show.

        Parley's queries read the default graph as the union of the named graphs: the embedded store
        always does; a server must be configured to. An empty store cannot tell, so opening an empty
        one asks again once the seed graph is in (:func:`graph.load.open_store`).
        """
        if self.query(queries.ANY_QUAD) and not self.query(queries.ANY_DEFAULT_TRIPLE):
            raise StoreUnavailable(
                f"the store at {self.location} keeps its default graph apart from its named graphs; Parley needs "
                "it to be their union (oxigraph serve --union-default-graph; Fuseki: unionDefaultGraph)"
            )

    def _pending_record(self, new_graphs: list[ox.NamedNode]) -> tuple[ox.NamedNode, list[ox.Quad]]:
        """A ``parley:PendingLoad`` naming ``new_graphs`` and the process that writes them."""
        existing = [graph for graph in new_graphs if self.has_graph(graph)]
        if existing:
            raise ValueError(f"bulk_write only creates graphs; these exist: {', '.join(g.value for g in existing)}")
        record = ox.NamedNode(f"{ID}load/pending-{uuid.uuid4().hex}")
        marker = [
            ox.Quad(record, RDF_TYPE, _PENDING_LOAD, LOG_GRAPH),
            ox.Quad(record, _LOADED_BY, ox.Literal(_THIS_PROCESS), LOG_GRAPH),
        ]
        marker += [ox.Quad(record, _PENDING_GRAPH, graph, LOG_GRAPH) for graph in new_graphs]
        return record, marker

    def _drop_unfinished_bulk_writes(self) -> None:
        """Drop the graphs of every pending load that nobody is writing any more, and the records."""
        pending: dict[ox.NamedNode, list[ox.NamedNode]] = {}
        for row in self.query(queries.PENDING_LOADS, {"log": LOG_GRAPH}):
            if self._abandoned(row["loadedBy"].value if row["loadedBy"] is not None else None):
                pending.setdefault(row["load"], [])
                if row["graph"] is not None:
                    pending[row["load"]].append(row["graph"])
        if pending:
            removals: dict[ox.NamedNode | None, list[ox.NamedNode] | None] = {
                graph: None for graphs in pending.values() for graph in graphs
            }
            removals[LOG_GRAPH] = list(pending)
            self.update(_replacing(removals, []))

    def _abandoned(self, loaded_by: str | None) -> bool:
        """Is the pending load of ``loaded_by`` ("host pid") cut short? In an embedded store always:
        one process at a time can open it, and this one has not started a load yet."""
        return True


class Store(Dataset):
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
            hint = (
                " (is another Parley process, such as `parley serve`, using it?)"
                if "lock" in str(error).lower()
                else ""
            )
            raise StoreUnavailable(f"cannot open the store at {path}{hint}: {error}") from error
        self._drop_unfinished_bulk_writes()

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
        bindings: Mapping[str, ox.NamedNode | ox.Literal | ox.BlankNode] | None = None,
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
            default_graph=list(default_graphs) if default_graphs else None,
            named_graphs=list(named_graphs) if named_graphs else None,
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
        with self._write_lock:
            self._oxigraph.load(nquads, ox.RdfFormat.N_QUADS)

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

    def _write_bulk(self, nquads: bytes) -> None:
        with self._write_lock:
            self._oxigraph.bulk_load(nquads, ox.RdfFormat.N_QUADS)

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update over the store, in one transaction (the caller has checked it is allowed)."""
        with self._write_lock:
            self._oxigraph.update(sparql, prefixes=PREFIXES)

    def bulk_update(self, graph: ox.NamedNode, remove_subjects: list[ox.NamedNode], nquads: Iterable[bytes]) -> None:
        """In ``graph``, remove the triples of ``remove_subjects`` and bulk-write ``nquads`` (N-Quads texts,
        taken one at a time so that the caller can make them as they go): fast, *not* one transaction.

        For data that can be derived again (the derived graph), whose completeness is recorded
        separately afterwards: a crash halfway leaves it visibly stale, never silently partial.
        Oxigraph deletes quad by quad, so callers remove only what changed.
        """
        with self._write_lock:
            for subject in remove_subjects:
                for quad in list(self._oxigraph.quads_for_pattern(subject, None, None, graph)):
                    self._oxigraph.remove(quad)
            for text in nquads:
                if text:
                    self._oxigraph.bulk_load(text, ox.RdfFormat.N_QUADS)

    def dump(self, format: ox.RdfFormat = ox.RdfFormat.N_QUADS, graph: ox.NamedNode | None = None) -> bytes:
        """Serialise the whole dataset, or one graph, to bytes."""
        return self._oxigraph.dump(format=format, from_graph=graph, prefixes=PREFIXES if graph else None) or b""


class RemoteStore(Dataset):
    """Parley's dataset in a SPARQL 1.1 server, behind the same methods as :class:`Store`.

    Parameters
    ----------
    location : the server's base URL; the endpoints default to Oxigraph server's paths under it.
    query_url, update_url, graph_store_url : the SPARQL query, SPARQL update and Graph Store
        Protocol endpoints (Fuseki: ``/ds/query``, ``/ds/update``, ``/ds/data``).
    user, password : HTTP basic credentials; or ``token`` for a bearer token.
    timeout : seconds to connect to the server and to send it a request: past them, it is unreachable.
    read_timeout : seconds the server may work on a request before it answers (reading the analysis
        index of a million positions takes minutes; a server that is down is found by ``timeout``).

    The server's default graph must be the union of its named graphs (``oxigraph serve
    --union-default-graph``; Fuseki's ``unionDefaultGraph``), as Parley's queries assume; opening
    checks this. A request that cannot reach the server raises :class:`StoreUnavailable`, one it
    answers with an error :class:`StoreFailed`. Other processes may write the same server
    (:attr:`shared`): a replica compares :meth:`version` to notice.

    Examples
    --------
    >>> RemoteStore("http://127.0.0.1:9", timeout=0.5)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graph.errors.StoreUnavailable: the store at http://127.0.0.1:9/query is unreachable: ...
    """

    shared = True
    batch_bytes = 16 * 1024 * 1024
    """About how many bytes of N-Quads one Graph Store Protocol request of a bulk write carries."""
    batch_subjects = 5_000
    """How many subjects one update of a bulk update removes, or one query asks about."""

    def __init__(
        self,
        location: str,
        query_url: str | None = None,
        update_url: str | None = None,
        graph_store_url: str | None = None,
        user: str | None = None,
        password: str | None = None,
        token: str | None = None,
        timeout: float = 30.0,
        read_timeout: float = 600.0,
    ):
        base = location.rstrip("/")
        self.location = location
        self.query_url = query_url or f"{base}/query"
        self.update_url = update_url or f"{base}/update"
        self.graph_store_url = graph_store_url or f"{base}/store"
        self._connection = {
            "location": location,
            "query_url": self.query_url,
            "update_url": self.update_url,
            "graph_store_url": self.graph_store_url,
            "user": user,
            "password": password,
            "token": token,
            "timeout": timeout,
            "read_timeout": read_timeout,
        }
        self.read_timeout = read_timeout
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout, read=read_timeout),
            auth=httpx.BasicAuth(user, password or "") if user else None,
            headers={"Authorization": f"Bearer {token}"} if token else {},
        )
        self._write_lock = threading.Lock()
        answer = self._send(self.query_url, b"ASK {}", "application/sparql-query", "application/sparql-results+json")
        # Oxigraph server writes a Graph Store Protocol POST with its bulk loader when asked
        # (no_transaction): the pending record makes a bulk write safe without a transaction.
        self._bulk_params = [("no_transaction", "")] if answer.headers.get("server", "").startswith("Oxigraph/") else []
        self.check_default_graph()
        self._drop_unfinished_bulk_writes()

    def connection(self) -> str:
        """How to open this store again (JSON, credentials included), for a worker process."""
        return json.dumps(self._connection)

    @classmethod
    def from_connection(cls, connection: str) -> RemoteStore:
        """Open the store :meth:`connection` describes."""
        return cls(**json.loads(connection))

    def __len__(self) -> int:
        (row,) = self.query(queries.COUNT_QUADS)
        return int(row["quads"].value)

    def close(self) -> None:
        """Close the connections; the object must not be used afterwards."""
        self._http.close()

    def is_empty(self) -> bool:
        """Return True when the store holds no quad in any named graph."""
        return not self.query(queries.ANY_QUAD)

    def _send(
        self,
        url: str,
        content: bytes,
        content_type: str,
        accept: str | None = None,
        params: list[tuple[str, str]] | None = None,
        timeout=httpx.USE_CLIENT_DEFAULT,
    ) -> httpx.Response:
        headers = {"Content-Type": content_type, **({"Accept": accept} if accept else {})}
        try:
            query = httpx.QueryParams(tuple(params)) if params else None
            response = self._http.post(url, content=content, headers=headers, params=query, timeout=timeout)
        except httpx.ReadTimeout as error:
            raise StoreUnavailable(f"the store at {url} did not answer within {self.read_timeout:g} s") from error
        except httpx.TransportError as error:
            raise StoreUnavailable(f"the store at {url} is unreachable: {error or type(error).__name__}") from error
        if response.status_code >= 400:
            raise StoreFailed(
                f"the store at {url} answered {response.status_code}: {response.text[:500].strip()}",
                response.status_code,
            )
        return response

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, ox.NamedNode | ox.Literal | ox.BlankNode] | None = None,
        default_graphs: list[ox.NamedNode] | None = None,
        named_graphs: list[ox.NamedNode] | None = None,
    ):
        """As :meth:`Store.query`: the answer is read back into pyoxigraph's own result types."""
        if bindings:
            sparql = queries.bind_values(sparql, list(bindings), [tuple(bindings.values())])
        params = [("default-graph-uri", graph.value) for graph in default_graphs or ()]
        params += [("named-graph-uri", graph.value) for graph in named_graphs or ()]
        response = self._send(
            self.query_url,
            _with_prefixes(sparql).encode(),
            "application/sparql-query",
            "application/sparql-results+json, application/n-triples;q=0.9",
            params,
        )
        media_type = response.headers.get("content-type", "").split(";")[0].strip()
        try:
            if media_type == "application/sparql-results+json":
                # Results are parsed as they are read, so a body cut short would fail in the caller's loop,
                # looking like the caller's own error. A whole JSON answer ends its top object: check that now.
                if not response.content.rstrip().endswith(b"}"):
                    raise SyntaxError("the JSON results do not end")
                return ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
            return iter(list(ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)))
        except SyntaxError as error:
            # A server streams its answer; one that fails halfway (its own time limit) can only cut it short.
            raise StoreFailed(
                f"the store at {self.query_url} sent an answer cut short or malformed ({error}); "
                "a time limit of the server's own?",
                502,
            ) from None

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update: one request, which the server runs as one transaction."""
        with self._write_lock:
            self._send(self.update_url, _with_prefixes(sparql).encode(), "application/sparql-update")

    def descriptions(self, subjects) -> list[ox.Quad]:
        """Every quad whose subject is one of ``subjects``, in any graph but the derived one."""
        subjects = list(subjects)
        found = []
        for start in range(0, len(subjects), self.batch_subjects):
            rows = [(subject, DERIVED_GRAPH) for subject in subjects[start : start + self.batch_subjects]]
            query = queries.bind_values(queries.QUADS_OF_SUBJECTS, ["subject", "derived"], rows)
            found += [
                ox.Quad(row["subject"], row["predicate"], row["object"], row["graph"]) for row in self.query(query)
            ]
        return found

    def has_graph(self, graph: ox.NamedNode) -> bool:
        """Return True if the named graph holds a triple (a SPARQL server cannot say it holds an empty one)."""
        return bool(self.query(queries.ANY_QUAD, {"graph": graph}))

    def write(self, nquads: bytes) -> None:
        """Add N-Quads as one SPARQL Update (``INSERT DATA``): all of them, or none if anything fails."""
        update = _replacing({}, list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS)))
        if update:
            self.update(update)

    def replace(self, removals: dict[ox.NamedNode | None, list[ox.NamedNode] | None], quads: list[ox.Quad]) -> None:
        """As :meth:`Store.replace`, in one SPARQL Update request."""
        update = _replacing(removals, quads)
        if update:
            self.update(update)

    def _write_bulk(self, nquads: bytes) -> None:
        self._post_quads(nquads)

    def _post_quads(self, nquads: bytes) -> None:
        """Add N-Quads through the Graph Store Protocol endpoint, in requests of about :attr:`batch_bytes`.

        Batches end at line ends; a blank node's label means one node only within one request, so
        N-Quads with blank nodes go in one request, however large.
        """
        whole = b"_:" in nquads
        start = 0
        while start < len(nquads):
            end = len(nquads) if whole else nquads.find(b"\n", start + self.batch_bytes)
            end = len(nquads) if end < 0 else end + 1
            with self._write_lock:
                self._send(
                    self.graph_store_url,
                    nquads[start:end],
                    "application/n-quads",
                    params=self._bulk_params,
                    timeout=None if whole else httpx.USE_CLIENT_DEFAULT,
                )
            start = end

    def _abandoned(self, loaded_by: str | None) -> bool:
        if loaded_by is None or loaded_by == _THIS_PROCESS:
            return True
        host, _, pid = loaded_by.rpartition(" ")
        if host != socket.gethostname() or not pid.isdigit():
            return False  # another machine's load: it ends or drops it itself
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False

    def bulk_update(self, graph: ox.NamedNode, remove_subjects: list[ox.NamedNode], nquads: Iterable[bytes]) -> None:
        """As :meth:`Store.bulk_update`: removals in updates of :attr:`batch_subjects` subjects, then
        the N-Quads through the Graph Store Protocol, as a bulk write sends them."""
        subjects = list(remove_subjects)
        for start in range(0, len(subjects), self.batch_subjects):
            self.replace({graph: subjects[start : start + self.batch_subjects]}, [])
        for text in nquads:
            self._post_quads(text)

    def dump(self, format: ox.RdfFormat = ox.RdfFormat.N_QUADS, graph: ox.NamedNode | None = None) -> bytes:
        """Serialise the whole dataset, or one graph, to bytes (read with one SPARQL query)."""
        rows = self.query(queries.TRIPLES_OF_GRAPH, {"graph": graph} if graph else None)
        if graph is not None:
            triples = [ox.Triple(row["subject"], row["predicate"], row["object"]) for row in rows]
            return ox.serialize(triples, format=format, prefixes=PREFIXES) or b""
        quads = [ox.Quad(row["subject"], row["predicate"], row["object"], row["graph"]) for row in rows]
        return ox.serialize(quads, format=format) or b""


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


def open_dataset(location: str | Path, **remote) -> Dataset:
    """The store at ``location``: a :class:`RemoteStore` for an ``http(s)://`` URL (``remote``: its
    options), else an embedded :class:`Store` (``memory`` or a directory).

    Examples
    --------
    >>> type(open_dataset("memory")).__name__
    'Store'
    """
    if is_remote(location):
        return RemoteStore(str(location), **remote)
    return Store(location)


def is_remote(location: str | Path) -> bool:
    """Does ``location`` name a SPARQL server (an ``http(s)://`` URL) rather than an embedded store?

    Examples
    --------
    >>> is_remote("http://127.0.0.1:7878"), is_remote("./data/store")
    (True, False)
    """
    return str(location).startswith(("http://", "https://"))


def _with_prefixes(sparql: str) -> str:
    """The text with Parley's prefixes declared before it (what pyoxigraph's ``prefixes`` does)."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items()) + sparql


def _replacing(removals: dict[ox.NamedNode | None, list[ox.NamedNode] | None], quads: list[ox.Quad]) -> str:
    """The SPARQL Update of :meth:`Store.replace` ("" when there is nothing to do); the caller holds the write lock."""
    parts = []
    for graph, subjects in removals.items():
        if graph is None:
            parts += [
                f"DELETE {{ GRAPH ?g {{ {subject} ?p ?o }} }} WHERE {{ GRAPH ?g {{ {subject} ?p ?o }} "
                f"FILTER(?g != {DERIVED_GRAPH}) }}"
                for subject in subjects or ()
            ]
        elif subjects is None:
            parts.append(f"CLEAR SILENT GRAPH {graph}")
        else:
            parts += [f"DELETE WHERE {{ GRAPH {graph} {{ {subject} ?p ?o }} }}" for subject in subjects]
    by_graph: dict[ox.NamedNode | ox.BlankNode | ox.DefaultGraph, list[ox.Quad]] = {}
    for quad in quads:
        by_graph.setdefault(quad.graph_name, []).append(quad)
    for target, graph_quads in by_graph.items():
        triples = " .\n".join(f"{q.subject} {q.predicate} {q.object}" for q in graph_quads)
        parts.append(f"INSERT DATA {{ GRAPH {target} {{\n{triples} .\n}} }}")
    return " ;\n".join(parts)
