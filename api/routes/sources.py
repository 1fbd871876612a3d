"""Sources: the documents positions are quoted from, and uploads of whole RDF documents."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api.deps import WRITE_ERRORS, TokenFirstRoute, WorkspaceDependency, WriteAccess
from api.errors import Problem
from api.schemas import SLUG_PATTERN, LeftOutPublic, LoadedPublic, problem
from graph.analysis import read
from graph.ingest.load import MEDIA_TYPES, parse_upload

router = APIRouter(prefix="/sources", tags=["sources"], route_class=TokenFirstRoute)

UPLOAD_TYPES = list(MEDIA_TYPES)
"""What a document may be sent as: every media type the library reads, so the route and its schema cannot drift."""


class SourcePublic(BaseModel):
    id: str
    title: str
    issued: str | None
    publisher: str | None
    url: str | None


class SourcesPublic(BaseModel):
    sources: list[SourcePublic]


@router.get("", response_model=SourcesPublic, summary="All sources")
def read_sources(workspace: WorkspaceDependency) -> dict:
    """List every source with its bibliographic record."""
    with workspace.holding_still():
        return {"sources": [asdict(source) for source in read.read_sources(workspace.store)]}


@router.post(
    "",
    summary="Upload an RDF document",
    response_model=LoadedPublic,
    status_code=status.HTTP_201_CREATED,
    dependencies=[WriteAccess],
    openapi_extra={
        "requestBody": {"required": True, "content": {kind: {"schema": {"type": "string"}} for kind in UPLOAD_TYPES}}
    },
    responses={
        200: {"model": LoadedPublic, "description": "The same document was loaded before; nothing was written."},
        400: problem("Not parseable RDF (with line and column), or unsafe."),
        **WRITE_ERRORS,
        413: problem("The body is larger than the limit."),
        415: problem(f"Not one of {', '.join(UPLOAD_TYPES)}."),
        422: problem("The document breaks the shapes; `violations` says how."),
    },
)
async def create_source(
    request: Request,
    workspace: WorkspaceDependency,
    graph: Annotated[
        str | None,
        Query(
            description="Source slug for triples outside a named graph; "
            "default: the one source the document describes.",
            pattern=SLUG_PATTERN,
        ),
    ] = None,
):
    """Load an RDF document (TriG, Turtle, JSON-LD, N-Triples or N-Quads), a source and its positions, all or none."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in UPLOAD_TYPES:
        raise Problem(
            415,
            "Unsupported format",
            f"Content-Type {content_type or '(none)'!r} is not accepted; send one of {', '.join(UPLOAD_TYPES)}",
        )
    content = await request.body()
    document = await run_in_threadpool(parse_upload, content, content_type, graph)
    report = await run_in_threadpool(workspace.load, [document])
    body = LoadedPublic(
        loaded=document.graphs,
        quads=document.quads,
        skipped=not report.loaded,
        generation=workspace.generation,
        left_out=[LeftOutPublic(**asdict(left)) for left in workspace.left_out],
    )
    if not report.loaded:
        return JSONResponse(body.model_dump(), status_code=status.HTTP_200_OK)
    return body
