"""Drafts: the positions of a new article, drafted for review; loaded only when accepted."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from api.deps import WRITE_ERRORS, TokenFirstRoute, WorkspaceDependency, WriteAccess, to_date
from api.errors import Problem
from api.schemas import SLUG_PATTERN, problem
from graph.ingest import drafts

router = APIRouter(prefix="/drafts", tags=["drafts"], route_class=TokenFirstRoute)

TEXT_TYPES = ["text/plain"]


class DraftPublic(BaseModel):
    source: dict[str, Any] = Field(description="The source record the draft would write: id, title, issued.")
    sha256: str = Field(description="The SHA-256 of the article's text.")
    positions: list[dict[str, Any]] = Field(
        description="The positions, numbered from 1 in the order of the text, as `parley draft --json` prints them."
    )
    new_actors: list[dict[str, Any]]
    new_issues: list[dict[str, Any]]
    trig: str = Field(description="The whole draft as TriG, to review and send to POST /sources.")


class AcceptedPublic(BaseModel):
    accepted: list[int] = Field(description="The numbers of the positions loaded.")
    positions: list[str] = Field(description="Their ids.")
    quads: int
    graphs: list[str]
    generation: int


async def _article(request: Request) -> str:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in TEXT_TYPES:
        raise Problem(
            415, "Unsupported format", f"Content-Type {content_type or '(none)'!r} is not accepted; send text/plain"
        )
    try:
        text = (await request.body()).decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Problem(400, "Not UTF-8", f"the article is not UTF-8 text (byte {error.start})") from None
    if "\x00" in text:  # valid UTF-8, but binary data all the same
        raise Problem(400, "Not text", f"the article is not text: a NUL byte at character {text.index(chr(0))}")
    return text


Published = Annotated[
    str, Query(description="The article's publication date, YYYY-MM-DD.", json_schema_extra={"format": "date"})
]
Title = Annotated[str | None, Query(description="The source's title; default: the first sentence.", max_length=300)]
SourceSlug = Annotated[
    str | None, Query(description="The source's slug; default: made from the title.", pattern=SLUG_PATTERN)
]


@router.post(
    "",
    summary="Draft the positions of an article",
    response_model=DraftPublic,
    openapi_extra={"requestBody": {"required": True, "content": {"text/plain": {"schema": {"type": "string"}}}}},
    responses={
        400: problem("Not UTF-8 text, or binary data (a NUL byte)."),
        413: problem("The body is larger than the limit."),
        415: problem("Not text/plain."),
        422: problem("No date, or an empty article."),
    },
)
async def create_draft(
    request: Request,
    workspace: WorkspaceDependency,
    published: Published,
    title: Title = None,
    source: SourceSlug = None,
) -> dict:
    """Draft the positions an analyst would record from an article (text/plain); nothing is written."""
    day = to_date(published, "published")
    text = await _article(request)

    def draft() -> dict:
        with workspace.reading() as negotiation:
            drafted = drafts.draft_article(text, day, negotiation, title, source)
        return {**drafts.draft_json(drafted), "trig": drafts.draft_trig(drafted)}

    return await run_in_threadpool(draft)


@router.post(
    "/accepted",
    summary="Load chosen positions of a draft",
    response_model=AcceptedPublic,
    status_code=status.HTTP_201_CREATED,
    dependencies=[WriteAccess],
    openapi_extra={"requestBody": {"required": True, "content": {"text/plain": {"schema": {"type": "string"}}}}},
    responses={
        400: problem("Not UTF-8 text, or binary data (a NUL byte)."),
        **WRITE_ERRORS,
        413: problem("The body is larger than the limit."),
        415: problem("Not text/plain."),
        422: problem("No date, an empty article, numbers that are not in the draft, or a draft the shapes refuse."),
    },
)
async def accept_draft(
    request: Request,
    workspace: WorkspaceDependency,
    published: Published,
    accept: Annotated[str, Query(description="The numbers of the positions to load: 1,3,5-7.", max_length=1000)],
    title: Title = None,
    source: SourceSlug = None,
) -> AcceptedPublic:
    """Draft the article again (the same text, date and store give the same numbers) and load the chosen
    positions with the source and the new actors and issues they need, all or nothing."""
    day = to_date(published, "published")
    text = await _article(request)

    def load() -> AcceptedPublic:
        with workspace.reading() as negotiation:
            drafted = drafts.draft_article(text, day, negotiation, title, source)
        chosen = drafts.parse_accept(accept, len(drafted.positions))
        document = drafts.draft_document(drafted, chosen)
        workspace.load([document], deduplicate=False)
        return AcceptedPublic(
            accepted=chosen,
            positions=[drafted.positions[number - 1].id for number in chosen],
            quads=document.quads,
            graphs=document.graphs,
            generation=workspace.generation,
        )

    return await run_in_threadpool(load)
