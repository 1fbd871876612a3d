"""The answers about the whole graph that every pair shares (deadlocks, where their cycles run, blocked
conditions) are kept in the negotiation's memo until the next change; mediators compare each third party only
where it meets a side. Kept answers equal fresh ones, a change clears them, and both equal the rules as
first written (one question per candidate, every party's every current position)."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.analysis import rules
from graph.analysis.model import Actor, AnyOf, Condition, Negotiation, Position, condition_key
from tests.analysis.test_rules import negotiation, pos
from tests.analysis.test_rules_properties import AS_OF, positions

DAY = date(2025, 6, 1)
PAIRS = [("a", "b"), ("b", "c"), ("a", "d"), ("p", "b"), ("c", "d")]
LEVERAGE = [
    Actor("a", "A"),
    Actor("b", "B"),
    Actor("c", "C", leverage_over=("a",)),
    Actor("d", "D", leverage_over=("b", "p")),
    Actor("p", "P", "person", speaks_for=("a",)),
    Actor("q", "Q", "person", speaks_for=("p",), leverage_over=("b",)),
    Actor("e", "E", member_of=("a",)),
    Actor("f", "F", leverage_over=("a", "b")),  # holds no position: a candidate by its leverage alone
]


def fresh(n: Negotiation) -> Negotiation:
    """The same negotiation with nothing kept."""
    return Negotiation(actors=n.actors, issues=n.issues, positions=dict(n.positions))


def whole_graph(n: Negotiation, as_of: date) -> tuple:
    return (
        rules.deadlocks(n, as_of),
        rules.deadlocks(n, as_of, limit=1),
        rules.deadlock_components(n, as_of),
        rules.blocked_conditions(n, as_of),
    )


#
# The rules as first written: the reference the faster ones must equal.
#


def blocked_as_written(n: Negotiation, as_of: date) -> list[rules.BlockedCondition]:
    """Rule 7's blocked conditions from every party's current position on every issue it holds one on."""
    current = {
        group: [
            chosen
            for issue in sorted(n.positions_of(group))
            if (chosen := rules.current_position(n, group, issue, as_of)) is not None
        ]
        for group in rules.top_groups(n)
    }
    red_lines: dict = defaultdict(list)
    for group, held in current.items():
        for position in held:
            if position.red_line and position.stance in ("supports", "opposes"):
                red_lines[position.issue, position.stance].append(rules.Stand(group, position.issue, position))
    opposite = {"supports": "opposes", "opposes": "supports"}
    found = []
    for group, held in current.items():
        for position in held:
            for condition in position.conditions:
                blockers: list = []
                for alternative in condition.alternatives:
                    against = [
                        s
                        for s in red_lines.get((alternative.issue, opposite.get(alternative.stance, "")), ())
                        if s.group != group
                    ]
                    if not against:
                        blockers = []
                        break
                    blockers += against
                if blockers:
                    found.append(rules.BlockedCondition(position, condition, tuple(dict.fromkeys(blockers))))
    return sorted(found, key=lambda b: (b.position.id, condition_key(b.condition)))


def mediators_as_written(n: Negotiation, a: str, b: str, as_of: date) -> list[rules.Mediator]:
    """Rule 9: every candidate's agreements and conflicts with each side, asked of find_relations."""
    excluded = n.members(a) | n.members(b) | n.groups_of(a) | n.groups_of(b)
    candidates = rules.top_groups(n) + sorted(
        actor.id for actor in n.actors.values() if not actor.speaks_for and not n.positions_of(actor.id)
    )
    ranked = []
    for candidate in candidates:
        if candidate in excluded:
            continue
        leverage = {target for member in n.members(candidate) for target in n.actors[member].leverage_over}
        reasons = []
        for side in (a, b):
            if leverage & n.groups_of(side):
                reasons.append(rules.Reason(f"has leverage over {side}", 1.0))
            conflicts, agreements = rules.find_relations(n, candidate, side, as_of)
            if agreements:
                issues = ", ".join(agreement.issue for agreement in agreements)
                reasons.append(rules.Reason(f"agrees with {side} on {issues}", 1 + min(0.5 * (len(agreements) - 1), 1)))
            if conflicts:
                issues = ", ".join(conflict.issue for conflict in conflicts)
                reasons.append(rules.Reason(f"conflicts with {side} on {issues}", -float(len(conflicts))))
        score = sum(reason.effect for reason in reasons)
        if score > 0:
            ranked.append(rules.Mediator(candidate, score, tuple(reasons)))
    return sorted(ranked, key=lambda m: (-m.score, m.group))


