"""The remote store: Parley's dataset in a SPARQL 1.1 server (Oxigraph server, Virtuoso, Fuseki, GraphDB).

Reads go through the SPARQL Protocol, writes as SPARQL Updates (one request, one transaction),
large loads through the Graph Store Protocol in batches under the same pending record. Every
write through Parley raises a version counter in the log graph, which a replica compares to learn
that another one wrote.

Only what the protocols say is taken for granted, and what a server answers is checked rather than
trusted: queries go in the Protocol's most portable forms (GET, or a URL-encoded form for a long
one), each form with the one media type Parley reads; an answer in another type, one the server
capped (Virtuoso's ``X-SPARQL-MaxRows``) or cut short is the store's failure, said as such; a write is
done only when the server says so (201 or 204, or 200 with no HTML page), and a bulk write is counted
back per graph. Terms are read by their value: a boolean spelt ``1``, a blank node labelled
``nodeID://b1``, an ASK answered as a one-row table all read as what they mean.
"""

from __future__ import annotations

import json
import os
import re
import socket
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

from graph.errors import StoreFailed, StoreUnavailable
from graph.store import queries
from graph.store.dataset import (
    INSERT_SLICE,
    THIS_PROCESS,
    Bindings,
    Dataset,
    Graphs,
    Removals,
    deleting_update,
    replacing_update,
)
from graph.store.namespaces import DERIVED_GRAPH, GRAPH, LOG_GRAPH, PARLEY, PREFIXES

REQUEST_FORMS = ("portable", "direct")
"""How a remote store sends queries and updates: ``portable`` (GET for a short query, a URL-encoded form
POST for a long one or an update: what every server takes) or ``direct`` (the text as the body, typed
``application/sparql-query`` or ``application/sparql-update``: Virtuoso 7 never answers that form)."""

AUTH_SCHEMES = ("basic", "digest")
"""How a remote store checks ``user`` and ``password`` (Virtuoso's ``/sparql-auth`` asks for digest)."""

SERVER_GRAPH = ox.NamedNode(PARLEY + "serverGraph")
NO_GRAPH = ox.NamedNode(GRAPH + "none")
"""A graph no one writes: the empty part of a query's dataset, said as a graph that holds nothing."""
_RESULTS_JSON = "application/sparql-results+json"
# Results are asked for in XML: Virtuoso 7 writes it two to three times as fast as JSON (100k rows of two values:
# 4.2 s against 7.5 s), Oxigraph server as fast, and pyoxigraph reads it a little faster.
_RESULTS_XML = "application/sparql-results+xml"
_N_TRIPLES = ("application/n-triples", "text/plain")  # text/plain: N-Triples' media type before RDF 1.1
_ACCEPT = {"select": _RESULTS_XML, "ask": _RESULTS_XML, "construct": _N_TRIPLES[0], "describe": _N_TRIPLES[0]}
_ROW_CAP_HEADER = "x-sparql-maxrows"  # Virtuoso's sign that it cut a result at its ResultSetMaxRows
_PARTIAL_HEADER = "x-sql-state"  # Virtuoso's sign of an "anytime" answer, partial at its time limit

# Terms of SPARQL XML results that need reading by value: a blank node whose label is not one N-Triples allows
# (Virtuoso's nodeID://b10001), and a boolean spelt 1 or 0 (Virtuoso's too).
_FOREIGN_BLANK_NODE = re.compile(rb"<bnode>([^<]*[^A-Za-z0-9_<][^<]*)</bnode>")
_NUMBER_BOOLEAN = re.compile(
    rb"""(<literal datatype=["']http://www\.w3\.org/2001/XMLSchema#boolean["']>)\s*([01])\s*<"""
)
# A literal's whitespace at either end, which pyoxigraph's XML results parser drops unless written as character
# references (Oxigraph server writes them so; Virtuoso writes the characters).
_LEADING_SPACE = re.compile(rb"(<literal[^>]*>)(\s+)")
_TRAILING_SPACE = re.compile(rb"(\s+)(</literal>)")
_BOOLEAN_RESULT = b'<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/><boolean>true</boolean></sparql>'
_BOOLEAN_SPELLINGS = {"1": "true", "0": "false", "true": "true", "false": "false"}
_ECHOED_QUERY = f"PREFIX {next(iter(PREFIXES))}:"  # how every request's text begins
_LINE_GRAPH = re.compile(rb"<([^<>]*)> \.\r?\n")
_NT_BOOLEAN = re.compile(rb'"([01])"\^\^<http://www\.w3\.org/2001/XMLSchema#boolean>')


