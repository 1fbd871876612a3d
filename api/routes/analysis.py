"""Where parties conflict and overlap, what deadlocks them, who could mediate (DESIGN.md, "Meaning")."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from api.deps import AsOf, WorkspaceDependency
from api.errors import Problem
from api.responses import answer
from api.schemas import (
    CoalitionsPublic,
    ConflictsPublic,
    DeadlocksPublic,
    InconsistenciesPublic,
    MatrixPublic,
    MediatorsPublic,
    OverlapPublic,
    ProblemPublic,
    Responses,
)
from graph import analysis, report

router = APIRouter(tags=["analysis"])

ActorA = Annotated[str, Query(description="An actor (slug); people who speak for it count as it.", examples=["russia"])]
ActorB = Annotated[str, Query(description="Another actor (slug).", examples=["ukraine"])]
ERRORS: Responses = {
    404: {"model": ProblemPublic, "description": "Unknown actor or issue; `nearest` lists the closest known ones."},
    422: {"model": ProblemPublic, "description": "A malformed parameter, such as a date not in YYYY-MM-DD form."},
}


@router.get("/conflicts", response_model=ConflictsPublic, responses=ERRORS)
def read_conflicts(
    request: Request,
    a: ActorA,
    b: ActorB,
    workspace: WorkspaceDependency,
    as_of: AsOf,
    issue: Annotated[str | None, Query(description="Only this issue and those narrower than it.")] = None,
) -> Response:
    """List the issues on which A and B conflict, with both positions, their quotes and conditions."""

    def build(negotiation):
        found = analysis.find_conflicts(negotiation, a, b, as_of)
        if issue is not None:
            analysis.require_issue(negotiation, issue)
            within = {issue} | negotiation.descendants(issue)
            found = [conflict for conflict in found if conflict.issue in within]
        return report.conflicts_json(negotiation, a, b, as_of, found)

    return answer(request, workspace, ("conflicts", a, b, as_of, issue), ConflictsPublic, build)


@router.get("/overlap", response_model=OverlapPublic, responses=ERRORS)
def read_overlap(request: Request, a: ActorA, b: ActorB, workspace: WorkspaceDependency, as_of: AsOf) -> Response:
    """List the issues on which A and B agree, with the zone of possible agreement on quantity issues."""
    return answer(
        request,
        workspace,
        ("overlap", a, b, as_of),
        OverlapPublic,
        lambda negotiation: report.agreements_json(
            negotiation, a, b, as_of, analysis.find_agreements(negotiation, a, b, as_of)
        ),
    )


@router.get("/matrix", response_model=MatrixPublic, responses=ERRORS)
def read_matrix(
    request: Request,
    actors: Annotated[str, Query(description="Two or more actors, comma-separated.", examples=["russia,ukraine,us"])],
    workspace: WorkspaceDependency,
    as_of: AsOf,
) -> Response:
    """Count conflicts and agreements between every pair of the given actors."""
    names = [name.strip() for name in actors.split(",") if name.strip()]
    if len(names) < 2 or len(names) > 1000:
        raise Problem(
            422, "Invalid request", "actors: give from 2 to 1,000 actors, comma-separated", parameter="actors"
        )
    return answer(
        request,
        workspace,
        ("matrix", tuple(names), as_of),
        MatrixPublic,
        lambda negotiation: report.matrix_json(names, as_of, analysis.matrix(negotiation, names, as_of)),
    )


@router.get("/deadlocks", response_model=DeadlocksPublic, responses=ERRORS)
def read_deadlocks(request: Request, workspace: WorkspaceDependency, as_of: AsOf) -> Response:
    """List cycles of conditions between groups, and conditions blocked by another group's red line."""
    return answer(
        request,
        workspace,
        ("deadlocks", as_of),
        DeadlocksPublic,
        lambda negotiation: report.deadlocks_json(
            negotiation, as_of, analysis.deadlocks(negotiation, as_of), analysis.blocked_conditions(negotiation, as_of)
        ),
    )


@router.get("/coalitions", response_model=CoalitionsPublic, responses=ERRORS)
def read_coalitions(request: Request, workspace: WorkspaceDependency, as_of: AsOf) -> Response:
    """Group the parties that agree more than they conflict (Louvain communities, fixed seed)."""
    return answer(
        request,
        workspace,
        ("coalitions", as_of),
        CoalitionsPublic,
        lambda negotiation: report.coalitions_json(as_of, analysis.coalitions(negotiation, as_of)),
    )


@router.get("/mediators", response_model=MediatorsPublic, responses=ERRORS)
def read_mediators(request: Request, a: ActorA, b: ActorB, workspace: WorkspaceDependency, as_of: AsOf) -> Response:
    """Rank third parties who could mediate between A and B, with the reasons."""
    return answer(
        request,
        workspace,
        ("mediators", a, b, as_of),
        MediatorsPublic,
        lambda negotiation: report.mediators_json(a, b, as_of, analysis.mediators(negotiation, a, b, as_of)),
    )


@router.get("/inconsistencies", response_model=InconsistenciesPublic, responses=ERRORS)
def read_inconsistencies(request: Request, workspace: WorkspaceDependency, as_of: AsOf) -> Response:
    """List groups whose latest positions on one issue disagree, and which one the analysis counts."""
    return answer(
        request,
        workspace,
        ("inconsistencies", as_of),
        InconsistenciesPublic,
        lambda negotiation: report.inconsistencies_json(
            negotiation, as_of, analysis.inconsistencies(negotiation, as_of)
        ),
    )
