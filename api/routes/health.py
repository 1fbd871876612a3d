"""Liveness of the service and its store."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import SettingsDependency, WorkspaceDependency
from api.schemas import HealthPublic

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthPublic)
def read_health(workspace: WorkspaceDependency, settings: SettingsDependency) -> HealthPublic:
    """Report that the service is up, which store it serves and whether it takes writes."""
    return HealthPublic(
        status="ok",
        store="memory" if workspace.store.location == "memory" else "embedded",
        generation=workspace.generation,
        writes=bool(settings.token and settings.token.get_secret_value()),
    )
