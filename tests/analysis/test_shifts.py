"""Rule 11's shifts: what a write changes of a party's current positions, worked out by hand on small graphs."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.analysis import rules
from graph.analysis.model import Actor, Issue, Negotiation, Position
from graph.analysis.shifts import additions_in_place, position_changes
from graph.analysis.words import shift_sentence

TODAY = date(2025, 7, 1)


def _negotiation(*positions: Position) -> Negotiation:
    return Negotiation(
        actors={
            "russia": Actor("russia", "Russia", "state"),
            "peskov": Actor("peskov", "Dmitry Peskov", "person", speaks_for=("russia",)),
            "ukraine": Actor("ukraine", "Ukraine", "state"),
        },
        issues={
            "army": Issue("army", "Army ceiling", scale="quantity", unit="troops"),
            "nato": Issue("nato", "NATO membership"),
        },
        positions={position.id: position for position in positions},
    )


CEILING = Position("ceiling", "peskov", "army", maximum=85000.0, valid_from="2025-01-01")


def test_a_range_moved_by_a_superseding_position_is_one_shift_of_the_party_in_words():
    before = _negotiation(CEILING)
    raised = Position("raised", "peskov", "army", maximum=600000.0, valid_from="2025-06-01", supersedes=("ceiling",))
    changes = position_changes(before, before.with_positions([raised]), TODAY, ["raised"])
    assert (changes.added, changes.superseded, changes.shift_count) == (("raised",), ("ceiling",), 1)
    (shift,) = changes.shifts
    # Peskov speaks for Russia: the shift is Russia's, the party's, not Peskov's own.
    assert (shift.group, shift.issue, shift.before, shift.after) == ("russia", "army", CEILING, raised)
    words = shift_sentence(before.with_positions([raised]), shift)
    assert words == "Russia: Army ceiling, from at most 85,000 to at most 600,000 troops"


def test_a_superseded_stance_shifts_and_a_restatement_in_the_same_terms_does_not():
    supports = Position("for", "ukraine", "nato", "supports", valid_from="2025-01-01")
    before = _negotiation(supports)
    against = Position("against", "ukraine", "nato", "opposes", valid_from="2025-06-01", supersedes=("for",))
    changed = position_changes(before, before.with_positions([against]), TODAY, ["against"])
    assert [(s.before.stance, s.after.stance) for s in changed.shifts] == [("supports", "opposes")]
    again = Position("again", "ukraine", "nato", "supports", valid_from="2025-06-01")
    restated = position_changes(before, before.with_positions([again]), TODAY, ["again"])
    assert (restated.added, restated.shift_count, restated.shifts) == (("again",), 0, ())


def test_a_position_ended_or_deleted_shifts_to_none_and_one_that_starts_later_does_not_shift_yet():
    before = _negotiation(CEILING)
    ended = Position("ceiling", "peskov", "army", maximum=85000.0, valid_from="2025-01-01", valid_until="2025-05")
    after = _negotiation(ended)
    changes = position_changes(before, after, TODAY)
    assert changes.changed == ("ceiling",)
    assert [(s.before, s.after) for s in changes.shifts] == [(CEILING, None)]
    assert shift_sentence(after, changes.shifts[0]) == "Russia: Army ceiling, no longer at most 85,000 troops"
    deleted = position_changes(before, before.without_positions(["ceiling"]), TODAY, ["ceiling"])
    assert (deleted.removed, [s.after for s in deleted.shifts]) == (("ceiling",), [None])
    later = Position("later", "ukraine", "army", minimum=250000.0, valid_from="2025-09-01")
    assert position_changes(before, before.with_positions([later]), TODAY, ["later"]).shift_count == 0


def test_an_actor_who_starts_to_speak_for_a_party_brings_its_positions_to_the_party():
    own = Position("own", "medinsky", "nato", "opposes", valid_from="2025-01-01")
    before = _negotiation(own)
    before.actors["medinsky"] = Actor("medinsky", "Vladimir Medinsky", "person")
    after = _negotiation(own)
    after.actors["medinsky"] = Actor("medinsky", "Vladimir Medinsky", "person", speaks_for=("russia",))
    changes = position_changes(before, after, TODAY)
    # Medinsky was a party of his own and is Russia's now: his stand leaves the one and comes to the other.
    assert [(s.group, s.before, s.after) for s in changes.shifts] == [("medinsky", own, None), ("russia", None, own)]


_HOLDERS = ("russia", "peskov", "ukraine")
_positions = st.lists(
    st.builds(
        lambda holder, issue, stance, start, end: Position(
            f"{holder}-{issue}-{stance}-{start}-{end}",
            holder,
            issue,
            stance,
            valid_from=f"2025-0{start}-01",
            valid_until=f"2025-0{start + end}-28" if end else None,
        ),
        st.sampled_from(_HOLDERS),
        st.just("nato"),
        st.sampled_from(["supports", "opposes", "neutral"]),
        st.integers(1, 8),
        st.integers(0, 1),
    ),
    max_size=6,
    unique_by=lambda position: position.id,
)


@settings(max_examples=150, deadline=None)
@given(_positions, _positions, st.integers(1, 9))
def test_the_shifts_are_exactly_the_current_positions_that_differ(old, new, month):
    before, after = _negotiation(*old), _negotiation(*new)
    today = date(2025, month, 15)
    changes = position_changes(before, after, today)
    expected = {
        party
        for party in ("russia", "ukraine")
        if _said(rules.current_position(before, party, "nato", today))
        != _said(rules.current_position(after, party, "nato", today))
    }
    assert {shift.group for shift in changes.shifts} == expected
    assert changes.shift_count == len(changes.shifts)
    # A writer that names what it touched gets the same answer as the full comparison.
    touched = sorted({p.id for p in old} ^ {p.id for p in new})
    assert position_changes(before, after, today, touched) == changes


def _said(position: Position | None) -> tuple | None:
    return None if position is None else (position.stance, position.minimum, position.maximum)


@settings(max_examples=100, deadline=None)
@given(_positions, _positions, st.integers(1, 9))
def test_adding_in_place_changes_what_a_copy_with_the_positions_would(old, new, month):
    before = _negotiation(*old)
    fresh = [position for position in new if position.id not in before.positions]
    expected = position_changes(before, before.with_positions(fresh), date(2025, month, 15), [p.id for p in fresh])
    assert additions_in_place(before, fresh, date(2025, month, 15)) == expected
    assert set(before.positions) == {p.id for p in old} | {p.id for p in fresh}


def _indexes(negotiation: Negotiation) -> tuple:
    """What a negotiation's indexes say: each group's positions on each issue (in order), and who supersedes whom."""
    by_group = {
        (group, issue): [position.id for position in held]
        for group in negotiation.actors
        for issue, held in negotiation.positions_of(group).items()
        if held
    }
    successors = {earlier: [p.id for p in later] for earlier, later in negotiation.superseded_by.items() if later}
    return by_group, successors


@settings(max_examples=100, deadline=None)
@given(_positions, _positions, st.randoms())
def test_a_copy_with_or_without_positions_has_the_indexes_of_one_built_afresh(old, new, random):
    # Each position may supersede one listed before it, so several may supersede the same one.
    old = [
        replace(p, supersedes=(random.choice(old[:at]).id,) if at and random.random() < 0.7 else ())
        for at, p in enumerate(old)
    ]
    new = [replace(p, supersedes=(random.choice(old).id,) if old and random.random() < 0.7 else ()) for p in new]
    before = _negotiation(*old)
    kept = _indexes(before)
    gone = [position.id for position in old]
    random.shuffle(gone)  # removed in any order
    gone = gone[: random.randint(0, len(gone))]
    without = before.without_positions(gone)
    assert _indexes(without) == _indexes(_negotiation(*(p for p in old if p.id not in gone)))
    fresh = [position for position in new if position.id not in before.positions]
    assert _indexes(before.with_positions(fresh)) == _indexes(_negotiation(*old, *fresh))
    assert _indexes(before) == kept, "the negotiation copied is unchanged"