class RemoteStore(Dataset):
    """Parley's dataset in a SPARQL 1.1 server, behind the same methods as :class:`Store`.

    Parameters
    ----------
    location : the server's base URL; the endpoints default to Oxigraph server's paths under it.
    query_url, update_url, graph_store_url : the SPARQL query, SPARQL update and Graph Store
        Protocol endpoints (Virtuoso: ``/sparql``, ``/sparql``, ``/sparql-graph-crud``; Fuseki:
        ``/ds/query``, ``/ds/update``, ``/ds/data``).
    user, password : HTTP credentials, checked as ``auth`` says; or ``token`` for a bearer token.
    auth : ``basic`` or ``digest`` (:data:`AUTH_SCHEMES`).
    request_form : ``portable`` or ``direct`` (:data:`REQUEST_FORMS`).
    timeout : seconds to connect to the server and to send it a request: past them, it is unreachable.
    read_timeout : seconds the server may work on a request before it answers (reading the analysis
        index of a million positions takes minutes; a server that is down is found by ``timeout``).
    told : told what opening does that takes a while (dropping what a load cut short wrote), if it does.

    The server's default graph must be the union of its named graphs (``oxigraph serve
    --union-default-graph``; Virtuoso's own way; Fuseki's ``unionDefaultGraph``), as Parley's queries
    assume; opening checks this. A request that cannot reach the server raises :class:`StoreUnavailable`,
    one it answers with an error, or with an answer Parley cannot take whole, :class:`StoreFailed`.
    Other processes may write the same server (:attr:`shared`): a replica compares :meth:`version` to notice.

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
    max_get_bytes = 2_000
    """The longest URL a query goes in by GET; a longer one goes as a form (servers and proxies cap URLs)."""

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
        auth: str = "basic",
        request_form: str = "portable",
        told: Callable[[str], None] | None = None,
    ):
        if auth not in AUTH_SCHEMES:
            raise ValueError(f"auth is one of {', '.join(AUTH_SCHEMES)}, not {auth!r}")
        if request_form not in REQUEST_FORMS:
            raise ValueError(f"request_form is one of {', '.join(REQUEST_FORMS)}, not {request_form!r}")
        base = location.rstrip("/")
        self.location = location
        self.query_url = query_url or f"{base}/query"
        self.update_url = update_url or f"{base}/update"
        self.graph_store_url = graph_store_url or f"{base}/store"
        self.request_form = request_form
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
            "auth": auth,
            "request_form": request_form,
        }
        self.read_timeout = read_timeout
        checked: httpx.Auth | None = None
        if user:
            checked = (
                httpx.DigestAuth(user, password or "") if auth == "digest" else httpx.BasicAuth(user, password or "")
            )
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout, read=read_timeout),
            auth=checked,
            headers={"Authorization": f"Bearer {token}"} if token else {},
        )
        self._write_lock = threading.Lock()
        answer = self._ask_server("ASK {}", [], "ask")
        # Oxigraph server takes N-Quads in one Graph Store Protocol POST, and writes it with its bulk
        # loader when asked (no_transaction): the pending record makes a bulk write safe without a
        # transaction. Any other server gets one N-Triples request per graph, as the Protocol has it.
        self._is_oxigraph_server = answer.headers.get("server", "").startswith("Oxigraph/")
        self.check_default_graph()
        self._drop_unfinished_bulk_writes(told)

    @property
    def default_graph_of_its_own(self) -> bool:  # type: ignore[override]
        """Oxigraph server keeps a default graph beneath the union, which an update without GRAPH writes; a
        server whose default graph is only the union (Virtuoso) has none, and refuses such an update."""
        return self._is_oxigraph_server

    def connection(self) -> str:
        """How to open this store again (JSON, credentials included), for a worker process."""
        return json.dumps(self._connection)

    @classmethod
    def from_connection(cls, connection: str) -> RemoteStore:
        """Open the store :meth:`connection` describes."""
        return cls(**json.loads(connection))

    def __len__(self) -> int:
        server_graphs = self.server_graphs()
        rows = self.query(queries.GRAPH_TRIPLE_COUNTS)
        return sum(int(row["triples"].value) for row in rows if row["graph"].value not in server_graphs)

    def close(self) -> None:
        """Close the connections; the object must not be used afterwards."""
        self._http.close()

    def is_empty(self) -> bool:
        """Return True when none of Parley's graphs holds a quad (a server may hold graphs of its own:
        Virtuoso's system graphs). The server's graphs then are recorded as its own (:meth:`Dataset.server_graphs`),
        which the store's dumps, counts and statistics leave out."""
        if self.query(queries.ANY_PARLEY_QUAD):
            return False
        self.claim_server_graphs()
        return True

    def claim_server_graphs(self) -> None:
        """Record every graph the server holds, while none is Parley's, as the server's own (in the log
        graph, as ``parley:serverGraph``), for the store's dumps, counts and statistics to leave out."""
        held = [row["graph"] for row in self.query(queries.GRAPH_TRIPLE_COUNTS)]
        if held:
            self.replace({}, [ox.Quad(LOG_GRAPH, SERVER_GRAPH, graph, LOG_GRAPH) for graph in held])
        self._server_graphs = {graph.value for graph in held}

    def _send(
        self,
        method: str,
        url: str,
        content: bytes | None = None,
        content_type: str | None = None,
        accept: str | None = None,
        params: list[tuple[str, str]] | None = None,
        timeout=httpx.USE_CLIENT_DEFAULT,
    ) -> httpx.Response:
        headers = {**({"Content-Type": content_type} if content_type else {}), **({"Accept": accept} if accept else {})}
        try:
            query = httpx.QueryParams(tuple(params)) if params else None
            response = self._http.request(method, url, content=content, headers=headers, params=query, timeout=timeout)
        except httpx.ReadTimeout as error:
            raise StoreUnavailable(f"the store at {url} did not answer within {self.read_timeout:g} s") from error
        except httpx.TransportError as error:
            raise StoreUnavailable(f"the store at {url} is unreachable: {error or type(error).__name__}") from error
        if response.status_code >= 400:
            # A server may echo the request after its message (Virtuoso does): the message is what says why.
            said = response.text.split(_ECHOED_QUERY, 1)[0].strip()
            raise StoreFailed(f"the store at {url} answered {response.status_code}: {said[:500]}", response.status_code)
        return response

    def _ask_server(self, sparql: str, dataset: list[tuple[str, str]], form: str) -> httpx.Response:
        """Send a query in the store's request form, asking for the one media type its ``form`` is read in."""
        text = _with_prefixes(sparql)
        if self.request_form == "direct":
            return self._send("POST", self.query_url, text.encode(), "application/sparql-query", _ACCEPT[form], dataset)
        fields = [("query", text), *dataset]
        if len(self.query_url) + len(urlencode(fields)) < self.max_get_bytes:
            return self._send("GET", self.query_url, accept=_ACCEPT[form], params=fields)
        return self._send(
            "POST", self.query_url, urlencode(fields).encode(), "application/x-www-form-urlencoded", _ACCEPT[form]
        )

    def _query(self, sparql: str, bindings: Bindings, default_graphs: Graphs, named_graphs: Graphs):
        """As :meth:`Dataset.query`: the answer is read back into pyoxigraph's own result types.

        The dataset goes as the protocol's ``default-graph-uri`` and ``named-graph-uri``, which a server
        takes as the whole dataset, over the text's ``FROM`` and ``FROM NAMED`` (which a server started
        with ``--union-default-graph`` would not honour: it applies the union regardless).
        """
        if bindings:
            sparql = queries.bind_values(sparql, list(bindings), [tuple(bindings.values())])
        if bool(default_graphs) != bool(named_graphs):
            # Either list alone is the whole dataset (the other part empty), but a server may read a list left
            # out as "all" (Virtuoso does): an empty part goes as the one graph that never holds a triple.
            default_graphs, named_graphs = default_graphs or [NO_GRAPH], named_graphs or [NO_GRAPH]
        dataset = [("default-graph-uri", graph.value) for graph in default_graphs]
        dataset += [("named-graph-uri", graph.value) for graph in named_graphs]
        form = queries.form_of(sparql)
        response = self._ask_server(sparql, dataset, form)
        self._check_whole(response)
        media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        try:
            if form in ("select", "ask"):
                if media_type != _RESULTS_XML:
                    raise StoreFailed(
                        f"the store at {self.query_url} answered a {form.upper()} in {media_type or 'no media type'}, "
                        f"not the {_RESULTS_XML} asked for",
                        502,
                    )
                return _read_results(response.content, form)
            if media_type not in _N_TRIPLES:
                raise StoreFailed(
                    f"the store at {self.query_url} answered a {form.upper()} in {media_type or 'no media type'}, "
                    f"not the {_N_TRIPLES[0]} asked for",
                    502,
                )
            read = ox.parse(_NT_BOOLEAN.sub(_nt_boolean, response.content), format=ox.RdfFormat.N_TRIPLES)
            return iter([ox.Triple(quad.subject, quad.predicate, quad.object) for quad in read])
        except SyntaxError as error:
            # A server streams its answer; one that fails halfway (its own time limit) can only cut it short.
            raise StoreFailed(
                f"the store at {self.query_url} sent an answer cut short or malformed ({error}); "
                "a time limit of the server's own?",
                502,
            ) from None

    def _check_whole(self, response: httpx.Response) -> None:
        """Raise :class:`StoreFailed` if the server says it answered only part: capped at its row limit, or
        cut at its time limit (Virtuoso answers both with a 200, and says so only in a header)."""
        if _ROW_CAP_HEADER in response.headers:
            raise StoreFailed(
                f"the store at {self.query_url} cut the answer at its row cap of {response.headers[_ROW_CAP_HEADER]} "
                "rows; raise the server's cap (Virtuoso: ResultSetMaxRows in virtuoso.ini's [SPARQL] section)",
                502,
            )
        if _PARTIAL_HEADER in response.headers:
            raise StoreFailed(
                f"the store at {self.query_url} answered only part, at its own time limit "
                f"({response.headers[_PARTIAL_HEADER]}: {response.headers.get('x-sql-message', '')})",
                503,
            )

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update: one request, which the server runs as one transaction."""
        text = _with_prefixes(sparql)
        with self._write_lock:
            if self.request_form == "direct":
                response = self._send("POST", self.update_url, text.encode(), "application/sparql-update")
            else:
                form = urlencode([("update", text)]).encode()
                response = self._send(
                    "POST", self.update_url, form, "application/x-www-form-urlencoded", f"{_RESULTS_JSON}, */*;q=0.1"
                )
        self._check_written(response, self.update_url)

    def _check_written(self, response: httpx.Response, url: str) -> None:
        """Raise :class:`StoreFailed` unless the server said, in the Protocol's terms, that it wrote: an
        HTML page in a 200 is a page of its own (a form, a help text) that wrote nothing."""
        media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if response.status_code in (201, 204) or (response.status_code == 200 and media_type != "text/html"):
            return
        if response.status_code == 200 and not response.content.strip():
            return
        raise StoreFailed(
            f"the store at {url} answered {response.status_code} with {media_type or 'no media type'} "
            f"({response.text[:200].strip()!r}): not a write the protocol knows, so nothing counts as written",
            502,
        )

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

    def replace(self, removals: Removals, quads: list[ox.Quad]) -> None:
        """As :meth:`Store.replace`, in one SPARQL Update request."""
        update = replacing_update(removals, quads)
        if update:
            self.update(update)

    def _write_bulk(self, data: bytes, format: ox.RdfFormat = ox.RdfFormat.N_QUADS, to_graph=None) -> None:
        if format != ox.RdfFormat.N_QUADS or to_graph is not None:
            raise ValueError(f"a bulk write to {self.location} takes N-Quads, not {format.name}")
        self._post_quads(data)

    def _post_quads(self, nquads: bytes) -> None:
        """Add N-Quads (named graphs only) through the Graph Store Protocol endpoint, then count each graph back.

        Oxigraph server takes the N-Quads themselves, in requests of about :attr:`batch_bytes`; any other
        server one graph at a time, as N-Triples with ``?graph=``. A blank node's label means one node only
        within one request, so N-Quads with blank nodes go in one request (per graph), however large.
        """
        if self._is_oxigraph_server:
            written = _lines_per_graph(nquads)
            self._post_in_batches(nquads, "application/n-quads", [("no_transaction", "")])
        else:
            per_graph = _n_triples_per_graph(nquads)
            written = {graph: count for graph, (_, count) in per_graph.items()}
            for graph, (triples, _) in per_graph.items():
                self._post_in_batches(triples, "application/n-triples", [("graph", graph)])
        held = self._triple_counts(list(written))
        short = [
            f"<{graph}> holds {held[graph]:,} of {count:,}" for graph, count in written.items() if held[graph] < count
        ]
        if short:
            raise StoreFailed(
                f"the store at {self.graph_store_url} took a bulk write but does not hold it: {'; '.join(short)} "
                "triples written",
                502,
            )

    def _post_in_batches(self, text: bytes, content_type: str, params: list[tuple[str, str]]) -> None:
        """POST lines of ``text`` to the Graph Store Protocol endpoint in requests of about :attr:`batch_bytes`."""
        whole = b"_:" in text
        start = 0
        while start < len(text):
            end = len(text) if whole else text.find(b"\n", start + self.batch_bytes)
            end = len(text) if end < 0 else end + 1
            with self._write_lock:
                response = self._send(
                    "POST",
                    self.graph_store_url,
                    text[start:end],
                    content_type,
                    params=params,
                    timeout=None if whole else httpx.USE_CLIENT_DEFAULT,
                )
            self._check_written(response, self.graph_store_url)
            start = end

    def _triple_counts(self, graphs: list[str]) -> dict[str, int]:
        """How many triples each of ``graphs`` holds (0 for one that holds none)."""
        counts = dict.fromkeys(graphs, 0)
        for start in range(0, len(graphs), self.batch_subjects):
            rows = [(ox.NamedNode(graph),) for graph in graphs[start : start + self.batch_subjects]]
            for row in self.query(queries.bind_values(queries.TRIPLES_IN_GRAPHS, ["graph"], rows)):
                counts[row["graph"].value] = int(row["triples"].value)
        return counts

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

    def bulk_update(self, graph: ox.NamedNode, removed: list[ox.Quad], nquads: Iterable[bytes]) -> None:
        """As :meth:`Store.bulk_update`: removals in updates of :data:`INSERT_SLICE` quads, then the N-Quads
        through the Graph Store Protocol, as a bulk write sends them."""
        for start in range(0, len(removed), INSERT_SLICE):
            self.update(deleting_update(graph, removed[start : start + INSERT_SLICE]))
        for text in nquads:
            self._post_quads(text)

    def dump(self, format: ox.RdfFormat = ox.RdfFormat.N_QUADS, graph: ox.NamedNode | None = None) -> bytes:
        """Serialise the whole dataset (the server's own graphs left out), or one graph, to bytes (read with
        one SPARQL query)."""
        if graph is not None:
            rows = self.query(queries.TRIPLES_OF_GRAPH, {"graph": graph})
            triples = [ox.Triple(row["subject"], row["predicate"], row["object"]) for row in rows]
            return ox.serialize(triples, format=format, prefixes=PREFIXES) or b""
        server_graphs = self.server_graphs()
        rows = self.query(queries.TRIPLES_OF_GRAPH)
        quads = [
            ox.Quad(row["subject"], row["predicate"], row["object"], row["graph"])
            for row in rows
            if row["graph"].value not in server_graphs
        ]
        return ox.serialize(quads, format=format) or b""


def _with_prefixes(sparql: str) -> str:
    """The text with Parley's prefixes declared before it (what pyoxigraph's ``prefixes`` does)."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items()) + sparql


