"""Gephi Lite's parser (npm graphology-gexf) and graphology-graphml read every export, strictly.

`make test` installs them from tests/clients/package-lock.json (`npm ci`); the parse runs under Node.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from graph.analysis.model import Actor, Issue, Negotiation, Position
from graph.analysis.read import read_negotiation
from graph.export.gephi import write_gexf, write_graphml

CLIENTS = Path(__file__).parent
GEXF = "{http://gexf.net/1.3}"
JS_TYPES = {"string": "string", "double": "number", "integer": "number", "boolean": "boolean", "liststring": "array"}
DAY = date(2025, 4, 18)


def read_with_graphology(format: str, path: Path) -> dict:
    node = shutil.which("node")
    assert node, "Node.js is needed for the client checks (see the README)"
    assert (CLIENTS / "node_modules" / "graphology-gexf").exists(), "run `make test` (it runs npm ci in tests/clients)"
    done = subprocess.run([node, str(CLIENTS / "read_export.mjs"), format, str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def hostile() -> Negotiation:
    label = "<b>A & B</b> \"q\" 'r' 🕊️ \x01 [x, y] " + "z" * 10_000
    return Negotiation(
        actors={"a": Actor("a", label), "b": Actor("b", "B")},
        issues={"i": Issue("i", label, definition=label)},
        positions={
            "p": Position("p", "a", "i", "supports", red_line=True, addressees=("b",)),
            "q": Position("q", "b", "i", "opposes"),
        },
    )


# The workbench's picture too: the heaviest edges of the actors view, without their lists of issues.
PICTURE = {"strongest": 5, "edge_issues": False}


@pytest.mark.parametrize("source", ["seed", "hostile"])
@pytest.mark.parametrize(
    "view, dynamic, options",
    [("actors", False, {}), ("actors", True, {}), ("full", False, {}), ("full", True, {}), ("actors", False, PICTURE)],
)
def test_graphology_gexf_parses_every_variant_strictly(store, tmp_path, source, view, dynamic, options):
    negotiation = read_negotiation(store) if source == "seed" else hostile()
    path = tmp_path / "export.gexf"
    write_gexf(negotiation, path, view=view, dynamic=dynamic, as_of=DAY, **options)
    root = etree.parse(str(path)).getroot()
    parsed = read_with_graphology("gexf", path)
    assert parsed["nodes"] == len(list(root.iter(f"{GEXF}node")))
    assert parsed["edges"] == len(list(root.iter(f"{GEXF}edge")))
    for class_, seen in (("node", parsed["nodeTypes"]), ("edge", parsed["edgeTypes"])):
        declared = {
            a.get("title"): a.get("type")
            for block in root.iter(f"{GEXF}attributes")
            if block.get("class") == class_
            for a in block
        }
        for title, kind in declared.items():
            if title in seen:
                assert seen[title] == JS_TYPES[kind], (class_, title, kind, seen[title])


@pytest.mark.parametrize("view", ["actors", "full"])
def test_graphology_graphml_reads_the_graphml_export(store, tmp_path, view):
    negotiation = read_negotiation(store)
    path = tmp_path / "export.graphml"
    write_graphml(negotiation, path, view=view, as_of=DAY)
    root = etree.parse(str(path)).getroot()
    parsed = read_with_graphology("graphml", path)
    namespace = "{http://graphml.graphdrawing.org/xmlns}"
    assert parsed["nodes"] == len(list(root.iter(f"{namespace}node"))) > 2
    assert parsed["edges"] == len(list(root.iter(f"{namespace}edge"))) > 2
    assert parsed["nodeTypes"]["label"] == "string" and parsed["edgeTypes"]["weight"] == "number"
