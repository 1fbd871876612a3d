"""Sources' texts over HTTP: given, replaced, read back, and every quote posted checked against them."""

from __future__ import annotations

import hashlib

import pytest

from graph.store.namespaces import SEEDS_DIR
from tests.api.conftest import AUTH

pytestmark = pytest.mark.anyio

SEED = "us-may-walk-away-2025-04-18"
ARTICLE = (SEEDS_DIR / f"{SEED}.txt").read_bytes().decode("utf-8")
TEXT = {**AUTH, "Content-Type": "text/plain; charset=utf-8"}
MADE_UP = {
    "id": "russia-no-dialogue",
    "holder": "russia",
    "issue": "us-russia-dialogue",
    "stance": "opposes",
    "evidence": [{"quote": "Moscow has rejected any dialogue with Washington.", "source": SEED}],
}
BRIEFING = """
@prefix parley: <https://w3id.org/parley#> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
<source/kremlin-briefing> a parley:Source ; dcterms:title "Kremlin briefing" {declared} .
<position/peskov-ceasefire> a parley:Position ; parley:holder <actor/dmitry-peskov> ; parley:issue <issue/ceasefire> ;
    parley:stance parley:Opposes ; prov:wasDerivedFrom <evidence/peskov-briefing> .
<evidence/peskov-briefing> a parley:Evidence ; parley:quote "There will be no ceasefire for now." ;
    parley:source <source/kremlin-briefing> .
"""
BRIEFING_TEXT = "Peskov told reporters: \u201cThere will be no ceasefire for now.\u201d\n"


def _dump(client) -> set[bytes]:
    return set(client.app.state.workspace.store.dump().splitlines())


async def _upload_briefing(writer, declared: str = "") -> dict:
    response = await writer.post(
        "/sources", content=BRIEFING.format(declared=declared).encode(), headers={**AUTH, "Content-Type": "text/turtle"}
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_made_up_quote_attached_to_the_seed_source_is_refused_naming_the_closest_passage(writer):
    before = _dump(writer)
    response = await writer.post("/positions", json=MADE_UP, headers=AUTH)
    assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "https://w3id.org/parley/problems/quote-not-found"
    assert problem["quotes"] == [
        {
            "evidence": "evidence:russia-no-dialogue-1",
            "source": SEED,
            "quote": "Moscow has rejected any dialogue with Washington.",
            "closest": "that Moscow remained open to dialogue with Washington",
        }
    ]
    assert problem["detail"] == (
        "position russia-no-dialogue: 1 quote is not in its source's text\n"
        "  - evidence:russia-no-dialogue-1: “Moscow has rejected any dialogue with Washington.” is not in the text "
        f"of source {SEED}; the closest passage is “that Moscow remained open to dialogue with Washington”"
    )
    assert _dump(writer) == before
    assert (await writer.get("/positions/russia-no-dialogue")).status_code == 404


async def test_a_quote_of_the_article_is_taken_and_answered_verified(writer):
    # The article's own words, typed with a plain apostrophe where it has a typographic one.
    quote = "Mr Rubio's threats came at the start of the Easter weekend"
    body = {**MADE_UP, "stance": "supports", "evidence": [{"quote": quote, "source": SEED}]}
    response = await writer.post("/positions", json=body, headers=AUTH)
    assert response.status_code == 201, response.text
    assert [(e["quote"], e["verified"]) for e in response.json()["evidence"]] == [(quote, True)]
    again = (await writer.get("/positions/russia-no-dialogue")).json()
    assert again["evidence"][0]["verified"] is True


async def test_every_seed_quote_is_answered_verified(client):
    positions = (await client.get("/positions", params={"limit": 1000})).json()["positions"]
    evidence = [e for p in positions for e in p["evidence"]]
    assert len(evidence) >= 18 and all(e["verified"] for e in evidence)


async def test_evidence_from_a_source_without_text_is_answered_unverified_until_it_gets_one(writer):
    loaded = await _upload_briefing(writer)
    assert (loaded["verified"], loaded["unverified"]) == (0, 1)
    position = (await writer.get("/positions/peskov-ceasefire")).json()
    assert position["evidence"][0]["verified"] is False
    sources = {s["id"]: s for s in (await writer.get("/sources")).json()["sources"]}
    assert (sources["kremlin-briefing"]["has_text"], sources["kremlin-briefing"]["sha256"]) == (False, None)
    assert (sources[SEED]["has_text"], sources[SEED]["sha256"][:8]) == (True, "43083409")

    generation = (await writer.get("/health")).json()["generation"]
    response = await writer.post("/sources/kremlin-briefing/text", content=BRIEFING_TEXT.encode(), headers=TEXT)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "source": "kremlin-briefing",
        "sha256": hashlib.sha256(BRIEFING_TEXT.encode()).hexdigest(),
        "characters": 61,  # 23 before the opening mark, the 35 of the quote, the two marks and the line break
        "verified": 1,
        "replaced": False,
        "changed": True,
        "generation": generation + 1,
    }
    position = (await writer.get("/positions/peskov-ceasefire")).json()
    assert position["evidence"][0]["verified"] is True
    text = await writer.get("/sources/kremlin-briefing/text")
    assert text.status_code == 200 and text.text == BRIEFING_TEXT
    assert text.headers["content-type"] == "text/plain; charset=utf-8"


