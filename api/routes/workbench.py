"""The workbench: the analysts' web page at ``/``, built from ``web/`` into ``api/static/workbench/`` by ``make``.

One HTML page; its views (Compare, Matrix, Timeline, Network, Sources, Drafts, Changes, SPARQL) are chosen by the
URL's query string, so every view has an address that reproduces it. The page's policy lets it load only what this
server serves: no script, style, font or request (the Changes view's EventSource included) goes to another host.
"""

from __future__ import annotations

from importlib.resources import files

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.errors import Problem
from api.routes.docs import STATIC

router = APIRouter(include_in_schema=False)

WORKBENCH = STATIC / "workbench"
"""Where ``make`` builds the workbench's script and style."""

POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data: blob:",
        # Inline style attributes only (the pages position elements); every style sheet comes from here.
        "style-src 'self' 'unsafe-inline'",
        "worker-src 'self' blob:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'self'",
    ]
)
"""The Content-Security-Policy of the page: the browser refuses anything from another host."""


@router.get("/", response_class=HTMLResponse)
def read_workbench() -> HTMLResponse:
    """Show the workbench."""
    if not (WORKBENCH / "app.js").exists():
        raise Problem(
            503,
            "Workbench not built",
            "the workbench's script is not in this installation: run `make install` (it builds web/ into "
            "api/static/workbench/); the API (/docs) and the SPARQL endpoint (/sparql) work without it",
        )
    page = files("api").joinpath("workbench.html").read_text(encoding="utf-8")
    return HTMLResponse(page, headers={"Content-Security-Policy": POLICY, "Cache-Control": "no-cache"})
