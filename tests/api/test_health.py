"""The application, in process."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.anyio


async def test_health_answers_once_the_store_is_open(client):
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "store": "memory"}


async def test_the_openapi_document_describes_health(client):
    operation = (await client.get("/openapi.json")).json()["paths"]["/health"]["get"]
    assert operation["description"].startswith("Report that the service is up")