async def test_a_text_that_lacks_quotes_already_taken_is_refused_naming_them(writer):
    paragraphs = ARTICLE.split("\n")
    shorter = "\n".join(paragraphs[:6] + paragraphs[7:])  # without Peskov's paragraph
    before = _dump(writer)
    response = await writer.post(f"/sources/{SEED}/text", content=shorter.encode(), headers=TEXT)
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == "https://w3id.org/parley/problems/quote-not-found"
    assert [(q["evidence"], q["source"]) for q in problem["quotes"]] == [
        ("evidence:peskov-dialogue", SEED),
        ("evidence:peskov-progress", SEED),
    ]
    assert "lacks 2 quotes of the evidence already taken from it" in problem["detail"]
    assert _dump(writer) == before


async def test_a_text_that_keeps_every_quote_replaces_the_one_held(writer):
    longer = ARTICLE + "An update: talks resumed.\n"
    response = await writer.post(f"/sources/{SEED}/text", content=longer.encode(), headers=TEXT)
    assert response.status_code == 200, response.text
    assert {key: response.json()[key] for key in ("verified", "replaced", "changed")} == {
        "verified": 18,
        "replaced": True,
        "changed": True,
    }
    assert (await writer.get(f"/sources/{SEED}/text")).text == longer
    same = await writer.post(f"/sources/{SEED}/text", content=longer.encode(), headers=TEXT)
    assert (same.status_code, same.json()["changed"]) == (200, False)


async def test_a_text_whose_sha256_is_not_the_declared_one_is_refused(writer):
    declared = hashlib.sha256(b"The archived briefing.").hexdigest()
    await _upload_briefing(writer, f'; parley:sha256 "{declared}"')
    before = _dump(writer)
    response = await writer.post("/sources/kremlin-briefing/text", content=BRIEFING_TEXT.encode(), headers=TEXT)
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == "https://w3id.org/parley/problems/text-mismatch"
    assert (problem["source"], problem["declared"], problem["computed"]) == (
        "kremlin-briefing",
        declared,
        hashlib.sha256(BRIEFING_TEXT.encode()).hexdigest(),
    )
    assert _dump(writer) == before


async def test_an_upload_quoting_the_seed_source_wrongly_is_refused(writer):
    document = f"""
@prefix parley: <https://w3id.org/parley#> . @prefix prov: <http://www.w3.org/ns/prov#> .
<position/russia-no-dialogue> a parley:Position ; parley:holder <actor/russia> ; parley:issue <issue/us-russia-dialogue> ;
    parley:stance parley:Opposes ; prov:wasDerivedFrom <evidence/russia-no-dialogue> .
<evidence/russia-no-dialogue> a parley:Evidence ; parley:quote "Moscow has rejected any dialogue with Washington." ;
    parley:source <source/{SEED}> .
"""
    response = await writer.post(
        "/sources", params={"graph": SEED}, content=document.encode(), headers={**AUTH, "Content-Type": "text/turtle"}
    )
    assert response.status_code == 422
    assert [q["evidence"] for q in response.json()["quotes"]] == ["evidence:russia-no-dialogue"]


async def test_a_text_for_an_unknown_source_is_404_with_the_nearest(writer):
    response = await writer.post("/sources/us-may-walk-away/text", content=b"text", headers=TEXT)
    assert response.status_code == 404
    assert response.json()["nearest"] == [SEED]
    assert (await writer.get("/sources/us-may-walk-away/text")).status_code == 404


async def test_the_text_of_a_source_without_one_is_404(writer):
    await _upload_briefing(writer)
    response = await writer.get("/sources/kremlin-briefing/text")
    assert response.status_code == 404 and "holds no text" in response.json()["detail"]


@pytest.mark.parametrize(
    ("content", "content_type", "status"),
    [
        (b"text", "text/turtle", 415),
        (b"text", "text/plain; charset=latin-1", 415),
        (b"caf\xe9", "text/plain", 400),
        (b"", "text/plain", 400),
        (b"a\x00b", "text/plain", 400),
    ],
)
async def test_a_text_must_be_plain_utf8_text(writer, content, content_type, status):
    before = _dump(writer)
    response = await writer.post(
        f"/sources/{SEED}/text", content=content, headers={**AUTH, "Content-Type": content_type}
    )
    assert response.status_code == status, response.text
    assert _dump(writer) == before


async def test_a_text_needs_the_write_token(client, writer):
    assert (await client.post(f"/sources/{SEED}/text", content=b"x", headers=TEXT)).status_code == 403
    refused = await writer.post(f"/sources/{SEED}/text", content=b"x", headers={"Content-Type": "text/plain"})
    assert refused.status_code == 401


async def test_an_upload_may_not_change_the_text_a_source_holds(writer):
    document = f"""
@prefix parley: <https://w3id.org/parley#> .
<source/{SEED}> parley:text "Another article altogether." .
"""
    before = _dump(writer)
    response = await writer.post(
        "/sources", params={"graph": SEED}, content=document.encode(), headers={**AUTH, "Content-Type": "text/turtle"}
    )
    assert response.status_code == 409, response.text
    problem = response.json()
    assert (problem["type"], problem["source"]) == ("https://w3id.org/parley/problems/text-conflict", SEED)
    assert f"POST /sources/{SEED}/text" in problem["detail"]
    assert _dump(writer) == before
