"""The change feed over HTTP: `GET /changes` as Activity Streams 2.0, and the Atom feeds, valid and in words."""

from __future__ import annotations

import pytest

from tests.api.conftest import AUTH
from tests.export.atom_schema import valid_feed

pytestmark = pytest.mark.anyio

DELETION = "deleted position ukraine-army-size: 1 position removed, 1 shift"
NO_LIMIT = "Ukraine: Limit on the size of Ukraine's army, no longer opposing"
HOSTILE = "Army ]]> <b>&amp; \\u0001\\u001F end"
RELABEL = f"""
DELETE {{ GRAPH <https://w3id.org/parley/graph/reference> {{ issue:ukraine-army-size skos:prefLabel ?old }} }}
INSERT {{ GRAPH <https://w3id.org/parley/graph/reference> {{ issue:ukraine-army-size skos:prefLabel "{HOSTILE}"@en }} }}
WHERE {{ GRAPH <https://w3id.org/parley/graph/reference> {{ issue:ukraine-army-size skos:prefLabel ?old }} }}
"""


async def atom(client, path: str, **params):
    response = await client.get(path, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/atom+xml")
    return valid_feed(response.content)


async def test_the_seeds_feed_is_its_load_and_the_shifts_it_caused(client):
    parsed = await atom(client, "/changes.atom")
    assert len(parsed.entries) == 25
    assert [entry.tags[0].term for entry in parsed.entries] == ["load"] + ["shift"] * 24
    assert parsed.entries[0].title.startswith("loaded ") and parsed.entries[0].title.endswith(", 24 shifts")
    assert (parsed.feed.id, parsed.feed.title) == ("http://parley.test/changes.atom", "Parley: what changed")
    assert parsed.feed.links[0].href == "http://parley.test/changes.atom"


async def test_a_deletion_is_the_newest_entry_then_the_shift_it_caused(writer):
    assert (await writer.delete("/positions/ukraine-army-size", headers=AUTH)).status_code == 204
    parsed = await atom(writer, "/changes.atom")
    assert [entry.title for entry in parsed.entries[:2]] == [DELETION, NO_LIMIT]
    assert [entry.tags[0].term for entry in parsed.entries[:3]] == ["delete", "shift", "load"]
    assert len(parsed.entries) == 2 + 25
    assert parsed.entries[0].link == "http://parley.test/changes?after=1&limit=1"
    assert parsed.entries[1].link == "http://parley.test/actors/ukraine/timeline"
    again = await atom(writer, "/changes.atom")
    assert [entry.id for entry in again.entries] == [entry.id for entry in parsed.entries]
    assert len({entry.id for entry in parsed.entries}) == 27
    newest = await atom(writer, "/changes.atom", limit=1)
    assert [entry.id for entry in newest.entries] == [entry.id for entry in parsed.entries[:2]]
    assert newest.feed.links[0].href == "http://parley.test/changes.atom?limit=1"


async def test_a_members_feed_holds_its_partys_shifts_only(writer):
    assert (await writer.delete("/positions/ukraine-army-size", headers=AUTH)).status_code == 204
    peskov = await atom(writer, "/actors/dmitry-peskov/changes.atom")
    russia = await atom(writer, "/actors/russia/changes.atom")
    assert [entry.id for entry in peskov.entries] == [entry.id for entry in russia.entries]
    assert len(peskov.entries) == 8 and peskov.feed.title == "Parley: how Russia shifted"
    assert all(entry.title.startswith("Russia: ") for entry in peskov.entries)
    assert {entry.link for entry in peskov.entries} == {"http://parley.test/actors/russia/timeline"}
    ukraine = await atom(writer, "/actors/volodymyr-zelensky/changes.atom", limit=2)
    assert [entry.title for entry in ukraine.entries][0] == NO_LIMIT and len(ukraine.entries) == 2
    assert ukraine.feed.title == "Parley: how Ukraine shifted"


async def test_an_unknown_actor_is_a_404_naming_the_nearest(client):
    response = await client.get("/actors/dmitri-peskov/changes.atom")
    assert response.status_code == 404 and "dmitry-peskov" in response.json()["nearest"]


@pytest.mark.parametrize("path", ["/changes.atom", "/actors/russia/changes.atom"])
@pytest.mark.parametrize("limit", [0, 1001, "many"])
async def test_a_limit_out_of_range_is_a_422(client, path, limit):
    assert (await client.get(path, params={"limit": limit})).status_code == 422


async def test_hostile_text_in_a_label_leaves_the_feed_valid(writer):
    assert (await writer.post("/sparql", data={"update": RELABEL}, headers=AUTH)).status_code == 204
    assert (await writer.delete("/positions/ukraine-army-size", headers=AUTH)).status_code == 204
    for path in ("/changes.atom", "/actors/ukraine/changes.atom"):
        parsed = await atom(writer, path, limit=1)
        shift = next(entry for entry in parsed.entries if entry.tags[0].term == "shift")
        assert shift.title == "Ukraine: Army ]]> <b>&amp;  end, no longer opposing"


async def test_changes_are_activities_after_a_number_or_since_a_moment(writer):
    assert (await writer.delete("/positions/ukraine-army-size", headers=AUTH)).status_code == 204
    everything = (await writer.get("/changes")).json()
    assert everything["@context"][0] == "https://www.w3.org/ns/activitystreams"
    assert (everything["type"], everything["totalItems"], everything["last_sequence"]) == ("OrderedCollection", 2, 2)
    load, deletion = everything["orderedItems"]
    assert (load["type"], load["operation"], load["sequence"], load["shift_count"]) == ("Create", "load", 1, 24)
    assert (deletion["type"], deletion["summary"], deletion["removed"]) == ("Delete", DELETION, ["ukraine-army-size"])
    assert deletion["object"] == ["https://w3id.org/parley/id/position/ukraine-army-size"]
    assert deletion["shifts"] == [
        {"party": "ukraine", "issue": "ukraine-army-size", "from": "ukraine-army-size", "to": None, "summary": NO_LIMIT}
    ]
    after_one = (await writer.get("/changes", params={"since": "1"})).json()
    assert [item["sequence"] for item in after_one["orderedItems"]] == [2] and after_one["after"] == 1
    since_a_date = (await writer.get("/changes", params={"since": "2000-01-01", "limit": 1})).json()
    assert [item["sequence"] for item in since_a_date["orderedItems"]] == [1]
    newest = (await writer.get("/changes", params={"order": "newest", "limit": 1})).json()
    assert ([item["sequence"] for item in newest["orderedItems"]], newest["last_sequence"]) == ([2], 2)
    for moment in ("2999-01-01T00:00:00Z", "2999-01-01T02:00:00+02:00", "2999-01-01T00:00"):
        later = (await writer.get("/changes", params={"since": moment})).json()
        assert (later["totalItems"], later["last_sequence"], later["since"]) == (0, 0, moment)


@pytest.mark.parametrize("since", ["yesterday", "2025-13-01", "-1", "1" * 41, "\u00b2", "\u0661\u0662"])
async def test_a_since_neither_a_number_nor_a_moment_is_a_422(client, since):
    response = await client.get("/changes", params={"since": since})
    assert response.status_code == 422, response.text
