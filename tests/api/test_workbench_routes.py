"""The routes the workbench's Compare and Sources views read: the dates worth asking about, how many positions
quote each source, and where each quote stands in its source's text."""

from __future__ import annotations

import pytest

from graph.store.namespaces import SEEDS_DIR
from tests.api.conftest import AUTH

pytestmark = pytest.mark.anyio

SEED = "us-may-walk-away-2025-04-18"
ARTICLE = (SEEDS_DIR / f"{SEED}.txt").read_bytes().decode("utf-8")
BRIEFING = """
@prefix parley: <https://w3id.org/parley#> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
<source/kremlin-briefing> a parley:Source ; dcterms:title "Kremlin briefing" .
<position/peskov-ceasefire> a parley:Position ; parley:holder <actor/dmitry-peskov> ; parley:issue <issue/ceasefire> ;
    parley:stance parley:Opposes ; prov:wasDerivedFrom <evidence/peskov-briefing> .
<evidence/peskov-briefing> a parley:Evidence ; parley:quote "There will be no ceasefire for now." ;
    parley:source <source/kremlin-briefing> .
"""
BRIEFING_TEXT = "Peskov told reporters: \u201cThere will be no ceasefire for now.\u201d\n"


async def test_the_dates_are_the_starts_and_the_days_after_the_ends_of_the_seed_positions(client):
    body = (await client.get("/dates")).json()
    # Trump's campaign promise holds from 2024-01-01 until 2025-01-20, so 2025-01-21 is the first day without it.
    assert body == {"dates": ["2024-01-01", "2025-01-20", "2025-01-21", "2025-03-01", "2025-04-17", "2025-04-18"]}


async def test_the_sources_list_says_how_many_positions_quote_each(client):
    sources = (await client.get("/sources")).json()["sources"]
    assert [(s["id"], s["positions"]) for s in sources] == [(SEED, 26)]


async def test_each_quote_of_the_seed_source_is_placed_in_its_text(client):
    body = (await client.get(f"/sources/{SEED}/quotes")).json()
    assert body["source"]["id"] == SEED and body["source"]["has_text"] is True
    assert body["positions"] == 26
    quotes = body["quotes"]
    assert all(q["verified"] for q in quotes)
    assert [q["start"] for q in quotes] == sorted(q["start"] for q in quotes)
    kyiv = [q for q in quotes if q["evidence"] == "evidence:kyiv-capitulation"]
    assert {q["position"] for q in kyiv} == {"ukraine-army-size", "ukraine-nato-membership", "ukraine-territory"}
    for quote in kyiv:
        assert ARTICLE[quote["start"] : quote["end"]] == quote["quote"]
        assert quote["holder"] == "ukraine"


async def test_a_quote_is_unplaced_until_its_source_has_its_text_then_placed(writer):
    response = await writer.post("/sources", content=BRIEFING.encode(), headers={**AUTH, "Content-Type": "text/turtle"})
    assert response.status_code == 201, response.text
    (quote,) = (await writer.get("/sources/kremlin-briefing/quotes")).json()["quotes"]
    assert (quote["position"], quote["verified"], quote["start"], quote["end"]) == (
        "peskov-ceasefire",
        False,
        None,
        None,
    )
    headers = {**AUTH, "Content-Type": "text/plain; charset=utf-8"}
    assert (
        await writer.post("/sources/kremlin-briefing/text", content=BRIEFING_TEXT.encode(), headers=headers)
    ).is_success
    (quote,) = (await writer.get("/sources/kremlin-briefing/quotes")).json()["quotes"]
    # 23 characters of "Peskov told reporters: ", then the opening mark: the quote is characters 24 to 59.
    assert (quote["verified"], quote["start"], quote["end"]) == (True, 24, 59)


async def test_the_quotes_of_an_unknown_source_are_404_with_the_nearest(client):
    response = await client.get("/sources/us-may-walk-away/quotes")
    assert response.status_code == 404
    assert response.json()["nearest"] == [SEED]


CYCLE = {
    "source": {"id": "border-talks", "title": "Border talks", "issued": "2025-05-02"},
    "actors": [{"label": "Northland", "kind": "state"}, {"label": "Southland", "kind": "state"}],
    "issues": [
        {"id": "border-withdrawal", "label": "Withdrawal from the border"},
        {"id": "sanctions-relief", "label": "Sanctions relief"},
    ],
    "positions": [
        {
            "id": "northland-withdrawal",
            "holder": "northland",
            "issue": "border-withdrawal",
            "stance": "supports",
            "conditions": [{"issue": "sanctions-relief", "stance": "supports"}],
            "evidence": [{"quote": "We withdraw once the sanctions are lifted."}],
        },
        {
            "id": "southland-sanctions-relief",
            "holder": "southland",
            "issue": "sanctions-relief",
            "stance": "supports",
            "conditions": [{"issue": "border-withdrawal", "stance": "supports"}],
            "evidence": [{"quote": "Sanctions go once Northland withdraws."}],
        },
    ],
}


async def test_the_deadlocks_of_a_pair_are_those_between_their_sides(writer):
    assert (await writer.post("/ingest", json=CYCLE, headers=AUTH)).status_code == 201
    every = (await writer.get("/deadlocks", params={"as_of": "2025-05-02"})).json()["deadlocks"]
    assert [d["groups"] for d in every] == [["northland", "southland"]]
    pair = {"as_of": "2025-05-02", "a": "southland", "b": "northland"}
    between = (await writer.get("/deadlocks", params=pair)).json()
    assert [d["groups"] for d in between["deadlocks"]] == [["northland", "southland"]]
    others = (await writer.get("/deadlocks", params={**pair, "b": "russia"})).json()
    assert others["deadlocks"] == [] and others["blocked_conditions"] == []
    one = await writer.get("/deadlocks", params={"a": "northland"})
    assert one.status_code == 422 and "give both parties" in one.json()["detail"]
    unknown = await writer.get("/deadlocks", params={"a": "northland", "b": "southlnd"})
    assert unknown.status_code == 404 and unknown.json()["nearest"][0] == "southland"


async def test_a_condition_posted_after_the_pair_was_asked_about_makes_its_deadlock_in_the_next_answers(writer):
    # The whole graph's cycles are kept from one question to the next, until a write changes the graph.
    first, second = CYCLE["positions"]
    assert (await writer.post("/ingest", json={**CYCLE, "positions": [first]}, headers=AUTH)).status_code == 201
    pair = {"as_of": "2025-05-02", "a": "northland", "b": "southland"}
    assert (await writer.get("/deadlocks", params=pair)).json()["deadlocks"] == []
    settled = (await writer.get("/compromise", params=pair)).json()
    assert (settled["concessions"], settled["unsettled"]) == ([], [])
    posted = {**second, "evidence": [{**second["evidence"][0], "source": "border-talks"}]}
    assert (await writer.post("/positions", json=posted, headers=AUTH)).status_code == 201
    (found,) = (await writer.get("/deadlocks", params=pair)).json()["deadlocks"]
    assert found["groups"] == ["northland", "southland"]
    assert [p["id"] for p in found["positions"]] == ["northland-withdrawal", "southland-sanctions-relief"]
    compromise = (await writer.get("/compromise", params=pair)).json()
    assert compromise["settled"] and len(compromise["concessions"]) == 1
    assert (await writer.delete("/positions/southland-sanctions-relief", headers=AUTH)).status_code == 204
    assert (await writer.get("/deadlocks", params=pair)).json()["deadlocks"] == []
