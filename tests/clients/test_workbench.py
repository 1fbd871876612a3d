"""The workbench's frame in a real browser: it is served at /, asks no other host, and every view has an address."""

from __future__ import annotations

import httpx
import pytest

from tests.clients.workbench import run_scenario, workbench_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from workbench_server(tmp_path_factory)


def test_the_page_is_served_at_the_root_with_a_policy_that_allows_only_its_own_host(server):
    page = httpx.get(f"{server}/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert "connect-src 'self'" in page.headers["content-security-policy"]
    assert httpx.get(f"{server}/static/workbench/app.js").status_code == 200


def test_every_view_opens_from_the_navigation_and_from_its_address(server):
    seen = run_scenario("shell", server)
    views = seen["found"]["views"]
    names = [view.removeprefix("?view=") for view in views]
    assert names == ["compare", "matrix", "timeline", "network", "sources", "drafts", "changes", "sparql"]
    titles = seen["found"]["titles"]
    assert [titles[view].split(" · ")[0].lower() for view in views] == names
    assert seen["found"]["reloaded"] == views[-1]
    assert seen["found"]["tabbed"][0] == "#view", "the first stop is the skip link"
    assert set(views) <= set(seen["found"]["tabbed"]), "every view is reachable by keyboard"
