"""The network view in a real browser: the GEXF the server exports, drawn with its counts and colours."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import httpx
import pytest

from api.prefetch import NETWORK_EDGES
from tests.clients.workbench import run_scenario, workbench_server

GEXF = "{http://gexf.net/1.3}"
LATER, EARLIER = "2025-05-01", "2025-04-17"
NETWORK_PICTURE = {"strongest": NETWORK_EDGES, "edge_issues": "false"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from workbench_server(tmp_path_factory)


@pytest.fixture(scope="module")
def seen(server):
    return run_scenario("network", server)


def exported(server: str, as_of: str, view: str = "actors") -> dict:
    """Count the nodes and edges (by kind) of the GEXF the server exports, parsed here."""
    query = {"view": view, "as_of": as_of}
    if view == "actors":
        query.update(NETWORK_PICTURE)  # what the page asks for by default
    answer = httpx.get(f"{server}/export/gexf", params=query, timeout=30)
    answer.raise_for_status()
    root = ElementTree.fromstring(answer.content)
    kinds: dict[str, int] = {}
    for edge in root.iter(f"{GEXF}edge"):
        kinds[edge.get("kind")] = kinds.get(edge.get("kind"), 0) + 1
    labels = sorted(node.get("label") for node in root.iter(f"{GEXF}node"))
    return {"nodes": len(labels), "edges": sum(kinds.values()), "kinds": kinds, "labels": labels}


def total(server: str, actor: str, as_of: str) -> int:
    answer = httpx.get(f"{server}/positions", params={"actor": actor, "as_of": as_of, "limit": 1}, timeout=30)
    return answer.json()["total"]


def test_the_network_draws_the_nodes_and_edges_of_the_export(server, seen):
    later = exported(server, LATER)
    drawn = seen["found"]["later"]
    assert later["kinds"].get("conflict", 0) > 0 and later["kinds"].get("agreement", 0) > 0
    assert (drawn["nodes"], drawn["edges"]) == (later["nodes"], later["edges"])
    assert (drawn["graphNodes"], drawn["graphEdges"]) == (later["nodes"], later["edges"])
    assert sorted(drawn["labels"]) == later["labels"]
    assert drawn["canvases"] >= 2, "sigma drew into its WebGL and label canvases"
    asked = f"export/gexf?view=actors&as_of={LATER}&strongest={NETWORK_EDGES}&edge_issues=false"
    assert any(url.endswith(asked) for url in seen["requests"]), "the picture the server works out ahead"


def test_conflict_edges_are_red_and_agreement_green(seen):
    colours = seen["found"]["later"]["colours"]
    assert colours["conflict"] == ["#b3261e"]
    assert colours["agreement"] == ["#1b6e3a"]
    assert all(kind in ("conflict", "agreement") or shown == ["#8a949e"] for kind, shown in colours.items())


def test_a_party_chosen_from_the_list_or_by_a_click_shows_its_positions(server, seen):
    found = seen["found"]
    assert found["focused"] == "network-party-select", "the list is the next Tab stop after the controls"
    russia = found["russia"]
    expected = total(server, "russia", LATER)
    assert expected > 0
    assert russia["heading"] == "Russia"
    assert russia["total"] == expected and russia["items"] == expected
    assert f"?view=compare&a=russia&as_of={LATER}" in russia["links"]
    assert "?view=timeline&group=russia" in russia["links"]
    assert "actor=russia" in russia["url"]
    clicked = found["clicked"]
    assert clicked["heading"] == "Ukraine"
    assert clicked["total"] == total(server, "ukraine", LATER)
    assert found["restored"]["total"] == expected, "a reload of the URL shows the party again"


def test_the_as_of_date_in_the_url_changes_the_graph_and_a_reload_restores_it(server, seen):
    later, earlier = exported(server, LATER), exported(server, EARLIER)
    assert earlier["edges"] != later["edges"], "the seed graph differs between the two dates"
    found = seen["found"]
    for drawn in (found["earlier"], found["reloaded"]):
        assert (drawn["nodes"], drawn["edges"]) == (earlier["nodes"], earlier["edges"])
        assert drawn["asOf"] == EARLIER
        assert f"as_of={EARLIER}" in drawn["url"]


def test_the_view_fits_a_phone(seen):
    found = seen["found"]
    assert found["phone"]["edges"] == found["later"]["edges"]
    assert found["phoneOverflow"] <= 0
    names = sorted(path.rsplit("/", 1)[-1] for path in seen["screenshots"])
    assert names == ["network-1280.png", "network-390-panel.png", "network-390.png"]


def test_the_full_view_draws_on_demand(server, seen):
    full = exported(server, LATER, view="full")
    drawn = seen["found"]["full"]
    assert (drawn["nodes"], drawn["edges"]) == (full["nodes"], full["edges"])
    assert drawn["colours"]["conflicts-with"] == ["#b3261e"] and drawn["colours"]["agrees-with"] == ["#1b6e3a"]
    assert "graph=full" in drawn["url"] and f"as_of={LATER}" in drawn["url"]
