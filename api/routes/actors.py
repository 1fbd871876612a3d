"""Actors: states, organisations, coalitions and the people who speak for them."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from api.deps import WRITE_ERRORS, AsOf, TokenFirstRoute, WorkspaceDependency, WriteAccess
from api.responses import answer, public
from api.schemas import ActorCreate, ActorPublic, ActorsPublic, Responses, TimelinePublic, problem
from graph.report import answers

router = APIRouter(prefix="/actors", tags=["actors"], route_class=TokenFirstRoute)
NOT_FOUND: Responses = {404: problem("Unknown actor; `nearest` lists the closest known ones.")}
NAME_ERRORS: Responses = {
    409: problem("A name (slug, label or alias) another already has; `duplicates`."),
    422: problem("An unknown name (with the nearest) or a broken rule; `errors`."),
}
"""The answers of a write that names new actors or issues."""


@router.get("", response_model=ActorsPublic, summary="All actors")
def read_actors(workspace: WorkspaceDependency) -> Response:
    """List every actor, sorted by id."""
    with workspace.reading() as negotiation:
        return public(ActorsPublic, answers.actors(negotiation))


@router.get("/{actor}", response_model=ActorPublic, responses=NOT_FOUND, summary="One actor")
def read_actor(actor: str, workspace: WorkspaceDependency) -> Response:
    """Show one actor, its group and how many positions the group holds."""
    with workspace.reading() as negotiation:
        return public(ActorPublic, answers.actor(negotiation, actor))


@router.post(
    "",
    summary="Add an actor",
    response_model=ActorPublic,
    status_code=status.HTTP_201_CREATED,
    dependencies=[WriteAccess],
    responses={**WRITE_ERRORS, **NAME_ERRORS},
)
def create_actor(body: ActorCreate, workspace: WorkspaceDependency) -> Response:
    """Add an actor, refused if one of its names is another actor's, validated by the shapes."""
    workspace.ingest(body.batch())
    with workspace.reading() as negotiation:
        created = public(ActorPublic, answers.actor(negotiation, body.id or ""), status.HTTP_201_CREATED)
    created.headers["Location"] = f"/actors/{body.id}"
    return created


@router.get(
    "/{actor}/timeline", response_model=TimelinePublic, responses=NOT_FOUND, summary="An actor's positions over time"
)
def read_timeline(request: Request, actor: str, workspace: WorkspaceDependency, as_of: AsOf) -> Response:
    """List every position of the actor's group in date order, with its status as of the date."""
    return answer(request, workspace, TimelinePublic, answers.timeline, actor, as_of)
