"""Run outside SPARQL safely: parsed and refused where it would reach out, stopped when it runs too long.

pyoxigraph has no time limit and no way to cancel a query, and it evaluates in Rust where no
Python signal arrives. So queries run in worker processes over a read-only snapshot of the store
(:meth:`Store.snapshot`); a query over its time limit is answered with :class:`QueryTimeout` and its
worker is killed, which really frees the CPU, and replaced. Over a remote store the workers query
the server itself (it changes under any copy); killing one stops Parley waiting, and the server's
own time limit (``oxigraph serve --timeout-s``) stops the work there.

Two walls keep client SPARQL off the network, each enough alone (Oxigraph would fetch
``SERVICE`` and ``LOAD`` from Rust):

- the parse: :func:`check_query` and :func:`check_update` parse the text by the SPARQL 1.1
  grammar (:mod:`graph.sparql.grammar`) and refuse ``SERVICE`` and ``LOAD`` wherever the parse
  finds them, and any text the grammar does not accept;
- the kernel: over the embedded store, each worker cuts itself off the network
  (:func:`graph.sparql.netwall.cut_network`) before it takes its first request, and client updates are
  applied on one server thread cut off the same way. Over a remote store both must reach the
  store, so there the parse holds alone.

Client text is parsed in a worker too, never in the server process: a text that would make a
parser crash or work for seconds costs one worker, not the service.
"""

from __future__ import annotations

import itertools
import logging
import queue
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox

from graph.errors import ParleyError, StoreFailed, StoreUnavailable
from graph.sparql.grammar import ParsedSparql, SparqlSyntaxError, parse_query, parse_update
from graph.sparql.netwall import NONE, cut_network
from graph.store import Dataset, RemoteStore, Store
from graph.store.dataset import Graphs
from graph.store.namespaces import DERIVED_GRAPH, LOG_GRAPH, ONTOLOGY_GRAPH, PREFIXES

__all__ = [
    "QueryRequest",
    "QueryAnswer",
    "QuerySandbox",
    "Snapshots",
    "check_query",
    "check_update",
    "dataset_of",
    "PARLEYS_OWN_GRAPHS",
    "QueryRefused",
    "QueryTimeout",
    "QueryFailed",
    "TooManyResults",
    "SandboxBusy",
    "NotAcceptable",
    "RESULTS_FORMATS",
    "GRAPH_FORMATS",
]

_log = logging.getLogger(__name__)

RESULTS_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
"""How SELECT and ASK answers can be written, by name."""

GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "n-triples": ox.RdfFormat.N_TRIPLES,
    "json-ld": ox.RdfFormat.JSON_LD,
    "trig": ox.RdfFormat.TRIG,
    "rdf-xml": ox.RdfFormat.RDF_XML,
}
"""How CONSTRUCT and DESCRIBE answers can be written, by name."""


class QueryRefused(ParleyError):
    """The query asks for something the service never does (``SERVICE``, ``LOAD``) or is malformed."""


class QueryTimeout(ParleyError):
    """The query ran past its time limit and was stopped."""


class QueryFailed(ParleyError):
    """The query could not be answered (its worker died, for instance by running out of memory)."""


class TooManyResults(ParleyError):
    """The answer has more rows than the row limit."""


class SandboxBusy(ParleyError):
    """Every worker stayed busy for as long as a query may run."""


class NotAcceptable(ParleyError):
    """No format the client accepts can carry the answer of this form of query."""

    def __init__(self, form: str):
        super().__init__(f"a {form.upper()} answer cannot be sent in any format the client accepts")
        self.form = form


PARLEYS_OWN_GRAPHS = frozenset(graph.value for graph in (ONTOLOGY_GRAPH, LOG_GRAPH, DERIVED_GRAPH))
"""The graphs only Parley writes: its vocabulary, its bookkeeping and what it derives."""


