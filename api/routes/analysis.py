"""Where parties conflict and overlap, what deadlocks them, who could mediate (DESIGN.md, "Meaning")."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.deps import AsOf, WorkspaceDependency
from api.errors import Problem
from api.responses import public
from api.schemas import (
    CoalitionsPublic, ConflictsPublic, DeadlocksPublic, InconsistenciesPublic, MatrixPublic, MediatorsPublic,
    OverlapPublic, ProblemPublic,
)
from graph import analysis, report

router = APIRouter(tags=["analysis"])

ActorA = Annotated[str, Query(description="An actor (slug); people who speak for it count as it.", examples=["russia"])]
ActorB = Annotated[str, Query(description="Another actor (slug).", examples=["ukraine"])]
ERRORS = {
    404: {"model": ProblemPublic, "description": "Unknown actor or issue; `nearest` lists the closest known ones."},
    422: {"model": ProblemPublic, "description": "A malformed parameter, such as a date not in YYYY-MM-DD form."},
}


@router.get("/conflicts", response_model=ConflictsPublic, responses=ERRORS)
def read_conflicts(
    a: ActorA, b: ActorB, workspace: WorkspaceDependency, as_of: AsOf,
    issue: Annotated[str | None, Query(description="Only this issue and those narrower than it.")] = None,
) -> Response:
    """List the issues on which A and B conflict, with both positions, their quotes and conditions."""
    with workspace.reading() as negotiation:
        found = analysis.find_conflicts(negotiation, a, b, as_of)
        if issue is not None:
            analysis.require_issue(negotiation, issue)
            within = {issue} | negotiation.descendants(issue)
            found = [conflict for conflict in found if conflict.issue in within]
        return public(ConflictsPublic, report.conflicts_json(negotiation, a, b, as_of, found))


@router.get("/overlap", response_model=OverlapPublic, responses=ERRORS)
def read_overlap(a: ActorA, b: ActorB, workspace: WorkspaceDependency, as_of: AsOf) -> Response:
    """List the issues on which A and B agree, with the zone of possible agreement on quantity issues."""
    with workspace.reading() as negotiation:
        found = analysis.find_agreements(negotiation, a, b, as_of)
        return public(OverlapPublic, report.agreements_json(negotiation, a, b, as_of, found))


@router.get("/matrix", response_model=MatrixPublic, responses=ERRORS)
def read_matrix(
    actors: Annotated[str, Query(description="Two or more actors, comma-separated.", examples=["russia,ukraine,us"])],
    workspace: WorkspaceDependency, as_of: AsOf,
) -> Response:
    """Count conflicts and agreements between every pair of the given actors."""
    names = [name.strip() for name in actors.split(",") if name.strip()]
    if len(names) < 2 or len(names) > 1000:
        raise Problem(422, "Invalid request", "actors: give from 2 to 1,000 actors, comma-separated", parameter="actors")
    with workspace.reading() as negotiation:
        return public(MatrixPublic, report.matrix_json(names, as_of, analysis.matrix(negotiation, names, as_of)))


@router.get("/deadlocks", response_model=DeadlocksPublic, responses=ERRORS)
def read_deadlocks(workspace: WorkspaceDependency, as_of: AsOf) -> Response:
    """List cycles of conditions between groups, and conditions blocked by another group's red line."""
    with workspace.reading() as negotiation:
        cycles = analysis.deadlocks(negotiation, as_of)
        blocked = analysis.blocked_conditions(negotiation, as_of)
        return public(DeadlocksPublic, report.deadlocks_json(negotiation, as_of, cycles, blocked))


@router.get("/coalitions", response_model=CoalitionsPublic, responses=ERRORS)
def read_coalitions(workspace: WorkspaceDependency, as_of: AsOf) -> Response:
    """Group the parties that agree more than they conflict (Louvain communities, fixed seed)."""
    with workspace.reading() as negotiation:
        return public(CoalitionsPublic, report.coalitions_json(as_of, analysis.coalitions(negotiation, as_of)))


@router.get("/mediators", response_model=MediatorsPublic, responses=ERRORS)
def read_mediators(a: ActorA, b: ActorB, workspace: WorkspaceDependency, as_of: AsOf) -> Response:
    """Rank third parties who could mediate between A and B, with the reasons."""
    with workspace.reading() as negotiation:
        return public(MediatorsPublic, report.mediators_json(a, b, as_of, analysis.mediators(negotiation, a, b, as_of)))


@router.get("/inconsistencies", response_model=InconsistenciesPublic, responses=ERRORS)
def read_inconsistencies(workspace: WorkspaceDependency, as_of: AsOf) -> Response:
    """List groups whose latest positions on one issue disagree, and which one the analysis counts."""
    with workspace.reading() as negotiation:
        return public(InconsistenciesPublic, report.inconsistencies_json(negotiation, as_of, analysis.inconsistencies(negotiation, as_of)))
