"""/openapi.json as served: every operation named for people, and the upload formats those the library reads."""

from __future__ import annotations

import importlib
import pkgutil

import pyoxigraph as ox
import pytest
from fastapi.routing import APIRoute

import api.routes
from graph.ingest.load import FORMATS, MEDIA_TYPES
from graph.store.namespaces import ID
from tests.api.conftest import AUTH, TOKEN, running
from tests.ingest.documents import BRIEFING

pytestmark = pytest.mark.anyio


async def served_schema() -> dict:
    async with running() as http:
        return (await http.get("/openapi.json")).json()


def documented_routes() -> list[APIRoute]:
    """Every route of every router in api/routes/ that the document shows."""
    modules = [importlib.import_module(f"api.routes.{m.name}") for m in pkgutil.iter_modules(api.routes.__path__)]
    routes = [route for module in modules for route in module.router.routes]
    return [route for route in routes if isinstance(route, APIRoute) and route.include_in_schema]


async def test_every_operation_has_a_summary_of_its_own_not_its_function_name():
    schema = await served_schema()
    summaries = {}
    for route in documented_routes():
        generated = route.name.replace("_", " ").title()  # what FastAPI writes when given no summary
        for method in route.methods:
            operation = schema["paths"][route.path_format][method.lower()]
            summary = operation.get("summary", "")
            assert summary and summary != generated, f"{method} {route.path_format}: {summary!r}"
            assert len(summary) <= 40, f"{method} {route.path_format}: a summary is a short name"
            summaries[f"{method} {route.path_format}"] = summary
    documented = sum(len(operations) for operations in schema["paths"].values())
    assert len(summaries) == documented, "every operation of the document was checked"
    assert len(set(summaries.values())) == len(summaries), "no two operations share a summary"


async def test_every_operation_has_a_description():
    schema = await served_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("description", "").strip(), f"{method.upper()} {path}"


async def test_the_upload_lists_every_media_type_the_library_reads_and_no_other():
    schema = await served_schema()
    listed = schema["paths"]["/sources"]["post"]["requestBody"]["content"]
    assert set(listed) == set(MEDIA_TYPES)


async def test_the_upload_description_names_every_format_the_library_reads():
    schema = await served_schema()
    description = schema["paths"]["/sources"]["post"]["description"].lower()
    assert [name for name in FORMATS if name not in description] == []


def written_as(media_type: str) -> bytes:
    """The source above, in the format the library reads for ``media_type``."""
    rdf_format = FORMATS[MEDIA_TYPES[media_type]]
    triples = list(ox.parse(BRIEFING.encode(), format=ox.RdfFormat.TURTLE, base_iri=ID))
    if rdf_format.supports_datasets:
        quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
        return ox.serialize(quads, format=rdf_format) or b""
    return ox.serialize(triples, format=rdf_format) or b""


@pytest.mark.parametrize("media_type", sorted(MEDIA_TYPES))
async def test_each_listed_media_type_is_accepted(media_type):
    async with running(token=TOKEN) as http:
        listed = (await http.get("/openapi.json")).json()["paths"]["/sources"]["post"]["requestBody"]["content"]
        assert media_type in listed
        response = await http.post(
            "/sources", content=written_as(media_type), headers={**AUTH, "Content-Type": media_type}
        )
        assert response.status_code == 201, response.text
        assert "kremlin-briefing" in {source["id"] for source in (await http.get("/sources")).json()["sources"]}


@pytest.mark.parametrize("media_type", ["application/rdf+xml", "application/json", "text/plain"])
async def test_a_media_type_the_library_does_not_read_is_neither_listed_nor_accepted(media_type):
    async with running(token=TOKEN) as http:
        listed = (await http.get("/openapi.json")).json()["paths"]["/sources"]["post"]["requestBody"]["content"]
        assert media_type not in listed
        response = await http.post("/sources", content=BRIEFING.encode(), headers={**AUTH, "Content-Type": media_type})
        assert response.status_code == 415
