"""The benchmark data generator: repeatable, and valid Parley data."""

from __future__ import annotations

import io
import sys
from pathlib import Path

from graph.analysis.read import read_negotiation
from graph.ingest.load import load_documents, parse_document

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import generate  # noqa: E402

SMALL = dict(positions=600, actors=20, issues=60, probe_positions=10)


def make(**changes) -> str:
    out = io.StringIO()
    generate.generate(out, **{**SMALL, **changes})
    return out.getvalue()


def test_the_same_seed_gives_the_same_graph_and_another_seed_another():
    assert make() == make()
    assert make() != make(seed=8)


def test_the_generated_graph_loads_and_has_what_was_asked(store):
    seed_positions = len(read_negotiation(store).positions)
    load_documents(store, [parse_document(make().encode(), "generated.nq")])
    negotiation = read_negotiation(store)
    generated = list(negotiation.positions.values())
    assert len(generated) == seed_positions + 600
    assert len(negotiation.positions_of("probe-a")) == 10
    assert any(negotiation.issues[i].scale == "quantity" for i in negotiation.issues if i.startswith("issue-"))
    assert any(p.conditions for p in generated) and any(negotiation.actors[a].speaks_for for a in negotiation.actors)


def test_the_probes_are_the_same_positions_whatever_the_size():
    def probe_lines(text: str) -> list[str]:
        return sorted(line for line in text.splitlines() if "probe-a-" in line.split(" ", 1)[0])

    assert probe_lines(make()) == probe_lines(make(positions=1200, actors=40))
