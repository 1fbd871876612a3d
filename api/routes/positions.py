"""Positions: who holds what on which issue, each with its evidence."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from api.deps import WRITE_ERRORS, TokenFirstRoute, WorkspaceDependency, WriteAccess, to_date
from api.responses import public
from api.schemas import PositionCreate, PositionPublic, PositionsPublic, problem
from graph.report import answers

router = APIRouter(prefix="/positions", tags=["positions"], route_class=TokenFirstRoute)


@router.get(
    "",
    summary="Positions, filtered and paged",
    response_model=PositionsPublic,
    responses={404: problem("Unknown actor or issue.")},
)
def read_positions(
    workspace: WorkspaceDependency,
    actor: Annotated[str | None, Query(description="Only the positions of this actor's group.")] = None,
    issue: Annotated[str | None, Query(description="Only this issue and those narrower than it.")] = None,
    as_of: Annotated[
        str | None,
        Query(description="Only the positions holding on this date, YYYY-MM-DD.", json_schema_extra={"format": "date"}),
    ] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Response:
    """List positions with their evidence, optionally of one actor, on one issue, holding on one date."""
    day = to_date(as_of) if as_of is not None else None
    with workspace.reading() as negotiation:
        return public(PositionsPublic, answers.positions(negotiation, actor, issue, day, offset, limit))


@router.get(
    "/{position}",
    summary="One position",
    response_model=PositionPublic,
    responses={404: problem("Unknown position.")},
)
def read_position(position: str, workspace: WorkspaceDependency) -> Response:
    """Show one position with its evidence."""
    with workspace.reading() as negotiation:
        return public(PositionPublic, answers.position(negotiation, position))


@router.post(
    "",
    summary="Record a position",
    response_model=PositionPublic,
    status_code=status.HTTP_201_CREATED,
    dependencies=[WriteAccess],
    responses={
        **WRITE_ERRORS,
        409: problem("A position with this id exists."),
        422: problem(
            "The position breaks the shapes (`violations` says how), or a quote is not in the text its source holds "
            "(`quotes` names each, with the closest passage of the text)."
        ),
    },
)
def create_position(body: PositionCreate, workspace: WorkspaceDependency, response: Response) -> dict:
    """Record a position, validated by the same shapes as files; the analysis reflects it at once."""
    created = workspace.create_position(body.model())
    response.headers["Location"] = f"/positions/{created.id}"
    with workspace.reading() as negotiation:
        return answers.position(negotiation, created.id)


@router.delete(
    "/{position}",
    summary="Delete a position",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[WriteAccess],
    responses={
        **WRITE_ERRORS,
        404: problem("Unknown position."),
        409: problem("Other positions reject or supersede it."),
    },
)
def delete_position(position: str, workspace: WorkspaceDependency) -> Response:
    """Delete a position with the evidence and conditions only it uses; the analysis reflects it at once."""
    workspace.delete_position(position)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
