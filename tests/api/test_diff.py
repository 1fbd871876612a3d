"""`GET /diff` and `parley diff`: rule 11 over HTTP and on the command line, on the seed graph, and their errors."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from api.cli import app
from graph.analysis.read import read_negotiation
from graph.ingest.load import open_store
from graph.report import answers

runner = CliRunner()
pytestmark = pytest.mark.anyio
PROMISE = {"a": "us", "b": "russia", "from": "2025-01-19", "to": "2025-01-21"}
TALKS = {"a": "us", "b": "russia", "from": "2025-01-19", "to": "2025-04-18"}


def run(*arguments: str):
    return runner.invoke(app, [*arguments, "--store", "memory"], catch_exceptions=False)


async def test_the_campaign_promise_ending_is_a_shift_of_the_us_and_no_change_between_the_two(client):
    response = await client.get("/diff", params=PROMISE)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["a"], body["b"], body["from"], body["to"], body["changes"]) == (
        "us",
        "russia",
        "2025-01-19",
        "2025-01-21",
        [],
    )
    (shift,) = body["shifts"]
    assert shift["text"] == "United States: War ended within 24 hours, from supporting to neutral"
    assert (shift["before"]["stance"], shift["after"]["stance"]) == ("supports", "neutral")
    assert [(c["change"], c["on"], c["position"]["id"]) for c in shift["causes"]] == [
        ("superseded", "2025-01-20", "trump-war-ended-within-24-hours-campaign"),
        ("started", "2025-01-20", "trump-war-ended-within-24-hours-moderated"),
    ]


async def test_each_change_comes_with_the_relation_on_both_days_and_the_quotes_of_its_causes(client):
    body = (await client.get("/diff", params=TALKS)).json()
    assert [(c["issue"], c["relation"], c["change"]) for c in body["changes"]] == [
        ("partial-ceasefire", "agreement", "appeared"),
        ("peace-settlement", "agreement", "appeared"),
        ("russia-striving-for-peace", "conflict", "appeared"),
    ]
    conflict = body["changes"][2]
    assert conflict["before"] is None and conflict["after"]["kind"] == "stance"
    assert conflict["text"] == "New conflict on Russia's good faith: United States opposing, Russia supporting."
    assert [c["group"] for c in conflict["causes"]] == ["us", "russia"]
    assert all(c["position"]["evidence"][0]["quote"] for c in conflict["causes"])
    assert body["changes"][0]["after"]["zone"] is None, "an agreement answers as /overlap writes it"
    seed = read_negotiation(open_store("memory"))
    assert body == answers.diff(seed, "us", "russia", date(2025, 1, 19), date(2025, 4, 18))


async def test_without_to_the_diff_runs_to_today(client):
    body = (await client.get("/diff", params={"a": "us", "b": "russia", "from": "2025-04-18"})).json()
    assert body["to"] == date.today().isoformat()


@pytest.mark.parametrize(
    ("params", "status", "member", "says"),
    [
        ({**PROMISE, "b": "rusia"}, 404, "nearest", ["russia"]),
        ({**PROMISE, "b": "donald-trump"}, 422, "detail", "b: us and donald-trump are both the group us"),
        ({**PROMISE, "from": "19/01/2025"}, 422, "parameter", "from"),
        ({**PROMISE, "to": "2025-02-30"}, 422, "parameter", "to"),
        ({**PROMISE, "from": "2025-04-18"}, 422, "detail", "from: 2025-04-18 is after to (2025-01-21)"),
        ({"a": "us", "b": "russia"}, 422, "detail", "from"),
    ],
)
async def test_bad_questions_get_a_problem_that_says_what_is_wrong(client, params, status, member, says):
    response = await client.get("/diff", params=params)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    found = response.json()[member]
    assert found == says if isinstance(says, list) else says in found, found


def test_the_command_prints_the_changes_and_shifts_and_its_json_is_the_http_contract():
    table = run("diff", "us", "russia", "--from", "2025-01-19", "--to", "2025-04-18")
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert lines[0] == "3 changes between us and russia from 2025-01-19 to 2025-04-18"
    assert "russia-striving-for-peace: conflict appeared" in lines
    assert "  started 2025-04-18: opposes (position by us)" in lines
    assert "  United States: War ended within 24 hours, from supporting to neutral" in lines
    result = run("diff", "us", "russia", "--from", "2025-01-19", "--to", "2025-04-18", "--json")
    seed = read_negotiation(open_store("memory"))
    assert json.loads(result.stdout) == answers.diff(seed, "us", "russia", date(2025, 1, 19), date(2025, 4, 18))


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["us", "rusia", "--from", "2025-01-19"], "did you mean russia?"),
        (["us", "donald-trump", "--from", "2025-01-19"], "both the group us"),
        (["us", "russia", "--from", "19.01.2025"], "--from '19.01.2025' is not a date"),
        (["us", "russia", "--from", "2025-04-18", "--to", "2025-01-19"], "is after to"),
    ],
)
def test_the_command_refuses_a_bad_question_saying_why(arguments, says):
    result = runner.invoke(app, ["diff", *arguments, "--store", "memory"])
    assert result.exit_code == 1
    assert says in result.output
