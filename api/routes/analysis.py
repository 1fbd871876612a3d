"""Where parties conflict and overlap, what deadlocks them, who could mediate (docs/meaning.md)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from api.deps import AsOf, WorkspaceDependency, to_date
from api.responses import answer
from api.schemas import (
    CoalitionsPublic,
    CompromisePublic,
    ConflictsPublic,
    DeadlocksPublic,
    DiffPublic,
    InconsistenciesPublic,
    MatrixPublic,
    MediatorsPublic,
    OverlapPublic,
    Responses,
    problem,
)
from graph.report import answers

router = APIRouter(tags=["analysis"])

ActorA = Annotated[str, Query(description="An actor (slug); people who speak for it count as it.", examples=["russia"])]
ActorB = Annotated[str, Query(description="Another actor (slug).", examples=["ukraine"])]
ERRORS: Responses = {
    404: problem("Unknown actor or issue; `nearest` lists the closest known ones."),
    422: problem("A malformed parameter, such as a date not in YYYY-MM-DD form."),
}


IssueFilter = Annotated[str | None, Query(description="Only this issue and those narrower than it.")]


@router.get("/conflicts", response_model=ConflictsPublic, responses=ERRORS, summary="Conflicts between two parties")
def read_conflicts(
    request: Request, a: ActorA, b: ActorB, workspace: WorkspaceDependency, as_of: AsOf, issue: IssueFilter = None
) -> Response:
    """List the issues on which A and B conflict, with both positions, their quotes and conditions."""
    return answer(request, workspace, ConflictsPublic, answers.conflicts, a, b, as_of, issue)


@router.get("/overlap", response_model=OverlapPublic, responses=ERRORS, summary="Agreement between two parties")
def read_overlap(
    request: Request, a: ActorA, b: ActorB, workspace: WorkspaceDependency, as_of: AsOf, issue: IssueFilter = None
) -> Response:
    """List the issues on which A and B agree, with the zone of possible agreement on quantity issues."""
    return answer(request, workspace, OverlapPublic, answers.overlap, a, b, as_of, issue)


@router.get("/matrix", response_model=MatrixPublic, responses=ERRORS, summary="Conflicts and agreements by pair")
def read_matrix(
    request: Request,
    actors: Annotated[str, Query(description="Two or more actors, comma-separated.", examples=["russia,ukraine,us"])],
    workspace: WorkspaceDependency,
    as_of: AsOf,
) -> Response:
    """Count conflicts and agreements between every pair of the given actors."""
    names = tuple(name.strip() for name in actors.split(",") if name.strip())
    return answer(request, workspace, MatrixPublic, answers.matrix, names, as_of)


@router.get("/deadlocks", response_model=DeadlocksPublic, responses=ERRORS, summary="Deadlocked conditions")
def read_deadlocks(
    request: Request,
    workspace: WorkspaceDependency,
    as_of: AsOf,
    a: Annotated[str | None, Query(description="With b: only those between the two parties' sides.")] = None,
    b: Annotated[str | None, Query(description="With a: only those between the two parties' sides.")] = None,
) -> Response:
    """List cycles of conditions between groups, and conditions blocked by another group's red line."""
    return answer(request, workspace, DeadlocksPublic, answers.deadlocks, as_of, a, b)


@router.get("/coalitions", response_model=CoalitionsPublic, responses=ERRORS, summary="Coalitions of parties")
def read_coalitions(request: Request, workspace: WorkspaceDependency, as_of: AsOf) -> Response:
    """Group the parties that agree more than they conflict (Louvain communities, fixed seed)."""
    return answer(request, workspace, CoalitionsPublic, answers.coalitions, as_of)


@router.get("/mediators", response_model=MediatorsPublic, responses=ERRORS, summary="Mediators between two parties")
def read_mediators(request: Request, a: ActorA, b: ActorB, workspace: WorkspaceDependency, as_of: AsOf) -> Response:
    """Rank third parties who could mediate between A and B, with the reasons."""
    return answer(request, workspace, MediatorsPublic, answers.mediators, a, b, as_of)


@router.get(
    "/compromise",
    response_model=CompromisePublic,
    responses=ERRORS,
    summary="Concessions that settle two parties",
)
def read_compromise(request: Request, a: ActorA, b: ActorB, workspace: WorkspaceDependency, as_of: AsOf) -> Response:
    """Find the cheapest concessions that clear every conflict and deadlock of A and B, and what blocks them."""
    return answer(request, workspace, CompromisePublic, answers.compromise, a, b, as_of)


@router.get("/diff", response_model=DiffPublic, responses=ERRORS, summary="What changed between two days")
def read_diff(
    request: Request,
    a: ActorA,
    b: ActorB,
    workspace: WorkspaceDependency,
    from_: Annotated[
        str,
        Query(
            alias="from",
            description="The first day, YYYY-MM-DD.",
            examples=["2025-01-19"],
            json_schema_extra={"format": "date"},
        ),
    ],
    to: Annotated[
        str | None,
        Query(description="The second day, YYYY-MM-DD. Default: today.", json_schema_extra={"format": "date"}),
    ] = None,
) -> Response:
    """List the conflicts and agreements of A and B that appeared, disappeared or changed between two days, with the
    positions that caused each, and each side's shifts."""
    end = date.today() if to is None else to_date(to, "to")
    return answer(request, workspace, DiffPublic, answers.diff, a, b, to_date(from_, "from"), end)


@router.get(
    "/inconsistencies",
    response_model=InconsistenciesPublic,
    responses=ERRORS,
    summary="Groups that contradict themselves",
)
def read_inconsistencies(request: Request, workspace: WorkspaceDependency, as_of: AsOf) -> Response:
    """List groups whose latest positions on one issue disagree, and which one the analysis counts."""
    return answer(request, workspace, InconsistenciesPublic, answers.inconsistencies, as_of)


class DatesPublic(BaseModel):
    dates: list[str] = Field(
        description="Sorted days (YYYY-MM-DD) on which a position starts to hold or first no longer holds.",
        examples=[["2025-03-01", "2025-04-18"]],
    )


@router.get("/dates", response_model=DatesPublic, summary="The days on which the answers may change")
def read_dates(request: Request, workspace: WorkspaceDependency) -> Response:
    """List the days a position starts to hold, or first no longer holds: the as-of dates worth asking about."""
    return answer(request, workspace, DatesPublic, answers.dates)
