"""The `parley` command line, run as a user runs it."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from api.cli import app
from graph.errors import StoreUnavailable

runner = CliRunner()


@pytest.fixture
def store_path(tmp_path):
    return str(tmp_path / "store")


def run(*arguments: str):
    return runner.invoke(app, list(arguments), catch_exceptions=False)


def test_every_command_and_option_has_help_text():
    command = typer.main.get_command(app)
    missing, pending = [], [("", command)]
    while pending:  # groups (parley actor, parley issue) and the commands in them
        prefix, group = pending.pop()
        for name, subcommand in group.commands.items():
            if not (subcommand.help or "").strip():
                missing.append(prefix + name)
            for parameter in subcommand.params:
                if not (getattr(parameter, "help", None) or "").strip():
                    missing.append(f"{prefix}{name} {parameter.name}")
            if hasattr(subcommand, "commands"):
                pending.append((f"{prefix}{name} ", subcommand))
    assert missing == []
    assert {"load", "validate", "sparql", "stats", "serve", "ingest", "actor", "issue"} <= set(command.commands)
    assert set(command.commands["issue"].commands) == {"add", "move"}


def test_stats_show_the_seed_graph(store_path):
    result = run("stats", "--store", store_path)
    assert result.exit_code == 0
    seed_line = next(line for line in result.stdout.splitlines() if "us-may-walk-away" in line)
    assert seed_line.split()[4] == "26"  # positions


def test_load_then_query(store_path, data):
    result = run("load", str(data / "valid-position.ttl"), "--store", store_path)
    assert result.exit_code == 0, result.output
    assert "loaded" in result.stdout and "graph/source/valid-position" in result.stdout
    again = run("load", str(data / "valid-position.ttl"), "--store", store_path)
    assert "skipped" in again.stdout
    query = "SELECT ?holder WHERE { position:test-france-ceasefire parley:holder ?holder }"
    table = run("sparql", query, "--store", store_path)
    assert table.exit_code == 0 and "actor:france" in table.stdout


def test_load_into_a_named_graph(store_path, data):
    result = run(
        "load",
        str(data / "valid-position.ttl"),
        "--graph",
        "https://w3id.org/parley/graph/source/elsewhere",
        "--store",
        store_path,
    )
    assert "graph/source/elsewhere" in result.stdout


def test_a_bad_file_is_reported_and_nothing_is_loaded(store_path, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix parley: <https://w3id.org/parley#> .\n<position/p> a parley:Position ; parley:stanse parley:Supports .\n"
    )
    before = run("stats", "--store", store_path).stdout
    result = run("load", str(bad), "--store", store_path)
    assert result.exit_code == 1
    assert "bad.ttl" in result.stderr and "did you mean parley:stance" in result.stderr
    assert "nothing was loaded" in result.stderr
    assert run("stats", "--store", store_path).stdout == before


def test_validate_checks_without_loading(store_path, data):
    result = run("validate", str(data / "valid-position.ttl"), "--store", store_path)
    assert result.exit_code == 0 and "valid:" in result.stdout
    rerun = run("sparql", "ASK { position:test-france-ceasefire ?p ?o }", "--store", store_path)
    assert rerun.stdout.strip() == "false"


@pytest.mark.parametrize(
    ("format", "check"),
    [
        ("json", lambda out: json.loads(out)["results"]["bindings"][0]["label"]["value"] == "Russia"),
        ("csv", lambda out: out.splitlines()[0].strip() == "label" and out.splitlines()[1].strip() == "Russia"),
        ("table", lambda out: out.splitlines()[0].strip() == "label" and "'Russia'" in out),
    ],
)
def test_sparql_formats(store_path, format, check):
    result = run(
        "sparql", "SELECT ?label WHERE { actor:russia rdfs:label ?label }", "--format", format, "--store", store_path
    )
    assert result.exit_code == 0 and check(result.stdout), result.stdout


def test_sparql_from_a_file_and_construct(store_path, tmp_path):
    query = tmp_path / "q.rq"
    query.write_text("CONSTRUCT { ?a parley:speaksFor actor:russia } WHERE { ?a parley:speaksFor actor:russia }")
    result = run("sparql", f"@{query}", "--store", store_path)
    assert result.exit_code == 0 and "vladimir-putin" in result.stdout and "dmitry-peskov" in result.stdout


def test_sparql_honours_the_querys_from_and_from_named(store_path):
    ontology = "<https://w3id.org/parley/graph/ontology>"

    def count(query: str) -> int:
        result = run("sparql", query, "--format", "json", "--store", store_path)
        assert result.exit_code == 0, result.output
        return int(json.loads(result.stdout)["results"]["bindings"][0]["n"]["value"])

    def count_from(dataset: str) -> int:
        return count(f"SELECT (COUNT(*) AS ?n) {dataset} WHERE {{ ?s ?p ?o }}")

    in_ontology = count(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ontology} {{ ?s ?p ?o }} }}")
    assert count_from("") > count_from(f"FROM {ontology}") == in_ontology > 0
    assert count_from("FROM <urn:nothing>") == 0 and count_from(f"FROM NAMED {ontology}") == 0
    graphs = f"SELECT DISTINCT ?g FROM NAMED {ontology} FROM NAMED <urn:nothing> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    named = run("sparql", graphs, "--format", "csv", "--store", store_path)
    assert named.stdout.split() == ["g", ontology[1:-1]]


def test_sparql_syntax_error(store_path):
    result = run("sparql", "SELECT WHERE {", "--store", store_path)
    assert result.exit_code == 1 and "SPARQL syntax error" in result.stderr


def test_an_unknown_output_format_is_refused(store_path):
    result = run("sparql", "ASK {}", "--format", "yaml", "--store", store_path)
    assert result.exit_code == 1 and "table, json or csv" in result.stderr


def test_a_load_whose_refresh_fails_says_the_documents_are_in(store_path, data, monkeypatch):
    import graph.ingest.load

    def fail(*arguments, **options):
        raise StoreUnavailable("the store at http://example.invalid is unreachable: timed out")

    run("stats", "--store", store_path)  # seeded before the failure is arranged
    monkeypatch.setattr(graph.ingest.load, "refresh_derived", fail)
    result = run("load", str(data / "valid-position.ttl"), "--store", store_path)
    assert result.exit_code == 1
    assert "unreachable" in result.stderr and "the documents were loaded" in result.stderr
    assert "nothing was loaded" not in result.stderr
    monkeypatch.undo()
    # Opened again, the store holds the position and its derived graph is rebuilt.
    query = "SELECT ?stand WHERE { ?stand parley:position position:test-france-ceasefire }"
    assert "stand/france/ceasefire" in run("sparql", query, "--store", store_path).stdout
