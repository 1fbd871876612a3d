"""Rule 11, the diff: how the conflicts and agreements of two groups changed between two dates, and why.

The diff asks the same negotiation about two days (:func:`graph.analysis.rules.find_relations` as of
``start`` and as of ``end``) and compares the answers issue by issue. Dates alone change answers (a
validity ends, a position dated later starts), so the diff needs no record of writes. Each difference
names the positions behind it: those that started to hold, ended, or were superseded between the two
days. The diff compares two days, not what happened between them: a conflict that came and went in
between is no difference.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from graph.analysis import rules
from graph.analysis.model import Negotiation, Position
from graph.analysis.rules import Agreement, Conflict
from graph.errors import InvalidArgument

__all__ = [
    "RELATIONS",
    "ASPECTS",
    "Cause",
    "Change",
    "Shift",
    "Diff",
    "diff",
    "shifts",
    "what_became_of",
]

RELATIONS = ("conflict", "agreement")
"""The two relations a diff follows, in the order it lists them on one issue."""

ASPECTS = ("kind", "severity", "gap", "zone", "conditions", "inconsistent", "positions")
"""What may change in a conflict or an agreement that holds on both days, in the order a change lists them."""

STARTED, ENDED, SUPERSEDED = "started", "ended", "superseded"


@dataclass(frozen=True, slots=True)
class Cause:
    """A position of one of the two groups that started to hold, ended or was superseded between the two days."""

    group: str
    position: Position
    change: str
    """``started``, ``ended`` or ``superseded``."""
    on: date
    """The first day the change shows: the day the position starts, the day after its last day, or the day
    its successor starts."""


@dataclass(frozen=True, slots=True)
class Change:
    """A conflict or an agreement of the two groups on one issue that appeared, disappeared or changed."""

    issue: str
    relation: str
    """``conflict`` or ``agreement``."""
    before: Conflict | Agreement | None
    """As of the first day; None if it appeared."""
    after: Conflict | Agreement | None
    """As of the second day; None if it disappeared."""
    changed: tuple[str, ...]
    """For one that holds on both days, what changed (of :data:`ASPECTS`); empty otherwise."""
    causes: tuple[Cause, ...]

    @property
    def change(self) -> str:
        """``appeared``, ``disappeared`` or ``changed``."""
        if self.before is None:
            return "appeared"
        return "disappeared" if self.after is None else "changed"


@dataclass(frozen=True, slots=True)
class Shift:
    """A change of a group's current position on an issue (rule 2) between the two days."""

    group: str
    issue: str
    before: Position | None
    after: Position | None
    causes: tuple[Cause, ...]


@dataclass(frozen=True, slots=True)
class Diff:
    """What changed between groups ``a`` and ``b`` from ``start`` to ``end``."""

    a: str
    b: str
    start: date
    end: date
    changes: tuple[Change, ...]
    """Sorted by issue, then conflict before agreement."""
    shifts: tuple[Shift, ...]
    """The shifts of ``a``'s group, then of ``b``'s, each sorted by issue."""


