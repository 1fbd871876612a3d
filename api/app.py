"""The FastAPI application."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.routes import health
from api.settings import Settings
from graph.load import open_store


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
        app.state.store = open_store(settings.store)
        try:
            yield
        finally:
            app.state.store.close()

    app = FastAPI(
        title="Parley",
        summary="A knowledge graph of negotiation positions: who wants what, on which issue, since when, "
        "and according to which source.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.include_router(health.router)
    return app
