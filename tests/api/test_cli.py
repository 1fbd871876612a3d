"""The `parley` command line, run as a user runs it."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from api.cli import app
from graph.errors import StoreUnavailable
from graph.ingest.load import open_store
from graph.store.namespaces import SEEDS_DIR
from tests.conftest import hearing_ctrl_c

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


def test_a_load_says_each_phase_and_its_count_on_standard_error(store_path, data):
    run("stats", "--store", store_path)  # the seed graph in first, so that only the file's load speaks
    result = run("load", str(data / "valid-position.ttl"), "--store", store_path)
    said = [line.split("] ", 1)[1] for line in result.stderr.splitlines()]
    assert said[0] == f"parsing {data / 'valid-position.ttl'}"
    assert re.fullmatch(r"  [0-9.]+ kB, [0-9,.]+ kB/s|  [0-9.]+ kB, [0-9,.]+ MB/s", said[1]), said[1]
    assert said[-2:-1] == ["working out and writing the stands"]
    assert re.fullmatch(r"  [0-9,]+ pairs, [0-9,]+ pairs/s", said[-1]), said[-1]
    assert "loaded" in result.stdout and "parsing" not in result.stdout


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


def test_a_graph_asked_for_as_csv_is_refused_before_the_query_runs(store_path):
    result = run("sparql", "CONSTRUCT WHERE { ?a a parley:Actor }", "--format", "csv", "--store", store_path)
    assert result.exit_code == 1 and "come as Turtle (--format table) or JSON-LD" in result.stderr, result.output
    assert result.stdout == ""


def test_ctrl_c_stops_a_query_that_would_run_for_hours_at_once(tmp_path):
    """Oxigraph works out a count over every triple of the seed, cubed, without coming back to Python; Ctrl-C
    still stops the command within seconds, said as such, with the shell's status for it (130)."""
    store_path = tmp_path / "store"
    open_store(store_path).close()
    query_file = tmp_path / "query.rq"
    os.mkfifo(query_file)
    command = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "sparql", f"@{query_file}", "--store", str(store_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=hearing_ctrl_c,
    )
    try:
        # The command opens the pipe to read the query once past its imports, which Ctrl-C would cut short.
        _hand_over(query_file, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", command)
        time.sleep(2.0)  # the store opened (in a tenth of that), the query under way
        assert command.poll() is None, command.communicate()
        command.send_signal(signal.SIGINT)
        stopped_at = time.monotonic()
        _, said = command.communicate(timeout=30)
    finally:
        command.kill()
    assert command.returncode == 130, said
    assert "stopped (interrupted)" in said and "Traceback" not in said, said
    assert time.monotonic() - stopped_at < 10


def test_ctrl_c_while_the_command_starts_is_said_as_during_a_command():
    """Ctrl-C during the second the command spends importing the library: no traceback, the shell's status for it."""
    command = subprocess.Popen(
        [sys.executable, "-X", "importtime", "-m", "api.launch", "stats", "--store", "memory"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=hearing_ctrl_c,
    )
    try:
        assert command.stderr is not None
        for line in command.stderr:  # -X importtime: a line as each module is imported
            if line.split("|")[-1].strip() == "pyoxigraph":  # the command line's own imports under way, far from done
                command.send_signal(signal.SIGINT)
                break
        else:
            pytest.fail("the command never imported pyoxigraph")
        _, rest = command.communicate(timeout=30)
    finally:
        command.kill()
    assert command.returncode == 130, rest
    assert rest.splitlines()[-1:] == ["stopped (interrupted)"] and "Traceback" not in rest, rest


def test_an_import_cut_short_by_ctrl_c_ends_the_command_with_status_130():
    """The same, made certain: the import of the library itself is what Ctrl-C stops."""
    interrupted = (
        "import sys\n"
        "class Interrupting:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'graph.ingest.load':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Interrupting())\n"
        "from api.launch import main\n"
        "main()\n"
    )
    command = subprocess.run([sys.executable, "-c", interrupted, "stats"], capture_output=True, text=True, timeout=60)
    assert (command.returncode, command.stderr, command.stdout) == (130, "stopped (interrupted)\n", "")


def _hand_over(pipe: Path, text: str, reader: subprocess.Popen, within: float = 60.0) -> None:
    """Write ``text`` into the named ``pipe`` once ``reader`` opens it, failing rather than waiting for ever if the
    reader ends or takes longer than ``within`` seconds to get there."""
    deadline = time.monotonic() + within
    while True:
        try:
            descriptor = os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)  # ENXIO while nobody reads it
            break
        except OSError as error:
            if error.errno != errno.ENXIO:
                raise
        if reader.poll() is not None:
            pytest.fail(f"the command ended before it read {pipe.name}: {reader.communicate()}")
        if time.monotonic() > deadline:
            pytest.fail(f"the command did not read {pipe.name} within {within:g} s")
        time.sleep(0.05)
    with os.fdopen(descriptor, "w") as written:
        written.write(text)


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
    query = "SELECT ?on WHERE { actor:france ?on position:test-france-ceasefire }"
    assert "stand:ceasefire" in run("sparql", query, "--store", store_path).stdout


SEED = "us-may-walk-away-2025-04-18"
ISTANBUL = (
    "The delegations met for two hours.\nRussia\u2019s side said a ceasefire \u2013 for now \u2013 was off the table."
)


def quoting(quote: str, source: str = SEED) -> str:
    """A Turtle document of one position of Russia's, quoting ``quote`` from ``source``."""
    return (
        "@prefix parley: <https://w3id.org/parley#> . @prefix prov: <http://www.w3.org/ns/prov#> .\n"
        "<position/russia-ceasefire-note> a parley:Position ; parley:holder <actor/russia> ; "
        "parley:issue <issue/ceasefire> ; parley:stance parley:Opposes ; prov:wasDerivedFrom <evidence/russia-note> .\n"
        f'<evidence/russia-note> a parley:Evidence ; parley:quote "{quote}" ; parley:source <source/{source}> .\n'
    )


def test_a_made_up_quote_from_the_seed_source_in_a_loaded_file_is_refused(store_path, tmp_path):
    note = tmp_path / "note.ttl"
    note.write_text(quoting("Moscow has rejected any dialogue with Washington."), encoding="utf-8")
    before = run("stats", "--store", store_path).stdout
    result = run("load", str(note), "--store", store_path)
    assert result.exit_code == 1
    said = [line for line in result.stderr.splitlines() if not line.startswith("[")]  # progress lines aside
    assert said == [
        f"error: {note}: 1 quote is not in its source's text",
        "  - evidence:russia-note: “Moscow has rejected any dialogue with Washington.” is not in the text of source "
        f"{SEED}; the closest passage is “that Moscow remained open to dialogue with Washington”",
        "nothing was loaded",
    ]
    assert run("stats", "--store", store_path).stdout == before


def test_a_source_added_with_its_text_has_every_quote_from_it_checked(store_path, tmp_path):
    report = tmp_path / "Istanbul talks.txt"
    report.write_bytes(ISTANBUL.encode())
    added = run(
        "source", "add", str(report), "--title", "Istanbul talks", "--published", "2025-05-16",
        "--publisher", "Example Wire", "--url", "https://example.org/istanbul", "--store", store_path,
    )  # fmt: skip
    sha256 = hashlib.sha256(ISTANBUL.encode()).hexdigest()
    assert added.exit_code == 0, added.output
    assert added.stdout == f"added source istanbul-talks: 96 characters, SHA-256 {sha256}\n"

    wrong, right = tmp_path / "wrong.ttl", tmp_path / "right.ttl"
    wrong.write_text(quoting("a ceasefire was on the table", "istanbul-talks"), encoding="utf-8")
    right.write_text(quoting("Russia's side said a ceasefire - for now - was off the table.", "istanbul-talks"))
    refused = run("load", str(wrong), "--store", store_path)
    assert refused.exit_code == 1 and "is not in the text of source istanbul-talks" in refused.stderr
    loaded = run("load", str(right), "--store", store_path)
    assert loaded.exit_code == 0, loaded.output
    assert loaded.stdout.rstrip().endswith("; 1 quote found in the source's text")

    again = run("source", "add", str(report), "--title", "Again", "--published", "2025-05-16", "--store", store_path)
    assert again.exit_code == 1 and "source 'istanbul-talks' exists" in again.stderr


def test_replacing_a_sources_text_is_refused_while_it_lacks_a_quote_taken_from_it(store_path, tmp_path):
    article = (SEEDS_DIR / f"{SEED}.txt").read_bytes().decode("utf-8")
    paragraphs = article.split("\n")
    shorter, longer = tmp_path / "shorter.txt", tmp_path / "longer.txt"
    shorter.write_bytes("\n".join(paragraphs[:6] + paragraphs[7:]).encode())
    longer.write_bytes(("Preface.\n" + article).encode())
    refused = run("source", "text", SEED, str(shorter), "--store", store_path)
    assert refused.exit_code == 1
    lines = refused.stderr.splitlines()
    assert lines[0].startswith(f"error: {shorter}: the text that would replace that of source {SEED} lacks 2 quotes")
    assert [line.split(":")[1].strip() for line in lines[1:3]] == ["peskov-dialogue", "peskov-progress"]
    replaced = run("source", "text", SEED, str(longer), "--store", store_path)
    assert replaced.exit_code == 0, replaced.output
    assert replaced.stdout.startswith(f"replaced the text of source {SEED}: 4,462 characters")
    assert replaced.stdout.rstrip().endswith("18 quotes of its evidence found in it")


def test_stats_count_the_evidence_from_sources_without_text(store_path, data):
    run("load", str(data / "valid-position.ttl"), "--store", store_path)
    lines = run("stats", "--store", store_path).stdout.splitlines()
    header = lines[0].split()
    assert header[5:8] == ["evidence", "unverified", "sources"]
    rows = {line.split()[0]: line.split() for line in lines[2:]}
    seed = rows[f"https://w3id.org/parley/graph/source/{SEED}"]
    valid = rows["https://w3id.org/parley/graph/source/valid-position"]
    assert (seed[5], seed[6]) == ("18", "0") and (valid[5], valid[6]) == ("1", "1")
    assert rows["total"][6] == "1"


@pytest.mark.parametrize(
    ("content", "options", "said"),
    [
        (None, [], "cannot read the file: No such file or directory"),
        (b"caf\xe9", [], "syntax error at line 1, column 4: not UTF-8 text (byte 0xe9)"),
        (b" \n", [], "the text is empty"),
        (ISTANBUL.encode(), ["--published", "16/05/2025"], "dcterms:issued is one date"),
        (ISTANBUL.encode(), ["--url", "not a url"], "url: 'not a url' is not an IRI"),
        (ISTANBUL.encode(), ["--id", "Istanbul Talks"], "id: 'Istanbul Talks': use lowercase letters"),
    ],
    ids=["missing", "not UTF-8", "empty", "bad date", "bad URL", "bad id"],
)
def test_a_source_that_cannot_be_added_is_refused_and_nothing_is_written(store_path, tmp_path, content, options, said):
    report = tmp_path / "istanbul.txt"
    if content is not None:
        report.write_bytes(content)
    before = run("stats", "--store", store_path).stdout
    arguments = ["--title", "Istanbul talks", "--published", "2025-05-16", *options]
    result = run("source", "add", str(report), *arguments, "--store", store_path)
    assert result.exit_code == 1 and said in result.stderr, result.stderr
    assert run("stats", "--store", store_path).stdout == before


def test_a_text_for_an_unknown_source_names_the_nearest(store_path, tmp_path):
    report = tmp_path / "article.txt"
    report.write_text("Some text.", encoding="utf-8")
    result = run("source", "text", "us-may-walk-away", str(report), "--store", store_path)
    assert result.exit_code == 1
    assert "us-may-walk-away" in result.stderr and SEED in result.stderr, result.stderr
