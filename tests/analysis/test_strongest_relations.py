"""The heaviest conflict and agreement edges of all pairs (the actors view's picture): counted for every pair
at once, they are what working out every pair's relations in full and cutting them finds, to the float."""

from __future__ import annotations

import io
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.analysis import rules
from graph.analysis.model import Actor, Issue, Negotiation, Position
from graph.analysis.read import read_negotiation
from graph.ingest.load import load_documents, open_store, parse_document
from tests.analysis.test_rules import negotiation
from tests.analysis.test_rules_properties import AS_OF, positions

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import generate  # noqa: E402

GROUPS = ["a", "b", "c", "d", "e"]  # not p, who speaks for a (rule 10)


def cut_in_full(n: Negotiation, groups: list[str], limit: int, as_of: date) -> list[tuple]:
    """The answer worked out the long way: every pair's relations, each pair's conflicts one edge and its
    agreements another, the ``limit`` heaviest kept (the earlier on a tie), in the order they came."""
    found = list(rules.all_relations(n, groups, as_of))
    edges = [
        (-weight, number, side)
        for number, (_, _, conflicts, agreements) in enumerate(found)
        for side, (items, weight) in enumerate(
            zip((conflicts, agreements), rules.relation_weights(conflicts, agreements), strict=True)
        )
        if items
    ]
    kept = {(number, side) for _, number, side in sorted(edges)[:limit]}
    cut = [
        (a, b, conflicts if (number, 0) in kept else [], agreements if (number, 1) in kept else [])
        for number, (a, b, conflicts, agreements) in enumerate(found)
    ]
    return [found for found in cut if found[2] or found[3]]


def as_edges(found: list[tuple]) -> list[tuple]:
    """(a, b, kind, count, weight) of each list of a cut, in order."""
    return [
        (a, b, kind, len(items), weight)
        for a, b, conflicts, agreements in found
        for kind, items, weight in zip(
            ("conflict", "agreement"),
            (conflicts, agreements),
            rules.relation_weights(conflicts, agreements),
            strict=True,
        )
        if items
    ]


def heaviest(n: Negotiation, groups: list[str], limit: int, as_of: date) -> list[tuple]:
    return [(e.a, e.b, e.kind, e.count, e.weight) for e in rules.heaviest_edges(n, groups, limit, as_of)]


def same_as_in_full(n: Negotiation, groups: list[str], limit: int, as_of: date) -> None:
    expected = cut_in_full(n, groups, limit, as_of)
    assert heaviest(n, groups, limit, as_of) == as_edges(expected)
    assert rules.strongest_relations(n, groups, limit, as_of) == expected


def edge_count(found: list[tuple]) -> int:
    return sum(bool(conflicts) + bool(agreements) for _, _, conflicts, agreements in found)


def issues_of(found: list[tuple]) -> list[tuple]:
    return [
        (a, b, [c.issue for c in conflicts], [g.issue for g in agreements]) for a, b, conflicts, agreements in found
    ]


def test_the_heaviest_edges_by_hand():
    # a-b: conflict on root, (0.8 + red line 1) / 2 = 0.9; agreement on other, (0.5 + 0.7) / 2 = 0.6.
    # a-c: agreement on child (c 0.3, a inheriting its 0.8 on root), 0.55, and on other, 0.5: 1.05.
    # b-c: conflict on child (c 0.3, b inheriting its red line on root), 0.65; agreement on other, 0.6.
    n = negotiation(
        Position("1", "a", "root", "supports", salience=0.8),
        Position("2", "b", "root", "opposes", red_line=True),
        Position("3", "c", "other", "supports", salience=0.5),
        Position("4", "a", "other", "supports", salience=0.5),
        Position("5", "c", "child", "supports", salience=0.3),
        Position("6", "b", "other", "supports", salience=0.7),
    )
    day = date(2025, 6, 1)
    assert issues_of(rules.strongest_relations(n, ["a", "b", "c"], 2, day)) == [
        ("a", "b", ["root"], []),
        ("a", "c", [], ["child", "other"]),
    ]
    assert issues_of(rules.strongest_relations(n, ["a", "b", "c"], 3, day)) == [
        ("a", "b", ["root"], []),
        ("a", "c", [], ["child", "other"]),
        ("b", "c", ["child"], []),
    ]
    # a-b's agreement and b-c's weigh 0.6 each: the one that comes first stays.
    assert issues_of(rules.strongest_relations(n, ["a", "b", "c"], 4, day)) == [
        ("a", "b", ["root"], ["other"]),
        ("a", "c", [], ["child", "other"]),
        ("b", "c", ["child"], []),
    ]


def test_a_tie_goes_to_the_pair_that_comes_first():
    n = negotiation(
        Position("1", "a", "root", "supports"),
        Position("2", "b", "root", "opposes"),
        Position("3", "c", "root", "opposes"),
    )
    # a-b and a-c conflict, 0.5 each; b-c agree, 0.5: the first two come first.
    found = rules.strongest_relations(n, ["a", "b", "c"], 2, date(2025, 6, 1))
    assert [(a, b, len(conflicts), len(agreements)) for a, b, conflicts, agreements in found] == [
        ("a", "b", 1, 0),
        ("a", "c", 1, 0),
    ]
    assert rules.strongest_relations(n, ["a", "b", "c"], 0, date(2025, 6, 1)) == []