def _read_results(content: bytes, form: str):
    r"""SPARQL XML results read into pyoxigraph's types, each term by its value.

    Examples
    --------
    >>> head = b'<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable name="x"/></head>'
    >>> answer = head + b'<results><result><binding name="x"><bnode>nodeID://b1</bnode></binding></result></results></sparql>'
    >>> [row["x"] for row in _read_results(answer, "select")]  # doctest: +ELLIPSIS
    [<BlankNode value=...>]
    >>> value = b'<literal datatype="http://www.w3.org/2001/XMLSchema#integer">1</literal>'
    >>> table = head + b'<results><result><binding name="x">' + value + b"</binding></result></results></sparql>"
    >>> bool(_read_results(table, "ask"))
    True
    >>> said = b'<literal> said.\n</literal>'
    >>> text = head + b'<results><result><binding name="x">' + said + b"</binding></result></results></sparql>"
    >>> [row["x"].value for row in _read_results(text, "select")]
    [' said.\n']
    """
    # Results are parsed as they are read, so a body cut short would fail in the caller's loop,
    # looking like the caller's own error. A whole answer ends its top element: check that now.
    if not content.rstrip().endswith(b"</sparql>"):
        raise SyntaxError("the XML results do not end")
    content = _NUMBER_BOOLEAN.sub(_boolean_by_value, _FOREIGN_BLANK_NODE.sub(_blank_node_label, content))
    content = _LEADING_SPACE.sub(lambda found: found.group(1) + _references(found.group(2)), content)
    content = _TRAILING_SPACE.sub(lambda found: _references(found.group(1)) + found.group(2), content)
    results = ox.parse_query_results(content, format=ox.QueryResultsFormat.XML)
    if form == "ask" and not isinstance(results, ox.QueryBoolean):
        return _ask_table_as_boolean(results)
    return results