#
# Properties.
#


@settings(max_examples=300, deadline=None)
@given(made=positions(), dates=st.lists(st.sampled_from(AS_OF), min_size=1, max_size=4))
def test_kept_answers_equal_fresh_ones_and_the_rules_as_written(made, dates):
    n = negotiation(*made)
    for as_of in dates:  # several days asked of one memo, some twice
        kept = whole_graph(n, as_of)
        assert kept == whole_graph(n, as_of) == whole_graph(fresh(n), as_of)
        assert kept[3] == blocked_as_written(fresh(n), as_of)


@settings(max_examples=300, deadline=None)
@given(made=positions(), pair=st.sampled_from(PAIRS), as_of=st.sampled_from(AS_OF))
def test_mediators_are_those_of_asking_every_candidate(made, pair, as_of):
    n = negotiation(*made, actors=LEVERAGE)
    assert rules.mediators(n, *pair, as_of) == mediators_as_written(fresh(n), *pair, as_of)
    assert rules.mediators(n, *pair, as_of) == rules.mediators(fresh(n), *pair, as_of)  # the second from kept stands


@settings(max_examples=200, deadline=None)
@given(made=positions(), added=positions(prefix="y"), as_of=st.sampled_from(AS_OF))
def test_after_a_change_the_answers_are_those_of_the_changed_graph(made, added, as_of):
    n = negotiation(*made)
    whole_graph(n, as_of)  # kept before the change
    rules.mediators(n, "a", "b", as_of)
    n.add(added)
    changed = negotiation(*{**{p.id: p for p in made}, **{p.id: p for p in added}}.values())
    assert whole_graph(n, as_of) == whole_graph(changed, as_of)
    assert rules.mediators(n, "a", "b", as_of) == mediators_as_written(changed, "a", "b", as_of)


#
# Hand-worked cases.
#

WITHDRAW = pos("withdraw", "a", "root", conditions=(Condition("other", "supports"),))
RELIEF = pos("relief", "b", "other", conditions=(Condition("root", "supports"),))


def test_a_condition_added_after_the_deadlocks_were_asked_makes_its_deadlock_in_the_next_answer():
    n = negotiation(WITHDRAW)
    assert rules.deadlocks(n, DAY) == [] and rules.deadlock_components(n, DAY) == []
    n.add([RELIEF])  # b now waits for a's stance on root, which waits for b's on other
    (found,) = rules.deadlocks(n, DAY)
    assert (found.propositions, found.groups) == ((("other", "supports"), ("root", "supports")), ("a", "b"))
    ((nodes, made),) = rules.deadlock_components(n, DAY)
    assert nodes == {("other", "supports"), ("root", "supports")} and [p.id for p in made] == ["relief", "withdraw"]
    n.remove(["relief"])
    assert rules.deadlocks(n, DAY) == [] and rules.deadlock_components(n, DAY) == []


def test_a_red_line_added_after_the_blocked_conditions_were_asked_blocks_in_the_next_answer():
    n = negotiation(WITHDRAW)
    assert rules.blocked_conditions(n, DAY) == []
    n.add([pos("never", "c", "other", "opposes", red_line=True)])
    (found,) = rules.blocked_conditions(n, DAY)
    assert (found.position.id, [s.group for s in found.blocked_by]) == ("withdraw", ["c"])


def test_each_day_is_kept_apart():
    later = pos("relief", "b", "other", valid_from="2025-03-01", conditions=(Condition("root", "supports"),))
    n = negotiation(WITHDRAW, later)
    assert rules.deadlocks(n, date(2025, 1, 1)) == []
    assert len(rules.deadlocks(n, date(2025, 4, 1))) == 1
    assert rules.deadlocks(n, date(2025, 1, 1)) == []


