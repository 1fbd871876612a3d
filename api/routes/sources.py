"""Sources: the documents positions are quoted from, their texts, and uploads of whole RDF documents."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel, Field

from api.deps import WRITE_ERRORS, TokenFirstRoute, WorkspaceDependency, WriteAccess
from api.errors import Problem
from api.responses import public
from api.schemas import SLUG_PATTERN, LeftOutPublic, LoadedPublic, RangePublic, problem
from graph.analysis import read
from graph.analysis.names import nearest
from graph.errors import UnknownSource
from graph.ingest.load import MEDIA_TYPES, parse_upload
from graph.ingest.texts import decode_text, source_text
from graph.report import answers

router = APIRouter(prefix="/sources", tags=["sources"], route_class=TokenFirstRoute)

UPLOAD_TYPES = list(MEDIA_TYPES)
"""What a document may be sent as: every media type the library reads, so the route and its schema cannot drift."""


class SourcePublic(BaseModel):
    id: str
    title: str
    issued: str | None
    publisher: str | None
    url: str | None
    sha256: str | None = Field(description="The SHA-256 of its text: the one it holds, or the one its record declares.")
    has_text: bool = Field(description="Whether it holds its text, against which every quote from it is checked.")
    positions: int = Field(0, description="How many positions quote it.")


class SourceTextPublic(BaseModel):
    source: str = Field(examples=["us-may-walk-away-2025-04-18"])
    sha256: str = Field(description="The text's SHA-256 (in UTF-8), now the source's.")
    characters: int
    verified: int = Field(description="Quotes of the evidence already taken from the source, each found in the text.")
    replaced: bool = Field(description="True when the source held another text, which this one replaced.")
    changed: bool = Field(description="False when the source held this very text already: nothing was written.")
    generation: int


class SourcesPublic(BaseModel):
    sources: list[SourcePublic]


class SourceRecordPublic(BaseModel):
    id: str
    title: str
    issued: str | None
    publisher: str | None
    url: str | None
    has_text: bool


class SourceQuotePublic(BaseModel):
    position: str
    holder: str | None
    issue: str | None
    kind: str | None
    stance: str | None
    range: RangePublic | None
    evidence: str = Field(description="The evidence the quote is from (a prefixed name).")
    quote: str
    speaker: str | None
    date: str | None
    verified: bool = Field(description="Whether the quote was found in the source's text.")
    start: int | None = Field(description="Where it starts in the text, in characters (TextPositionSelector).")
    end: int | None = Field(description="Where it ends in the text (exclusive); null when not found.")


class SourceQuotesPublic(BaseModel):
    source: SourceRecordPublic
    positions: int = Field(description="How many positions quote it.")
    quotes: list[SourceQuotePublic]


@router.get("", response_model=SourcesPublic, summary="All sources")
def read_sources(workspace: WorkspaceDependency) -> dict:
    """List every source with its bibliographic record."""
    with workspace.holding_still():
        counts = read.count_positions_by_source(workspace.store)
        sources = read.read_sources(workspace.store)
    return {"sources": [{**asdict(source), "positions": counts.get(source.id, 0)} for source in sources]}


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
        409: problem("The document gives a source a text other than the one it holds."),
        422: problem(
            "The document breaks the shapes (`violations` says how), a quote is not in its source's text (`quotes` "
            "names each, with the closest passage), or a text is not the one its source's record declares."
        ),
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
    body.verified, body.unverified = document.verified, document.quotes - document.verified
    return body


SourceSlug = Annotated[str, Path(description="The source's id.", pattern=SLUG_PATTERN)]


@router.post(
    "/{source}/text",
    summary="Give a source its text",
    response_model=SourceTextPublic,
    dependencies=[WriteAccess],
    openapi_extra={
        "requestBody": {"required": True, "content": {"text/plain": {"schema": {"type": "string"}}}},
    },
    responses={
        400: problem("Not UTF-8 text, or empty."),
        **WRITE_ERRORS,
        404: problem("Unknown source (with the nearest ones)."),
        413: problem("The body is larger than the limit."),
        415: problem("Not text/plain in UTF-8."),
        422: problem(
            "Its SHA-256 is not the one the source's record declares, or a quote already taken from the source is "
            "not in it: `quotes` names each, with the closest passage."
        ),
    },
)
async def create_source_text(source: SourceSlug, request: Request, workspace: WorkspaceDependency) -> dict:
    """Store a source's full text with its SHA-256, or replace the one it holds: every quote already taken from
    the source must be in it. From then on every quote from the source is checked against it."""
    kind, _, parameters = request.headers.get("content-type", "").partition(";")
    charset = parameters.strip().lower().removeprefix("charset=").strip('"') if parameters.strip() else "utf-8"
    if kind.strip().lower() != "text/plain" or charset not in ("utf-8", "utf8"):
        raise Problem(
            415,
            "Unsupported format",
            f"Content-Type {request.headers.get('content-type') or '(none)'!r} is not accepted; "
            "send text/plain in UTF-8",
        )
    text = decode_text(await request.body(), f"text of source {source}")
    report = await run_in_threadpool(workspace.set_source_text, source, text)
    answer = asdict(report)
    del answer["version"]
    return {**answer, "generation": workspace.generation}


@router.get(
    "/{source}/text",
    summary="A source's text",
    response_class=PlainTextResponse,
    responses={
        200: {"content": {"text/plain": {"schema": {"type": "string"}}}, "description": "The text, as stored."},
        404: problem("Unknown source, or one that holds no text."),
    },
)
def read_source_text(source: SourceSlug, workspace: WorkspaceDependency) -> PlainTextResponse:
    """The full text a source holds, which the offsets of its quotes' selectors count into."""
    with workspace.holding_still():
        text = source_text(workspace.store, source)
    if text is None:
        raise Problem(404, "Not found", f"source {source!r} holds no text", name=source)
    return PlainTextResponse(text, media_type="text/plain; charset=utf-8")


@router.get(
    "/{source}/quotes",
    summary="The quotes taken from a source",
    response_model=SourceQuotesPublic,
    responses={404: problem("Unknown source (with the nearest ones).")},
)
def read_source_quotes(source: SourceSlug, workspace: WorkspaceDependency) -> Response:
    """List every quote a position takes from the source, with its position and where it stands in the source's
    text (the offsets of its Web Annotation TextPositionSelector, counted in characters; null where not found)."""
    with workspace.reading() as negotiation:
        known = {found.id: found for found in read.read_sources(workspace.store)}
        if source not in known:
            raise UnknownSource(source, nearest(source, {slug: (found.title,) for slug, found in known.items()}))
        quotes = read.read_source_quotes(workspace.store, source)
        return public(SourceQuotesPublic, answers.source_quotes(negotiation, known[source], quotes))
