"""The workbench's Matrix and Timeline views in a real browser, on the seed graph and on hand-built data.

The matrix: a cell for Russia and Ukraine says the counts GET /matrix and GET /conflicts give, and opens Compare
for the pair; the chosen groups and the date are kept in the URL. The timeline: one row per issue of a group (as
GET /positions counts them), and, on data written here over the API, a superseded position, an ended one, a range
and a rejection drawn with their dates and numbers.
"""

from __future__ import annotations

from urllib.parse import parse_qs

import httpx
import pytest

from tests.clients.workbench import TOKEN, run_scenario, workbench_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from workbench_server(tmp_path_factory)


HAND_BUILT = {
    "source": {"id": "border-talks-2024", "title": "Border talks (invented for this test)", "issued": "2024-01-10"},
    "actors": [
        {"id": "north", "label": "North", "kind": "state", "aliases": ["Northland"]},
        {"id": "south", "label": "South", "kind": "state"},
    ],
    "issues": [
        {"id": "prisoner-exchange", "label": "Prisoner exchange"},
        {"id": "buffer-zone", "label": "Buffer zone"},
        {"id": "troop-cap", "label": "Troop ceiling", "scale": "quantity", "unit": "troops"},
    ],
    "positions": [
        {
            "id": "north-exchange-feb",
            "holder": "north",
            "issue": "prisoner-exchange",
            "stance": "opposes",
            "valid_from": "2024-02-01",
            "evidence": [{"quote": "No exchange before the guns fall silent."}],
        },
        {
            "id": "north-exchange-may",
            "holder": "north",
            "issue": "prisoner-exchange",
            "stance": "supports",
            "valid_from": "2024-05-01",
            "supersedes": ["north-exchange-feb"],
            "evidence": [{"quote": "We are ready to exchange all for all."}],
        },
        {
            "id": "north-zone",
            "holder": "north",
            "issue": "buffer-zone",
            "stance": "supports",
            "valid_from": "2024-03-01",
            "valid_until": "2024-05-31",
            "evidence": [{"quote": "A buffer zone until the summer."}],
        },
        {
            "id": "north-troops",
            "holder": "north",
            "issue": "troop-cap",
            "range": {"min": 85000, "max": 100000},
            "valid_from": "2024-03-15",
            "evidence": [{"quote": "Between 85,000 and 100,000 troops, no more."}],
        },
        {
            "id": "south-zone",
            "holder": "south",
            "issue": "buffer-zone",
            "stance": "opposes",
            "rejects": ["north-zone"],
            "valid_from": "2024-03-02",
            "evidence": [{"quote": "We reject any buffer zone on our land."}],
        },
    ],
}
"""North's positions: one superseded (1 Feb to 30 Apr 2024, then the May one), one that ends on 31 May 2024 and
that South rejects, and a range of 85,000 to 100,000 troops since 15 March 2024."""


MANY = {
    "source": {"id": "many-groups-2024", "title": "Many groups (invented for this test)", "issued": "2024-06-01"},
    "actors": [{"id": f"group-{n:02}", "label": f"Group {n:02}", "kind": "state"} for n in range(1, 34)],
    "positions": [
        {
            "id": f"group-{n:02}-zone",
            "holder": f"group-{n:02}",
            "issue": "buffer-zone",
            "stance": "supports" if n % 2 else "opposes",
            "evidence": [{"quote": f"Group {n:02} on the buffer zone."}],
        }
        for n in range(1, 34)
    ],
}
"""33 more groups holding one position each: with the seed's three, North and South, 38 groups hold positions."""


@pytest.fixture(scope="module")
def hand_built(tmp_path_factory):
    for base in workbench_server(tmp_path_factory):
        for document in (HAND_BUILT, MANY):
            written = httpx.post(f"{base}/ingest", json=document, headers={"Authorization": f"Bearer {TOKEN}"})
            assert written.status_code == 201, written.text
        yield base


@pytest.fixture(scope="module")
def matrix_seen(server):
    """What the matrix scenario found (run once for the tests that read it)."""
    return run_scenario("matrix", server)["found"]


