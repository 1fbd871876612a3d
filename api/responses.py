"""JSON answers checked against their public schema and written in the handler's own thread.

Returning a :class:`fastapi.Response` spares FastAPI's second trip through the thread pool to
validate and serialise a plain ``dict``; the check against the schema still happens, here.
"""

from __future__ import annotations

from fastapi import Response
from pydantic import BaseModel


def public(model: type[BaseModel], payload: dict, status_code: int = 200) -> Response:
    """``payload`` validated as ``model`` and written as JSON.

    Examples
    --------
    >>> from api.schemas import CoalitionsPublic
    >>> public(CoalitionsPublic, {"as_of": "2025-04-18", "coalitions": [["russia"]]}).body
    b'{"as_of":"2025-04-18","coalitions":[["russia"]]}'
    """
    return Response(model.model_validate(payload).model_dump_json().encode(), status_code=status_code,
                    media_type="application/json")
