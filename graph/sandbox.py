"""Run outside SPARQL queries safely: refused if they reach out, stopped when they run too long.

pyoxigraph has no time limit and no way to cancel a query, and it evaluates in Rust where no
Python signal arrives. So queries run in worker processes over a read-only snapshot of the store
(:meth:`Store.snapshot`); a query over its time limit is answered with :class:`QueryTimeout` and its
worker is killed, which really frees the CPU, and replaced. Over a remote store the workers query
the server itself (it changes under any copy); killing one stops Parley waiting, and the server's
own time limit (``oxigraph serve --timeout-s``) stops the work there.

``SERVICE`` and ``LOAD`` would make Oxigraph fetch from the network inside Rust, so they are
refused by :func:`refuse_unsafe_sparql` before anything runs.
"""

from __future__ import annotations

import itertools
import queue
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from graph import queries
from graph.errors import ParleyError, StoreFailed, StoreUnavailable
from graph.store import RemoteStore, Store

__all__ = [
    "QueryRequest", "QueryAnswer", "QuerySandbox", "Snapshots", "refuse_unsafe_sparql", "query_form",
    "QueryRefused", "QueryTimeout", "QueryFailed", "TooManyResults", "SandboxBusy",
    "RESULTS_FORMATS", "GRAPH_FORMATS",
]

RESULTS_FORMATS = {
    "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
}
"""How SELECT and ASK answers can be written, by name."""

GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE, "n-triples": ox.RdfFormat.N_TRIPLES, "json-ld": ox.RdfFormat.JSON_LD,
    "trig": ox.RdfFormat.TRIG, "rdf-xml": ox.RdfFormat.RDF_XML,
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


# A keyword, not part of a name (?load, ex:load, load:x, reload).
_UNSAFE = re.compile(r"(?<![\w:?$\-])(SERVICE|LOAD)(?![\w:\-])", re.IGNORECASE)
_FORM = re.compile(r"(?<![\w:?$\-])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:\-])", re.IGNORECASE)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _keywords_text(sparql: str) -> str:
    """The query with codepoint escapes decoded (SPARQL allows them anywhere) and inert parts blanked."""
    decoded = _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), sparql)
    return queries.INERT_TEXT.sub(" ", decoded)


def refuse_unsafe_sparql(sparql: str) -> None:
    """Raise :class:`QueryRefused` if a query or update uses ``SERVICE`` or ``LOAD``.

    The check is lexical and errs on the side of refusing: the words count wherever they are not
    inside a string, an IRI or a comment.

    Examples
    --------
    >>> refuse_unsafe_sparql('SELECT * { ?s ?p "SERVICE" }')
    >>> refuse_unsafe_sparql("SELECT * { service <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    graph.sandbox.QueryRefused: SERVICE is not allowed: Parley never lets a query reach another server
    """
    found = _UNSAFE.search(_keywords_text(sparql))
    if found:
        keyword = found.group(1).upper()
        reason = "reach another server" if keyword == "SERVICE" else "load a document from the network or the disk"
        raise QueryRefused(f"{keyword} is not allowed: Parley never lets a query {reason}")


def query_form(sparql: str) -> str | None:
    """The form of a query: ``select``, ``ask``, ``construct`` or ``describe`` (None if it has none).

    Examples
    --------
    >>> query_form("PREFIX ex: <http://example.org/select#> CONSTRUCT WHERE { ?s ex:p ?o }")
    'construct'
    """
    found = _FORM.search(_keywords_text(sparql))
    return found.group(1).lower() if found else None


@dataclass(frozen=True)
class QueryRequest:
    """One outside query, as the SPARQL protocol delivers it."""

    text: str
    results_format: str | None = "json"
    """A key of :data:`RESULTS_FORMATS` for SELECT and ASK; None if the client accepts none."""
    graph_format: str | None = "turtle"
    """A key of :data:`GRAPH_FORMATS` for CONSTRUCT and DESCRIBE; None if the client accepts none."""
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class QueryAnswer:
    form: str
    """``solutions``, ``boolean`` or ``graph``."""
    format: str
    """The key of the format the body is written in."""
    body: bytes
    rows: int


def _evaluate(store: Store, request: QueryRequest, row_limit: int) -> QueryAnswer:
    result = store.query(
        request.text,
        default_graphs=[ox.NamedNode(iri) for iri in request.default_graphs],
        named_graphs=[ox.NamedNode(iri) for iri in request.named_graphs],
    )
    if isinstance(result, ox.QueryBoolean):
        kind = request.results_format or "json"
        return QueryAnswer("boolean", kind, result.serialize(format=RESULTS_FORMATS[kind]), 1)
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
        kind = request.results_format or "json"
        body = tsv if kind == "tsv" else ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV).serialize(
            format=RESULTS_FORMATS[kind])
        return QueryAnswer("solutions", kind, body, rows)
    triples = list(itertools.islice(result, row_limit + 1))
    if len(triples) > row_limit:
        raise TooManyResults(f"the query returns more than {row_limit:,} triples; add LIMIT (and OFFSET to page)")
    kind = request.graph_format or "turtle"
    return QueryAnswer("graph", kind, ox.serialize(triples, format=GRAPH_FORMATS[kind]), len(triples))


