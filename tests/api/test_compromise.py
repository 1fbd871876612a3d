"""`GET /compromise` and `parley compromise`: rule 12 over HTTP and on the command line, on the seed graph."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from api.cli import app
from graph.analysis import rules
from graph.analysis.compromise import apply_concessions, compromise
from graph.analysis.read import read_negotiation
from graph.ingest.load import open_store
from graph.report import answers

SEED_DAY = "2025-04-18"
runner = CliRunner()
pytestmark = pytest.mark.anyio


def run(*arguments: str):
    return runner.invoke(app, [*arguments, "--store", "memory"], catch_exceptions=False)


async def test_the_compromise_of_russia_and_ukraine_names_each_concession_with_its_quote(client):
    response = await client.get("/compromise", params={"a": "russia", "b": "ukraine", "as_of": SEED_DAY})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["a"], body["b"], body["as_of"], body["settled"], body["blocked_by"]) == (
        "russia",
        "ukraine",
        SEED_DAY,
        True,
        [],
    )
    seed = read_negotiation(open_store("memory"))
    for concession in body["concessions"]:
        assert concession["group"] in seed.groups_of(concession["position"]["holder"]) & {"russia", "ukraine"}
    first = body["concessions"][0]
    assert set(first) == {"group", "issue", "cost", "from", "to", "position"}
    assert first["to"] == {"stance": "neutral", "range": None}
    assert first["position"]["evidence"][0]["quote"], "the conceded position comes with its quote"
    assert body["cost"] == pytest.approx(sum(c["cost"] for c in body["concessions"]))


async def test_the_answer_settles_what_it_says_it_settles(client):
    body = (await client.get("/compromise", params={"a": "russia", "b": "ukraine", "as_of": SEED_DAY})).json()
    seed = read_negotiation(open_store("memory"))
    found = compromise(seed, "russia", "ukraine", date(2025, 4, 18))
    assert [c.position.id for c in found.concessions] == [c["position"]["id"] for c in body["concessions"]]
    assert rules.find_conflicts(apply_concessions(seed, found.concessions), "russia", "ukraine", found.as_of) == []


@pytest.mark.parametrize(
    ("params", "status", "says"),
    [
        ({"a": "rusia", "b": "ukraine"}, 404, "russia"),
        ({"a": "russia", "b": "russia"}, 422, "different groups"),
        ({"a": "russia", "b": "ukraine", "as_of": "18/04/2025"}, 422, "as_of"),
    ],
)
async def test_bad_questions_get_a_problem_that_says_what_is_wrong(client, params, status, says):
    response = await client.get("/compromise", params=params)
    assert response.status_code == status
    assert says in response.text


def test_the_command_prints_each_concession_and_its_json_is_the_http_contract():
    table = run("compromise", "russia", "ukraine", "--as-of", SEED_DAY)
    assert table.exit_code == 0
    assert "settle russia and ukraine as of 2025-04-18" in table.stdout.splitlines()[0]
    assert "concedes" in table.stdout and "to neutral" in table.stdout
    result = run("compromise", "russia", "ukraine", "--as-of", SEED_DAY, "--json")
    seed = read_negotiation(open_store("memory"))
    assert json.loads(result.stdout) == answers.compromise(seed, "russia", "ukraine", date(2025, 4, 18))


def test_all_ranks_the_pairs_in_conflict_cheapest_first():
    result = run("compromise", "--all", "--as-of", SEED_DAY, "--json")
    pairs = json.loads(result.stdout)["pairs"]
    assert ("russia", "ukraine") in {(p["a"], p["b"]) for p in pairs} | {(p["b"], p["a"]) for p in pairs}
    settled = [p["cost"] for p in pairs if p["settled"]]
    assert settled == sorted(settled)
    assert run("compromise", "--all", "--as-of", SEED_DAY).stdout.startswith(f"{len(pairs)} pair")


def test_without_two_actors_or_all_the_command_says_what_to_do():
    result = runner.invoke(app, ["compromise", "russia", "--store", "memory"])
    assert result.exit_code != 0
    assert "name two actors" in result.output
