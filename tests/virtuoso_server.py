"""A real OpenLink Virtuoso 7 (Debian's `virtuoso-opensource-7-bin`) on free loopback ports: the second server
family the remote-store tests run over, beside `oxigraph serve`.

Set up as the README's list of stores says: the SPARQL endpoint (`/sparql`) takes queries and updates from
anyone (``GRANT SPARQL_UPDATE TO "SPARQL"``), the Graph Store Protocol endpoint (`/sparql-graph-crud`) writes
for anyone (``RDF_DEFAULT_USER_PERMS_SET('nobody', 7)``), and `/sparql-auth` asks the user ``parley`` for HTTP
digest credentials. Its default graph is the union of its graphs (Virtuoso's own way), its row cap and its time
limit are the ``[SPARQL]`` section's ``ResultSetMaxRows`` and ``MaxQueryExecutionTime``, and SERVICE stays off:
the anonymous user lacks ``SPARQL_LOAD_SERVICE_DATA``.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import httpx

from tests.clients.server import free_port
from tests.server_process import ServerProcess

USER, PASSWORD = "parley", "parley-secret"
"""The account `/sparql-auth` asks for (HTTP digest)."""

_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
ServerThreads = 10
CheckpointInterval = 60
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty_buffers}
DirsAllowed = {dir}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 10
MaxClientConnections = 10

[SPARQL]
ResultSetMaxRows = {row_cap}
MaxQueryExecutionTime = {timeout}
"""

# What the account and the anonymous user may do (Virtuoso's SQL, through its own isql client).
_GRANTS = f"""\
GRANT SPARQL_UPDATE TO "SPARQL";
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);
DB.DBA.USER_CREATE ('{USER}', '{PASSWORD}');
GRANT SPARQL_UPDATE TO "{USER}";
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('{USER}', 7);
"""


def virtuoso_command() -> str:
    """Debian's `virtuoso-t` (`make test` installs the package)."""
    command = shutil.which("virtuoso-t")
    assert command, "the second store family needs Virtuoso: apt-get install virtuoso-opensource-7-bin (make test does)"
    return command


class VirtuosoServer(ServerProcess):
    """One Virtuoso over a directory (``row_cap``: its ``ResultSetMaxRows``; ``timeout``: its
    ``MaxQueryExecutionTime`` in seconds); stop, kill and start it again at will."""

    probe = "/sparql"
    start_within = 60.0

    def __init__(self, directory: Path, row_cap: int = 10_000, timeout: int = 10, buffers: int = 20_000):
        super().__init__(directory)
        self.row_cap = row_cap
        self.timeout = timeout
        self.buffers = buffers
        self.sql_port = free_port()
        self.http_port = free_port()
        self.url = f"http://127.0.0.1:{self.http_port}"
        self.log = directory / "stdout.log"
        self._seeded: dict[str, bytes] | None = None
        self._seeded_fingerprint: set[tuple[str, ...]] = set()
        self._granted = False

    @property
    def options(self) -> dict[str, str]:
        """The remote-store options that reach this server (:class:`graph.store.RemoteStore`'s arguments)."""
        return {
            "query_url": f"{self.url}/sparql",
            "update_url": f"{self.url}/sparql",
            "graph_store_url": self.graph_store,
        }

    @property
    def graph_store(self) -> str:
        return f"{self.url}/sparql-graph-crud"

    @property
    def environment(self) -> dict[str, str]:
        """The same options as `parley serve` reads them (PARLEY_STORE_*, without the prefix)."""
        return {f"store_{name}": value for name, value in self.options.items()}

    def command(self) -> list[str]:
        ini = self.directory / "virtuoso.ini"
        ini.write_text(
            _INI.format(
                dir=self.directory,
                sql_port=self.sql_port,
                http_port=self.http_port,
                buffers=self.buffers,
                dirty_buffers=self.buffers * 3 // 4,
                row_cap=self.row_cap,
                timeout=self.timeout,
            )
        )
        return [virtuoso_command(), "+foreground", "+configfile", str(ini)]

    def start(self) -> VirtuosoServer:
        super().start()
        if not self._granted:
            self.sql(_GRANTS)
            self._granted = True
        return self

    def sql(self, statements: str) -> str:
        """Run SQL statements as the database administrator, through Virtuoso's isql."""
        done = subprocess.run(
            ["isql-vt", str(self.sql_port), "dba", "dba", f"exec={statements}"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0 and "Error" not in done.stdout + done.stderr, done.stdout + done.stderr
        return done.stdout

    def graphs(self, everything: bool = False) -> list[str]:
        """The graphs that hold a triple, Virtuoso's own system graphs left out (unless ``everything``)."""
        answer = httpx.get(
            f"{self.url}/sparql",
            params={"query": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"},
            headers={"Accept": "application/sparql-results+json"},
            timeout=30,
        ).json()
        found = [row["g"]["value"] for row in answer["results"]["bindings"]]
        return found if everything else [graph for graph in found if not _is_system_graph(graph)]

    def clear(self) -> None:
        """Drop every graph but Virtuoso's own (DROP ALL would take those too), in one request."""
        graphs = self.graphs()
        if graphs:
            self.update(" ;\n".join(f"CLEAR SILENT GRAPH <{graph}>" for graph in graphs))

    def _fingerprint(self) -> set[tuple[str, ...]]:
        """Each graph with how many triples it holds, and the version counter: what any write changes."""
        answer = httpx.get(
            f"{self.url}/sparql",
            params={"query": _FINGERPRINT},
            headers={"Accept": "application/sparql-results+json"},
            timeout=30,
        ).json()
        return {
            tuple(row[name]["value"] for name in ("g", "triples", "v") if name in row)
            for row in answer["results"]["bindings"]
        }

    def update(self, sparql: str) -> None:
        httpx.post(f"{self.url}/sparql", data={"update": sparql}, timeout=60).raise_for_status()

    def reset(self) -> None:
        """Back to the seed graph as Parley first writes it (the first reset seeds it through Parley).

        Later resets write it again in one update (each request costs Virtuoso a commit of about 60 ms): a
        template per graph, which takes the blank nodes of the ontology's shapes as INSERT DATA would not.
        """
        from graph.ingest.load import open_store

        if self._seeded is not None and self._fingerprint() == self._seeded_fingerprint:
            return  # nothing written since: every write through Parley raises the version, any other one counts
        self.clear()
        if self._seeded is None:
            with open_store(self.url, **self.options) as store:
                self._seeded = {graph: _graph_dump(store, graph) for graph in self.graphs()}
            self._seeded_fingerprint = self._fingerprint()
            return
        self.update(
            " ;\n".join(
                f"INSERT {{ GRAPH <{graph}> {{\n{triples.decode()}}} }} WHERE {{}}"
                for graph, triples in self._seeded.items()
            )
        )


_FINGERPRINT = """
SELECT ?g (COUNT(*) AS ?triples) (SAMPLE(?version) AS ?v) WHERE {
    GRAPH ?g { ?s ?p ?o }
    OPTIONAL { GRAPH ?g { ?g <https://w3id.org/parley#version> ?version } }
}
GROUP BY ?g
"""


def _is_system_graph(graph: str) -> bool:
    return graph.startswith(("http://www.openlinksw.com/", "http://localhost", "http://www.w3.org/ns/ldp"))


def _graph_dump(store, graph: str) -> bytes:
    import pyoxigraph as ox

    return store.dump(ox.RdfFormat.N_TRIPLES, ox.NamedNode(graph))
