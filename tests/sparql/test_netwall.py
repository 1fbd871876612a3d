"""The kernel's wall: what evaluates client SPARQL cannot open a network connection, even past the parse."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
import threading

import pytest

from graph.ingest.load import open_store
from graph.sparql.netwall import SECCOMP, cut_network
from graph.sparql.sandbox import QuerySandbox


class Listener:
    """A loopback socket that counts the connections it is offered."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                connection, _ = self.socket.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._stopped.set()
        self._thread.join()
        self.socket.close()


@pytest.fixture
def listener():
    listening = Listener()
    yield listening
    listening.close()


# A worker's own loop (graph.sparql.sandbox._serve) with its parse check taken out: what reaches the store
# is a SERVICE query, as if a spelling had got past the parse.
WORKER_PAST_THE_CHECK = textwrap.dedent("""
    import socket, sys
    from multiprocessing.connection import Connection
    import graph.sparql.sandbox as sandbox
    from graph.sparql.grammar import ParsedSparql
    sandbox.check_query = lambda text: ParsedSparql("query", "select", text=text)
    ours, theirs = socket.socketpair()
    sandbox_connection = Connection(ours.detach())
    import threading
    worker = threading.Thread(target=sandbox._serve, args=(Connection(theirs.detach()), 100, None, sys.argv[1] == "network"))
    worker.start()
    print(sandbox_connection.recv()[1])
    sandbox_connection.send(("query", sys.argv[2], sandbox.QueryRequest(sys.argv[3])))
    status, payload = sandbox_connection.recv()
    print(status, str(payload)[:200].replace("\\n", " "))
    sandbox_connection.close()
    worker.join()
""")


def _worker_past_the_check(tmp_path, port: int, network: bool) -> list[str]:
    snapshot = tmp_path / "snapshot"
    open_store("memory").snapshot(snapshot)
    query = f"SELECT * {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    done = subprocess.run(
        [sys.executable, "-c", WORKER_PAST_THE_CHECK, "network" if network else "offline", str(snapshot), query],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_a_worker_given_a_service_query_past_the_check_connects_to_nothing(tmp_path, listener):
    wall, answer = _worker_past_the_check(tmp_path, listener.port, network=False)
    assert wall == SECCOMP
    assert answer.startswith("failed"), answer
    assert listener.connections == 0


def test_without_the_wall_the_same_worker_does_connect(tmp_path, listener):
    """The control: the test above could fail, since the store does fetch SERVICE when it can."""
    wall, _ = _worker_past_the_check(tmp_path, listener.port, network=True)
    assert wall == "none"
    assert listener.connections >= 1


def test_the_update_thread_cannot_load_past_the_check(listener):
    store = open_store("memory")
    with QuerySandbox(workers=1) as sandbox:
        assert sandbox.update_wall == SECCOMP
        load = f"LOAD <http://127.0.0.1:{listener.port}/data.ttl>"
        with pytest.raises(OSError, match="Permission denied|denied"):
            # Straight to the store, on the sandbox's update thread: as if LOAD had got past the parse.
            sandbox._updates.submit(store.update, load).result()
    assert listener.connections == 0
    other = socket.create_connection(("127.0.0.1", listener.port), timeout=5)
    other.close()


def test_a_thread_cut_off_leaves_the_others_connected(listener):
    outcome = {}

    def cut_and_try() -> None:
        outcome["wall"] = cut_network(whole_process=False)
        try:
            socket.create_connection(("127.0.0.1", listener.port), timeout=5).close()
            outcome["connected"] = True
        except OSError as error:
            outcome["error"] = error.errno

    thread = threading.Thread(target=cut_and_try)
    thread.start()
    thread.join()
    assert outcome == {"wall": SECCOMP, "error": 13}
    socket.create_connection(("127.0.0.1", listener.port), timeout=5).close()
