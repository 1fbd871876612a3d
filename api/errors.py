"""Errors as RFC 9457 problem documents (``application/problem+json``), mapped in this one place."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from graph.errors import (
    DocumentSyntaxError,
    DuplicateNames,
    EmptyDocument,
    ForbiddenGraph,
    InvalidArgument,
    InvalidDocument,
    InvalidEntries,
    InvalidTable,
    IssueCycle,
    ParleyError,
    QuoteNotFound,
    SourceExists,
    StoreFailed,
    StoreUnavailable,
    TextConflict,
    TextMismatch,
    UnknownName,
    UnsafeDocument,
    UnsupportedFormat,
)
from graph.sparql.sandbox import QueryFailed, QueryRefused, QueryTimeout, SandboxBusy, TooManyResults
from graph.workspace import PositionExists, PositionInUse

PROBLEM_JSON = "application/problem+json"
PROBLEM_TYPES = "https://w3id.org/parley/problems/"


class Problem(Exception):
    """An error the routes raise themselves, answered as a problem document."""

    def __init__(self, status: int, title: str, detail: str, headers: dict[str, str] | None = None, **extensions):
        self.status = status
        self.title = title
        self.detail = detail
        self.headers = headers
        self.extensions = extensions
        super().__init__(detail)


# The library's errors, most specific first: (class, status, title).
_STATUS: list[tuple[type[Exception], int, str]] = [
    (UnknownName, 404, "Not found"),
    (InvalidTable, 422, "Invalid table"),
    (InvalidDocument, 422, "Invalid document"),
    (QuoteNotFound, 422, "Quote not found"),
    (TextMismatch, 422, "Text mismatch"),
    (TextConflict, 409, "Text conflict"),
    (SourceExists, 409, "Source exists"),
    (InvalidEntries, 422, "Invalid request"),
    (IssueCycle, 422, "Issue cycle"),
    (DuplicateNames, 409, "Duplicate name"),
    (InvalidArgument, 422, "Invalid request"),
    (ForbiddenGraph, 422, "Forbidden graph"),
    (DocumentSyntaxError, 400, "Syntax error"),
    (UnsupportedFormat, 415, "Unsupported format"),
    (UnsafeDocument, 400, "Unsafe document"),
    (EmptyDocument, 400, "Empty document"),
    (PositionInUse, 409, "Position in use"),
    (PositionExists, 409, "Position exists"),
    (QueryRefused, 400, "Query refused"),
    (TooManyResults, 400, "Too many results"),
    (QueryTimeout, 503, "Query timed out"),
    (SandboxBusy, 503, "Busy"),
    (QueryFailed, 503, "Query failed"),
    (StoreUnavailable, 503, "Store unavailable"),
    (StoreFailed, 502, "Store failed"),
]


def problem_response(
    request: Request, status: int, title: str, detail: str, headers: dict[str, str] | None = None, **extensions
) -> JSONResponse:
    """A problem document for ``request``."""
    slug = title.lower().replace(" ", "-")
    body = {
        "type": PROBLEM_TYPES + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        **extensions,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _detail(error: Exception) -> str:
    """The error's message, with what the library noted about its consequences (``add_note``)."""
    return "; ".join([str(error), *getattr(error, "__notes__", ())])


def _extensions(error: Exception) -> dict:
    if isinstance(error, InvalidEntries | DuplicateNames | IssueCycle):
        return _entry_extensions(error)
    if isinstance(error, UnknownName):
        return {"name": error.name, "nearest": error.nearest}
    if isinstance(error, InvalidTable):
        return {
            "document": error.document,
            "problems": [
                {
                    "row": p.row,
                    "column": p.column,
                    "letter": p.letter,
                    "value": p.value,
                    "message": p.message,
                    "nearest": list(p.nearest),
                }
                for p in error.problems
            ],
        }
    if isinstance(error, InvalidDocument):
        return {
            "document": error.document,
            "violations": [
                {
                    "focus": v.focus,
                    "path": v.path,
                    "value": v.value,
                    "message": v.message,
                    "constraint": v.constraint,
                    "shape": v.shape,
                }
                for v in error.violations[:100]
            ],
        }
    if isinstance(error, QuoteNotFound | TextMismatch | TextConflict | SourceExists):
        return _text_extensions(error)
    if isinstance(error, DocumentSyntaxError):
        return {"document": error.document, "line": error.line, "column": error.column}
    if isinstance(error, PositionInUse):
        return {"referrers": error.referrers}
    if isinstance(error, InvalidArgument):
        return {"parameter": error.parameter}
    if isinstance(error, PositionExists):
        return {"id": error.position}
    return {}


