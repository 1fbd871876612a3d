"""In-process HTTP clients for the application (Datasette's way: httpx over ASGI, no network)."""

from __future__ import annotations

from contextlib import asynccontextmanager

import httpx
import pytest

from api.app import create_app
from api.settings import Settings

TOKEN = "test-token-1234"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@asynccontextmanager
async def running(**settings):
    """A client of a fresh application over an in-memory store holding the seed graph."""
    app = create_app(Settings(**{"store": "memory", "query_workers": 1, **settings}))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://parley.test") as http:
            http.app = app
            yield http


@pytest.fixture
async def client():
    """The application with writes disabled (no token)."""
    async with running() as http:
        yield http


@pytest.fixture
async def writer():
    """The application with writes enabled; send ``AUTH`` as headers to write."""
    async with running(token=TOKEN) as http:
        yield http
