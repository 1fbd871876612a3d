"""JSON answers: checked against their public schema, written in the handler's own thread, and kept
until the next write.

Returning a :class:`fastapi.Response` spares FastAPI's second trip through the thread pool to
validate and serialise a plain ``dict``; the check against the schema still happens, here. An
answer depends only on the question and the state of the store, so it is cached under the
workspace's generation (which every write bumps) and carries an ETag for conditional requests.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from fastapi import Request, Response
from pydantic import BaseModel

from graph.workspace import Workspace


def public(model: type[BaseModel], payload: dict, status_code: int = 200) -> Response:
    """``payload`` validated as ``model`` and written as JSON.

    Examples
    --------
    >>> from api.schemas import CoalitionsPublic
    >>> public(CoalitionsPublic, {"as_of": "2025-04-18", "coalitions": [], "bridges": []}).body
    b'{"as_of":"2025-04-18","coalitions":[],"bridges":[]}'
    """
    return Response(_checked_json(model, payload), status_code=status_code, media_type="application/json")


def _checked_json(model: type[BaseModel], payload: dict) -> bytes:
    return model.model_validate(payload).model_dump_json().encode()


class AnswerCache:
    """The most recent answers, by (generation, question); old generations simply age out.

    Examples
    --------
    >>> cache = AnswerCache(size=1)
    >>> cache.put((0, "q"), b"{}"); cache.get((0, "q"))
    b'{}'
    >>> cache.put((1, "q"), b"[]"); cache.get((0, "q")) is None
    True
    """

    def __init__(self, size: int = 2048):
        self._size = size
        self._answers: OrderedDict[Hashable, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self._working: dict[Hashable, threading.Event] = {}

    def get(self, key: Hashable) -> bytes | None:
        with self._lock:
            body = self._answers.get(key)
            if body is not None:
                self._answers.move_to_end(key)
            return body

    def put(self, key: Hashable, body: bytes) -> None:
        with self._lock:
            self._answers[key] = body
            self._answers.move_to_end(key)
            while len(self._answers) > self._size:
                self._answers.popitem(last=False)

    def computed(self, key: Hashable, compute: Callable[[], bytes]) -> bytes:
        """The answer under ``key``, from ``compute`` unless it is here; while one thread computes it, another
        that asks waits for that answer instead of working it out a second time (an answer that takes
        seconds, asked by a page while the server works it out ahead of time).

        Examples
        --------
        >>> cache = AnswerCache()
        >>> cache.computed((0, "q"), lambda: b"{}"), cache.computed((0, "q"), lambda: b"[]")
        (b'{}', b'{}')
        """
        while True:
            with self._lock:
                body = self._answers.get(key)
                if body is not None:
                    self._answers.move_to_end(key)
                    return body
                working = self._working.get(key)
                if working is None:
                    working = self._working[key] = threading.Event()
                    break
            # Another thread is at it: its answer, once put here; if it failed, this one tries.
            working.wait()
        try:
            body = compute()
            self.put(key, body)
            return body
        finally:
            with self._lock:
                del self._working[key]
            working.set()


def answer(
    request: Request,
    workspace: Workspace,
    model: type[BaseModel],
    question: Callable[..., dict],
    *arguments: Hashable,
) -> Response:
    """The answer of ``question(negotiation, *arguments)`` (a function of :mod:`graph.report.answers`) over the current
    state, unless this state answered it already; 304 when the client holds it."""
    cache: AnswerCache = request.app.state.answers
    with workspace.reading() as negotiation:
        key = (workspace.generation, question.__qualname__, *arguments)
        body = cache.get(key)
        if body is None:
            body = _checked_json(model, question(negotiation, *arguments))
            cache.put(key, body)
    etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers={"ETag": etag})
    return Response(body, media_type="application/json", headers={"ETag": etag})
