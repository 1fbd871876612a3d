"""The remote store: Parley's dataset in a SPARQL 1.1 server (Oxigraph server, Fuseki, GraphDB, Virtuoso).

Reads go through the SPARQL Protocol, writes as SPARQL Updates (one request, one transaction),
large loads through the Graph Store Protocol in batches under the same pending record. Every
write through Parley raises a version counter in the log graph, which a replica compares to learn
that another one wrote.
"""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Iterable

import httpx
import pyoxigraph as ox

from graph.errors import StoreFailed, StoreUnavailable
from graph.store import queries
from graph.store.dataset import THIS_PROCESS, Bindings, Dataset, Graphs, replacing_update
from graph.store.namespaces import DERIVED_GRAPH, PREFIXES


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

    def _query(self, sparql: str, bindings: Bindings, default_graphs: Graphs, named_graphs: Graphs):
        """As :meth:`Dataset.query`: the answer is read back into pyoxigraph's own result types.

        The dataset goes as the protocol's ``default-graph-uri`` and ``named-graph-uri``, which a server
        takes as the whole dataset, over the text's ``FROM`` and ``FROM NAMED`` (which a server started
        with ``--union-default-graph`` would not honour: it applies the union regardless).
        """
        if bindings:
            sparql = queries.bind_values(sparql, list(bindings), [tuple(bindings.values())])
        params = [("default-graph-uri", graph.value) for graph in default_graphs]
        params += [("named-graph-uri", graph.value) for graph in named_graphs]
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
        update = replacing_update({}, list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS)))
        if update:
            self.update(update)

    def replace(self, removals: dict[ox.NamedNode | None, list[ox.NamedNode] | None], quads: list[ox.Quad]) -> None:
        """As :meth:`Store.replace`, in one SPARQL Update request."""
        update = replacing_update(removals, quads)
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
        if loaded_by is None or loaded_by == THIS_PROCESS:
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


def _with_prefixes(sparql: str) -> str:
    """The text with Parley's prefixes declared before it (what pyoxigraph's ``prefixes`` does)."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items()) + sparql
