"""Imports: spreadsheets of positions, read cell by cell and written all or nothing."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from api.deps import WRITE_ERRORS, TokenFirstRoute, WorkspaceDependency, WriteAccess
from api.errors import Problem
from api.schemas import ProblemPublic
from graph.ingest.spreadsheets import FORMATS, parse_table

router = APIRouter(prefix="/import", tags=["import"], route_class=TokenFirstRoute)

CSV_TYPES = ["text/csv", "application/csv"]
"""What a spreadsheet may be sent as."""


class ImportedPublic(BaseModel):
    format: str
    rows: int = Field(description="The rows of the sheet below its header (empty rows left out).")
    positions: int = Field(description="The positions the rows give (a position may take several rows).")
    written: int = Field(description="The new positions written.")
    unchanged: int = Field(description="Positions the store held already, the same in every field: left as they are.")
    quads: int
    graphs: list[str] = Field(description="The named graphs written.")
    generation: int


@router.post(
    "",
    summary="Import a spreadsheet",
    response_model=ImportedPublic,
    status_code=status.HTTP_201_CREATED,
    dependencies=[WriteAccess],
    openapi_extra={
        "requestBody": {"required": True, "content": {kind: {"schema": {"type": "string"}} for kind in CSV_TYPES}}
    },
    responses={
        200: {"model": ImportedPublic, "description": "Every position was held already; nothing was written."},
        400: {"model": ProblemPublic, "description": "Not CSV text in UTF-8 (with the line), or empty."},
        **WRITE_ERRORS,
        413: {"model": ProblemPublic, "description": "The body is larger than the limit."},
        415: {"model": ProblemPublic, "description": f"Not one of {', '.join(CSV_TYPES)}."},
        422: {
            "model": ProblemPublic,
            "description": "Cells that cannot be taken: `problems` names each row, column, value and nearest name.",
        },
    },
)
async def create_import(
    request: Request,
    workspace: WorkspaceDependency,
    format: Annotated[
        Literal[tuple(FORMATS)],  # type: ignore[valid-type]  # the library's formats, so the two cannot drift
        Query(description="The layout of the sheet (docs/entering-data.md)."),
    ] = "positions",
    source: Annotated[
        str | None, Query(description="The source (slug or title) of rows that name none.", max_length=300)
    ] = None,
):
    """Import a CSV spreadsheet of positions (as Excel or LibreOffice save it), all of it or none."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in CSV_TYPES:
        raise Problem(
            415,
            "Unsupported format",
            f"Content-Type {content_type or '(none)'!r} is not accepted; send one of {', '.join(CSV_TYPES)}",
        )
    content = await request.body()
    report = await run_in_threadpool(
        workspace.import_table, lambda known: parse_table(content, "upload", known, format, source)
    )
    table = report.table
    body = ImportedPublic(
        format=table.format,
        rows=table.row_count,
        positions=len(table.rows),
        written=report.written,
        unchanged=len(table.unchanged),
        quads=report.quads,
        graphs=report.graphs,
        generation=workspace.generation,
    )
    if not report.written:
        return JSONResponse(body.model_dump(), status_code=status.HTTP_200_OK)
    return body
