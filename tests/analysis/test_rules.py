"""The meaning of conflict and overlap (docs/meaning.md), on small graphs worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from graph.analysis import rules
from graph.analysis.model import QUANTITY, Actor, Condition, Issue, Negotiation, Position
from graph.errors import SameGroup, UnknownActor

DAY = date(2025, 6, 1)


def negotiation(*positions: Position, actors=None, issues=None) -> Negotiation:
    """A negotiation of actors a, b, c, d (p speaks for a, q speaks for p) and issues
    root > child > grandchild (binary), other (binary), army (quantity) > army-east (quantity)."""
    actors = actors or [
        Actor("a", "A"),
        Actor("b", "B"),
        Actor("c", "C"),
        Actor("d", "D"),
        Actor("p", "P", "person", speaks_for=("a",)),
        Actor("q", "Q", "person", speaks_for=("p",)),
        Actor("e", "E", member_of=("a",)),
    ]
    issues = issues or [
        Issue("root", "Root"),
        Issue("child", "Child", broader=("root",)),
        Issue("grandchild", "Grandchild", broader=("child",)),
        Issue("other", "Other"),
        Issue("army", "Army", scale=QUANTITY, unit="troops"),
        Issue("army-east", "Army east", scale=QUANTITY, broader=("army",)),
        Issue("mixed", "Binary under a quantity", broader=("army",)),
    ]
    return Negotiation(
        actors={actor.id: actor for actor in actors},
        issues={issue.id: issue for issue in issues},
        positions={position.id: position for position in positions},
    )


def pos(id: str, holder: str, issue: str, stance: str | None = "supports", **fields) -> Position:
    return Position(id, holder, issue, stance, **fields)


def conflicts(n, a="a", b="b", as_of=DAY):
    return [(c.issue, c.kind) for c in rules.find_conflicts(n, a, b, as_of)]


def agreements(n, a="a", b="b", as_of=DAY):
    return [(g.issue, g.zone) for g in rules.find_agreements(n, a, b, as_of)]


# Rule 1: groups


def test_people_who_speak_for_a_group_count_as_the_group():
    n = negotiation(pos("1", "p", "root"), pos("2", "b", "root", "opposes"))
    assert conflicts(n) == [("root", "stance")]


def test_speaking_for_is_transitive():
    n = negotiation(pos("1", "q", "root"), pos("2", "b", "root", "opposes"))
    assert conflicts(n) == [("root", "stance")]
    assert conflicts(n, "p", "b") == [("root", "stance")]


def test_membership_does_not_merge_positions():
    n = negotiation(pos("1", "e", "root"), pos("2", "b", "root", "opposes"))
    assert conflicts(n) == []
    assert conflicts(n, "e", "b") == [("root", "stance")]


# Rule 2: the current position


def test_the_latest_position_as_of_the_date_counts():
    n = negotiation(
        pos("old", "a", "root", "supports", valid_from="2025-01-01"),
        pos("new", "a", "root", "opposes", valid_from="2025-03-01"),
        pos("b1", "b", "root", "opposes"),
    )
    assert conflicts(n, as_of=date(2025, 2, 1)) == [("root", "stance")]
    assert conflicts(n, as_of=date(2025, 4, 1)) == []
    assert agreements(n, as_of=date(2025, 4, 1)) == [("root", None)]


def test_a_position_dated_after_the_date_does_not_count_yet():
    n = negotiation(pos("1", "a", "root", valid_from="2025-07-01"), pos("2", "b", "root", "opposes"))
    assert conflicts(n) == []
    assert conflicts(n, as_of=date(2025, 7, 1)) == [("root", "stance")]


def test_the_statement_date_stands_in_for_a_missing_validity_start():
    from graph.analysis.model import Evidence

    said_early = Evidence("q", stated_on="2025-01-05")
    said_late = Evidence("q", stated_on="2025-02")
    n = negotiation(
        pos("x", "a", "root", "opposes", evidence=(said_late,)), pos("y", "a", "root", evidence=(said_early,))
    )
    assert rules.current_position(n, "a", "root", DAY).id == "x"
    assert rules.current_position(n, "a", "root", date(2025, 1, 31)).id == "y"


def test_supersession_ends_a_position_when_its_successor_starts():
    n = negotiation(
        pos("promise", "a", "root", "supports", valid_from="2024-01-01"),
        pos("revision", "a", "root", "neutral", valid_from="2025-01-20", supersedes=("promise",)),
        pos("b1", "b", "root", "opposes", valid_from="2024-01-01"),
    )
    assert conflicts(n, as_of=date(2025, 1, 19)) == [("root", "stance")]
    assert conflicts(n, as_of=date(2025, 1, 20)) == []


def test_a_superseded_position_stays_out_even_if_its_successor_is_older():
    n = negotiation(
        pos("later", "a", "root", "supports", valid_from="2025-03-01"),
        pos("correction", "a", "root", "opposes", valid_from="2025-01-01", supersedes=("later",)),
    )
    assert rules.current_position(n, "a", "root", DAY).id == "correction"


def test_a_position_holds_through_its_last_day():
    n = negotiation(pos("1", "a", "root", valid_until="2025-06-01"), pos("2", "b", "root", "opposes"))
    assert conflicts(n, as_of=date(2025, 6, 1)) == [("root", "stance")]
    assert conflicts(n, as_of=date(2025, 6, 2)) == []


def test_a_partial_end_date_runs_to_the_end_of_its_period():
    n = negotiation(pos("1", "a", "root", valid_until="2025-06"), pos("2", "b", "root", "opposes"))
    assert conflicts(n, as_of=date(2025, 6, 30)) == [("root", "stance")]
    assert conflicts(n, as_of=date(2025, 7, 1)) == []


# Rule 2: inconsistencies


def test_disagreeing_positions_on_one_day_are_an_inconsistency_resolved_by_salience():
    n = negotiation(
        pos("hawk", "p", "root", "opposes", salience=0.9, valid_from="2025-05-01"),
        pos("dove", "a", "root", "supports", salience=0.4, valid_from="2025-05-01"),
        pos("b1", "b", "root", "supports"),
    )
    (conflict,) = rules.find_conflicts(n, "a", "b", DAY)
    assert conflict.a_stand.position.id == "hawk" and conflict.inconsistent
    (found,) = rules.inconsistencies(n, DAY)
    assert (found.group, found.issue, found.chosen.id) == ("a", "root", "hawk")
    assert {p.id for p in found.positions} == {"hawk", "dove"}


def test_at_equal_salience_the_group_itself_speaks_before_its_people():
    n = negotiation(
        pos("person", "p", "root", "opposes", valid_from="2025-05-01"),
        pos("itself", "a", "root", "supports", valid_from="2025-05-01"),
    )
    assert rules.current_position(n, "a", "root", DAY).id == "itself"


# Rule 3: inheritance


def test_a_stance_applies_to_narrower_issues_as_an_inherited_conflict():
    n = negotiation(pos("1", "a", "root"), pos("2", "b", "grandchild", "opposes"))
    (conflict,) = rules.find_conflicts(n, "a", "b", DAY)
    assert (conflict.issue, conflict.kind) == ("grandchild", "inherited")
    assert conflict.a_stand.inherited_from == "root" and not conflict.b_stand.inherited


def test_the_nearest_ancestor_wins():
    n = negotiation(
        pos("1", "a", "root", "opposes"), pos("2", "a", "child", "supports"), pos("3", "b", "grandchild", "opposes")
    )
    assert conflicts(n) == [("grandchild", "inherited")]
    assert rules.stand(n, "a", "grandchild", DAY).inherited_from == "child"


def test_an_own_neutral_position_stops_inheritance():
    n = negotiation(
        pos("1", "a", "root"), pos("2", "a", "grandchild", "neutral"), pos("3", "b", "grandchild", "opposes")
    )
    assert conflicts(n) == []


def test_when_both_sides_inherit_the_conflict_is_reported_on_the_ancestor():
    n = negotiation(pos("1", "a", "root"), pos("2", "b", "root", "opposes"), pos("3", "c", "grandchild", "neutral"))
    assert conflicts(n) == [("root", "stance")]


def test_inheritance_does_not_cross_scales():
    n = negotiation(pos("1", "a", "army", None, maximum=100.0), pos("2", "b", "mixed", "opposes"))
    assert conflicts(n) == [] and agreements(n) == []


def test_ranges_are_inherited_by_narrower_quantity_issues():
    n = negotiation(pos("1", "a", "army", None, maximum=100.0), pos("2", "b", "army-east", None, minimum=150.0))
    (conflict,) = rules.find_conflicts(n, "a", "b", DAY)
    assert (conflict.issue, conflict.kind, conflict.gap) == ("army-east", "inherited", 50.0)


# Rule 4: conflicts


def test_disjoint_ranges_conflict_with_their_gap():
    n = negotiation(
        pos("1", "a", "army", None, minimum=10.0, maximum=20.0), pos("2", "b", "army", None, minimum=25.0, maximum=40.0)
    )
    (conflict,) = rules.find_conflicts(n, "a", "b", DAY)
    assert (conflict.kind, conflict.gap) == ("range", 5.0)
    (mirror,) = rules.find_conflicts(n, "b", "a", DAY)
    assert mirror.gap == 5.0


def test_open_ended_ranges_conflict_when_apart():
    n = negotiation(pos("1", "a", "army", None, minimum=10.0), pos("2", "b", "army", None, maximum=4.0))
    assert [c.gap for c in rules.find_conflicts(n, "a", "b", DAY)] == [6.0]


def test_ranges_that_touch_agree_on_one_value():
    n = negotiation(
        pos("1", "a", "army", None, minimum=10.0, maximum=20.0), pos("2", "b", "army", None, minimum=20.0, maximum=30.0)
    )
    assert conflicts(n) == [] and agreements(n) == [("army", (20.0, 20.0))]


def test_date_ranges_measure_their_gap_in_days():
    n = negotiation(
        pos("1", "a", "army", None, maximum=date(2025, 4, 20)), pos("2", "b", "army", None, minimum=date(2025, 5, 1))
    )
    assert [c.gap for c in rules.find_conflicts(n, "a", "b", DAY)] == [11]


def test_severity_is_the_mean_salience_with_a_red_line_as_one():
    n = negotiation(pos("1", "a", "root", salience=0.8), pos("2", "b", "root", "opposes", salience=0.2, red_line=True))
    assert [c.severity for c in rules.find_conflicts(n, "a", "b", DAY)] == [0.9]


def test_an_explicit_rejection_is_a_conflict_on_the_rejected_issue():
    n = negotiation(
        pos("demand", "b", "other", "supports"), pos("answer", "a", "root", "supports", rejects=("demand",))
    )
    (conflict,) = rules.find_conflicts(n, "a", "b", DAY)
    assert (conflict.issue, conflict.kind) == ("other", "explicit")
    assert (conflict.a_stand.position.id, conflict.b_stand.position.id) == ("answer", "demand")


def test_where_several_rejections_meet_on_an_issue_each_side_shows_its_position_on_the_issue_either_way_round():
    # On "other", b's "reply" rejects a's "stand", and a's "z-aside" (on root) rejects "reply": a has two
    # positions in the issue's rejections, and the one on the issue speaks for it, though "z-aside" is the greater.
    n = negotiation(
        pos("stand", "a", "other"),
        pos("reply", "b", "other", rejects=("stand",)),
        pos("z-aside", "a", "root", rejects=("reply",)),
    )
    (forward,) = rules.find_conflicts(n, "a", "b", DAY)
    (backward,) = rules.find_conflicts(n, "b", "a", DAY)
    assert (forward.issue, forward.a_stand.position.id, forward.b_stand.position.id) == ("other", "stand", "reply")
    assert (backward.a_stand.position.id, backward.b_stand.position.id) == ("reply", "stand")


def test_where_a_side_has_several_positions_off_the_issue_in_its_rejections_the_greatest_id_speaks():
    n = negotiation(
        pos("target", "b", "other"),
        pos("m", "a", "root", rejects=("target",)),
        pos("n", "a", "child", rejects=("target",)),
    )
    assert [c.a_stand.position.id for c in rules.find_conflicts(n, "a", "b", DAY)] == ["n"]
    assert [c.b_stand.position.id for c in rules.find_conflicts(n, "b", "a", DAY)] == ["n"]


def test_an_explicit_rejection_outweighs_a_shared_stance():
    n = negotiation(pos("x", "b", "other"), pos("y", "a", "other", rejects=("x",)))
    assert conflicts(n) == [("other", "explicit")] and agreements(n) == []


def test_a_rejection_of_a_position_no_longer_current_is_not_a_conflict():
    n = negotiation(pos("x", "b", "other", valid_until="2025-01-01"), pos("y", "a", "root", rejects=("x",)))
    assert conflicts(n) == []


def test_conflicts_carry_the_conditions_of_both_positions():
    condition = Condition("other", "supports", ("b",))
    n = negotiation(pos("1", "a", "root", conditions=(condition,)), pos("2", "b", "root", "opposes"))
    assert rules.find_conflicts(n, "a", "b", DAY)[0].conditions == (condition,)


# Rule 5: overlap


def test_the_same_stance_is_an_agreement_and_neutral_is_neither():
    n = negotiation(
        pos("1", "a", "root", "opposes"), pos("2", "b", "root", "opposes"), pos("3", "c", "root", "neutral")
    )
    assert agreements(n) == [("root", None)]
    assert agreements(n, "a", "c") == [] and conflicts(n, "a", "c") == []


def test_overlapping_ranges_agree_on_their_intersection():
    n = negotiation(pos("1", "a", "army", None, minimum=10.0, maximum=30.0), pos("2", "b", "army", None, minimum=20.0))
    assert agreements(n) == [("army", (20.0, 30.0))]


# Rule 7: deadlocks and blocked conditions


def test_a_cycle_of_conditions_across_two_groups_is_a_deadlock():
    n = negotiation(
        pos("1", "a", "root", conditions=(Condition("other", "supports"),)),
        pos("2", "b", "other", conditions=(Condition("root", "supports"),)),
    )
    (deadlock,) = rules.deadlocks(n, DAY)
    assert deadlock.propositions == (("other", "supports"), ("root", "supports"))
    assert deadlock.groups == ("a", "b")
    assert [p.id for p in deadlock.positions] == ["2", "1"]


def test_a_cycle_within_one_group_is_not_a_deadlock():
    n = negotiation(
        pos("1", "a", "root", conditions=(Condition("other", "supports"),)),
        pos("2", "p", "other", conditions=(Condition("root", "supports"),)),
    )
    assert rules.deadlocks(n, DAY) == []


def test_a_three_step_deadlock_is_found_once():
    n = negotiation(
        pos("1", "a", "root", conditions=(Condition("other", "opposes"),)),
        pos("2", "b", "other", "opposes", conditions=(Condition("child", "supports"),)),
        pos("3", "c", "child", conditions=(Condition("root", "supports"),)),
    )
    (deadlock,) = rules.deadlocks(n, DAY)
    assert len(deadlock.propositions) == 3 and deadlock.groups == ("a", "b", "c")


def test_a_condition_opposed_by_another_groups_red_line_is_blocked():
    n = negotiation(
        pos("1", "a", "root", conditions=(Condition("other", "supports"),)),
        pos("2", "b", "other", "opposes", red_line=True),
        pos("3", "c", "other", "opposes"),
    )
    (blocked,) = rules.blocked_conditions(n, DAY)
    assert blocked.position.id == "1" and [s.group for s in blocked.blocked_by] == ["b"]


def test_a_groups_own_red_line_does_not_block_its_condition():
    n = negotiation(
        pos("1", "a", "root", conditions=(Condition("other", "supports"),)),
        pos("2", "p", "other", "opposes", red_line=True),
    )
    assert rules.blocked_conditions(n, DAY) == []


# Rules 8 and 9: coalitions and mediators


def members(found: rules.Coalitions) -> list[tuple[str, ...]]:
    return [coalition.members for coalition in found.coalitions]


def test_coalitions_group_those_who_agree_and_repeat():
    n = negotiation(
        pos("a1", "a", "root"),
        pos("b1", "b", "root"),
        pos("a2", "a", "other"),
        pos("b2", "b", "other"),
        pos("c1", "c", "root", "opposes"),
        pos("d1", "d", "root", "opposes"),
        pos("c2", "c", "other", "opposes"),
        pos("d2", "d", "other", "opposes"),
    )
    first = rules.coalitions(n, DAY)
    assert members(first) == [("a", "b"), ("c", "d")]
    # Two agreements of salience 0.5 each: a net weight of 1.0, the pair that holds each coalition.
    assert first.coalitions[0].ties == (rules.Tie("a", "b", 1.0, 2, 0),)
    assert first.bridges == ()
    assert all(rules.coalitions(n, DAY) == first for _ in range(5))


THREE_ISSUES = [Issue("i", "I"), Issue("j", "J"), Issue("k", "K"), Issue("alone", "Alone")]


def test_two_groups_in_conflict_never_share_a_coalition_though_both_agree_with_a_third():
    """a and b conflict on i (-0.5); c agrees with a on j (+0.5) and with b on k (+1.0): c joins b, the closer,
    and bridges the two coalitions; d, on an issue of its own, agrees with nobody and stands alone."""
    n = negotiation(
        pos("a-i", "a", "i"),
        pos("b-i", "b", "i", "opposes"),
        pos("a-j", "a", "j"),
        pos("c-j", "c", "j"),
        pos("b-k", "b", "k", salience=1.0),
        pos("c-k", "c", "k", salience=1.0),
        pos("d-alone", "d", "alone"),
        issues=THREE_ISSUES,
    )
    found = rules.coalitions(n, DAY)
    assert members(found) == [("b", "c"), ("a",), ("d",)]
    assert found.coalitions[0].ties == (rules.Tie("b", "c", 1.0, 1, 0),)
    assert found.bridges == (rules.Bridge("c", (("b", "c"), ("a",)), ("b", "c")),)


def test_a_group_as_close_to_both_sides_stands_between_them():
    """As above, but c agrees with b as much as with a (+0.5 each): it joins neither, and bridges them."""
    n = negotiation(
        pos("a-i", "a", "i"),
        pos("b-i", "b", "i", "opposes"),
        pos("a-j", "a", "j"),
        pos("c-j", "c", "j"),
        pos("b-k", "b", "k"),
        pos("c-k", "c", "k"),
        issues=THREE_ISSUES,
    )
    found = rules.coalitions(n, DAY)
    assert members(found) == [("a",), ("b",), ("c",)]
    assert found.bridges == (rules.Bridge("c", (("a",), ("b",)), None),)


def test_a_pair_that_agrees_more_than_it_conflicts_stays_together():
    """a and b conflict on i (-0.5) but agree on j and k with salience 1.0 (+2.0): net +1.5, one coalition."""
    n = negotiation(
        pos("a-i", "a", "i"),
        pos("b-i", "b", "i", "opposes"),
        *(pos(f"{holder}-{issue}", holder, issue, salience=1.0) for holder in "ab" for issue in "jk"),
        issues=THREE_ISSUES,
    )
    found = rules.coalitions(n, DAY)
    assert members(found) == [("a", "b")]
    assert found.coalitions[0].ties == (rules.Tie("a", "b", 1.5, 2, 1),)


def test_mediators_are_ranked_with_their_reasons():
    actors = [
        Actor("a", "A"),
        Actor("b", "B"),
        Actor("broker", "Broker", leverage_over=("a", "b")),
        Actor("friend", "Friend"),
        Actor("partisan", "Partisan"),
    ]
    n = negotiation(
        pos("a1", "a", "root"),
        pos("b1", "b", "root", "opposes"),
        pos("a2", "a", "other"),
        pos("b2", "b", "other"),
        pos("m1", "broker", "other"),
        pos("f1", "friend", "other"),
        pos("p1", "partisan", "root"),
        pos("p2", "partisan", "other", "opposes"),
        actors=actors,
    )
    ranked = rules.mediators(n, "a", "b", DAY)
    assert [m.group for m in ranked] == ["broker", "friend"]
    assert ranked[0].score == 4.0 and ranked[1].score == 2.0
    assert [(reason.text, reason.effect) for reason in ranked[0].reasons] == [
        ("has leverage over a", 1.0),
        ("agrees with a on other", 1.0),
        ("has leverage over b", 1.0),
        ("agrees with b on other", 1.0),
    ]


def test_a_mediator_reason_says_how_much_it_lowers_the_score():
    """friend agrees with a on root and other (+1.5) and with b on other (+1), and conflicts with b on root (-1)."""
    n = negotiation(
        pos("a1", "a", "root"),
        pos("a2", "a", "other"),
        pos("b1", "b", "root", "opposes"),
        pos("b2", "b", "other"),
        pos("f1", "c", "root"),
        pos("f2", "c", "other"),
    )
    (friend,) = rules.mediators(n, "a", "b", DAY)
    assert [(reason.text, reason.effect) for reason in friend.reasons] == [
        ("agrees with a on other, root", 1.5),
        ("agrees with b on other", 1.0),
        ("conflicts with b on root", -1.0),
    ]
    assert friend.score == sum(reason.effect for reason in friend.reasons) == 1.5


@pytest.mark.parametrize(("a", "b"), [("a", "a"), ("a", "p"), ("q", "a"), ("p", "q")])
def test_asking_about_one_group_against_itself_is_an_error(a, b):
    """Rule 10: p speaks for a, q for p; all three are the group a."""
    n = negotiation(pos("a1", "a", "root"), pos("b1", "b", "root", "opposes"))
    for question in (rules.find_conflicts, rules.find_agreements, rules.mediators):
        with pytest.raises(SameGroup, match="the group a: ask about different groups"):
            question(n, a, b, DAY)
    if a != b:
        with pytest.raises(SameGroup) as raised:
            rules.matrix(n, ["b", a, b], DAY)
        assert raised.value.parameter == "actors"
    assert rules.matrix(n, ["a", "b", "a"], DAY)["a"]["b"] == {"conflicts": 1, "agreements": 0}  # a name twice is one


# Timeline, matrix and names


def test_a_timeline_shows_a_revision_ending_where_its_successor_starts():
    n = negotiation(
        pos("promise", "p", "root", valid_from="2024-01-01"),
        pos("revision", "a", "root", "neutral", valid_from="2025-01-20", supersedes=("promise",)),
    )
    entries = rules.timeline(n, "a", DAY)
    assert [(e.position.id, e.ends, e.status) for e in entries] == [
        ("promise", date(2025, 1, 19), "superseded"),
        ("revision", None, "current"),
    ]


def test_the_matrix_counts_both_ways():
    n = negotiation(pos("1", "a", "root"), pos("2", "b", "root", "opposes"), pos("3", "c", "root"))
    result = rules.matrix(n, ["a", "b", "c"], DAY)
    assert result["a"]["b"] == result["b"]["a"] == {"conflicts": 1, "agreements": 0}
    assert result["a"]["c"] == {"conflicts": 0, "agreements": 1}


def test_an_unknown_actor_names_the_nearest_known_ones():
    # Names are matched letter case aside; a single letter more ("bb") is another name, not a typo of "b".
    with pytest.raises(UnknownActor, match=r"did you mean b\?") as raised:
        rules.find_conflicts(negotiation(), "a", "B")
    assert raised.value.nearest == ["b"]


def test_adding_and_removing_positions_keeps_the_indexes_as_a_fresh_read_would():
    n = negotiation(pos("1", "a", "root"), pos("2", "b", "root", "opposes"))
    assert conflicts(n) == [("root", "stance")]  # builds the indexes and the memo
    n.add([pos("3", "p", "root", "opposes", valid_from="2025-05-01"), pos("4", "b", "other")])
    fresh = negotiation(*n.positions.values())
    # Position 3 (p speaks for a) is a's latest on root: a and b now both oppose it.
    assert conflicts(n) == conflicts(fresh) == []
    assert agreements(n) == agreements(fresh) == [("root", None)]
    n.remove(["3"])
    assert conflicts(n) == [("root", "stance")]
    assert n.positions_of("a")["root"] == [n.positions["1"]]


def test_all_relations_on_the_seed_graph_equals_asking_every_pair(store):
    from graph.analysis.read import read_negotiation

    seed = read_negotiation(store)
    groups = rules.top_groups(seed)
    day = date(2025, 4, 18)
    expected = {}
    for i, a in enumerate(groups):
        for b in groups[i + 1 :]:
            conflicts, agreements = rules.find_relations(seed, a, b, day)
            if conflicts or agreements:
                expected[(a, b)] = (conflicts, agreements)
    found = {(a, b): (c, g) for a, b, c, g in rules.all_relations(seed, groups, day)}
    assert found == expected and ("russia", "ukraine") in found
