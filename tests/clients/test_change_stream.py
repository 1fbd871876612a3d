"""/changes/stream over real servers: every listener hears a write made through any replica, and resumes by its id."""

from __future__ import annotations

import contextlib
import json
import threading

import httpx
import pytest

from tests.clients.server import free_port, serve, stop, wait_for_health
from tests.clients.test_remote_store import POSITION, TOKEN
from tests.conftest import eventually
from tests.oxigraph_server import OxigraphServer


@pytest.fixture
def fresh_oxigraph(tmp_path):
    server = OxigraphServer(tmp_path / "oxigraph").start()
    yield server
    server.kill()


class Listener:
    """An EventSource's reading of the stream, in a thread: each event's id, type and data."""

    def __init__(self, port: int, last_event_id: int | None = None):
        self.events: list[dict] = []
        self.connected = threading.Event()
        headers = {} if last_event_id is None else {"Last-Event-ID": str(last_event_id)}
        self._thread = threading.Thread(target=self._listen, args=(port, headers), daemon=True)
        self._thread.start()
        assert self.connected.wait(10), "the stream did not open"

    def _listen(self, port: int, headers: dict) -> None:
        event: dict = {}
        url = f"http://127.0.0.1:{port}/changes/stream"
        with (
            contextlib.suppress(httpx.RemoteProtocolError),  # the server stops at the test's end, mid-stream
            httpx.stream("GET", url, headers=headers, timeout=httpx.Timeout(5, read=None)) as response,
        ):
            assert response.headers["content-type"].startswith("text/event-stream")
            for line in response.iter_lines():
                self.connected.set()
                if not line and "data" in event:
                    self.events.append({**event, "data": json.loads(event["data"])})
                    event = {}
                elif line and not line.startswith(":"):
                    field, _, value = line.partition(":")
                    event[field] = value.removeprefix(" ")


def _replica(tmp_path, name: str, url: str):
    port = free_port()
    process = serve(url, port, log_path=tmp_path / f"{name}.log", token=TOKEN, query_workers="1")
    wait_for_health(port, process)
    return process, port


def test_two_listeners_of_one_replica_both_hear_a_write_made_through_another_and_a_third_resumes(
    fresh_oxigraph, tmp_path
):
    first, first_port = _replica(tmp_path, "first", fresh_oxigraph.url)
    second, second_port = _replica(tmp_path, "second", fresh_oxigraph.url)
    try:
        listeners = [Listener(first_port), Listener(first_port), Listener(second_port)]
        posted = httpx.post(
            f"http://127.0.0.1:{second_port}/positions",
            json=POSITION,
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=30,
        )
        assert posted.status_code == 201, posted.text
        for listener in listeners:
            (event,) = eventually(lambda listener=listener: list(listener.events), lambda events: len(events) == 1)
            assert event["event"] == "change" and event["data"]["added"] == [POSITION["id"]]
            assert int(event["id"]) == event["data"]["sequence"]
        sequence = listeners[0].events[0]["data"]["sequence"]
        # A listener that lost the connection comes back with the last id it had, and misses nothing.
        resumed = Listener(first_port, last_event_id=sequence - 1)
        (event,) = eventually(lambda: list(resumed.events), lambda events: len(events) == 1)
        assert event["data"]["sequence"] == sequence
        # One that resumes past the store's last change (a store replaced since) is sent every change from the first.
        replaced = Listener(second_port, last_event_id=10**12)
        events = eventually(lambda: list(replaced.events), lambda events: len(events) == sequence)
        assert [int(event["id"]) for event in events] == list(range(1, sequence + 1))
        shifts = [shift["summary"] for shift in event["data"]["shifts"]]
        assert shifts == [
            "Ukraine: US-Russia dialogue, now opposing, on the word of Ukraine "
            "(US will walk away from Russia-Ukraine peace talks within days unless a deal looks reachable, "
            "Rubio warns, 2025-04-19)"
        ]
    finally:
        stop(first)
        stop(second)
