"""Liveness of the service and its store."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter

from api.deps import SandboxDependency, SettingsDependency, WorkspaceDependency
from api.schemas import HealthPublic, LeftOutPublic

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthPublic, summary="Service status")
def read_health(
    workspace: WorkspaceDependency, settings: SettingsDependency, sandbox: SandboxDependency
) -> HealthPublic:
    """Report that the service is up, which store it serves and whether it takes writes."""
    store = workspace.store
    workspace.catch_up(now=True)  # a remote store is asked for its version: one that is down makes this a 503
    return HealthPublic(
        status="ok",
        store="remote" if store.shared else "memory" if store.location == "memory" else "embedded",
        generation=workspace.generation,
        writes=bool(settings.token and settings.token.get_secret_value()),
        sparql_network_wall=sandbox.wall,
        left_out=[LeftOutPublic(**asdict(left)) for left in workspace.left_out],
        derived_graph="current" if workspace.derived_current() else "stale",
    )
