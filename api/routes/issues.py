"""Issues: what positions are about, in a hierarchy (skos:broader)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.deps import WorkspaceDependency
from api.responses import public
from api.schemas import IssuePublic, IssuesPublic, problem
from graph.report import answers

router = APIRouter(prefix="/issues", tags=["issues"])


@router.get("", response_model=IssuesPublic, summary="All issues")
def read_issues(workspace: WorkspaceDependency) -> Response:
    """List every issue, sorted by id."""
    with workspace.reading() as negotiation:
        return public(IssuesPublic, answers.issues(negotiation))


@router.get(
    "/{issue}",
    summary="One issue",
    response_model=IssuePublic,
    responses={404: problem("Unknown issue, with the nearest known ones.")},
)
def read_issue(issue: str, workspace: WorkspaceDependency) -> Response:
    """Show one issue with its broader and narrower issues."""
    with workspace.reading() as negotiation:
        return public(IssuePublic, answers.issue(negotiation, issue))