def _ask_table_as_boolean(table: ox.QuerySolutions) -> ox.QueryBoolean:
    """An ASK answered as a table of one row and one value (Virtuoso 7), as the boolean it stands for."""
    rows = list(table)
    value = rows[0][0] if rows and len(table.variables) == 1 else None
    spelling = _BOOLEAN_SPELLINGS.get(value.value.lower()) if isinstance(value, ox.Literal) else None
    if rows and spelling is None:
        raise SyntaxError(f"an ASK was answered with neither a boolean nor a one-value table ({rows[0]})")
    answer = ox.parse_query_results(
        _BOOLEAN_RESULT.replace(b"true", (spelling or "false").encode()), format=ox.QueryResultsFormat.XML
    )
    assert isinstance(answer, ox.QueryBoolean)  # pyoxigraph makes one only by reading it
    return answer


def _references(spaces: bytes) -> bytes:
    """Whitespace as XML character references, which an XML parser keeps."""
    return b"".join(b"&#%d;" % character for character in spaces)


def _blank_node_label(found: re.Match) -> bytes:
    """A blank node's label made one N-Triples takes: the same label always gives the same node."""
    return b"<bnode>x" + found.group(1).hex().encode() + b"</bnode>"


def _boolean_by_value(found: re.Match) -> bytes:
    return found.group(1) + (b"true" if found.group(2) == b"1" else b"false") + b"<"


