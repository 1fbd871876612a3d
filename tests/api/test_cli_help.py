"""`parley --help` and every command's help name arguments and flags as the README writes them."""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from api.cli import app

runner = CliRunner()
COMMANDS = sorted(typer.main.get_command(app).commands)


def help_of(*command: str) -> str:
    # A wide terminal, so that no line is cut and the usage line is whole.
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def usage_of(*command: str) -> str:
    line = next(line for line in help_of(*command).splitlines() if "Usage:" in line)
    return line.split("Usage:", 1)[1].strip()


@pytest.mark.parametrize(
    ("command", "usage"),
    [
        ("conflicts", "conflicts [OPTIONS] A B"),
        ("overlap", "overlap [OPTIONS] A B"),
        ("mediators", "mediators [OPTIONS] A B"),
        ("timeline", "timeline [OPTIONS] ACTOR"),
        ("matrix", "matrix [OPTIONS] ACTORS..."),
        ("load", "load [OPTIONS] FILES..."),
        ("validate", "validate [OPTIONS] FILES..."),
        ("sparql", "sparql [OPTIONS] QUERY"),
        ("export", "export [OPTIONS] KIND"),
        ("stats", "stats [OPTIONS]"),
    ],
)
def test_the_usage_line_names_the_arguments_in_capitals_without_braces(command, usage):
    assert usage_of(command).endswith(usage)


@pytest.mark.parametrize("command", [[], *[[name] for name in COMMANDS]])
def test_no_flag_is_shown_taking_a_value(command):
    text = help_of(*command)
    assert "<bool>" not in text
    flags = [line for line in text.splitlines() if re.search(r"--(help|json|dynamic)\b", line)]
    assert flags, text
    for line in flags:
        assert "<" not in line.split("--", 1)[1].split("  ", 1)[0], line


@pytest.mark.parametrize("command", COMMANDS)
def test_no_argument_is_shown_in_braces_or_as_declared_in_python(command):
    text = help_of(command)
    assert not re.search(r"\{\w+\}", text), text
    parameters = typer.main.get_command(app).commands[command].params
    for argument in (p for p in parameters if p.param_type_name == "argument"):
        assert re.search(rf"\b{argument.name.upper()}\b", usage_of(command))


def test_json_is_listed_as_a_bare_flag():
    line = next(line for line in help_of("conflicts").splitlines() if "--json" in line)
    assert re.search(r"--json\s+Print the JSON", line), line


def test_a_missing_argument_is_named_as_in_the_usage_line():
    result = runner.invoke(app, ["conflicts", "russia", "--store", "memory"], env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert "Missing argument 'B'" in result.output
