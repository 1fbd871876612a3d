"""The analysis commands of `parley`, on the seed graph."""

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
SEED_DAY = "2025-04-18"


def run(*arguments: str):
    return runner.invoke(app, [*arguments, "--store", "memory"], catch_exceptions=False)


def test_conflicts_between_russia_and_ukraine_list_the_three_demands_with_both_quotes():
    result = run("conflicts", "russia", "ukraine", "--as-of", SEED_DAY)
    assert result.exit_code == 0
    assert result.stdout.startswith("3 conflicts between russia and ukraine")
    for issue in ("ukraine-nato-membership:", "territory:", "ukraine-army-size:"):
        block = " ".join(result.stdout.split(issue, 1)[1].split("\n\n", 1)[0].split())
        assert "Vladimir Putin has said he wants Ukraine" in block
        assert "tantamount to demanding its capitulation" in block


def test_the_json_of_conflicts_is_the_json_of_the_http_contract():
    result = run("conflicts", "russia", "ukraine", "--as-of", SEED_DAY, "--json")
    negotiation = read_negotiation(open_store("memory"))
    day = date.fromisoformat(SEED_DAY)
    expected = answers.conflicts(negotiation, "russia", "ukraine", day)
    assert json.loads(result.stdout) == expected
    assert set(expected["conflicts"][0]) >= {
        "issue",
        "issue_ancestors",
        "kind",
        "severity",
        "gap",
        "conditions",
        "a_position",
        "b_position",
    }


@pytest.mark.parametrize(
    ("command", "key"),
    [
        (["overlap", "us", "ukraine"], "agreements"),
        (["deadlocks"], "deadlocks"),
        (["coalitions"], "coalitions"),
        (["mediators", "russia", "ukraine"], "mediators"),
        (["timeline", "us"], "timeline"),
        (["matrix", "us", "russia", "ukraine"], "matrix"),
        (["inconsistencies"], "inconsistencies"),
    ],
)
def test_every_analysis_command_prints_json(command, key):
    result = run(*command, "--as-of", SEED_DAY, "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["as_of"] == SEED_DAY and key in document


def test_overlap_of_the_us_and_ukraine_includes_the_minerals_deal():
    words = " ".join(run("overlap", "us", "ukraine", "--as-of", SEED_DAY).stdout.split())
    assert "minerals-deal" in words and "memorandum of intent" in words


def test_the_us_is_the_mediator_between_russia_and_ukraine_with_its_leverage():
    result = run("mediators", "russia", "ukraine", "--as-of", SEED_DAY, "--json")
    (first, *_) = json.loads(result.stdout)["mediators"]
    assert first["actor"] == "us" and {"reason": "has leverage over russia", "effect": 1.0} in first["reasons"]
    table = run("mediators", "russia", "ukraine", "--as-of", SEED_DAY).stdout
    assert "   +1  has leverage over russia" in table


def test_the_coalitions_table_names_the_pairs_and_the_bridges():
    table = run("coalitions", "--as-of", SEED_DAY).stdout
    assert table.startswith("2 coalitions as of 2025-04-18\n  1. ukraine, us\n")
    assert "ukraine + us: net +1 (2 agreements, 0 conflicts)" in table
    assert "bridge: us, with ukraine, also agrees with russia" in table


def test_the_timeline_shows_the_superseded_campaign_promise():
    result = run("timeline", "donald-trump", "--as-of", SEED_DAY, "--json")
    statuses = {
        entry["position"]["id"]: (entry["status"], entry["ends"]) for entry in json.loads(result.stdout)["timeline"]
    }
    assert statuses["trump-war-ended-within-24-hours-campaign"] == ("superseded", "2025-01-19")
    assert statuses["trump-war-ended-within-24-hours-moderated"][0] == "current"


def test_an_unknown_actor_lists_the_nearest_known_ones():
    result = run("conflicts", "rusia", "ukraine")
    assert result.exit_code == 1 and "unknown actor 'rusia'; did you mean russia" in result.stderr


def test_an_actor_named_with_capitals_suggests_only_its_slug():
    result = run("conflicts", "Russia", "ukraine")
    assert result.exit_code == 1 and "unknown actor 'Russia'; did you mean russia?" in result.stderr


def test_a_bad_date_says_the_expected_form():
    result = run("conflicts", "russia", "ukraine", "--as-of", "18/04/2025")
    assert result.exit_code == 1 and "YYYY-MM-DD" in result.stderr


def test_before_the_demands_were_reported_there_is_no_conflict():
    result = run("conflicts", "russia", "ukraine", "--as-of", "2025-04-17", "--json")
    assert json.loads(result.stdout)["conflicts"] == []


def test_the_issue_option_keeps_the_issue_and_those_narrower():
    every = json.loads(run("conflicts", "russia", "ukraine", "--as-of", SEED_DAY, "--json").stdout)
    result = run("conflicts", "russia", "ukraine", "--as-of", SEED_DAY, "--issue", "territory")
    assert result.exit_code == 0 and result.stdout.startswith("1 conflict between russia and ukraine")
    assert "territory:" in result.stdout and len(every["conflicts"]) == 3
    unknown = run("overlap", "us", "ukraine", "--issue", "teritory")
    assert unknown.exit_code == 1 and "unknown issue 'teritory'; did you mean territory" in unknown.stderr


def test_the_tables_are_drawn_from_the_json():
    """Every position the JSON names, the table shows, with each quote's first words."""
    answer = json.loads(run("timeline", "russia", "--as-of", SEED_DAY, "--json").stdout)
    table = run("timeline", "russia", "--as-of", SEED_DAY).stdout
    assert len(table.strip().splitlines()) == 2 + len(answer["timeline"]) > 2
    for entry in answer["timeline"]:
        assert f"{entry['starts'] or '?'}" in table and entry["status"] in table
