"""Dependencies shared by the routes, as ``Annotated`` aliases.

They are ``async def`` because none of them blocks: FastAPI would run a plain ``def`` dependency in
the thread pool, one hop per dependency per request.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Callable, Coroutine
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Query, Request, Response
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.errors import Problem
from api.schemas import Responses, problem
from api.settings import Settings
from graph.sparql.sandbox import QuerySandbox, Snapshots
from graph.workspace import Workspace

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_workspace(request: Request) -> Workspace:
    return request.app.state.workspace


async def get_sandbox(request: Request) -> QuerySandbox:
    return request.app.state.sandbox


async def get_snapshots(request: Request) -> Snapshots:
    return request.app.state.snapshots


SettingsDependency = Annotated[Settings, Depends(get_settings)]
WorkspaceDependency = Annotated[Workspace, Depends(get_workspace)]
SandboxDependency = Annotated[QuerySandbox, Depends(get_sandbox)]
SnapshotsDependency = Annotated[Snapshots, Depends(get_snapshots)]


async def parse_as_of(
    as_of: Annotated[
        str | None,
        Query(
            description="The date to answer for, YYYY-MM-DD. Default: today.",
            examples=["2025-04-18"],
            json_schema_extra={"format": "date"},
        ),
    ] = None,
) -> date:
    return date.today() if as_of is None else to_date(as_of)


def to_date(text: str, parameter: str = "as_of") -> date:
    """A YYYY-MM-DD date, or a 422 problem that gives the expected form."""
    try:
        if _ISO_DATE.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise Problem(
        422,
        "Invalid date",
        f"{parameter} {text!r} is not a date: use YYYY-MM-DD, for example 2025-04-18",
        parameter=parameter,
        expected="YYYY-MM-DD",
    )


AsOf = Annotated[date, Depends(parse_as_of)]

_bearer = HTTPBearer(auto_error=False, description="The write token (PARLEY_TOKEN).")


async def require_token(
    settings: SettingsDependency,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Let a write through only with the configured bearer token, compared in constant time."""
    if settings.token is None or not settings.token.get_secret_value():
        raise Problem(
            403,
            "Writes disabled",
            "this server accepts no writes: start it with PARLEY_TOKEN set and send 'Authorization: Bearer <token>'",
        )
    if credentials is None:
        raise Problem(
            401, "Unauthorized", "a write needs 'Authorization: Bearer <token>'", headers={"WWW-Authenticate": "Bearer"}
        )
    expected = settings.token.get_secret_value().encode()
    if not hmac.compare_digest(credentials.credentials.encode(), expected):
        raise Problem(
            401,
            "Unauthorized",
            "the bearer token is not the one this server accepts",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )


WriteAccess = Depends(require_token)


class TokenFirstRoute(APIRoute):
    """A route that checks ``WriteAccess`` before FastAPI reads its body.

    FastAPI decodes a JSON body before it runs any dependency, so a malformed body from someone
    without the token would be answered 422 (telling them about the body) instead of 401.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if WriteAccess not in self.dependencies:
            return handler

        async def token_first(request: Request) -> Response:
            await require_token(request.app.state.settings, await _bearer(request))
            return await handler(request)

        return token_first


WRITE_ERRORS: Responses = {
    401: problem("No bearer token, or not the right one."),
    403: problem("Writes are disabled (no PARLEY_TOKEN configured)."),
}
"""The answers ``WriteAccess`` adds to a route, for its OpenAPI ``responses``."""