def _serve(connection: Connection, row_limit: int, memory_limit_mb: int | None) -> None:
    """A worker: answer requests over ``connection`` until it closes."""
    if memory_limit_mb:
        import resource

        limit = memory_limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    store, opened = None, None
    while True:
        try:
            snapshot, request = connection.recv()
        except EOFError:
            return
        try:
            if snapshot != opened:
                store = None
                # A remote store is not copied: its connection comes instead of a snapshot's directory.
                store = RemoteStore.from_connection(snapshot) if snapshot.startswith("{") else Store.open_snapshot(snapshot)
                opened = snapshot
            connection.send(("answer", _evaluate(store, request, row_limit)))
        except SyntaxError as error:
            connection.send(("syntax", str(error)))
        except TooManyResults as error:
            connection.send(("too-many", str(error)))
        except StoreFailed as error:
            connection.send(("syntax" if error.status == 400 else "failed", str(error)))
        except StoreUnavailable as error:
            connection.send(("unavailable", str(error)))
        except (OSError, ValueError, TypeError, RuntimeError, MemoryError) as error:
            connection.send(("failed", str(error)))


class _Worker:
    """One worker: ``python -m graph.sandbox`` over a socket pair (no re-import of the server's main module)."""

    def __init__(self, row_limit: int, memory_limit_mb: int | None):
        ours, theirs = socket.socketpair()
        command = [sys.executable, "-m", "graph.sandbox", str(theirs.fileno()), str(row_limit), str(memory_limit_mb or 0)]
        self.process = subprocess.Popen(command, pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL)
        theirs.close()
        self.connection = Connection(ours.detach())

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(5)
        self.connection.close()


@dataclass
class QuerySandbox:
    """A pool of worker processes that answer outside SPARQL queries within a time limit.

    Parameters
    ----------
    workers : how many queries may run at once.
    timeout : seconds a query may run before its worker is killed.
    row_limit : the most rows (or triples) an answer may hold.
    memory_limit_mb : the most heap a worker may allocate; a query that needs more fails.

    Examples
    --------
    >>> import tempfile
    >>> from graph.load import open_store
    >>> directory = tempfile.mkdtemp()
    >>> open_store("memory").snapshot(directory + "/1")
    >>> with QuerySandbox(workers=1) as sandbox:
    ...     answer = sandbox.run(directory + "/1", QueryRequest("ASK { ?s a parley:State }"))
    >>> answer.body
    b'{"head":{},"boolean":true}'
    """

    workers: int = 2
    timeout: float = 10.0
    row_limit: int = 100_000
    memory_limit_mb: int | None = 4096
    _idle: queue.Queue = field(default_factory=queue.Queue, init=False, repr=False)
    _closed: bool = field(default=False, init=False, repr=False)

    def __post_init__(self) -> None:
        # New interpreters, not forks: the server has threads (RocksDB's too) that a fork would copy mid-step.
        for _ in range(self.workers):
            self._idle.put(self._start())

    def __enter__(self) -> QuerySandbox:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _start(self) -> _Worker:
        return _Worker(self.row_limit, self.memory_limit_mb)

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and put a fresh one in its place, without making the caller wait for it."""
        worker.kill()
        if not self._closed:
            threading.Thread(target=lambda: self._idle.put(self._start()), daemon=True).start()

    def run(self, snapshot: str | Path, request: QueryRequest) -> QueryAnswer:
        """Answer ``request`` over the snapshot in ``snapshot``, within the time limit.

        Raises
        ------
        QueryRefused
            For ``SERVICE``, ``LOAD`` and syntax errors (before anything runs, or from the parser).
        QueryTimeout, TooManyResults, QueryFailed, SandboxBusy
        """
        refuse_unsafe_sparql(request.text)
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise SandboxBusy(f"every query worker stayed busy for {self.timeout:g} s; try again shortly") from None
        try:
            worker.connection.send((str(snapshot), request))
            # The limit is the query's own running time, counted from when a worker takes it.
            if not worker.connection.poll(self.timeout):
                self._replace(worker)
                worker = None
                raise QueryTimeout(f"the query ran for more than {self.timeout:g} s and was stopped")
            status, payload = worker.connection.recv()
        except (EOFError, OSError, BrokenPipeError):
            if worker is not None:
                self._replace(worker)
                worker = None
            raise QueryFailed("the query's worker process died (out of memory?) and was replaced") from None
        finally:
            if worker is not None:
                self._idle.put(worker)
        if status == "answer":
            return payload
        if status == "syntax":
            raise QueryRefused(f"SPARQL syntax error: {payload}")
        if status == "too-many":
            raise TooManyResults(payload)
        if status == "unavailable":
            raise StoreUnavailable(payload)
        raise QueryFailed(payload)

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                return


class Snapshots:
    """Read-only snapshots of one store, one per state the workers are asked about.

    A snapshot is taken when a query first needs the current state, not on every write; a
    superseded one is removed once no query can still be reading it (``keep_for`` seconds).
    """

    def __init__(self, store: Store | RemoteStore, keep_for: float = 30.0):
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
        if self._store.shared:
            return self._store.connection()
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
    # Run the module's own copy of _serve, so what it pickles is graph.sandbox's, not __main__'s.
    from graph.sandbox import _serve as serve

    serve(Connection(int(sys.argv[1])), int(sys.argv[2]), int(sys.argv[3]) or None)
