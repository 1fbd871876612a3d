"""Server-sent events of the change feed: one poller per process wakes every listener when the store moves on.

The store's version counter rises with every write, whichever replica made it, so one small query
a tick (:attr:`ChangeHub.interval`) tells every listener of this process at once; each then reads
the changes after the last one it sent. The poller runs only while someone listens.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

from fastapi import Request
from fastapi.concurrency import run_in_threadpool

from graph.errors import ParleyError
from graph.report.changes import change_json, read_changes
from graph.store import Dataset

KEEP_ALIVE_SECONDS = 15.0
"""A comment line this often keeps proxies from closing a quiet stream."""
MAX_STREAM_SECONDS = 300.0
"""A stream ends after this long; the browser's EventSource reconnects at once with Last-Event-ID, losing
nothing, and a server that is stopping never waits longer than this for its streams."""


class ChangeHub:
    """The store's version as last seen, and a condition its listeners wait on."""

    def __init__(self, store: Dataset, interval: float = 0.25):
        self.store = store
        self.interval = interval
        self.version = store.version()
        self._changed = asyncio.Condition()
        self._listeners = 0
        self._poller: asyncio.Task | None = None
        self.closed = False

    async def wait_past(self, version: int, timeout: float) -> int:
        """Wait until the store's version is past ``version`` (or ``timeout`` seconds); return the version seen."""
        self._listeners += 1
        if self._poller is None or self._poller.done():
            self._poller = asyncio.create_task(self._poll())
        try:
            async with self._changed:
                await asyncio.wait_for(self._changed.wait_for(lambda: self.version > version), timeout)
        except TimeoutError:
            pass
        finally:
            self._listeners -= 1
        return self.version

    async def _poll(self) -> None:
        while self._listeners and not self.closed:
            try:
                version = await run_in_threadpool(self.store.version)
            except ParleyError:  # the store is away (a remote one): look again next tick
                await asyncio.sleep(self.interval)
                continue
            if version != self.version:
                async with self._changed:
                    self.version = version
                    self._changed.notify_all()
            await asyncio.sleep(self.interval)

    def close(self) -> None:
        """Stop polling and end every stream (a server that stops does not wait for its listeners)."""
        self.closed = True
        if self._poller is not None:
            self._poller.cancel()


async def change_events(request: Request, hub: ChangeHub, after: int) -> AsyncIterator[str]:
    """The text/event-stream of the changes numbered above ``after``, then of each new one as it is made."""
    yield f"retry: 2000\n: changes after {after}\n\n"
    ends = time.monotonic() + MAX_STREAM_SECONDS
    while time.monotonic() < ends and not hub.closed and not await request.is_disconnected():
        try:
            version = await run_in_threadpool(hub.store.version)
            if after > version:  # resumed past the store's last change: the store was replaced, so from its first
                after = 0
            changes = await run_in_threadpool(read_changes, hub.store, after, None, 100)
        except ParleyError as error:  # the store is away: say so, and try again (EventSource would reconnect)
            said = " ".join(str(error).split())[:200]  # one comment line: a line break would end it
            yield f": the store does not answer ({said}); trying again\n\n"
            await asyncio.sleep(min(KEEP_ALIVE_SECONDS, 2.0))
            continue
        for change in changes:
            data = json.dumps(change_json(change), ensure_ascii=False)
            yield f"id: {change.sequence}\nevent: change\ndata: {data}\n\n"
            after = change.sequence
        if changes:
            continue
        if await hub.wait_past(version, min(KEEP_ALIVE_SECONDS, max(ends - time.monotonic(), 0))) == version:
            yield ": keep-alive\n\n"
