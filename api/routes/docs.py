"""The interactive API documentation (Swagger UI), from assets that come with the package.

FastAPI's own ``/docs`` loads Swagger UI from a CDN, so it is blank where there is no internet. Here
the assets are npm's ``swagger-ui-dist``, pinned by ``web/package-lock.json`` and copied into
``api/static/swagger-ui/`` by ``make``; the page asks no other host for anything.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from api.errors import Problem

router = APIRouter(include_in_schema=False)

STATIC = Path(__file__).resolve().parent.parent / "static"
"""The package's static assets, served at /static."""
SWAGGER_UI = STATIC / "swagger-ui"


@router.get("/docs", response_class=HTMLResponse)
def read_docs(request: Request) -> HTMLResponse:
    """Show the API's operations in Swagger UI."""
    if not (SWAGGER_UI / "swagger-ui-bundle.js").exists():
        raise Problem(
            503,
            "Documentation not built",
            "the Swagger UI assets are not in this installation: run "
            "`make install` (it copies them from web/node_modules); /openapi.json has the same content",
        )
    root = request.scope.get("root_path", "")
    return get_swagger_ui_html(
        openapi_url=f"{root}/openapi.json",
        title="Parley API",
        swagger_js_url=f"{root}/static/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url=f"{root}/static/swagger-ui/swagger-ui.css",
        swagger_favicon_url=f"{root}/favicon.svg",  # Parley's icon (api/routes/icons.py), not Swagger's
        # No badge from the public validator: the page asks no other host for anything.
        swagger_ui_parameters={"validatorUrl": None},
    )