def _parsed(parse: Callable[..., ParsedSparql], text: str) -> ParsedSparql:
    try:
        parsed = parse(text, PREFIXES)
    except SparqlSyntaxError as error:
        raise QueryRefused(f"SPARQL syntax error: {error}") from None
    for keyword, line, column in parsed.reaches_out:
        reason = "reach another server" if keyword == "SERVICE" else "load a document from the network or the disk"
        raise QueryRefused(
            f"{keyword} (line {line}, column {column}) is not allowed: Parley never lets client SPARQL {reason}"
        )
    return parsed


_UNRESERVED_ESCAPE = re.compile(r"%(2[DdEe]|3[0-9]|[46][1-9A-Fa-f]|[57][0-9Aa]|5[Ff]|7[Ee])")


def _normalised(iri: str) -> str:
    """``iri`` as a store that normalises IRIs may read it: scheme and host in lower case, percent-escapes
    of unreserved characters decoded, dot segments removed (RFC 3986, sections 6.2.2 and 5.2.4)."""
    parts = urlsplit(_UNRESERVED_ESCAPE.sub(lambda found: chr(int(found.group(1), 16)), iri))
    segments: list[str] = []
    for segment in parts.path.split("/"):
        if segment == "..":
            if len(segments) > 1:
                segments.pop()
        elif segment != ".":
            segments.append(segment)
    if parts.path.endswith(("/.", "/..")):
        segments.append("")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), "/".join(segments), parts.query, parts.fragment))


def check_query(text: str) -> ParsedSparql:
    """Parse a client's query, refusing it if it is not SPARQL 1.1 or uses ``SERVICE``.

    Examples
    --------
    >>> check_query('SELECT * { ?s ?p "SERVICE" }').form
    'select'
    >>> check_query("SELECT * { service <http://example.org/sparql> { ?s ?p ?o } }")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graph.sparql.sandbox.QueryRefused: SERVICE (line 1, column 12) is not allowed: Parley never lets client SPARQL ...
    """
    return _parsed(parse_query, text)


def check_update(text: str) -> ParsedSparql:
    """Parse a client's update, refusing ``LOAD``, ``SERVICE``, and any write to Parley's own graphs.

    The ontology, log and derived graphs are Parley's alone, so an operation may not name them,
    clear ``ALL`` or ``NAMED`` graphs, or write a graph named by a variable (which could be one
    of them): it names the graphs it writes.

    Examples
    --------
    >>> check_update("INSERT DATA { <urn:a> <urn:b> 'LOAD' }").kind
    'update'
    >>> check_update("DELETE WHERE { GRAPH ?g { ?s parley:version ?v } }")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graph.sparql.sandbox.QueryRefused: GRAPH ?g (line 1, column 16) could be one of Parley's own graphs ...
    """
    parsed = _parsed(parse_update, text)
    for graph, line, column in parsed.writes:
        where = f"(line {line}, column {column})"
        if graph in PARLEYS_OWN_GRAPHS or _normalised(graph) in PARLEYS_OWN_GRAPHS:
            raise QueryRefused(f"<{graph}> {where} is (or may be read as) Parley's own graph: only Parley writes it")
        if graph in ("ALL", "NAMED"):
            raise QueryRefused(
                f"{graph} {where} takes in Parley's own graphs (ontology, log, derived), which "
                "updates may not write: name the graphs to clear"
            )
        if graph.startswith("?"):
            raise QueryRefused(
                f"GRAPH {graph} {where} could be one of Parley's own graphs (ontology, log, "
                "derived), which updates may not write: name the graph"
            )
    return parsed


