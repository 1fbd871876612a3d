"""The workbench's Changes page in a real browser: the seed's load with its shifts, newest first; a write made while
the page is open appears live without a reload, marked new; the party filter and the date live in the URL; the
page's links open a party's Timeline and a position's quote in its source, and subscribe to the Atom feeds.

The page's stream (GET /changes/stream, an EventSource) is a request to its own origin like every other, which the
page's policy allows (connect-src 'self') and run_scenario checks: no request leaves the server.
"""

from __future__ import annotations

import httpx
import pytest

from tests.clients.workbench import TOKEN, run_scenario, workbench_server

DELETED = "Ukraine: Limit on the size of Ukraine's army, no longer opposing"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from workbench_server(tmp_path_factory)


def test_the_policy_lets_the_page_connect_to_its_own_origin_alone(server):
    policy = httpx.get(f"{server}/").headers["content-security-policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["connect-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]


def test_the_changes_page_lists_the_writes_and_shows_a_new_one_live(server, monkeypatch):
    monkeypatch.setenv("PARLEY_TEST_TOKEN", TOKEN)
    found = run_scenario("changes", server)["found"]

    # The seed's load: one write, its 24 shifts (as GET /changes says) in words, each party a Timeline link.
    assert [write["sequence"] for write in found["before"]] == [1]
    (load,) = found["before"]
    assert load["fresh"] is False
    assert "· change 1 · load" in load["head"]
    assert load["summary"].endswith("26 positions added, 1 position superseded, 24 shifts")
    assert len(load["shifts"]) == 24
    assert {shift["party"] for shift in load["shifts"]} == {"russia", "ukraine", "us"}
    army = next(shift for shift in load["shifts"] if shift["party"] == "ukraine" and "size of Ukraine" in shift["text"])
    assert army["text"].startswith("Ukraine: Limit on the size of Ukraine's army, now opposing, on the word of")
    assert army["timeline"] == "?view=timeline&group=ukraine"
    assert army["positions"] == ["?view=sources&position=ukraine-army-size"]
    assert found["status"].startswith("Live")
    assert found["statusLive"] == "polite"
    assert found["feeds"] == ["changes.atom"], "relative, so the page works under any root path"
    assert found["unlabelled"] == []

    # The DELETE made while the page was open: on top, marked new, with its shift, and no reload.
    assert found["deleteStatus"] == 204
    assert found["notReloaded"] is True
    assert [(write["sequence"], write["fresh"]) for write in found["after"]] == [(2, True), (1, False)]
    new = found["after"][0]
    assert new["head"].startswith("new")
    assert new["summary"] == "deleted position ukraine-army-size: 1 position removed, 1 shift"
    assert [shift["text"] for shift in new["shifts"]] == [DELETED]
    assert new["shifts"][0]["positions"] == [], "a deleted position has nothing to open"
    assert found["statusAfter"].startswith("Live: 1 new write since the page opened")

    # Its links: the quote of putin-territory in its source; Ukraine's timeline.
    assert found["source"]["search"] == "?view=sources&position=putin-territory&source=us-may-walk-away-2025-04-18"
    assert "the size of the Ukrainian army to be limited" in found["source"]["mark"]
    assert found["timeline"] == "?view=timeline&group=ukraine"

    # Ukraine alone: the two writes, with Ukraine's shifts only; the same after a reload, with Ukraine's feed.
    for writes in (found["filtered"], found["reloaded"]["writes"]):
        assert [write["sequence"] for write in writes] == [2, 1]
        assert {shift["party"] for write in writes for shift in write["shifts"]} == {"ukraine"}
        assert [shift["text"] for shift in writes[0]["shifts"]] == [DELETED]
    ukraine_in_load = [shift for shift in load["shifts"] if shift["party"] == "ukraine"]
    assert found["reloaded"]["writes"][1]["shifts"] == ukraine_in_load
    assert found["reloaded"]["search"] == "?view=changes&party=ukraine"
    assert found["reloaded"]["party"] == "Ukraine"
    assert found["reloaded"]["heading"] == "Changes: Ukraine"
    assert found["reloaded"]["feeds"] == ["changes.atom", "actors/ukraine/changes.atom"]
    assert found["partyFeed"] == {"status": 200, "type": "application/atom+xml"}

    # Since a date after every write: none, said in words; the date restored in its field.
    assert found["future"] == {"since": "2999-01-01", "writes": 0, "notice": "No write has been made since 2999-01-01."}
    assert found["tabbed"] == ["ch-since"]
    assert found["phoneOverflow"] == 0
