"""The Network view's picture, worked out ahead: after the start and after each write, before anyone asks."""

from __future__ import annotations

import asyncio
import xml.etree.ElementTree as ElementTree
from datetime import date

import pytest

from api.prefetch import NETWORK_EDGES, Prefetcher, picture_key
from api.responses import AnswerCache
from graph.ingest.load import open_store
from graph.workspace import Workspace
from tests.api.conftest import AUTH
from tests.api.test_writes import CEASEFIRE

pytestmark = pytest.mark.anyio

GEXF = "{http://gexf.net/1.3}"
PAGE = {"view": "actors", "strongest": NETWORK_EDGES, "edge_issues": "false"}  # what the page asks for


async def worked_out(client, seconds: float = 20) -> bytes:
    """The picture of the current state once the background thread has put it in the answer cache."""
    workspace, cache = client.app.state.workspace, client.app.state.answers
    for _ in range(int(seconds / 0.05)):
        body = cache.get(picture_key(workspace.generation, date.today(), NETWORK_EDGES, False))
        if body is not None:
            return body
        await asyncio.sleep(0.05)
    raise AssertionError("the picture was not worked out ahead")


def counts(picture: bytes) -> dict[tuple[str, str, str], int]:
    """How many issues each conflict and agreement edge counts, by its ends and kind."""
    root = ElementTree.fromstring(picture)
    return {
        (edge.get("source"), edge.get("target"), edge.get("kind")): int(value.get("value"))
        for edge in root.iter(f"{GEXF}edge")
        for value in edge.iter(f"{GEXF}attvalue")
        if value.get("for") == "count"
    }


async def test_the_picture_is_worked_out_after_the_start_and_after_each_write(writer):
    first = await worked_out(writer)
    assert (await writer.get("/export/gexf", params=PAGE)).content == first  # the page's request: a lookup
    assert b'for="issues"' not in first and b'kind="conflict"' in first
    assert (await writer.post("/positions", json=CEASEFIRE, headers=AUTH)).status_code == 201
    second = await worked_out(writer)
    assert (await writer.get("/export/gexf", params=PAGE)).content == second
    # Russia now opposes the ceasefire the US supports: a second issue on their conflict edge.
    assert counts(first)[("russia", "us", "conflict")] == 1 and counts(second)[("russia", "us", "conflict")] == 2


async def test_a_request_while_the_picture_is_worked_out_gets_that_answer(client):
    cache = client.app.state.answers
    started, release = asyncio.Event(), asyncio.Event()
    loop = asyncio.get_running_loop()
    calls = []

    def slow() -> bytes:
        calls.append(1)
        loop.call_soon_threadsafe(started.set)
        asyncio.run_coroutine_threadsafe(release.wait(), loop).result()
        return b"<gexf/>"

    first = asyncio.create_task(asyncio.to_thread(cache.computed, ("k",), slow))
    await started.wait()
    second = asyncio.create_task(asyncio.to_thread(cache.computed, ("k",), slow))
    await asyncio.sleep(0.1)
    release.set()
    assert await first == await second == b"<gexf/>" and calls == [1]


def test_past_so_many_parties_the_picture_waits_to_be_asked_for():
    workspace = Workspace(open_store("memory"))
    for parties, expected in ((2, False), (3, True)):  # the seed graph has three parties (Russia, Ukraine, the US)
        cache = AnswerCache()
        prefetcher = Prefetcher(workspace, cache, parties=parties).start()
        prefetcher.close()
        key = picture_key(workspace.generation, date.today(), NETWORK_EDGES, False)
        assert (cache.get(key) is not None) is expected