@settings(max_examples=300, deadline=None)
@given(made=positions(), as_of=st.sampled_from(AS_OF), limit=st.integers(0, 12))
def test_the_heaviest_edges_are_those_of_every_pair_worked_out_in_full(made, as_of, limit):
    n = negotiation(*made)
    same_as_in_full(n, GROUPS, limit, as_of)
    found = rules.strongest_relations(n, GROUPS, limit, as_of)
    assert edge_count(found) == min(limit, edge_count(list(rules.all_relations(n, GROUPS, as_of))))


@pytest.fixture(scope="module")
def generated() -> Negotiation:
    """A generated graph (the benchmarks' generator, small): 40 parties, 1,500 positions, broader issues."""
    out = io.StringIO()
    generate.generate(out, positions=1500, actors=40, issues=120, probe_positions=10)
    with open_store("memory") as store:
        load_documents(store, [parse_document(out.getvalue().encode(), "generated.nq")])
        return read_negotiation(store)


@pytest.mark.parametrize("limit", [0, 1, 10, 100, 300, 100_000])
def test_on_a_generated_graph(generated, limit):
    day = date(2025, 6, 1)
    groups = rules.top_groups(generated)
    assert edge_count(list(rules.all_relations(generated, groups, day))) > 300  # every limit but the last cuts
    same_as_in_full(generated, groups, limit, day)


@pytest.fixture(scope="module")
def seed() -> Negotiation:
    with open_store("memory") as store:
        return read_negotiation(store)


@pytest.mark.parametrize("day", [date(2025, 4, 17), date(2025, 5, 1)])
@pytest.mark.parametrize("limit", [1, 5, 12, 1000])
def test_on_the_seed_graph(seed, day, limit):
    same_as_in_full(seed, rules.top_groups(seed), limit, day)


def test_a_severity_rounded_up_to_a_tie_goes_to_the_pair_that_comes_first():
    # a-b conflict at 0.1234566 and c-d at 0.1234569 before rounding, both 0.123457 as severities (6 places):
    # a tie, so a-b, which comes first, is the heaviest, though the unrounded means say c-d.
    n = Negotiation(
        actors={name: Actor(name, name.upper()) for name in "abcd"},
        issues={name: Issue(name, name.upper()) for name in ("i", "j")},
        positions={
            position.id: position
            for position in (
                Position("1", "a", "i", "supports", salience=0.1234566),
                Position("2", "b", "i", "opposes", salience=0.1234566),
                Position("3", "c", "j", "supports", salience=0.1234569),
                Position("4", "d", "j", "opposes", salience=0.1234569),
            )
        },
    )
    day = date(2025, 6, 1)
    assert heaviest(n, list("abcd"), 1, day) == [("a", "b", "conflict", 1, 0.123457)]
    same_as_in_full(n, list("abcd"), 1, day)


def test_weights_are_added_in_the_order_of_the_issues_as_the_pair_lists_them():
    # a-b conflict on i1, i2, i3 at 0.1, 0.2, 0.3: added in that order, 0.6000000000000001; c-d conflict on j at
    # 0.6. c-d comes first, but a-b weighs more by that last bit: with one edge, a-b's is kept. (Added in
    # another order, 0.3 + 0.2 + 0.1, a-b would weigh 0.6 and lose the tie.)
    weights = {"i1": 0.1, "i2": 0.2, "i3": 0.3, "j": 0.6}
    made = [Position(f"a{i}", "a", i, "supports", salience=w) for i, w in weights.items() if i != "j"]
    made += [Position(f"b{i}", "b", i, "opposes", salience=w) for i, w in weights.items() if i != "j"]
    made += [Position("cj", "c", "j", "supports", salience=0.6), Position("dj", "d", "j", "opposes", salience=0.6)]
    n = Negotiation(
        actors={name: Actor(name, name.upper()) for name in "abcd"},
        issues={name: Issue(name, name.upper()) for name in weights},
        positions={position.id: position for position in made},
    )
    day = date(2025, 6, 1)
    assert heaviest(n, list("cdab"), 1, day) == [("a", "b", "conflict", 3, 0.6000000000000001)]
    assert heaviest(n, list("cdab"), 2, day) == [
        ("c", "d", "conflict", 1, 0.6),
        ("a", "b", "conflict", 3, 0.6000000000000001),
    ]
    same_as_in_full(n, list("cdab"), 1, day)


near_halves = st.builds(
    lambda n, steps: float(
        np.nextafter((n + 0.5) / 1e6, np.inf if steps > 0 else -np.inf) if steps else (n + 0.5) / 1e6
    ),
    st.integers(0, 10**7),
    st.integers(-1, 1),
)


@settings(max_examples=2000, deadline=None)
@given(means=st.lists(st.one_of(st.floats(0, 1e13, allow_nan=False), near_halves), min_size=1, max_size=20))
def test_severities_are_rounded_as_python_rounds_them(means):
    # The vectorised rounding behind the heaviest edges' weights: the same floats as round(mean, 6), one by one.
    assert rules._severities(np.array(means)).tolist() == [round(mean, 6) for mean in means]