def dataset_of(
    parsed: ParsedSparql, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = ()
) -> tuple[Graphs, Graphs]:
    """The graphs of the dataset a query runs over: its default graphs and its named graphs.

    The protocol's ``default-graph-uri`` and ``named-graph-uri`` (``default_graphs``, ``named_graphs``)
    take precedence over the text's ``FROM`` and ``FROM NAMED``, all of them together (SPARQL 1.1
    Protocol, 2.1.4). Either way the two lists are the whole dataset (SPARQL 1.1 Query, 13.2): with
    named graphs only, the default graph is empty; with default graphs only, there are no named
    graphs. Where neither names a graph, both lists are empty, which a store reads as its own
    default dataset: the union of all graphs as default graph, and every named graph.

    Examples
    --------
    >>> dataset_of(check_query("SELECT * FROM NAMED <urn:g> { GRAPH ?g { ?s ?p ?o } }"))
    ([], [<NamedNode value=urn:g>])
    >>> dataset_of(check_query("SELECT * FROM <urn:a> { ?s ?p ?o }"), named_graphs=["urn:b"])
    ([], [<NamedNode value=urn:b>])
    """
    if not default_graphs and not named_graphs:
        default_graphs, named_graphs = parsed.from_graphs, parsed.from_named_graphs
    return [ox.NamedNode(iri) for iri in default_graphs], [ox.NamedNode(iri) for iri in named_graphs]


@dataclass(frozen=True)
class QueryRequest:
    """One outside query, as the SPARQL protocol delivers it."""

    text: str
    results_format: str | None = "json"
    """A key of :data:`RESULTS_FORMATS` for SELECT and ASK; None if the client accepts none."""
    graph_format: str | None = "turtle"
    """A key of :data:`GRAPH_FORMATS` for CONSTRUCT and DESCRIBE; None if the client accepts none."""
    default_graphs: tuple[str, ...] = ()
    """The protocol's ``default-graph-uri``: with ``named_graphs``, the dataset over the text's (:func:`dataset_of`)."""
    named_graphs: tuple[str, ...] = ()
    """The protocol's ``named-graph-uri``."""


@dataclass(frozen=True)
class QueryAnswer:
    form: str
    """``solutions``, ``boolean`` or ``graph``."""
    format: str
    """The key of the format the body is written in."""
    body: bytes
    rows: int


def _evaluate(store: Dataset, request: QueryRequest, row_limit: int) -> QueryAnswer:
    """Parse, check and answer one query (in a worker: the parse too may be costly)."""
    parsed = check_query(request.text)
    form = parsed.form or "select"
    wanted = request.graph_format if form in ("construct", "describe") else request.results_format
    if wanted is None:
        raise NotAcceptable(form)
    default_graphs, named_graphs = dataset_of(parsed, request.default_graphs, request.named_graphs)
    if not default_graphs and not named_graphs:
        default_graphs = named_graphs = store.own_graphs()  # a server's own graphs are not the store's
    # The store gets the dataset apart; the text's own clauses would only be read differently by each server.
    text = parsed.without_dataset_clauses()
    result = store.query(text, default_graphs=default_graphs, named_graphs=named_graphs)
    try:
        return _written(result, wanted, row_limit)
    except SyntaxError as error:
        # The query parsed; what fails now is the reading of a remote store's answer.
        raise StoreFailed(f"the store's answer was cut short or malformed ({error})", 502) from None


def _written(result, wanted: str, row_limit: int) -> QueryAnswer:
    """A query's result written in the format ``wanted``, within the row limit."""
    if isinstance(result, ox.QueryBoolean):
        return QueryAnswer("boolean", wanted, result.serialize(format=RESULTS_FORMATS[wanted]) or b"", 1)
    if isinstance(result, ox.QuerySolutions):
        # pyoxigraph serialises only a whole result, so rows are counted here and written as TSV
        # (N-Triples terms, exact), which pyoxigraph reads back and writes in the asked format.
        variables = result.variables
        lines = ["\t".join(str(variable) for variable in variables)]
        for row in itertools.islice(result, row_limit + 1):
            lines.append("\t".join("" if term is None else str(term) for term in row))
        rows = len(lines) - 1
        if rows > row_limit:
            raise TooManyResults(f"the query returns more than {row_limit:,} rows; add LIMIT (and OFFSET to page)")
        tsv = ("\n".join(lines) + "\n").encode()
        body = (
            tsv
            if wanted == "tsv"
            else ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV).serialize(format=RESULTS_FORMATS[wanted])
            or b""
        )
        return QueryAnswer("solutions", wanted, body, rows)
    triples = list(itertools.islice(result, row_limit + 1))
    if len(triples) > row_limit:
        raise TooManyResults(f"the query returns more than {row_limit:,} triples; add LIMIT (and OFFSET to page)")
    return QueryAnswer("graph", wanted, ox.serialize(triples, format=GRAPH_FORMATS[wanted]) or b"", len(triples))


