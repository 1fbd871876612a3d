"""Invariants of conflict and overlap on generated negotiations (hypothesis)."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from graph.analysis import rules
from graph.analysis.model import AnyOf, Condition, Position
from tests.analysis.test_rules import negotiation

ACTORS = ["a", "b", "a", "b", "c", "d", "p", "q", "e"]  # a and b twice: most questions are about them
BINARY_ISSUES = ["root", "child", "grandchild", "other", "mixed"]
DATES = [None, "2024-06-01", "2025-01-01", "2025-03", "2025"]
AS_OF = [date(2024, 12, 31), date(2025, 2, 1), date(2025, 6, 1)]
CONDITIONS = st.builds(Condition, st.sampled_from(BINARY_ISSUES), st.sampled_from(["supports", "opposes"]))


@st.composite
def positions(draw, holders=ACTORS, prefix="x"):
    count = draw(st.integers(0, 16))
    made = []
    for number in range(count):
        quantity = draw(st.booleans())
        fields = dict(
            salience=draw(st.sampled_from([0.0, 0.3, 0.5, 1.0])),
            red_line=draw(st.booleans()),
            valid_from=draw(st.sampled_from(DATES)),
            valid_until=draw(st.sampled_from([None, None, "2025-02-15"])),
            conditions=tuple(
                draw(st.lists(st.one_of(CONDITIONS, st.builds(AnyOf, st.tuples(CONDITIONS, CONDITIONS))), max_size=1))
            ),
        )
        if made and draw(st.integers(0, 4)) == 0:
            fields["rejects"] = (draw(st.sampled_from(made)).id,)
        if made and draw(st.integers(0, 5)) == 0:
            fields["supersedes"] = (draw(st.sampled_from(made)).id,)
        holder = draw(st.sampled_from(holders))
        if quantity:
            low = draw(st.sampled_from([None, 0.0, 10.0, 20.0]))
            high = draw(st.sampled_from([None, 5.0, 15.0, 30.0]))
            if low is not None and high is not None and low > high:
                low, high = high, low
            made.append(
                Position(
                    f"{prefix}{number}", holder, draw(st.sampled_from(["army", "army-east"])), None, low, high, **fields
                )
            )
        else:
            stance = draw(st.sampled_from(["supports", "opposes", "neutral"]))
            made.append(Position(f"{prefix}{number}", holder, draw(st.sampled_from(BINARY_ISSUES)), stance, **fields))
    return made


def plain(conflict: rules.Conflict) -> tuple:
    return (*mirrored(conflict)[:4], conflict.a_stand.position.id, conflict.b_stand.position.id)


def mirrored(conflict: rules.Conflict) -> tuple:
    """The conflict as seen from the other side: the same but for which stand is whose."""
    return (
        conflict.issue,
        conflict.kinds,
        conflict.severity,
        conflict.gap,
        conflict.b_stand.position.id,
        conflict.a_stand.position.id,
    )


pairs = st.sampled_from([("a", "b"), ("b", "c"), ("a", "d"), ("p", "b"), ("a", "e")])


@settings(max_examples=300, deadline=None)
@given(made=positions(), pair=pairs, as_of=st.sampled_from(AS_OF))
@example(  # found by a CI run: a's x0 (rejected by b's x2) and x5 (rejecting x2) both in army-east's rejections
    made=[
        Position("x0", "a", "army-east", None, salience=0.0),
        Position("x2", "b", "army-east", None, salience=0.0, rejects=("x0",)),
        Position("x5", "a", "army", None, salience=0.0, rejects=("x2",)),
    ],
    pair=("a", "b"),
    as_of=AS_OF[-1],
)
def test_conflicts_of_a_and_b_mirror_those_of_b_and_a(made, pair, as_of):
    n = negotiation(*made)
    a, b = pair
    forward = [plain(c) for c in rules.find_conflicts(n, a, b, as_of)]
    backward = [mirrored(c) for c in rules.find_conflicts(n, b, a, as_of)]
    assert forward == backward
    zones = [(g.issue, g.zone) for g in rules.find_agreements(n, a, b, as_of)]
    assert zones == [(g.issue, g.zone) for g in rules.find_agreements(n, b, a, as_of)]


@settings(max_examples=300, deadline=None)
@given(made=positions(), pair=pairs, as_of=st.sampled_from(AS_OF))
def test_no_issue_is_both_a_conflict_and_an_agreement(made, pair, as_of):
    n = negotiation(*made)
    in_conflict = {c.issue for c in rules.find_conflicts(n, *pair, as_of)}
    in_agreement = {g.issue for g in rules.find_agreements(n, *pair, as_of)}
    assert not in_conflict & in_agreement


@settings(max_examples=200, deadline=None)
@given(
    made=positions(holders=["a", "b", "p", "q"]),
    outsider=positions(holders=["c", "d"], prefix="y"),
    as_of=st.sampled_from(AS_OF),
)
def test_positions_of_an_unrelated_actor_change_nothing_for_a_and_b(made, outsider, as_of):
    # The outsider's positions may not reject ours, or they would be related.
    outsider = [replace(p, rejects=tuple(r for r in p.rejects if r.startswith("y"))) for p in outsider]
    before = negotiation(*made)
    after = negotiation(*made, *outsider)
    assert [plain(c) for c in rules.find_conflicts(before, "a", "b", as_of)] == [
        plain(c) for c in rules.find_conflicts(after, "a", "b", as_of)
    ]
    assert [(g.issue, g.zone) for g in rules.find_agreements(before, "a", "b", as_of)] == [
        (g.issue, g.zone) for g in rules.find_agreements(after, "a", "b", as_of)
    ]


@settings(max_examples=200, deadline=None)
@given(made=positions(), as_of=st.sampled_from(AS_OF))
def test_the_matrix_counts_what_find_conflicts_and_find_agreements_find(made, as_of):
    n = negotiation(*made)
    groups = ["a", "b", "c", "d", "e"]  # not p, who speaks for a: one group asked twice is an error (rule 10)
    result = rules.matrix(n, groups, as_of)
    for a in groups:
        for b in groups:
            if a != b:
                assert result[a][b] == {
                    "conflicts": len(rules.find_conflicts(n, a, b, as_of)),
                    "agreements": len(rules.find_agreements(n, a, b, as_of)),
                }, (a, b)


@given(made=positions(), as_of=st.sampled_from(AS_OF))
def test_all_relations_finds_what_asking_every_pair_finds(made, as_of):
    n = negotiation(*made)
    groups = ["a", "b", "c", "d", "e"]  # not p, who speaks for a (rule 10)
    found = {(a, b): (conflicts, agreements) for a, b, conflicts, agreements in rules.all_relations(n, groups, as_of)}
    for i, a in enumerate(groups):
        for b in groups[i + 1 :]:
            conflicts, agreements = rules.find_relations(n, a, b, as_of)
            if conflicts or agreements:
                assert found.pop((a, b)) == (conflicts, agreements), (a, b)
    assert not found, "pairs with nothing between them are not reported"


def net_weight(n, a: str, b: str, as_of: date) -> float:
    """Rule 8's net weight of two groups, from the pair's own conflicts and agreements."""
    conflicts, agreements = rules.find_relations(n, a, b, as_of)
    return sum(g.weight for g in agreements) - sum(c.severity for c in conflicts)


@settings(max_examples=300, deadline=None)
@given(made=positions(), as_of=st.sampled_from(AS_OF))
def test_no_coalition_holds_a_pair_with_a_negative_net_weight(made, as_of):
    n = negotiation(*made)
    found = rules.coalitions(n, as_of)
    grouped = [group for coalition in found.coalitions for group in coalition.members]
    assert sorted(grouped) == sorted(rules.top_groups(n))  # every group in exactly one coalition
    for coalition in found.coalitions:
        for tie in coalition.ties:
            assert tie.weight > 0 and tie.weight == pytest.approx(net_weight(n, tie.a, tie.b, as_of))
        for first, second in itertools.combinations(coalition.members, 2):
            assert net_weight(n, first, second, as_of) >= -1e-9, (first, second, coalition)
    assert rules.coalitions(n, as_of) == found
