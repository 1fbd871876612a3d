"""In-process HTTP clients for the application (Datasette's way: httpx over ASGI, no network).

``client`` and ``writer`` run each test over each store of ``tests.conftest.STORES``.
"""

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
    """A client of a fresh application over a store holding the seed graph (in memory unless ``store`` says;
    a :class:`tests.conftest.StoreLocation` brings its endpoints)."""
    reach = getattr(settings.get("store"), "settings", {})
    app = create_app(Settings(**{"store": "memory", "query_workers": 1, **reach, **settings}))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://parley.test") as http:
            http.app = app
            yield http


@pytest.fixture
async def client(store_location):
    """The application with writes disabled (no token)."""
    async with running(store=store_location) as http:
        yield http


@pytest.fixture
async def writer(store_location):
    """The application with writes enabled; send ``AUTH`` as headers to write."""
    async with running(store=store_location, token=TOKEN) as http:
        yield http