class _WorkerState:
    """What one worker keeps between requests: the store it has open."""

    def __init__(self, row_limit: int):
        self.row_limit = row_limit
        self.store: Dataset | None = None
        self.opened: str | None = None

    def answer(self, snapshot: str, request: QueryRequest) -> QueryAnswer:
        if snapshot != self.opened:
            self.store = None
            # A remote store is not copied: its connection comes instead of a snapshot's directory.
            self.store = (
                RemoteStore.from_connection(snapshot) if snapshot.startswith("{") else Store.open_snapshot(snapshot)
            )
            self.opened = snapshot
        assert self.store is not None
        return _evaluate(self.store, request, self.row_limit)

    def reply(self, operation: str, arguments: tuple) -> tuple[str, Any]:
        """The reply to one request: a status and its payload."""
        try:
            if operation == "update":
                return "checked", check_update(*arguments)
            return "answer", self.answer(*arguments)
        except QueryRefused as error:
            return "refused", str(error)
        except SyntaxError as error:  # the store's own parser, on a text the grammar let through
            return "refused", f"SPARQL syntax error: {error}"
        except NotAcceptable as error:
            return "not-acceptable", error.form
        except TooManyResults as error:
            return "too-many", str(error)
        except StoreFailed as error:
            return ("refused", f"SPARQL syntax error: {error}") if error.status == 400 else ("failed", str(error))
        except StoreUnavailable as error:
            return "unavailable", str(error)
        except (OSError, ValueError, TypeError, RuntimeError, MemoryError) as error:
            return "failed", str(error)


def _serve(connection: Connection, row_limit: int, memory_limit_mb: int | None, network: bool) -> None:
    """A worker: cut itself off the network (unless it must reach a store), then answer requests until EOF."""
    wall = NONE if network else cut_network()
    if memory_limit_mb:
        import resource

        limit = memory_limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    connection.send(("ready", wall))
    state = _WorkerState(row_limit)
    while True:
        try:
            operation, *arguments = connection.recv()
        except EOFError:
            return
        connection.send(state.reply(operation, tuple(arguments)))


class _Worker:
    """One worker: ``python -m graph.sparql.sandbox`` over a socket pair (no re-import of the server's main module)."""

    def __init__(self, row_limit: int, memory_limit_mb: int | None, network: bool):
        ours, theirs = socket.socketpair()
        command = [
            sys.executable,
            "-m",
            "graph.sparql.sandbox",
            str(theirs.fileno()),
            str(row_limit),
            str(memory_limit_mb or 0),
            "network" if network else "offline",
        ]
        self.process = subprocess.Popen(command, pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL)
        theirs.close()
        self.connection = Connection(ours.detach())
        self.wall: str | None = None

    def wait_ready(self, timeout: float) -> str:
        """The wall the worker stands behind, once it has said so (it says nothing else first)."""
        if self.wall is None:
            if not self.connection.poll(timeout):
                raise QueryFailed(f"a query worker did not start within {timeout:g} s")
            _, self.wall = self.connection.recv()
        return self.wall

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(5)
        self.connection.close()


_START_TIMEOUT = 60.0
"""Seconds a new worker may take to start (an interpreter and pyoxigraph on a busy machine)."""


