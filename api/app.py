"""The FastAPI application."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import errors
from api.errors import PROBLEM_JSON, PROBLEM_TYPES
from api.prefetch import Prefetcher
from api.responses import AnswerCache
from api.routes import (
    actors,
    analysis,
    changes,
    docs,
    drafts,
    export,
    health,
    icons,
    imports,
    ingest,
    issues,
    positions,
    sources,
    sparql,
    workbench,
)
from api.routes.docs import STATIC
from api.settings import Settings
from api.streams import ChangeHub
from graph.ingest.load import open_store
from graph.sparql.sandbox import QuerySandbox, Snapshots
from graph.workspace import Workspace


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413, whether announced by Content-Length or streamed."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            return await self._refuse(scope, receive, send)
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise _TooLarge()
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = {
            "type": PROBLEM_TYPES + "too-large",
            "title": "Too large",
            "status": 413,
            "detail": f"the request body is larger than {self.limit:,} bytes (PARLEY_MAX_BODY_BYTES)",
            "instance": scope["path"],
        }
        await JSONResponse(body, status_code=413, media_type=PROBLEM_JSON)(scope, receive, send)


class _TooLarge(Exception):
    pass


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application over the store that ``settings`` names (seeded on first use).

    Examples
    --------
    >>> app = create_app(Settings(store="memory"))
    >>> app.title
    'Parley'
    """
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        store = open_store(settings.store, **settings.store_options())
        app.state.workspace = Workspace(store, settings.store_check_interval)
        app.state.answers = AnswerCache()
        app.state.changes = ChangeHub(store, settings.changes_poll_interval)
        app.state.snapshots = Snapshots(store, keep_for=settings.query_timeout + 20)
        app.state.sandbox = QuerySandbox(
            settings.query_workers,
            settings.query_timeout,
            settings.query_row_limit,
            settings.query_memory_mb,
            network=store.shared,
        )
        # The Network view's picture, worked out before the first request and after each write: asking is a lookup.
        prefetcher = Prefetcher(app.state.workspace, app.state.answers).start()
        try:
            yield
        finally:
            app.state.changes.close()
            prefetcher.close()
            app.state.sandbox.close()
            app.state.snapshots.close()
            store.close()

    app = FastAPI(
        docs_url=None,
        redoc_url=None,  # /docs is served from the package's own assets (api/docs.py)
        title="Parley",
        summary="A knowledge graph of negotiation positions: who wants what, on which issue, since when, "
        "and according to which source.",
        description="Errors are RFC 9457 problem documents (application/problem+json). Dates are YYYY-MM-DD. "
        "Actors, issues and positions are named by slug. Writes need `Authorization: Bearer <PARLEY_TOKEN>`.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    errors.install(app)
    for module in (
        health,
        actors,
        issues,
        positions,
        ingest,
        analysis,
        changes,
        sources,
        imports,
        drafts,
        sparql,
        export,
        docs,
        icons,
        workbench,
    ):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")
    errors.document_problems(app)
    origins = [origin.strip() for origin in settings.cors_origins.split(",") if origin.strip()]
    if origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Accept"],
        )
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    return app
