"""Actors: states, organisations, coalitions and the people who speak for them."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from api.deps import AsOf, WorkspaceDependency
from api.responses import answer, public
from api.schemas import ActorPublic, ActorsPublic, Responses, TimelinePublic, problem
from graph.report import answers

router = APIRouter(prefix="/actors", tags=["actors"])
NOT_FOUND: Responses = {404: problem("Unknown actor; `nearest` lists the closest known ones.")}


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


@router.get(
    "/{actor}/timeline", response_model=TimelinePublic, responses=NOT_FOUND, summary="An actor's positions over time"
)
def read_timeline(request: Request, actor: str, workspace: WorkspaceDependency, as_of: AsOf) -> Response:
    """List every position of the actor's group in date order, with its status as of the date."""
    return answer(request, workspace, TimelinePublic, answers.timeline, actor, as_of)