def test_either_or_conditions_keep_their_cycles_when_kept():
    either = AnyOf((Condition("other", "supports"), Condition("child", "supports")))
    n = negotiation(pos("withdraw", "a", "root", conditions=(either,)), RELIEF)
    assert rules.deadlocks(n, DAY) == []  # a may go ahead once child holds, which waits for nothing
    n.add([pos("child-too", "b", "child", conditions=(Condition("root", "supports"),))])
    assert [d.propositions for d in rules.deadlocks(n, DAY)] == [
        (("child", "supports"), ("root", "supports")),
        (("other", "supports"), ("root", "supports")),
    ]


def test_two_threads_asking_together_work_the_answer_out_once():
    n = Negotiation()
    worked: list[int] = []

    def work() -> list[int]:
        worked.append(1)
        time.sleep(0.05)  # long enough for the other thread to ask meanwhile
        return [len(worked)]

    answers: list = []
    threads = [threading.Thread(target=lambda: answers.append(rules._kept(n, ("slow",), work))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert worked == [1] and answers == [[1], [1]]


def test_mediators_meet_a_side_on_an_issue_it_inherits_and_one_it_passes_down():
    # a holds root (and so child and grandchild by inheritance); c holds grandchild, d holds root's broader view
    # through child; b holds other. Only the issues where a candidate and a side meet can count.
    n = negotiation(
        pos("a-root", "a", "root"),
        pos("b-other", "b", "other"),
        pos("c-grandchild", "c", "grandchild"),
        pos("c-other", "c", "other"),
        pos("d-child", "d", "child", "opposes"),
        pos("d-other", "d", "other"),
        actors=LEVERAGE,
    )
    ranked = rules.mediators(n, "a", "b", DAY)
    assert ranked == mediators_as_written(n, "a", "b", DAY)
    assert [(m.group, m.score, [r.text for r in m.reasons]) for m in ranked] == [
        ("c", 3.0, ["has leverage over a", "agrees with a on grandchild", "agrees with b on other"]),
        ("f", 2.0, ["has leverage over a", "has leverage over b"]),
        ("d", 1.0, ["conflicts with a on child", "has leverage over b", "agrees with b on other"]),
    ]


def test_a_rejection_between_a_candidate_and_a_side_counts_as_a_conflict():
    n = negotiation(
        pos("a-other", "a", "other"),
        pos("c-other", "c", "other"),
        pos("c-root", "c", "root", rejects=("a-other",)),
        pos("d-root", "d", "root"),
        actors=LEVERAGE,
    )
    assert rules.mediators(n, "a", "d", DAY) == mediators_as_written(n, "a", "d", DAY)
    # The same stance on other, but c rejects a's position there: a conflict, and no agreement.
    (c,) = [m for m in rules.mediators(n, "a", "d", DAY) if m.group == "c"]
    assert [r.text for r in c.reasons] == ["has leverage over a", "conflicts with a on other", "agrees with d on root"]


def test_positions_are_kept_apart_from_one_another_in_a_copy():
    # A what-if copy (a compromise's concessions) has its own memo: nothing kept for the original leaks into it.
    n = negotiation(WITHDRAW, RELIEF)
    assert len(rules.deadlocks(n, DAY)) == 1
    conceded = Position("relief~conceded", "b", "other", "neutral", supersedes=("relief",))
    assert rules.deadlocks(n.with_positions([conceded]), DAY) == []
    assert len(rules.deadlocks(n, DAY)) == 1


def test_only_the_latest_answers_are_kept_and_a_dropped_one_is_worked_out_again():
    later = pos("relief", "b", "other", valid_from="2025-03-01", conditions=(Condition("root", "supports"),))
    n = negotiation(WITHDRAW, later)
    days = [date(2025, 1, 1) + timedelta(days=number) for number in range(60)]  # a slider moved day by day
    for day in days:
        whole_graph(n, day)
    assert len(n.memo[("kept",)]) == rules._KEPT
    assert whole_graph(n, days[0]) == whole_graph(fresh(n), days[0])
    assert len(rules.deadlocks(n, days[-1])) == 1 and rules.deadlocks(n, days[0]) == []