def _nt_boolean(found: re.Match) -> bytes:
    return (
        b'"' + _BOOLEAN_SPELLINGS[found.group(1).decode()].encode() + b'"^^<http://www.w3.org/2001/XMLSchema#boolean>'
    )


def _lines_per_graph(nquads: bytes) -> dict[str, int]:
    r"""How many lines of N-Quads (one quad each, all in named graphs) go to each graph: the graph is the
    line's last IRI. A bulk write's N-Quads are a store's dump, so no line repeats another.

    Examples
    --------
    >>> _lines_per_graph(b'<urn:a> <urn:p> "x y" <urn:g> .\n<urn:b> <urn:p> <urn:c> <urn:g> .\n')
    {'urn:g': 2}
    """
    return dict(Counter(graph.decode() for graph in _LINE_GRAPH.findall(nquads)))


def _n_triples_per_graph(nquads: bytes) -> dict[str, tuple[bytes, int]]:
    """N-Quads as N-Triples, one text per named graph, with how many distinct triples each holds."""
    per_graph: dict[str, dict[ox.Triple, None]] = {}
    for quad in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        per_graph.setdefault(quad.graph_name.value, {})[ox.Triple(quad.subject, quad.predicate, quad.object)] = None
    return {
        graph: (ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES) or b"", len(triples))
        for graph, triples in per_graph.items()
    }