def diff(negotiation: Negotiation, a: str, b: str, start: date, end: date) -> Diff:
    """The conflicts and agreements of ``a`` and ``b`` that appeared, disappeared or changed from ``start``
    to ``end`` (rule 11), each with the positions that caused it, and the shifts of both groups.

    Raises :class:`graph.errors.SameGroup` for one group against itself (rule 10), and
    :class:`graph.errors.InvalidArgument` (``from``) when ``start`` is after ``end``.

    Examples
    --------
    >>> from graph.analysis.model import Actor, Issue
    >>> negotiation = Negotiation(
    ...     actors={"a": Actor("a", "A"), "b": Actor("b", "B")}, issues={"zone": Issue("zone", "Zone")},
    ...     positions={"p": Position("p", "a", "zone", "supports", valid_until="2024-04-30"),
    ...                "q": Position("q", "b", "zone", "opposes")})
    >>> found = diff(negotiation, "a", "b", date(2024, 4, 1), date(2024, 6, 1))
    >>> [(c.issue, c.relation, c.change, [(x.position.id, x.change, str(x.on)) for x in c.causes])
    ...  for c in found.changes]
    [('zone', 'conflict', 'disappeared', [('p', 'ended', '2024-05-01')])]
    """
    rules.require_two_groups(negotiation, a, b)
    if start > end:
        raise InvalidArgument("from", f"{start} is after to ({end}): give the earlier day as from")
    then, now = rules.find_relations(negotiation, a, b, start), rules.find_relations(negotiation, a, b, end)
    rejections = _rejections(negotiation, a, b, (start, end))
    changes = []
    for number, relation in enumerate(RELATIONS):
        before = {found.issue: found for found in then[number]}
        after = {found.issue: found for found in now[number]}
        for issue in sorted(before.keys() | after.keys()):
            was, is_now = before.get(issue), after.get(issue)
            changed = _aspects(was, is_now) if was is not None and is_now is not None else ()
            if was is None or is_now is None or changed:
                causes = _causes(negotiation, a, b, issue, start, end, rejections.get(issue, set()))
                changes.append(Change(issue, relation, was, is_now, changed, causes))
    changes.sort(key=lambda change: (change.issue, RELATIONS.index(change.relation)))
    return Diff(
        a, b, start, end, tuple(changes), tuple(shifts(negotiation, a, start, end) + shifts(negotiation, b, start, end))
    )


def shifts(negotiation: Negotiation, group: str, start: date, end: date) -> list[Shift]:
    """The issues on which the group's current position (rule 2) on ``start`` is not the one on ``end``,
    sorted by issue: a new position, one ended or superseded, or none any more.

    Examples
    --------
    >>> from graph.analysis.model import Actor, Issue
    >>> negotiation = Negotiation(
    ...     actors={"a": Actor("a", "A")}, issues={"i": Issue("i", "I")},
    ...     positions={"old": Position("old", "a", "i", "supports", valid_from="2024-01-01"),
    ...                "new": Position("new", "a", "i", "opposes", valid_from="2025-01-01", supersedes=("old",))})
    >>> [(s.before.id, s.after.id, [(c.position.id, c.change) for c in s.causes])
    ...  for s in shifts(negotiation, "a", date(2024, 6, 1), date(2025, 6, 1))]
    [('old', 'new', [('new', 'started'), ('old', 'superseded')])]
    """
    found = []
    for issue in sorted(negotiation.positions_of(group)):
        before = rules.current_position(negotiation, group, issue, start)
        after = rules.current_position(negotiation, group, issue, end)
        if _id(before) != _id(after):
            found.append(
                Shift(group, issue, before, after, tuple(_sorted(_moves(negotiation, group, issue, start, end))))
            )
    return found


def what_became_of(negotiation: Negotiation, position: Position, start: date, end: date) -> tuple[str, date] | None:
    """``(change, day)`` if the position started to hold, ended or was superseded from ``start`` to ``end``
    (see :class:`Cause`), else None (it holds on both days, or on neither).

    A position that held on ``start`` and not on ``end`` stopped on the day after its last one
    (:func:`graph.analysis.rules.effective_end`): superseded if a successor starts that day, else ended.

    Examples
    --------
    >>> from graph.analysis.model import Actor, Issue
    >>> promise = Position("promise", "a", "i", "supports", valid_from="2024-01-01", valid_until="2025-01-20")
    >>> moderated = Position("moderated", "a", "i", "neutral", valid_from="2025-01-20", supersedes=("promise",))
    >>> negotiation = Negotiation(actors={"a": Actor("a", "A")}, issues={"i": Issue("i", "I")},
    ...                           positions={"promise": promise, "moderated": moderated})
    >>> what_became_of(negotiation, promise, date(2025, 1, 19), date(2025, 1, 21))
    ('superseded', datetime.date(2025, 1, 20))
    >>> what_became_of(negotiation, moderated, date(2025, 1, 19), date(2025, 1, 21))
    ('started', datetime.date(2025, 1, 20))
    """
    then, now = rules.holds(negotiation, position, start), rules.holds(negotiation, position, end)
    if then == now:
        return None
    if now:
        # Held on end and not on start: it started in between (ending and supersession never undo).
        assert position.starts is not None
        return STARTED, position.starts
    last = rules.effective_end(negotiation, position)
    assert last is not None  # it held on start and not on end: something ended it
    stopped = date.fromordinal(last.toordinal() + 1)
    successors = negotiation.superseded_by.get(position.id, ())
    return (SUPERSEDED if any(s.starts == stopped for s in successors) else ENDED), stopped


