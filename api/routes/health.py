"""Liveness of the service and its store."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import StoreDependency

router = APIRouter(tags=["health"])


class HealthPublic(BaseModel):
    status: str
    store: str


@router.get("/health", response_model=HealthPublic)
def read_health(store: StoreDependency) -> HealthPublic:
    """Report that the service is up and which store it serves."""
    return HealthPublic(status="ok", store="memory" if store.location == "memory" else "embedded")