@pytest.fixture(scope="module")
def timeline_seen(server):
    """What the timeline scenario found on the seed graph."""
    return run_scenario("timeline", server)["found"]


def every_position(base: str, **query: str) -> list[dict]:
    """GET /positions page by page."""
    found: list[dict] = []
    while True:
        page = httpx.get(f"{base}/positions", params={**query, "offset": len(found), "limit": 2}).json()
        found += page["positions"]
        if len(found) >= page["total"]:
            return found


def test_a_matrix_cell_says_its_counts_and_opens_compare_for_the_pair(server, matrix_seen):
    matrix = httpx.get(f"{server}/matrix", params={"actors": "russia,ukraine,us"}).json()
    counts = matrix["matrix"]["russia"]["ukraine"]
    conflicts = httpx.get(f"{server}/conflicts", params={"a": "russia", "b": "ukraine"}).json()["conflicts"]
    assert counts["conflicts"] == len(conflicts) == 3
    seen = matrix_seen
    # By default, the groups that hold positions, most positions first (United States 12, Russia 8, Ukraine 6).
    assert seen["rows"] == seen["columns"] == ["United States", "Russia", "Ukraine"]
    cell = seen["cell"]
    assert cell["label"] == f"Russia and Ukraine: 3 conflicts, {counts['agreements']} agreements"
    assert cell["text"] == f"✕3 ✓{counts['agreements']}"
    assert "mx-conflict" in cell["classes"], "more conflicts than agreements: a red cell"
    assert "conflicts" in seen["legend"] and "agreements" in seen["legend"]
    opened = parse_qs(seen["opened"].lstrip("?"))
    assert opened["view"] == ["compare"] and opened["a"] == ["russia"] and opened["b"] == ["ukraine"]


def test_the_matrix_keeps_its_groups_and_date_in_the_url(matrix_seen):
    seen = matrix_seen
    assert parse_qs(seen["chosen"].lstrip("?")) == {
        "view": ["matrix"],
        "as_of": ["2025-04-18"],
        "actors": ["russia,ukraine"],
    }
    reloaded = seen["reloaded"]
    assert reloaded["search"] == seen["chosen"]
    assert reloaded["date"] == "2025-04-18"
    assert reloaded["rows"] == ["Russia", "Ukraine"]
    assert "as of 2025-04-18" in reloaded["caption"]
    assert reloaded["cells"] == [
        "Russia and Ukraine: 3 conflicts, 2 agreements",
        "Ukraine and Russia: 3 conflicts, 2 agreements",
    ]
    # Before the seed's positions start (2025), nobody conflicts with anybody.
    assert seen["earlier"] == [
        "Russia and Ukraine: 0 conflicts, 0 agreements",
        "Ukraine and Russia: 0 conflicts, 0 agreements",
    ]
    assert seen["phoneOverflow"] <= 0, "the page does not scroll sideways at 390 px; the table scrolls in its box"


def test_the_timeline_draws_one_row_per_issue_of_a_group(server, timeline_seen):
    positions = every_position(server, actor="russia")
    seen = timeline_seen
    assert sorted(seen["rows"]) == sorted({position["issue"] for position in positions})
    assert len(seen["rows"]) == 8
    assert sorted(bar["position"] for bar in seen["bars"]) == sorted(position["id"] for position in positions)
    # The seed's positions start on one day: each bar runs from it to today.
    assert {bar["starts"] for bar in seen["bars"]} == {"2025-04-18"}
    assert all(bar["ends"] == "" and bar["status"] == "current" for bar in seen["bars"])
    territory = next(bar for bar in seen["bars"] if bar["position"] == "putin-territory")
    assert "rejected by Ukraine (ukraine-territory)" in territory["label"]
    assert "Putin" in seen["details"] or "putin" in seen["details"].lower()
    quote = httpx.get(f"{server}/positions/putin-territory").json()["evidence"][0]["quote"]
    assert quote in seen["details"]
    assert any("2025" in tick for tick in seen["ticks"])
    ukraine_issues = {position["issue"] for position in every_position(server, actor="ukraine")}
    assert seen["phoneRows"] == len(ukraine_issues)
    assert seen["phoneOverflow"] <= 0