@dataclass
class QuerySandbox:
    """A pool of worker processes that parse and answer outside SPARQL within a time limit.

    Parameters
    ----------
    workers : how many queries may run at once.
    timeout : seconds a query may run (its parse included) before its worker is killed.
    row_limit : the most rows (or triples) an answer may hold.
    memory_limit_mb : the most heap a worker may allocate; a query that needs more fails.
    network : whether the workers must reach the network (a remote store); if not, each cuts
        itself off it before its first request, and updates are applied on a thread cut off too.

    Examples
    --------
    >>> import tempfile
    >>> from graph.ingest.load import open_store
    >>> directory = tempfile.mkdtemp()
    >>> open_store("memory").snapshot(directory + "/1")
    >>> with QuerySandbox(workers=1) as sandbox:
    ...     answer = sandbox.run(directory + "/1", QueryRequest("ASK { ?s a parley:State }"))
    ...     wall = sandbox.wall
    >>> answer.body, wall
    (b'{"head":{},"boolean":true}', 'seccomp')
    """

    workers: int = 2
    timeout: float = 10.0
    row_limit: int = 100_000
    memory_limit_mb: int | None = 4096
    network: bool = False
    _idle: queue.Queue = field(default_factory=queue.Queue, init=False, repr=False)
    _closed: bool = field(default=False, init=False, repr=False)
    _updates: ThreadPoolExecutor | None = field(default=None, init=False, repr=False)
    query_wall: str = field(default=NONE, init=False)
    """The wall around the query workers: ``seccomp``, ``network namespace`` or ``none``."""
    update_wall: str = field(default=NONE, init=False)
    """The wall around the thread client updates are applied on."""

    def __post_init__(self) -> None:
        # New interpreters, not forks: the server has threads (RocksDB's too) that a fork would copy mid-step.
        for _ in range(self.workers):
            self._idle.put(self._start())
        first = self._take()
        self.query_wall = first.wait_ready(_START_TIMEOUT)
        self._idle.put(first)
        if not self.network:
            self._updates = ThreadPoolExecutor(1, thread_name_prefix="parley-sparql-update")
            self.update_wall = self._updates.submit(cut_network, False).result()
        if NONE in (self.query_wall, self.update_wall) and not self.network:
            _log.warning(
                "the kernel refused to cut SPARQL evaluation off the network (%s): SERVICE and LOAD "
                "are kept out by the parse alone",
                self.wall,
            )

    def __enter__(self) -> QuerySandbox:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @property
    def wall(self) -> str:
        """What keeps client SPARQL off the network besides the parse, in one word or two.

        ``remote store`` where the workers must reach the store; otherwise the kernel's wall
        around the workers and the update thread (``none`` where the kernel refused).
        """
        if self.network:
            return "remote store"
        if self.query_wall == self.update_wall:
            return self.query_wall
        return f"queries: {self.query_wall}, updates: {self.update_wall}"

    def _start(self) -> _Worker:
        return _Worker(self.row_limit, self.memory_limit_mb, self.network)

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and put a fresh one in its place, without making the caller wait for it."""
        worker.kill()
        if not self._closed:
            threading.Thread(target=lambda: self._idle.put(self._start()), daemon=True).start()

    def _take(self) -> _Worker:
        try:
            return self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise SandboxBusy(f"every query worker stayed busy for {self.timeout:g} s; try again shortly") from None

    def _ask(self, request: tuple, what: str) -> tuple[str, Any]:
        """Send one request to an idle worker and wait, within the time limit, for its reply."""
        worker = self._take()
        reusable = False
        try:
            worker.wait_ready(_START_TIMEOUT)
            worker.connection.send(request)
            # The limit is the request's own running time, counted from when a worker takes it.
            if not worker.connection.poll(self.timeout):
                raise QueryTimeout(f"the {what} ran for more than {self.timeout:g} s and was stopped")
            reply = worker.connection.recv()
            reusable = True
            return reply
        except (EOFError, OSError):
            raise QueryFailed(f"the {what}'s worker process died (out of memory?) and was replaced") from None
        finally:
            # A worker that timed out or died is killed, which frees its CPU, and replaced.
            if reusable:
                self._idle.put(worker)
            else:
                self._replace(worker)

    def run(self, snapshot: str | Path, request: QueryRequest) -> QueryAnswer:
        """Parse, check and answer ``request`` over the snapshot in ``snapshot``, within the time limit.

        Raises
        ------
        QueryRefused
            For ``SERVICE``, ``LOAD`` and syntax errors (found by the parse in the worker).
        NotAcceptable, QueryTimeout, TooManyResults, QueryFailed, SandboxBusy
        """
        status, payload = self._ask(("query", str(snapshot), request), "query")
        return _reply(status, payload)

    def check_update(self, text: str) -> ParsedSparql:
        """Parse and check a client's update in a worker (refused as :func:`check_update` refuses)."""
        try:
            status, payload = self._ask(("update", text), "update's parse")
        except QueryTimeout:
            raise QueryRefused(f"the update could not be parsed within {self.timeout:g} s: send it in parts") from None
        return _reply(status, payload)

    def apply_update(self, apply: Callable[[ParsedSparql], None], text: str) -> None:
        """Check a client's update in a worker, then ``apply`` it on the thread cut off the network."""
        parsed = self.check_update(text)
        if self._updates is None:
            apply(parsed)
        else:
            self._updates.submit(apply, parsed).result()

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        if self._updates is not None:
            self._updates.shutdown(wait=True)
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                return


