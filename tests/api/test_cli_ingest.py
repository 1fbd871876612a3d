"""`parley actor add`, `parley issue add`, `parley issue move` and `parley ingest`, run as a user runs them."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from api.cli import app
from tests.api.test_cli_help import usage_of

runner = CliRunner()


@pytest.fixture
def store_path(tmp_path):
    return str(tmp_path / "store")


def run(store: str, *arguments: str):
    return runner.invoke(app, [*arguments, "--store", store], catch_exceptions=False)


def sparql(store: str, query: str) -> str:
    return run(store, "sparql", query).stdout.strip()


def test_actor_add_writes_an_actor_with_its_relations(store_path):
    result = run(
        store_path, "actor", "add", "Türkiye", "--kind", "state", "--alias", "Turkey", "--alias", "Ankara",
        "--same-as", "Q43", "--leverage-over", "russia", "--power", "0.4",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == "added actor turkiye: Türkiye\n"
    shown = json.loads(
        run(store_path, "sparql", "SELECT ?power WHERE { actor:turkiye parley:power ?power }", "-f", "json").stdout
    )
    assert shown["results"]["bindings"][0]["power"]["value"] == "0.4"
    assert sparql(store_path, "ASK { actor:turkiye owl:sameAs <http://www.wikidata.org/entity/Q43> }") == "true"


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (["MOSCOW", "--kind", "state"], "error: label: 'MOSCOW' is already a name of the actor russia ('Moscow')"),
        (
            ["Envoy", "--kind", "person", "--speaks-for", "rusia"],
            "error: speaks_for[0]: unknown actor 'rusia'; did you mean russia?",
        ),
        (["Envoy", "--kind", "person", "--power", "1.5"], "error: power: Input should be less than or equal to 1"),
    ],
)
def test_actor_add_refuses_saying_why_and_writes_nothing(store_path, arguments, said):
    before = run(store_path, "stats").stdout
    result = run(store_path, "actor", "add", *arguments)
    assert result.exit_code == 1 and result.stderr.splitlines()[0] == said
    assert run(store_path, "stats").stdout == before


def test_issue_add_and_move(store_path):
    added = run(
        store_path,
        "issue",
        "add",
        "Prisoner exchange",
        "--under",
        "humanitarian-measures",
        "--definition",
        "All are exchanged.",
    )
    assert (
        added.exit_code == 0
        and added.stdout == "added issue prisoner-exchange: Prisoner exchange, under humanitarian-measures\n"
    )
    moved = run(store_path, "issue", "move", "prisoner-exchange", "--under", "ceasefire", "--under", "mediation")
    assert moved.exit_code == 0 and moved.stdout == "moved issue prisoner-exchange under ceasefire, mediation\n"
    query = "SELECT ?broader WHERE { issue:prisoner-exchange skos:broader ?broader } ORDER BY ?broader"
    assert sparql(store_path, query).splitlines()[2:] == ["issue:ceasefire", "issue:mediation"]
    top = run(store_path, "issue", "move", "prisoner-exchange", "--top")
    assert top.stdout == "moved issue prisoner-exchange to the top\n"
    assert sparql(store_path, "ASK { issue:prisoner-exchange skos:broader ?any }") == "false"


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (["move", "territory", "--under", "territory-luhansk"], "territory -> territory-luhansk -> territory"),
        (["move", "territory"], "give --under BROADER (repeat it for several), or --top"),
        (["add", "Truce", "--scale", "quantity", "--unit", "days", "--under", "nowhere"], "unknown issue 'nowhere'"),
    ],
)
def test_issue_commands_refuse_saying_why(store_path, arguments, said):
    before = run(store_path, "stats").stdout
    result = run(store_path, "issue", *arguments)
    assert result.exit_code == 1 and said in result.stderr
    assert run(store_path, "stats").stdout == before


def test_ingest_writes_a_whole_document(store_path, data, tmp_path):
    shutil.copy(data / "istanbul-talks.json", tmp_path / "istanbul.json")
    result = run(store_path, "ingest", str(tmp_path / "istanbul.json"))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "ingested istanbul.json",
        "  source: istanbul-talks-2025-05-16",
        "  actors: turkiye, vladimir-medinsky, rustem-umerov",
        "  issues: thirty-day-ceasefire, withdrawal-from-four-regions, prisoner-exchange, prisoners-exchanged, "
        "leaders-meeting",
        "  positions: 9",
    ]
    conflicts = run(store_path, "conflicts", "russia", "ukraine", "--issue", "ceasefire", "--as-of", "2025-05-16")
    assert conflicts.stdout.startswith("1 conflict between russia and ukraine as of 2025-05-16\n\nthirty-day-ceasefire")
    again = run(store_path, "ingest", str(tmp_path / "istanbul.json"))
    assert again.exit_code == 1 and "18 duplicate names" in again.stderr and "nothing was written" in again.stderr


def test_ingest_names_the_json_path_of_each_mistake(store_path, data, tmp_path):
    document = json.loads((data / "istanbul-talks.json").read_text(encoding="utf-8"))
    document["positions"][2]["issue"] = "withdrawal"
    document["positions"][5]["holder"] = "umerov"
    (tmp_path / "bad.json").write_text(json.dumps(document), encoding="utf-8")
    result = run(store_path, "ingest", str(tmp_path / "bad.json"))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:3] == [
        "error: 2 problems found",
        "  - positions[2].issue: unknown issue 'withdrawal'; did you mean withdrawal-from-four-regions?",
        "  - positions[5].holder: unknown actor 'umerov'; did you mean rustem-umerov?",
    ]
    (tmp_path / "broken.json").write_text('{"positions": [', encoding="utf-8")
    broken = run(store_path, "ingest", str(tmp_path / "broken.json"))
    assert broken.exit_code == 1 and broken.stderr.startswith(f"error: {tmp_path / 'broken.json'}: Invalid JSON")


@pytest.mark.parametrize(
    ("command", "usage"),
    [
        (["actor", "add"], "actor add [OPTIONS] LABEL"),
        (["issue", "add"], "issue add [OPTIONS] LABEL"),
        (["issue", "move"], "issue move [OPTIONS] ISSUE"),
        (["ingest"], "ingest [OPTIONS] FILE"),
    ],
)
def test_the_usage_line_names_the_arguments_in_capitals(command, usage):
    assert usage_of(*command).endswith(usage)
