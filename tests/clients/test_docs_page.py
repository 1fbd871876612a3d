"""The API documentation page in a real browser (Debian's Chromium driven by playwright-core): no other host."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.clients.server import free_port, serve, stop, wait_for_health

CLIENTS = Path(__file__).parent


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    process = serve(tmp_path_factory.mktemp("docs") / "store", port)
    wait_for_health(port, process, seconds=60)
    yield f"http://127.0.0.1:{port}"
    stop(process)


def browse(url: str, selector: str, screenshot: Path | None = None) -> dict:
    assert shutil.which("node"), "Node.js is needed for the page checks (see the README)"
    assert (CLIENTS / "node_modules" / "playwright-core").exists(), "run `make test` (it runs npm ci in tests/clients)"
    command = ["node", str(CLIENTS / "browse.mjs"), url, selector] + ([str(screenshot)] if screenshot else [])
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_docs_lists_every_operation_with_no_request_to_another_host(server, tmp_path):
    seen = browse(f"{server}/docs", ".opblock-summary-path", tmp_path / "docs.png")
    operations = httpx.get(f"{server}/openapi.json").json()["paths"]
    listed = {text.split("\n")[0].replace("\u200b", "") for text in seen["texts"]}
    assert set(operations) <= listed, set(operations) - listed
    hosts = {urlsplit(url).netloc for url in seen["requests"] if not url.startswith("data:")}
    assert hosts == {urlsplit(server).netloc}, seen["requests"]
    assert seen["errors"] == []
    assert (tmp_path / "docs.png").stat().st_size > 10_000, "a page was drawn"


def test_the_docs_assets_come_from_the_package_with_their_licence(server):
    for name in ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"):
        assert httpx.get(f"{server}/static/swagger-ui/{name}").status_code == 200
    assert "Apache License" in httpx.get(f"{server}/static/swagger-ui/LICENSE").text
    assert httpx.get(f"{server}/redoc").status_code == 404