def _reply(status: str, payload: Any) -> Any:
    """A worker's reply as the answer, or as the error it stands for."""
    if status in ("answer", "checked"):
        return payload
    if status == "refused":
        raise QueryRefused(payload)
    if status == "not-acceptable":
        raise NotAcceptable(payload)
    if status == "too-many":
        raise TooManyResults(payload)
    if status == "unavailable":
        raise StoreUnavailable(payload)
    raise QueryFailed(payload)


class Snapshots:
    """Read-only snapshots of one store, one per state the workers are asked about.

    A snapshot is taken when a query first needs the current state, not on every write; a
    superseded one is removed once no query can still be reading it (``keep_for`` seconds).
    """

    def __init__(self, store: Dataset, keep_for: float = 30.0):
        self._store = store
        self._keep_for = keep_for
        self._lock = threading.Lock()
        location = Path(store.location)
        if store.shared or store.location == "memory" or not location.exists():
            self._root = Path(tempfile.mkdtemp(prefix="parley-snapshots-"))
        else:
            self._root = location.with_name(location.name + ".snapshots")
            shutil.rmtree(self._root, ignore_errors=True)
            self._root.mkdir(parents=True)
        self._current: tuple[int, Path] | None = None
        self._retired: list[tuple[float, Path]] = []
        self._counter = itertools.count()

    def current(self, generation: int) -> Path | str:
        """The snapshot of state ``generation``, taken now if none is; the caller holds the store still.

        A remote store is shared and changes under any copy, so its workers query it directly: they
        get its connection instead.
        """
        if isinstance(self._store, RemoteStore):
            return self._store.connection()
        assert isinstance(self._store, Store)
        with self._lock:
            if self._current is not None and self._current[0] == generation:
                return self._current[1]
            directory = self._root / f"{generation}-{next(self._counter)}"
            self._store.snapshot(directory)
            if self._current is not None:
                self._retired.append((time.monotonic(), self._current[1]))
            self._current = (generation, directory)
            self._remove_retired()
            return directory

    def _remove_retired(self) -> None:
        now = time.monotonic()
        keep = []
        for retired_at, directory in self._retired:
            if now - retired_at > self._keep_for:
                shutil.rmtree(directory, ignore_errors=True)
            else:
                keep.append((retired_at, directory))
        self._retired = keep

    def close(self) -> None:
        """Remove every snapshot."""
        shutil.rmtree(self._root, ignore_errors=True)


if __name__ == "__main__":
    # Run the module's own copy of _serve, so what it pickles is graph.sparql.sandbox's, not __main__'s.
    from graph.sparql.sandbox import _serve as serve

    serve(Connection(int(sys.argv[1])), int(sys.argv[2]), int(sys.argv[3]) or None, sys.argv[4] == "network")