def test_the_timeline_keeps_its_group_and_issue_in_the_url(timeline_seen):
    reloaded = timeline_seen["reloaded"]
    assert parse_qs(reloaded["search"].lstrip("?")) == {
        "view": ["timeline"],
        "group": ["russia"],
        "issue": ["territory"],
    }
    assert reloaded["issue"] == "territory"
    assert reloaded["group"] == "Russia"
    assert reloaded["rows"] == ["territory"]


def test_the_timeline_draws_supersession_ends_ranges_and_rejections_with_their_dates(hand_built):
    seen = run_scenario("timeline_dates", hand_built)["found"]
    bars = seen["bars"]
    assert sorted(seen["rows"]) == ["buffer-zone", "prisoner-exchange", "troop-cap"]
    assert set(bars) == {"north-exchange-feb", "north-exchange-may", "north-zone", "north-troops"}

    old, new = bars["north-exchange-feb"], bars["north-exchange-may"]
    assert (old["starts"], old["ends"], old["status"]) == ("2024-02-01", "2024-04-30", "superseded")
    assert old["hatched"] and old["endLine"]
    assert "2024-02-01 to 2024-04-30 · superseded by north-exchange-may" in old["texts"]
    assert (new["starts"], new["ends"], new["status"]) == ("2024-05-01", "", "current")
    assert "since 2024-05-01 · supersedes north-exchange-feb" in new["texts"]
    assert abs(float(old["x2"]) - float(new["x1"])) < 0.5, "the old bar ends where its successor starts"

    zone = bars["north-zone"]
    assert (zone["starts"], zone["ends"], zone["status"]) == ("2024-03-01", "2024-05-31", "ended")
    assert zone["endLine"] and zone["rejectMark"] and not zone["hatched"]
    assert "2024-03-01 to 2024-05-31 · ended · rejected by South (south-zone)" in zone["texts"]
    # One date axis: 92 days (1 March to 31 May) against 90 (1 February to 30 April).
    zone_width = float(zone["x2"]) - float(zone["x1"])
    old_width = float(old["x2"]) - float(old["x1"])
    assert zone_width / old_width == pytest.approx(92 / 90, rel=0.01)

    troops = bars["north-troops"]
    assert "85,000–100,000 troops" in troops["texts"]
    assert (troops["starts"], troops["ends"]) == ("2024-03-15", "")
    assert float(troops["x2"]) == pytest.approx(float(new["x2"]), abs=0.5), "open-ended bars run to the same day"
    assert seen["tabbed"] == "north-zone", "Tab reaches the bars"
    assert "A buffer zone until the summer." in seen["tabbedDetails"]
    assert "Between 85,000 and 100,000 troops, no more." in seen["details"]
    assert "Border talks (invented for this test)" in seen["details"]
    assert seen["wide"] > 1200 and seen["narrow"] < 400, "the drawing follows the window's width"
    assert seen["phoneBars"] == 4
    assert seen["phoneOverflow"] <= 0


def test_the_matrix_shows_the_groups_with_most_positions_first_and_says_so(hand_built):
    seen = run_scenario("matrix_many", hand_built)["found"]
    # United States 12, Russia 8, Ukraine 6, North 4, then those with one position by name: Group 01 to 26.
    assert seen["rows"] == ["United States", "Russia", "Ukraine", "North"] + [f"Group {n:02}" for n in range(1, 27)]
    assert "Showing the 30 groups holding the most positions, of 38; choose others above." in seen["notes"]
    assert seen["filtered"] == [f"Group 0{n} (1)" for n in range(1, 10)]
    assert seen["sticky"]["scrolled"] == [400, 400], "the table scrolls in its box"
    assert abs(seen["sticky"]["columnTop"]) < 2, "the column headers stay at the top"
    assert abs(seen["sticky"]["rowLeft"]) < 2, "the row headers stay at the left"
    assert seen["phoneOverflow"] <= 0