def _text_extensions(error: QuoteNotFound | TextMismatch | TextConflict | SourceExists) -> dict:
    """What a write refused over a source's text says: the quotes not in it, or the text and source at fault."""
    if isinstance(error, QuoteNotFound):
        return {"document": error.document, "quotes": [asdict(miss) for miss in error.misses[:100]]}
    if isinstance(error, TextMismatch):
        return {
            "document": error.document,
            "source": error.source,
            "declared": error.declared,
            "computed": error.computed,
        }
    if isinstance(error, TextConflict):
        return {"document": error.document, "source": error.source}
    return {"id": error.source}


def _entry_extensions(error: InvalidEntries | DuplicateNames | IssueCycle) -> dict:
    """What a refused JSON write says of each field at fault, by its JSON path (``where``)."""
    if isinstance(error, InvalidEntries):
        return {
            "errors": [
                {"where": p.where, "message": p.message, "value": p.value, "nearest": list(p.nearest)}
                for p in error.problems[:100]
            ]
        }
    if isinstance(error, DuplicateNames):
        return {
            "duplicates": [
                {
                    "where": clash.where,
                    "kind": clash.kind,
                    "name": clash.name,
                    "existing": clash.existing,
                    "existing_name": clash.their_name,
                }
                for clash in error.clashes
            ]
        }
    return {"where": error.where, "cycle": error.cycle}


def json_path(location: tuple | list) -> str:
    """Where a value stands in a request, as JSON paths are written: ``body.positions[3].issue``.

    Examples
    --------
    >>> json_path(("body", "positions", 3, "evidence", 0, "source"))
    'body.positions[3].evidence[0].source'
    """
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def install(app: FastAPI) -> None:
    """Answer every error of the app, the library's included, as a problem document."""

    @app.exception_handler(Problem)
    async def _problem(request: Request, error: Problem) -> JSONResponse:
        return problem_response(request, error.status, error.title, error.detail, error.headers, **error.extensions)

    @app.exception_handler(ParleyError)
    async def _library(request: Request, error: ParleyError) -> JSONResponse:
        for kind, status, title in _STATUS:
            if isinstance(error, kind):
                return problem_response(request, status, title, _detail(error), **_extensions(error))
        return problem_response(request, 500, "Internal error", _detail(error))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [{"where": json_path(item["loc"]), "message": item["msg"]} for item in error.errors()]
        detail = "; ".join(f"{item['where']}: {item['message']}" for item in errors)
        return problem_response(request, 422, "Invalid request", detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        title = {404: "Not found", 405: "Method not allowed"}.get(error.status_code, "Error")
        headers = getattr(error, "headers", None)
        if error.status_code == 405:
            # Starlette names the methods of the first route on the path only; a path may have several.
            allowed = _allowed_methods(app, request.url.path)
            headers = {"Allow": ", ".join(allowed)}
            return problem_response(
                request, 405, title, f"{request.method} is not allowed here; use {', '.join(allowed)}", headers
            )
        return problem_response(request, error.status_code, title, str(error.detail), headers)


def document_problems(app: FastAPI) -> None:
    """Make ``/openapi.json`` say what the handlers above send: every error is ``application/problem+json``.

    FastAPI documents error models as ``application/json`` and adds its own validation-error body
    for 422; both are rewritten here, once, when the document is first built.
    """
    build = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        problem = {"schema": {"$ref": "#/components/schemas/ProblemPublic"}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                if operation.get("parameters") or operation.get("requestBody"):
                    responses.setdefault("422", {"description": "A malformed parameter or body."})
                if operation.get("requestBody"):
                    responses.setdefault("400", {"description": "A body that cannot be read (not JSON, not UTF-8)."})
                    responses.setdefault("413", {"description": "The body is larger than the limit."})
                    responses.setdefault("415", {"description": "A Content-Type this route does not read."})
                for status, response in responses.items():
                    if status[0] in "45":
                        response["content"] = {PROBLEM_JSON: problem}
        schema["components"]["schemas"].pop("HTTPValidationError", None)
        schema["components"]["schemas"].pop("ValidationError", None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's own way to change the OpenAPI document


def _allowed_methods(app: FastAPI, path: str) -> list[str]:
    """Every method the documented routes accept on ``path``."""
    methods = set()
    for template, operations in app.openapi()["paths"].items():
        if compile_path(template)[0].match(path):
            methods |= {method.upper() for method in operations}
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)