#
# The parts.
#


def _id(position: Position | None) -> str | None:
    return None if position is None else position.id


def _aspects(before: Conflict | Agreement, after: Conflict | Agreement) -> tuple[str, ...]:
    """What differs between a conflict (or an agreement) on one day and the same on another."""
    differs = {
        "conditions": set(before.conditions) != set(after.conditions),
        "inconsistent": before.inconsistent != after.inconsistent,
        "positions": _grounds(before) != _grounds(after),
    }
    if isinstance(before, Conflict) and isinstance(after, Conflict):
        differs |= {
            "kind": before.kinds != after.kinds,
            "severity": before.severity != after.severity,
            "gap": before.gap != after.gap,
        }
    elif isinstance(before, Agreement) and isinstance(after, Agreement):
        differs["zone"] = before.zone != after.zone
    return tuple(aspect for aspect in ASPECTS if differs.get(aspect))


def _grounds(found: Conflict | Agreement) -> tuple:
    """The positions a conflict or an agreement stands on, and where each was inherited from."""
    return tuple((s.position.id, s.inherited_from) for s in (found.a_stand, found.b_stand))


def _rejections(negotiation: Negotiation, a: str, b: str, days: tuple[date, ...]) -> dict[str, set[tuple[str, str]]]:
    """By rejected issue, the (group, issue) of each position in a rejection between ``a`` and ``b`` on any of the
    days: where to look for the causes of an explicit conflict."""
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for day in days:
        for rejecting, position, rejected, target in rules.rejections_between(negotiation, a, b, day):
            found[target.issue] |= {(rejecting, position.issue), (rejected, target.issue)}
    return found


def _causes(
    negotiation: Negotiation, a: str, b: str, issue: str, start: date, end: date, rejections: set[tuple[str, str]]
) -> tuple[Cause, ...]:
    """What moved the relation of ``a`` and ``b`` on ``issue``: the positions that started, ended or were
    superseded among the latest positions (rule 2) of each group on the issues its stand came from, on
    either day, and on the issues of the ``rejections`` that touch ``issue`` (see :func:`_rejections`)."""
    places = set(rejections)
    for day in (start, end):
        for group in (a, b):
            held = rules.stand(negotiation, group, issue, day)
            if held is not None:
                places.add((group, held.position.issue))
    causes = {
        cause.position.id: cause
        for group, place in sorted(places)
        for cause in _moves(negotiation, group, place, start, end)
    }
    return tuple(_sorted(causes.values(), first=a))


def _moves(negotiation: Negotiation, group: str, issue: str, start: date, end: date) -> list[Cause]:
    """What became of the group's latest positions on the issue (rule 2) on either day, where they differ.

    A position among the latest on one day only either started, ended or was superseded, or gave way
    to (or took over from) one that did: the latter are found among the others, so a difference
    always has a cause."""
    then = rules.current_positions(negotiation, group, issue, start)
    now = rules.current_positions(negotiation, group, issue, end)
    if [p.id for p in then] == [p.id for p in now]:
        return []
    found = []
    for position in {p.id: p for p in then + now}.values():
        became = what_became_of(negotiation, position, start, end)
        if became is not None:
            found.append(Cause(group, position, *became))
    return found


def _sorted(causes, first: str | None = None) -> list[Cause]:
    """Causes by day, then ``first``'s group before the other, then by position id."""
    return sorted(causes, key=lambda cause: (cause.on, cause.group != first, cause.group, cause.position.id))
