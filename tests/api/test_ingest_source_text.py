"""POST /ingest with the source's text: the source holds it, and every quote of the document is checked against it.

This is how the workbench's Drafts page writes the positions an analyst accepted or edited: the article's text,
its source record, and the positions, all or nothing.
"""

from __future__ import annotations

import pytest

from tests.api.conftest import AUTH

pytestmark = pytest.mark.anyio

TEXT = (
    "Kremlin spokesman Dmitry Peskov said on Thursday that Russia would accept a ceasefire only if Ukraine drops "
    "its ambitions to join NATO. Kyiv says those terms are unacceptable."
)
QUOTE = TEXT.split(". ")[0] + "."


def _document(quote: str = QUOTE) -> dict:
    return {
        "source": {"id": "peskov-talks", "title": "Peskov on a ceasefire", "issued": "2025-04-18", "text": TEXT},
        "positions": [
            {
                "id": "peskov-ceasefire-2025-04-17",
                "holder": "dmitry-peskov",
                "issue": "ceasefire",
                "stance": "opposes",
                "valid_from": "2025-04-17",
                "evidence": [{"quote": quote, "speaker": "dmitry-peskov", "date": "2025-04-17"}],
            }
        ],
    }


async def test_the_source_holds_the_text_sent_with_it_and_its_quotes_are_verified(writer):
    response = await writer.post("/ingest", json=_document(), headers=AUTH)
    assert response.status_code == 201, response.text
    assert response.json()["positions"] == ["peskov-ceasefire-2025-04-17"]
    sources = {source["id"]: source for source in (await writer.get("/sources")).json()["sources"]}
    assert sources["peskov-talks"]["has_text"] is True
    assert (await writer.get("/sources/peskov-talks/text")).text == TEXT
    position = (await writer.get("/positions/peskov-ceasefire-2025-04-17")).json()
    assert position["stance"] == "opposes"
    assert [(e["quote"], e["verified"]) for e in position["evidence"]] == [(QUOTE, True)]


async def test_a_quote_not_in_the_text_sent_is_refused_and_nothing_is_written(writer):
    before = (await writer.get("/sources")).json()["sources"]
    response = await writer.post("/ingest", json=_document("Russia would accept nothing."), headers=AUTH)
    assert response.status_code == 422, response.text
    assert "body.positions[0].evidence[0].quote" in response.json()["detail"]
    assert (await writer.get("/sources")).json()["sources"] == before
    assert (await writer.get("/positions/peskov-ceasefire-2025-04-17")).status_code == 404


async def test_a_text_with_a_nul_character_is_refused(writer):
    document = _document()
    document["source"]["text"] = "binary\x00data"
    response = await writer.post("/ingest", json=document, headers=AUTH)
    assert response.status_code == 422
    assert "NUL" in response.text
