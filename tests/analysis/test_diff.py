"""Rule 11, the diff of two parties between two days: small graphs and the seed worked out by hand, and
properties on generated negotiations (hypothesis)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.analysis import rules
from graph.analysis.diff import diff, shifts, what_became_of
from graph.analysis.read import read_negotiation
from graph.analysis.words import change_words, shift_words
from graph.errors import InvalidArgument, SameGroup
from graph.ingest.load import open_store
from tests.analysis.test_rules import negotiation, pos
from tests.analysis.test_rules_properties import positions

JANUARY, MARCH, JUNE = date(2025, 1, 1), date(2025, 3, 1), date(2025, 6, 1)


def listed(found) -> list[tuple]:
    """Each change as (issue, relation, change, what changed)."""
    return [(c.issue, c.relation, c.change, c.changed) for c in found.changes]


def causes(change) -> list[tuple]:
    return [(cause.position.id, cause.group, cause.change, cause.on) for cause in change.causes]


# --- Worked by hand ------------------------------------------------------------------------------------------


def test_a_conflict_appears_when_a_new_position_starts():
    graph = negotiation(
        pos("a-root", "a", "root", "supports"), pos("b-root", "b", "root", "opposes", valid_from="2025-03-01")
    )
    found = diff(graph, "a", "b", JANUARY, JUNE)
    assert listed(found) == [("root", "conflict", "appeared", ())]
    (change,) = found.changes
    assert change.before is None and change.after is not None
    assert (change.after.kind, change.after.a_stand.position.id, change.after.b_stand.position.id) == (
        "stance",
        "a-root",
        "b-root",
    )
    assert causes(change) == [("b-root", "b", "started", MARCH)], "a's position was there all along"
    assert change_words(graph, change) == "New conflict on Root: A supporting, B opposing."


def test_a_conflict_disappears_when_a_position_ends_by_its_date_alone():
    graph = negotiation(
        pos("a-root", "a", "root", "supports", valid_until="2025-02-15"), pos("b-root", "b", "root", "opposes")
    )
    found = diff(graph, "a", "b", JANUARY, JUNE)
    assert listed(found) == [("root", "conflict", "disappeared", ())]
    # The last day is 15 February: the first day without it, the day the change shows, is the 16th.
    assert causes(found.changes[0]) == [("a-root", "a", "ended", date(2025, 2, 16))]
    assert found.changes[0].after is None
    assert [(s.group, s.issue, s.before.id, s.after) for s in found.shifts] == [("a", "root", "a-root", None)]
    assert shift_words(graph, "a", "root", graph.positions["a-root"], None) == "A: Root, no longer supporting"
    assert listed(diff(graph, "a", "b", JANUARY, date(2025, 2, 15))) == [], "it holds through its last day"


def test_a_superseded_stance_turns_an_agreement_into_a_conflict():
    graph = negotiation(
        pos("a-1", "a", "root", "supports", valid_from="2024-06-01"),
        pos("a-2", "a", "root", "opposes", valid_from="2025-03-01", supersedes=("a-1",)),
        pos("b-root", "b", "root", "supports"),
    )
    found = diff(graph, "a", "b", JANUARY, JUNE)
    assert listed(found) == [("root", "conflict", "appeared", ()), ("root", "agreement", "disappeared", ())]
    for change in found.changes:
        assert causes(change) == [("a-1", "a", "superseded", MARCH), ("a-2", "a", "started", MARCH)]
    (shift,) = found.shifts
    assert (shift.before.id, shift.after.id) == ("a-1", "a-2")
    assert shift_words(graph, "a", "root", shift.before, shift.after) == "A: Root, from supporting to opposing"


def test_a_range_that_moves_changes_the_gap():
    # a: at most 20, then at most 40 from March; b: at least 50. The gap narrows from 30 to 10.
    graph = negotiation(
        pos("a-1", "a", "army", None, maximum=20.0, valid_from="2024-06-01"),
        pos("a-2", "a", "army", None, maximum=40.0, valid_from="2025-03-01", supersedes=("a-1",)),
        pos("b-army", "b", "army", None, minimum=50.0),
    )
    found = diff(graph, "a", "b", JANUARY, JUNE)
    assert listed(found) == [("army", "conflict", "changed", ("gap", "positions"))]
    (change,) = found.changes
    assert (change.before.gap, change.after.gap) == (30.0, 10.0)
    assert causes(change) == [("a-1", "a", "superseded", MARCH), ("a-2", "a", "started", MARCH)]
    assert change_words(graph, change) == (
        "Conflict on Army changed: gap from 30 to 10 troops; A from at most 20 to at most 40 troops."
    )


def test_a_range_of_dates_measures_its_gap_in_days():
    # a: the deal by 1 June at the latest; b: not before 11 June, then not before 4 June. 10 days apart, then 3.
    graph = negotiation(
        pos("a-army", "a", "army", None, maximum=date(2025, 6, 1)),
        pos("b-1", "b", "army", None, minimum=date(2025, 6, 11), valid_from="2024-06-01"),
        pos("b-2", "b", "army", None, minimum=date(2025, 6, 4), valid_from="2025-03-01", supersedes=("b-1",)),
    )
    (change,) = diff(graph, "a", "b", JANUARY, JUNE).changes
    assert (change.before.gap, change.after.gap) == (10, 3)
    assert change_words(graph, change) == (
        "Conflict on Army changed: gap from 10 to 3 days; B from no earlier than 2025-06-11 to no earlier than 2025-06-04."
    )


def test_an_agreement_whose_zone_changes():
    # a: 10 to 40; b: at least 30, then at least 35. The zone shrinks from [30, 40] to [35, 40].
    graph = negotiation(
        pos("a-army", "a", "army", None, minimum=10.0, maximum=40.0),
        pos("b-1", "b", "army", None, minimum=30.0, valid_from="2024-06-01"),
        pos("b-2", "b", "army", None, minimum=35.0, valid_from="2025-03-01", supersedes=("b-1",)),
    )
    found = diff(graph, "a", "b", JANUARY, JUNE)
    assert listed(found) == [("army", "agreement", "changed", ("zone", "positions"))]
    (change,) = found.changes
    assert (change.before.zone, change.after.zone) == ((30.0, 40.0), (35.0, 40.0))
    assert causes(change) == [("b-1", "b", "superseded", MARCH), ("b-2", "b", "started", MARCH)]
    assert change_words(graph, change) == (
        "Agreement on Army changed: zone from between 30 and 40 troops to between 35 and 40 troops; "
        "B from at least 30 to at least 35 troops."
    )


def test_a_restated_position_made_a_red_line_raises_the_severity():
    graph = negotiation(
        pos("a-root", "a", "root", "supports"),
        pos("b-1", "b", "root", "opposes", valid_from="2024-06-01"),
        pos("b-2", "b", "root", "opposes", red_line=True, valid_from="2025-03-01", supersedes=("b-1",)),
    )
    (change,) = diff(graph, "a", "b", JANUARY, JUNE).changes
    assert (change.change, change.changed) == ("changed", ("severity", "positions"))
    assert (change.before.severity, change.after.severity) == (0.5, 0.75)
    assert change_words(graph, change) == (
        "Conflict on Root changed: severity from 0.5 to 0.75; B from opposing to opposing (red line)."
    )


def test_a_rejection_made_on_another_issue_is_the_cause_of_the_conflict_it_makes():
    # Both support root; from March b's position on other rejects a's: the agreement becomes a conflict.
    graph = negotiation(
        pos("a-root", "a", "root", "supports"),
        pos("b-root", "b", "root", "supports"),
        pos("b-other", "b", "other", "opposes", valid_from="2025-03-01", rejects=("a-root",)),
    )
    found = diff(graph, "a", "b", JANUARY, JUNE)
    assert listed(found) == [("root", "conflict", "appeared", ()), ("root", "agreement", "disappeared", ())]
    assert causes(found.changes[0]) == [("b-other", "b", "started", MARCH)]
    assert found.changes[0].after.kinds == ("explicit",)


def test_a_rejection_that_gives_way_to_a_newer_position_no_longer_counts():
    # b's rejecting position is not ended: a newer one on its issue takes over, so it is no longer current.
    graph = negotiation(
        pos("a-root", "a", "root", "supports"),
        pos("b-1", "b", "other", "opposes", valid_from="2024-06-01", rejects=("a-root",)),
        pos("b-2", "b", "other", "opposes", valid_from="2025-03-01"),
    )
    found = diff(graph, "a", "b", JANUARY, JUNE)
    assert listed(found) == [("root", "conflict", "disappeared", ())]
    assert causes(found.changes[0]) == [("b-2", "b", "started", MARCH)]


def test_a_new_position_on_a_narrower_issue_makes_an_inherited_conflict():
    graph = negotiation(
        pos("a-root", "a", "root", "supports"), pos("b-child", "b", "child", "opposes", valid_from="2025-03-01")
    )
    (change,) = diff(graph, "a", "b", JANUARY, JUNE).changes
    assert (change.issue, change.change, change.after.kind) == ("child", "appeared", "inherited")
    assert causes(change) == [("b-child", "b", "started", MARCH)]
    assert change_words(graph, change) == "New conflict on Child: A supporting (from Root), B opposing."


def test_an_inconsistency_that_ends_is_a_change_with_its_cause():
    graph = negotiation(
        pos("a-yes", "a", "root", "supports", salience=0.8),
        pos("p-no", "p", "root", "opposes", salience=0.3, valid_until="2025-02-15"),
        pos("b-root", "b", "root", "opposes"),
    )
    (change,) = diff(graph, "a", "b", JANUARY, JUNE).changes
    # The choice (a's, the more salient) and the severity stay; only the inconsistency goes.
    assert (change.change, change.changed) == ("changed", ("inconsistent",))
    assert causes(change) == [("p-no", "a", "ended", date(2025, 2, 16))]


def test_the_diff_of_a_day_with_itself_is_empty_and_dates_must_be_in_order():
    graph = negotiation(
        pos("a-root", "a", "root", "supports", valid_until="2025-02-15"), pos("b-root", "b", "root", "opposes")
    )
    same = diff(graph, "a", "b", MARCH, MARCH)
    assert (same.changes, same.shifts) == ((), ())
    with pytest.raises(InvalidArgument, match="from: 2025-06-01 is after to"):
        diff(graph, "a", "b", JUNE, JANUARY)


def test_one_group_against_itself_is_an_error():
    graph = negotiation(pos("a-root", "a", "root", "supports"))
    with pytest.raises(SameGroup, match="both the group a"):
        diff(graph, "a", "p", JANUARY, JUNE)


def test_what_became_of_a_position_that_ended_the_day_before_its_successor_started():
    # Ended on its own first: it ended, and the successor starting later does not make it superseded.
    graph = negotiation(
        pos("a-1", "a", "root", "supports", valid_from="2024-06-01", valid_until="2025-02-15"),
        pos("a-2", "a", "root", "opposes", valid_from="2025-03-01", supersedes=("a-1",)),
    )
    assert what_became_of(graph, graph.positions["a-1"], JANUARY, JUNE) == ("ended", date(2025, 2, 16))
    assert what_became_of(graph, graph.positions["a-2"], JANUARY, JUNE) == ("started", MARCH)
    assert what_became_of(graph, graph.positions["a-2"], date(2025, 4, 1), JUNE) is None


# --- The seed graph ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed():
    return read_negotiation(open_store("memory"))


def test_on_the_seed_the_campaign_promise_ends_in_a_shift_and_nothing_else(seed):
    # Trump's promise (2024, until 20 January 2025) is superseded by a neutral stance from 20 January. No other
    # party holds a position on that issue, so no conflict or agreement changes: the US's position shifts alone.
    found = diff(seed, "us", "russia", date(2025, 1, 19), date(2025, 1, 21))
    assert found.changes == ()
    assert [(s.group, s.issue, s.before.id, s.after.id) for s in found.shifts] == [
        (
            "us",
            "war-ended-within-24-hours",
            "trump-war-ended-within-24-hours-campaign",
            "trump-war-ended-within-24-hours-moderated",
        )
    ]
    assert [(c.position.id, c.change, c.on) for c in found.shifts[0].causes] == [
        ("trump-war-ended-within-24-hours-campaign", "superseded", date(2025, 1, 20)),
        ("trump-war-ended-within-24-hours-moderated", "started", date(2025, 1, 20)),
    ]
    shift = found.shifts[0]
    said = shift_words(seed, "us", shift.issue, shift.before, shift.after)
    assert said == "United States: War ended within 24 hours, from supporting to neutral"
    assert diff(seed, "us", "russia", date(2025, 1, 21), date(2025, 3, 31)).shifts[0].issue == "ceasefire"


def test_on_the_seed_from_the_promise_to_the_talks_three_relations_appear(seed):
    # On 19 January 2025 the US holds only the campaign promise and Russia nothing. By 18 April: the US's
    # ceasefire (March) reaches the partial ceasefire Russia committed to; Vance and Peskov both support a
    # settlement; the US doubts, and Peskov affirms, Russia's good faith.
    found = diff(seed, "us", "russia", date(2025, 1, 19), date(2025, 4, 18))
    assert listed(found) == [
        ("partial-ceasefire", "agreement", "appeared", ()),
        ("peace-settlement", "agreement", "appeared", ()),
        ("russia-striving-for-peace", "conflict", "appeared", ()),
    ]
    partial, settlement, good_faith = found.changes
    assert causes(partial) == [
        ("trump-ceasefire-2025-03", "us", "started", date(2025, 3, 1)),
        ("russia-partial-ceasefire", "russia", "started", date(2025, 4, 18)),
    ]
    assert partial.after.a_stand.inherited_from == "ceasefire"
    assert causes(settlement) == [
        ("vance-peace-settlement-2025-04-18", "us", "started", date(2025, 4, 18)),
        ("peskov-peace-settlement-2025-04-18", "russia", "started", date(2025, 4, 18)),
    ]
    assert causes(good_faith) == [
        ("us-russia-striving-for-peace-reported", "us", "started", date(2025, 4, 18)),
        ("peskov-russia-striving-for-peace-2025-04-18", "russia", "started", date(2025, 4, 18)),
    ]
    assert (
        change_words(seed, good_faith)
        == "New conflict on Russia's good faith: United States opposing, Russia supporting."
    )


# --- Properties -------------------------------------------------------------------------------------------------

DAYS = [date(2024, 5, 31), date(2024, 6, 1), date(2025, 1, 1), date(2025, 2, 15), date(2025, 2, 16), JUNE]
PAIRS = st.sampled_from([("a", "b"), ("b", "c"), ("p", "b"), ("a", "e")])


def by_issue(found: list) -> dict:
    return {item.issue: item for item in found}


def summary(found: rules.Conflict | rules.Agreement) -> tuple:
    """What a change of a conflict or an agreement that holds on both days looks at."""
    grounds = tuple((s.position.id, s.inherited_from) for s in (found.a_stand, found.b_stand))
    common = (frozenset(found.conditions), found.inconsistent, grounds)
    if isinstance(found, rules.Conflict):
        return (found.kinds, found.severity, found.gap, *common)
    return (found.zone, *common)


@settings(max_examples=200, deadline=None)
@given(made=positions(), pair=PAIRS, day=st.sampled_from(DAYS))
def test_the_diff_of_a_day_with_itself_is_empty(made, pair, day):
    found = diff(negotiation(*made), *pair, day, day)
    assert (found.changes, found.shifts) == ((), ())


@settings(max_examples=300, deadline=None)
@given(made=positions(), pair=PAIRS, days=st.lists(st.sampled_from(DAYS), min_size=2, max_size=2))
def test_what_appeared_and_disappeared_is_what_find_relations_finds_on_each_day(made, pair, days):
    graph = negotiation(*made)
    start, end = sorted(days)
    found = diff(graph, *pair, start, end)
    for number, relation in enumerate(("conflict", "agreement")):
        then = by_issue(rules.find_relations(graph, *pair, start)[number])
        now = by_issue(rules.find_relations(graph, *pair, end)[number])
        mine = {c.issue: c for c in found.changes if c.relation == relation}
        assert {i for i, c in mine.items() if c.change == "appeared"} == now.keys() - then.keys()
        assert {i for i, c in mine.items() if c.change == "disappeared"} == then.keys() - now.keys()
        for issue, change in mine.items():
            assert (change.before, change.after) == (then.get(issue), now.get(issue))
            if change.change == "changed":
                assert change.changed and summary(change.before) != summary(change.after)
        for issue in (then.keys() & now.keys()) - mine.keys():
            assert summary(then[issue]) == summary(now[issue])


@settings(max_examples=300, deadline=None)
@given(made=positions(), pair=PAIRS, days=st.lists(st.sampled_from(DAYS), min_size=2, max_size=2))
def test_every_change_and_shift_has_a_cause_within_the_two_days_on_one_of_the_two_sides(made, pair, days):
    graph = negotiation(*made)
    start, end = sorted(days)
    found = diff(graph, *pair, start, end)
    for item in (*found.changes, *found.shifts):
        assert item.causes, item
        for cause in item.causes:
            assert start < cause.on <= end
            assert cause.group in pair and cause.group in graph.groups_of(cause.position.holder)
    for group in pair:
        changed = {s.issue for s in shifts(graph, group, start, end)}
        assert changed == {
            issue
            for issue in graph.positions_of(group)
            if rules.current_position(graph, group, issue, start) != rules.current_position(graph, group, issue, end)
        }


@settings(max_examples=200, deadline=None)
@given(made=positions(), pair=PAIRS, days=st.lists(st.sampled_from(DAYS), min_size=2, max_size=2))
def test_the_diff_of_b_and_a_lists_the_same_changes_as_that_of_a_and_b(made, pair, days):
    graph = negotiation(*made)
    start, end = sorted(days)
    forward = [(c.issue, c.relation, c.change) for c in diff(graph, *pair, start, end).changes]
    backward = [(c.issue, c.relation, c.change) for c in diff(graph, *reversed(pair), start, end).changes]
    assert forward == backward
