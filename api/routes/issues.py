"""Issues: what positions are about, in a hierarchy (skos:broader)."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from api.deps import WRITE_ERRORS, TokenFirstRoute, WorkspaceDependency, WriteAccess
from api.responses import public
from api.routes.actors import NAME_ERRORS
from api.schemas import IssueCreate, IssuePublic, IssuesPublic, IssueUpdate, Responses, problem
from graph.report import answers

router = APIRouter(prefix="/issues", tags=["issues"], route_class=TokenFirstRoute)
NOT_FOUND: Responses = {404: problem("Unknown issue, with the nearest known ones.")}
HIERARCHY_ERRORS: Responses = {
    **NAME_ERRORS,
    422: problem(
        "An unknown name (with the nearest), a loop of broader issues (`cycle`), a quantity issue "
        "under one of another unit, or a broken rule; `errors`."
    ),
}


@router.get("", response_model=IssuesPublic, summary="All issues")
def read_issues(workspace: WorkspaceDependency) -> Response:
    """List every issue, sorted by id."""
    with workspace.reading() as negotiation:
        return public(IssuesPublic, answers.issues(negotiation))


@router.get("/{issue}", summary="One issue", response_model=IssuePublic, responses=NOT_FOUND)
def read_issue(issue: str, workspace: WorkspaceDependency) -> Response:
    """Show one issue with its broader and narrower issues."""
    with workspace.reading() as negotiation:
        return public(IssuePublic, answers.issue(negotiation, issue))


@router.post(
    "",
    summary="Add an issue",
    response_model=IssuePublic,
    status_code=status.HTTP_201_CREATED,
    dependencies=[WriteAccess],
    responses={**WRITE_ERRORS, **HIERARCHY_ERRORS},
)
def create_issue(body: IssueCreate, workspace: WorkspaceDependency) -> Response:
    """Add an issue under its broader ones, refused if one of its names is another issue's or it makes a loop."""
    workspace.ingest(body.batch())
    with workspace.reading() as negotiation:
        created = public(IssuePublic, answers.issue(negotiation, body.id or ""), status.HTTP_201_CREATED)
    created.headers["Location"] = f"/issues/{body.id}"
    return created


@router.patch(
    "/{issue}",
    summary="Move or rename an issue",
    response_model=IssuePublic,
    dependencies=[WriteAccess],
    responses={**WRITE_ERRORS, **NOT_FOUND, **HIERARCHY_ERRORS},
)
def update_issue(issue: str, body: IssueUpdate, workspace: WorkspaceDependency) -> Response:
    """Replace an issue's broader issues, label, definition or aliases, checked as a new issue is."""
    workspace.change_issue(issue, body.change(), root="body")
    with workspace.reading() as negotiation:
        return public(IssuePublic, answers.issue(negotiation, issue))
