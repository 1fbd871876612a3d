"""What a write changed: the positions it added, removed, changed or superseded, and the shifts it caused (rule 11).

A shift is a change of a party's current position on an issue that a write causes: a new stance, a
moved range, a position ended (deleted, or written with an end in the past). Dates alone change
current positions too (a validity ending overnight); those are no write's, and only the diff of two
dates reports them (:mod:`graph.analysis.diff`).

Everything here compares two states of the analysis index, the one before a write and the one after
it; both must be intact (a write that changes the index in place asks first, with the copy
:meth:`Negotiation.with_positions` or :meth:`Negotiation.without_positions` standing for the state after).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from graph.analysis import rules
from graph.analysis.model import Negotiation, Position

__all__ = ["Shift", "PositionChanges", "position_changes", "additions_in_place", "MAX_SHIFTS"]

MAX_SHIFTS = 1000
"""The most shifts one write reports one by one; past that it reports how many (a first load shifts every party)."""


@dataclass(frozen=True, slots=True)
class Shift:
    """A party's current position on an issue, before a write and after it (None: it held none)."""

    group: str
    issue: str
    before: Position | None
    after: Position | None


@dataclass(frozen=True, slots=True)
class PositionChanges:
    """The positions a write added, removed, changed (same id, new values) or superseded, and its shifts."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    superseded: tuple[str, ...] = ()
    shifts: tuple[Shift, ...] = ()
    """At most :data:`MAX_SHIFTS`, by party then issue."""
    shift_count: int = 0
    """How many shifts the write caused, those past :data:`MAX_SHIFTS` included."""

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.shift_count)


def position_changes(
    before: Negotiation, after: Negotiation, today: date, touched: Collection[str] | None = None
) -> PositionChanges:
    """Compare two states of the index: the positions that differ and the shifts of current positions as of ``today``.

    Parameters
    ----------
    before, after : the index before the write and after it, both intact.
    today : the day the write is made; a shift is a change of a current position as of this day.
    touched : the ids of the only positions the write may have changed, when the writer knows them (a
        write that adds or deletes positions); None compares every position and every actor's group.

    Examples
    --------
    >>> from graph.analysis.model import Actor, Issue
    >>> before = Negotiation(actors={"a": Actor("a", "A")}, issues={"i": Issue("i", "I")},
    ...                      positions={"old": Position("old", "a", "i", "supports", valid_from="2025-01-01")})
    >>> new = Position("new", "a", "i", "opposes", valid_from="2025-03-01", supersedes=("old",))
    >>> changes = position_changes(before, before.with_positions([new]), date(2025, 4, 1))
    >>> changes.added, changes.superseded, [(s.before.stance, s.after.stance) for s in changes.shifts]
    (('new',), ('old',), [('supports', 'opposes')])
    """
    if touched is None:
        added, removed, changed = _differing_positions(before, after)
        moved_actors = _actors_moved(before, after)
    else:
        added = sorted(p for p in touched if p in after.positions and p not in before.positions)
        removed = sorted(p for p in touched if p in before.positions and p not in after.positions)
        kept = (p for p in touched if p in before.positions and p in after.positions)
        changed = sorted(p for p in kept if _differ(before, after, p))
        moved_actors = []
    superseded = sorted({earlier for p in added for earlier in after.positions[p].supersedes})
    keys = _affected(before, after, [*added, *removed, *changed], moved_actors)
    shifts, count = _shifts(before, after, keys, today)
    return PositionChanges(tuple(added), tuple(removed), tuple(changed), tuple(superseded), tuple(shifts), count)


def additions_in_place(negotiation: Negotiation, positions: list[Position], today: date) -> PositionChanges:
    """Add ``positions`` to the index in place (:meth:`Negotiation.add`) and return what that changed.

    What :func:`position_changes` answers for the same write, without a copy of a large index: the
    parties' current positions on the issues the new positions touch are read before the addition and
    again after it.

    Examples
    --------
    >>> from graph.analysis.model import Actor, Issue
    >>> negotiation = Negotiation(actors={"a": Actor("a", "A")}, issues={"i": Issue("i", "I")})
    >>> changes = additions_in_place(negotiation, [Position("p", "a", "i", "supports")], date(2025, 1, 1))
    >>> changes.added, [(s.before, s.after.id) for s in changes.shifts], sorted(negotiation.positions)
    (('p',), [(None, 'p')], ['p'])
    """
    held = negotiation.positions
    added = sorted(p.id for p in positions if p.id not in held)
    changed = sorted(p.id for p in positions if p.id in held and held[p.id] != p)
    superseded = sorted({earlier for p in positions if p.id in added for earlier in p.supersedes})
    keys = sorted(
        {(group, position.issue) for position in positions for group in _parties_of(negotiation, position.holder)}
        | {(group, held[name].issue) for name in changed for group in _parties_of(negotiation, held[name].holder)}
    )
    old = {key: rules.current_position(negotiation, *key, today) for key in keys}
    negotiation.add(positions)
    shifts: list[Shift] = []
    count = 0
    for key in keys:
        new = rules.current_position(negotiation, *key, today)
        if _held(old[key]) != _held(new):
            count += 1
            if len(shifts) < MAX_SHIFTS:
                shifts.append(Shift(*key, old[key], new))
    return PositionChanges(tuple(added), (), tuple(changed), tuple(superseded), tuple(shifts), count)


def _differ(before: Negotiation, after: Negotiation, position: str) -> bool:
    old, new = before.positions[position], after.positions[position]
    return old is not new and old != new


def _differing_positions(before: Negotiation, after: Negotiation) -> tuple[list[str], list[str], list[str]]:
    old, new = before.positions, after.positions
    added = sorted(new.keys() - old.keys())
    removed = sorted(old.keys() - new.keys())
    changed = sorted(p for p in old.keys() & new.keys() if _differ(before, after, p))
    return added, removed, changed


def _actors_moved(before: Negotiation, after: Negotiation) -> list[str]:
    """Actors whose groups changed: they speak for others now, or are new or gone."""
    names = before.actors.keys() | after.actors.keys()
    return sorted(
        name
        for name in names
        if name not in before.actors
        or name not in after.actors
        or before.actors[name].speaks_for != after.actors[name].speaks_for
    )


def _affected(
    before: Negotiation, after: Negotiation, positions: Iterable[str], moved_actors: list[str]
) -> list[tuple[str, str]]:
    """The (party, issue) pairs whose current position the changed positions and moved actors may change."""
    keys: set[tuple[str, str]] = set()
    for state in (before, after):
        parties: dict[str, list[str]] = {}  # by holder: a large load has far fewer holders than positions
        for name in positions:
            position = state.positions.get(name)
            if position is not None:
                if position.holder not in parties:
                    parties[position.holder] = _parties_of(state, position.holder)
                keys.update((group, position.issue) for group in parties[position.holder])
        for name in moved_actors:
            if name not in state.actors:
                continue
            issues = {issue for member in state.members(name) for issue in state.positions_of(member)}
            for group in _parties_of(state, name):
                keys.update((group, issue) for issue in issues)
    return sorted(keys)


def _held(position: Position | None) -> tuple | None:
    """What a current position says (a restatement in the same terms is no shift)."""
    return None if position is None else (position.stance, position.minimum, position.maximum)


def _is_party(negotiation: Negotiation, actor: str) -> bool:
    """A party speaks for no one: an actor who speaks for another holds positions as that party's."""
    return actor in negotiation.actors and not negotiation.actors[actor].speaks_for


def _parties_of(negotiation: Negotiation, actor: str) -> list[str]:
    """The parties an actor's positions count for: the groups of its that speak for no one."""
    return [group for group in negotiation.groups_of(actor) if _is_party(negotiation, group)]


def _shifts(
    before: Negotiation, after: Negotiation, keys: list[tuple[str, str]], today: date
) -> tuple[list[Shift], int]:
    shifts: list[Shift] = []
    count = 0
    for group, issue in keys:
        old = rules.current_position(before, group, issue, today) if _is_party(before, group) else None
        new = rules.current_position(after, group, issue, today) if _is_party(after, group) else None
        if _held(old) == _held(new):
            continue
        count += 1
        if len(shifts) < MAX_SHIFTS:
            shifts.append(Shift(group, issue, old, new))
    return shifts, count
