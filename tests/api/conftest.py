"""In-process HTTP clients for the application (Datasette's way: httpx over ASGI, no network)."""

from __future__ import annotations

import httpx
import pytest

from api.app import create_app
from api.settings import Settings


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def client():
    """A client of a fresh application over an in-memory store holding the seed graph."""
    app = create_app(Settings(store="memory"))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://parley.test") as http:
            yield http
