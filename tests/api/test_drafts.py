"""Drafts over HTTP (POST /drafts, POST /drafts/accepted) and on the command line (parley draft)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from api.cli import app
from tests.api.conftest import AUTH

ARTICLE = (
    "Russian President Vladimir Putin said on Tuesday that Russia wants a ceasefire. "
    "Ukraine will not accept a ceasefire, according to Volodymyr Zelensky."
)
TEXT = {"Content-Type": "text/plain"}


def _dump(client) -> set[bytes]:
    return set(client.app.state.workspace.store.dump().splitlines())


@pytest.mark.anyio
async def test_a_draft_writes_nothing(client):
    before = _dump(client)
    response = await client.post("/drafts?published=2025-04-18&title=Talks", content=ARTICLE.encode(), headers=TEXT)
    assert response.status_code == 200, response.text
    body = response.json()
    assert [(p["number"], p["holder"], p["group"], p["issue"], p["stance"]) for p in body["positions"]] == [
        (1, "vladimir-putin", "russia", "ceasefire", "supports"),
        (2, "volodymyr-zelensky", "ukraine", "ceasefire", "opposes"),
    ]
    assert body["positions"][0]["stated_on"] == "2025-04-15"
    assert body["source"] == {"id": "talks", "title": "Talks", "issued": "2025-04-18"}
    assert body["trig"].startswith("# Draft of source:talks")
    assert _dump(client) == before


@pytest.mark.anyio
async def test_accepting_loads_the_chosen_positions_with_the_source(writer):
    url = "/drafts/accepted?published=2025-04-18&title=Talks&accept=2"
    response = await writer.post(url, content=ARTICLE.encode(), headers={**AUTH, **TEXT})
    assert response.status_code == 201, response.text
    assert response.json()["positions"] == ["volodymyr-zelensky-ceasefire-2025-04-18"]
    position = (await writer.get("/positions/volodymyr-zelensky-ceasefire-2025-04-18")).json()
    assert position["stance"] == "opposes"
    sources = {s["id"] for s in (await writer.get("/sources")).json()["sources"]}
    assert "talks" in sources


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("url", "body", "headers", "status", "detail"),
    [
        ("/drafts?published=18-04-2025", ARTICLE.encode(), TEXT, 422, "published '18-04-2025' is not a date"),
        ("/drafts?published=2025-04-18", b"   ", TEXT, 422, "the article is empty"),
        ("/drafts?published=2025-04-18", b"caf\xe9", TEXT, 400, "not UTF-8"),
        ("/drafts?published=2025-04-18", b"Putin\x00 said so.", TEXT, 400, "not text: a NUL byte"),
        ("/drafts?published=2025-04-18", ARTICLE.encode(), {"Content-Type": "text/html"}, 415, "send text/plain"),
        (
            "/drafts/accepted?published=2025-04-18&accept=3",
            ARTICLE.encode(),
            {**AUTH, **TEXT},
            422,
            "3 is not a position",
        ),
    ],
)
async def test_errors(writer, url, body, headers, status, detail):
    before = _dump(writer)
    response = await writer.post(url, content=body, headers=headers)
    assert response.status_code == status, response.text
    assert detail in response.json()["detail"]
    assert _dump(writer) == before


@pytest.mark.anyio
async def test_accepting_needs_the_token(writer):
    response = await writer.post(
        "/drafts/accepted?published=2025-04-18&accept=1", content=ARTICLE.encode(), headers=TEXT
    )
    assert response.status_code == 401


def test_the_command_line_drafts_json_trig_and_accepts(tmp_path):
    article = tmp_path / "talks.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    store = str(tmp_path / "store")
    runner = CliRunner()
    listed = runner.invoke(app, ["draft", str(article), "--published", "2025-04-18", "--json", "--store", store])
    assert listed.exit_code == 0, listed.output
    positions = json.loads(listed.output)
    keys = "holder group speaker issue stance min max unit condition red_line kind addressee rejects supersedes"
    keys += " reported_by quote valid_from stated_on salience confidence rule new_actors new_issues"
    assert all(set(keys.split()) <= set(p) for p in positions) and len(positions) == 2
    written = runner.invoke(
        app, ["draft", str(article), "--published", "2025-04-18", "-o", str(tmp_path / "d.trig"), "--store", store]
    )
    assert written.exit_code == 0 and "drafted 2 positions" in written.output
    assert "source:talks" in (tmp_path / "d.trig").read_text(encoding="utf-8")
    accepted = runner.invoke(
        app, ["draft", str(article), "--published", "2025-04-18", "--accept", "1", "--store", store]
    )
    assert accepted.exit_code == 0, accepted.output
    assert "loaded 1 of 2 drafted positions" in accepted.output
    wrong = runner.invoke(
        app, ["draft", str(article), "--published", "2025-04-18", "--accept", "1-9", "--store", store]
    )
    assert wrong.exit_code == 1 and "9 is not a position of the draft" in wrong.output


# A demand on no known issue: a new issue is proposed, a quantity one where the number is read.
HUGE = f"Russian President Vladimir Putin demanded that Ukraine keep no more than 1{'0' * 400} reservists on duty."


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("url", "body", "status"),
    [
        ("/drafts?published=2025-04-18", HUGE, 200),
        ("/drafts/accepted?published=2025-04-18&accept=1", HUGE, 201),
        ("/drafts?published=0001-01-01", "Putin said last month that Russia wants a ceasefire.", 200),
        (
            "/drafts?published=9999-12-31",
            "Putin said on Friday that Russia wants a ceasefire, and Zelensky said the following day that Ukraine "
            "rejects a ceasefire.",
            200,
        ),
    ],
)
async def test_numbers_and_dates_at_the_limits(writer, url, body, status):
    response = await writer.post(url, content=body.encode(), headers={**AUTH, **TEXT})
    assert response.status_code == status, response.text
    assert "Infinity" not in response.text
    if body == HUGE and "/accepted" not in url:
        assert len(response.json()["positions"]) == 1


def test_the_command_line_refuses_no_number_it_cannot_write(tmp_path):
    article = tmp_path / "huge.txt"
    article.write_text(HUGE, encoding="utf-8")
    store = str(tmp_path / "store")
    runner = CliRunner()
    listed = runner.invoke(app, ["draft", str(article), "--published", "2025-04-18", "--json", "--store", store])
    assert listed.exit_code == 0 and "Infinity" not in listed.output, listed.output
    written = runner.invoke(
        app, ["draft", str(article), "--published", "2025-04-18", "-o", str(tmp_path / "d.trig"), "--store", store]
    )
    assert written.exit_code == 0, written.output
    (tmp_path / "nul.txt").write_bytes(b"Putin said\x00 so.")
    refused = runner.invoke(app, ["draft", str(tmp_path / "nul.txt"), "--published", "2025-04-18", "--store", store])
    assert refused.exit_code == 1 and "NUL byte" in refused.output
