"""Dependencies shared by the routes, as ``Annotated`` aliases."""

from __future__ import annotations

import hmac
import re
from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.errors import Problem
from api.settings import Settings
from graph.sandbox import QuerySandbox, Snapshots
from graph.workspace import Workspace


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_workspace(request: Request) -> Workspace:
    return request.app.state.workspace


def get_sandbox(request: Request) -> QuerySandbox:
    return request.app.state.sandbox


def get_snapshots(request: Request) -> Snapshots:
    return request.app.state.snapshots


SettingsDependency = Annotated[Settings, Depends(get_settings)]
WorkspaceDependency = Annotated[Workspace, Depends(get_workspace)]
SandboxDependency = Annotated[QuerySandbox, Depends(get_sandbox)]
SnapshotsDependency = Annotated[Snapshots, Depends(get_snapshots)]


def parse_as_of(
    as_of: Annotated[str | None, Query(description="The date to answer for, YYYY-MM-DD. Default: today.",
                                       examples=["2025-04-18"], json_schema_extra={"format": "date"})] = None,
) -> date:
    if as_of is None:
        return date.today()
    try:
        if _ISO_DATE.fullmatch(as_of):
            return date.fromisoformat(as_of)
    except ValueError:
        pass
    raise Problem(422, "Invalid date", f"as_of {as_of!r} is not a date: use YYYY-MM-DD, for example 2025-04-18",
                  parameter="as_of", expected="YYYY-MM-DD")


AsOf = Annotated[date, Depends(parse_as_of)]

_bearer = HTTPBearer(auto_error=False, description="The write token (PARLEY_TOKEN).")


def require_token(
    settings: SettingsDependency,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Let a write through only with the configured bearer token, compared in constant time."""
    if settings.token is None or not settings.token.get_secret_value():
        raise Problem(403, "Writes disabled", "this server accepts no writes: start it with PARLEY_TOKEN set "
                                              "and send 'Authorization: Bearer <token>'")
    if credentials is None:
        raise Problem(401, "Unauthorized", "a write needs 'Authorization: Bearer <token>'",
                      headers={"WWW-Authenticate": "Bearer"})
    expected = settings.token.get_secret_value().encode()
    if not hmac.compare_digest(credentials.credentials.encode(), expected):
        raise Problem(401, "Unauthorized", "the bearer token is not the one this server accepts",
                      headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})


WriteAccess = Depends(require_token)
