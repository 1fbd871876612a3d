"""Ingest: a source, its new actors and issues, and its positions, in one JSON document."""

from __future__ import annotations

from fastapi import APIRouter, status

from api.deps import WRITE_ERRORS, TokenFirstRoute, WorkspaceDependency, WriteAccess
from api.routes.issues import HIERARCHY_ERRORS
from api.schemas import IngestCreate, IngestedPublic

router = APIRouter(prefix="/ingest", tags=["ingest"], route_class=TokenFirstRoute)


@router.post(
    "",
    summary="Ingest a JSON document",
    response_model=IngestedPublic,
    status_code=status.HTTP_201_CREATED,
    dependencies=[WriteAccess],
    responses={**WRITE_ERRORS, **HIERARCHY_ERRORS},
)
def create_ingest(body: IngestCreate, workspace: WorkspaceDependency) -> IngestedPublic:
    """Write a source, its new actors, issues and positions, all or nothing, naming each error by its JSON path."""
    batch = body.batch()
    workspace.ingest(batch)
    return IngestedPublic(
        source=batch.source.id if batch.source else None,
        actors=[actor.id for actor in batch.actors],
        issues=[issue.id for issue in batch.issues],
        positions=[position.id for position in batch.positions],
        generation=workspace.generation,
    )
