"""What changed: every write through Parley and the shifts it caused, as JSON, Atom and server-sent events."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Header, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from api.deps import WorkspaceDependency
from api.schemas import SLUG_PATTERN, Responses, problem
from api.streams import change_events
from graph.export import atom
from graph.report import changes

router = APIRouter(tags=["changes"])

MAX_SEQUENCE = 2**63 - 1
"""The largest change number a stream resumes after (an xsd:integer the store compares as a number)."""

Since = Annotated[
    str | None,
    Query(
        description="Only the changes after this change's number (`sequence`), or made at or after this date or time "
        "(ISO 8601). Default: all.",
        examples=["2025-04-18"],
        max_length=40,
    ),
]
Limit = Annotated[int, Query(ge=1, le=changes.MAX_CHANGES, description="At most this many changes.")]
AtomLimit = Annotated[int, Query(ge=1, le=1000, description="The newest this many writes (or shifts).")]
ERRORS: Responses = {422: problem("`since` is neither a change's number nor a date or time.")}


class ShiftPublic(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    party: str
    issue: str
    from_: str | None = Field(alias="from", description="The party's current position before the write (id).")
    to: str | None = Field(description="Its current position after the write (id); null when it holds none now.")
    summary: str = Field(examples=["Russia: Army ceiling, from at most 85,000 to at most 600,000 troops"])


class ChangePublic(BaseModel):
    id: str
    type: str = Field(description="Activity Streams 2.0: Create (positions added), Delete (removed) or Update.")
    sequence: int = Field(description="The change's number: increasing in the order the store took the writes.")
    published: str
    summary: str
    operation: str = Field(description="load, import, post, delete, update (SPARQL) or text (a source's text).")
    object: list[str] = Field(description="The positions added, removed or changed (IRIs).")
    added: list[str]
    removed: list[str]
    changed: list[str]
    superseded: list[str]
    shift_count: int
    shifts: list[ShiftPublic] = Field(description="The shifts the write caused (the first 1,000).")


class ChangesPublic(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    context: list = Field(alias="@context")
    type: str = "OrderedCollection"
    after: int
    since: str | None
    totalItems: int  # noqa: N815 (Activity Streams 2.0's name)
    last_sequence: int = Field(description="Ask again with since=this for the changes that follow.")
    orderedItems: list[ChangePublic]  # noqa: N815 (Activity Streams 2.0's name)


def _feed(request: Request, title: str) -> atom.Feed:
    return atom.Feed(str(request.url.replace(query="")), title, str(request.url), str(request.base_url))


@router.get("/changes", response_model=ChangesPublic, responses=ERRORS, summary="What changed, as activities")
def read_changes(
    workspace: WorkspaceDependency,
    since: Since = None,
    limit: Limit = 1000,
    order: Annotated[
        Literal["oldest", "newest"],
        Query(description="oldest: the first `limit` changes after `since`, oldest first; newest: the newest, first."),
    ] = "oldest",
) -> Response:
    """List every write since a change's number or a time, oldest first, each with the shifts it caused."""
    with workspace.holding_still():
        body = ChangesPublic.model_validate(changes.changes(workspace.store, since, limit, order == "newest"))
    return Response(body.model_dump_json(by_alias=True), media_type="application/json")


@router.get(
    "/changes.atom",
    response_class=Response,
    responses={200: {"content": {atom.ATOM_MEDIA_TYPE: {}}, "description": "An Atom 1.0 feed."}},
    summary="What changed, as an Atom feed",
)
def read_changes_atom(request: Request, workspace: WorkspaceDependency, limit: AtomLimit = 100) -> Response:
    """The newest writes as Atom entries, each shift they caused an entry of its own, in words."""
    with workspace.holding_still():
        body = atom.changes_atom(workspace.store, _feed(request, "Parley: what changed"), limit)
    return Response(body, media_type=atom.ATOM_MEDIA_TYPE)


@router.get(
    "/actors/{actor}/changes.atom",
    response_class=Response,
    responses={
        200: {"content": {atom.ATOM_MEDIA_TYPE: {}}, "description": "An Atom 1.0 feed."},
        404: problem("Unknown actor; `nearest` lists the closest known ones."),
    },
    summary="A party's shifts, as an Atom feed",
    tags=["actors"],
)
def read_actor_changes_atom(
    request: Request,
    actor: Annotated[str, Path(pattern=SLUG_PATTERN, examples=["russia"])],
    workspace: WorkspaceDependency,
    limit: AtomLimit = 100,
) -> Response:
    """The shifts of the actor's party, newest first: each change of its current position on an issue, in words."""
    with workspace.reading() as negotiation:
        body = atom.party_changes_atom(workspace.store, negotiation, actor, _feed(request, "Parley"), limit)
    return Response(body, media_type=atom.ATOM_MEDIA_TYPE)


@router.get(
    "/changes/stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "One `change` event per write."}},
    summary="What changes, as server-sent events",
)
async def stream_changes(
    request: Request,
    since: Annotated[
        int | None,
        Query(ge=0, le=MAX_SEQUENCE, description="Send the changes after this number first. Default: only new ones."),
    ] = None,
    last_event_id: Annotated[
        int | None,
        Header(ge=0, le=MAX_SEQUENCE, description="Resume after this event (EventSource sends it when it reconnects)."),
    ] = None,
) -> StreamingResponse:
    """Send one event per write (its id the change's number), as it is made, through any replica."""
    hub = request.app.state.changes
    after = last_event_id if last_event_id is not None else since
    return StreamingResponse(
        change_events(request, hub, after if after is not None else await run_in_threadpool(hub.store.version)),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
