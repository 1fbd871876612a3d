"""The meaning of Parley (docs/meaning.md, rules 1 to 10): current positions, conflict, overlap, deadlock,
coalitions and mediators, as pure functions of a :class:`graph.analysis.model.Negotiation`.

A *group* is an actor and everyone who speaks for it, transitively (rule 1); every function that
takes an actor takes its group. Dates default to today.
"""

from __future__ import annotations

import itertools
import threading
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import networkx as nx
import numpy as np

from graph.analysis.model import NEUTRAL, OPPOSES, SUPPORTS, AnyOf, Condition, Negotiation, Position, condition_key
from graph.analysis.names import nearest
from graph.errors import SameGroup, UnknownActor, UnknownIssue, UnknownPosition

__all__ = [
    "Stand",
    "Conflict",
    "Agreement",
    "Deadlock",
    "BlockedCondition",
    "Mediator",
    "Reason",
    "Inconsistency",
    "TimelineEntry",
    "holds",
    "current_positions",
    "current_position",
    "stand",
    "find_conflicts",
    "find_agreements",
    "deadlocks",
    "blocked_conditions",
    "coalitions",
    "Coalitions",
    "Coalition",
    "Bridge",
    "Tie",
    "mediators",
    "inconsistencies",
    "timeline",
    "matrix",
    "require_actor",
    "require_issue",
    "require_two_groups",
    "require_position",
    "find_positions",
    "top_groups",
    "effective_end",
    "find_relations",
    "all_relations",
    "strongest_relations",
    "heaviest_edges",
    "RelationEdge",
    "relation_weights",
]

KIND_ORDER = ("explicit", "stance", "range", "inherited")
"""When several kinds of conflict hold on one issue, the item's ``kind`` is the first of these."""


@dataclass(frozen=True, slots=True)
class Stand:
    """A group's effective position on an issue: its own, or inherited from a broader issue (rule 3)."""

    group: str
    issue: str
    position: Position
    inherited_from: str | None = None
    inconsistent: bool = False

    @property
    def inherited(self) -> bool:
        return self.inherited_from is not None


@dataclass(frozen=True, slots=True)
class _Between:
    """What a conflict and an agreement both hold: two groups, an issue, and each group's stand on it."""

    a: str
    b: str
    issue: str
    a_stand: Stand
    b_stand: Stand

    @property
    def inconsistent(self) -> bool:
        return self.a_stand.inconsistent or self.b_stand.inconsistent


@dataclass(frozen=True, slots=True)
class Conflict(_Between):
    kind: str
    kinds: tuple[str, ...]
    severity: float
    gap: float | None = None
    conditions: tuple[Condition | AnyOf, ...] = ()


@dataclass(frozen=True, slots=True)
class Agreement(_Between):
    zone: tuple | None = None
    """On a Quantity issue, the intersection of the two ranges (an end may be None: open)."""
    conditions: tuple[Condition | AnyOf, ...] = ()

    @property
    def weight(self) -> float:
        return (self.a_stand.position.weight + self.b_stand.position.weight) / 2


@dataclass(frozen=True, slots=True)
class Deadlock:
    """A cycle of conditions spanning two or more groups: each waits for the other (rule 7)."""

    propositions: tuple[tuple[str, str], ...]
    """(issue, stance) in cycle order; each holds only if the next one does."""
    positions: tuple[Position, ...]
    """One position per step of the cycle: ``positions[i]`` takes ``propositions[i]`` on condition of
    ``propositions[i + 1]``."""
    groups: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BlockedCondition:
    position: Position
    condition: Condition | AnyOf
    blocked_by: tuple[Stand, ...]
    """Red-line positions of other groups that take the opposite stance on the condition's issue (on each
    alternative's issue, for an either/or condition)."""


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a mediator's score is what it is: ``effect`` is what this reason adds to it (negative: lowers it)."""

    text: str
    effect: float


@dataclass(frozen=True, slots=True)
class Mediator:
    group: str
    score: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class Inconsistency:
    group: str
    issue: str
    positions: tuple[Position, ...]
    chosen: Position


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    position: Position
    starts: date | None
    ends: date | None
    status: str
    """As of the requested date: ``current``, ``superseded``, ``ended``, ``not yet``, or ``overridden``."""


def require_actor(negotiation: Negotiation, actor: str) -> None:
    """Raise :class:`UnknownActor` unless ``actor`` is known, naming the actors nearest to it by slug, label
    or alias (:func:`graph.analysis.names.nearest`).

    Examples
    --------
    >>> from graph.analysis.model import Actor
    >>> seed = Negotiation(actors={"us": Actor("us", "United States", aliases=("Washington",))})
    >>> require_actor(seed, "washington")
    Traceback (most recent call last):
    graph.errors.UnknownActor: unknown actor 'washington'; did you mean us?
    """
    if actor not in negotiation.actors:
        names = {slug: (found.label, *found.aliases) for slug, found in negotiation.actors.items()}
        raise UnknownActor(actor, nearest(actor, names))


def require_issue(negotiation: Negotiation, issue: str) -> None:
    """Raise :class:`UnknownIssue` unless ``issue`` is known, naming the issues nearest to it by slug, label
    or alias."""
    if issue not in negotiation.issues:
        names = {slug: (found.label, *found.aliases) for slug, found in negotiation.issues.items()}
        raise UnknownIssue(issue, nearest(issue, names))


def require_two_groups(negotiation: Negotiation, a: str, b: str) -> None:
    """Raise :class:`SameGroup` if ``a`` and ``b`` are known actors of one group (rule 10), as Putin and Russia are.

    Examples
    --------
    >>> from graph.analysis.model import Actor
    >>> negotiation = Negotiation(actors={"r": Actor("r", "R"), "p": Actor("p", "P", speaks_for=("r",))})
    >>> require_two_groups(negotiation, "p", "r")
    Traceback (most recent call last):
    graph.errors.SameGroup: b: p and r are both the group r: ask about different groups
    """
    require_actor(negotiation, a)
    require_actor(negotiation, b)
    shared = negotiation.groups_of(a) & negotiation.groups_of(b)
    if shared:
        raise SameGroup(a, b, min(shared, key=lambda group: (len(negotiation.groups_of(group)), group)))


def require_position(negotiation: Negotiation, position: str) -> None:
    """Raise :class:`UnknownPosition` unless ``position`` is known, naming the nearest ids."""
    if position not in negotiation.positions:
        raise UnknownPosition(position, nearest(position, dict.fromkeys(negotiation.positions, ())))


def find_positions(
    negotiation: Negotiation, actor: str | None = None, issue: str | None = None, as_of: date | None = None
) -> list[Position]:
    """Positions of an actor's group, on an issue or the issues narrower than it, holding as of a date.

    Each filter is optional; without ``as_of`` every position counts, whether current or not.
    Sorted by issue, then start date, then id.

    Examples
    --------
    >>> from graph.analysis.model import Actor, Issue, Position
    >>> negotiation = Negotiation(
    ...     actors={"a": Actor("a", "A"), "b": Actor("b", "B")}, issues={"i": Issue("i", "I")},
    ...     positions={"p": Position("p", "a", "i", "supports"), "q": Position("q", "b", "i", "opposes")})
    >>> [p.id for p in find_positions(negotiation, actor="b")]
    ['q']
    """
    if actor is not None:
        require_actor(negotiation, actor)
        candidates = [p for by_issue in negotiation.positions_of(actor).values() for p in by_issue]
    else:
        candidates = list(negotiation.positions.values())
    if issue is not None:
        require_issue(negotiation, issue)
        issues = {issue} | negotiation.descendants(issue)
        candidates = [p for p in candidates if p.issue in issues]
    if as_of is not None:
        candidates = [p for p in candidates if _is_current(negotiation, p, as_of)]
    return sorted(candidates, key=lambda p: (p.issue, p.starts or date.min, p.id))


#
# Rule 2: the current position of a group on an issue.
#


def _is_current(negotiation: Negotiation, position: Position, as_of: date) -> bool:
    starts, ends = position.starts, position.ends
    if starts is not None and starts > as_of:
        return False
    if ends is not None and ends < as_of:
        return False
    return not any(
        successor.starts is None or successor.starts <= as_of
        for successor in negotiation.superseded_by.get(position.id, ())
    )


def holds(negotiation: Negotiation, position: Position, as_of: date) -> bool:
    """Whether the position holds on the day (rule 2): it has started, not ended, and no successor has started.

    Examples
    --------
    >>> from graph.analysis.model import Actor, Issue
    >>> promise = Position("promise", "a", "i", "supports", valid_from="2024-01-01", valid_until="2025-01-20")
    >>> negotiation = Negotiation(actors={"a": Actor("a", "A")}, issues={"i": Issue("i", "I")},
    ...                           positions={"promise": promise})
    >>> holds(negotiation, promise, date(2025, 1, 20)), holds(negotiation, promise, date(2025, 1, 21))
    (True, False)
    """
    return _is_current(negotiation, position, as_of)


def current_positions(negotiation: Negotiation, group: str, issue: str, as_of: date | None = None) -> list[Position]:
    """The latest current positions of the group on the issue: usually one, several on the same day.

    Examples
    --------
    >>> from graph.analysis.model import Actor, Issue, Position
    >>> negotiation = Negotiation(
    ...     actors={"a": Actor("a", "A")}, issues={"i": Issue("i", "I")},
    ...     positions={"old": Position("old", "a", "i", "supports", valid_from="2024-01-01"),
    ...                "new": Position("new", "a", "i", "opposes", valid_from="2025-01-01")})
    >>> [p.id for p in current_positions(negotiation, "a", "i", date(2024, 6, 1))]
    ['old']
    >>> [p.id for p in current_positions(negotiation, "a", "i", date(2025, 6, 1))]
    ['new']
    """
    as_of = as_of or date.today()
    candidates = [p for p in negotiation.positions_of(group).get(issue, ()) if _is_current(negotiation, p, as_of)]
    if not candidates:
        return []
    latest = max(p.starts or date.min for p in candidates)
    return sorted((p for p in candidates if (p.starts or date.min) == latest), key=lambda p: p.id)


def _agree(first: Position, second: Position) -> bool:
    return (first.stance, first.minimum, first.maximum) == (second.stance, second.minimum, second.maximum)


def _choose(group: str, latest: list[Position]) -> tuple[Position, bool]:
    """Pick among several latest positions: highest salience, then the group's own actor first."""
    chosen = min(latest, key=lambda p: (-p.weight, p.holder != group, p.holder, p.id))
    return chosen, any(not _agree(chosen, other) for other in latest)


def current_position(negotiation: Negotiation, group: str, issue: str, as_of: date | None = None) -> Position | None:
    """The group's position on the issue as of ``as_of`` (rule 2), or None."""
    # Through the group's own stand, kept in the index's memo: a load's change log asks this of every pair it
    # touches, and the derived graph's stands then find the answers made.
    own = _own_stand(negotiation, group, issue, as_of or date.today())
    return own.position if own is not None else None


def _own_stand(negotiation: Negotiation, group: str, issue: str, as_of: date) -> Stand | None:
    key = ("own", group, issue, as_of)
    if key not in negotiation.memo:
        latest = current_positions(negotiation, group, issue, as_of)
        if latest:
            chosen, inconsistent = _choose(group, latest)
            negotiation.memo[key] = Stand(group, issue, chosen, None, inconsistent)
        else:
            negotiation.memo[key] = None
    return negotiation.memo[key]


def stand(negotiation: Negotiation, group: str, issue: str, as_of: date | None = None) -> Stand | None:
    """The group's effective position on the issue: its own, else the nearest ancestor's of the same scale (rule 3)."""
    as_of = as_of or date.today()
    own = _own_stand(negotiation, group, issue, as_of)
    if own is not None:
        return own
    scale = negotiation.scale(issue)
    for ancestor in negotiation.ancestors(issue):
        if negotiation.scale(ancestor) != scale:
            continue
        inherited = _own_stand(negotiation, group, ancestor, as_of)
        if inherited is not None:
            return Stand(group, issue, inherited.position, ancestor, inherited.inconsistent)
    return None


#
# Rules 4 to 6: conflict and overlap between two groups.
#


def _range(position: Position) -> tuple:
    return (position.minimum, position.maximum)


def _comparable(*values) -> bool:
    kinds = {type(value) is date for value in values if value is not None}
    return len(kinds) <= 1


def _intersection(first: Position, second: Position) -> tuple | None:
    """The intersection of two ranges (None ends are open), or None if they do not meet."""
    # The ends of two comparable ranges are all numbers or all dates (see _range_ends); hence Any.
    lows: list[Any] = [v for v in (first.minimum, second.minimum) if v is not None]
    highs: list[Any] = [v for v in (first.maximum, second.maximum) if v is not None]
    low, high = (max(lows) if lows else None), (min(highs) if highs else None)
    if low is not None and high is not None and low > high:
        return None
    return (low, high)


def _gap(first: Position, second: Position) -> float:
    # Two ranges that do not meet: one is wholly below the other, so the ends compared are set.
    low_first: Any = first.minimum
    high_first: Any = first.maximum
    if high_first is not None and second.minimum is not None and high_first < second.minimum:
        distance = second.minimum - high_first
    else:
        distance = low_first - second.maximum
    return distance.days if isinstance(distance, timedelta) else distance


def _compare(a_stand: Stand, b_stand: Stand) -> tuple[str | None, Any]:
    """("conflict", gap) / ("agreement", zone) / (None, None) for two stands on one issue."""
    first, second = a_stand.position, b_stand.position
    if first.is_range != second.is_range:
        return None, None
    if not first.is_range:
        if NEUTRAL in (first.stance, second.stance):
            return None, None
        return ("agreement", None) if first.stance == second.stance else ("conflict", None)
    if not _comparable(first.minimum, first.maximum, second.minimum, second.maximum):
        return None, None
    zone = _intersection(first, second)
    return ("agreement", zone) if zone is not None else ("conflict", _gap(first, second))


def _candidate_issues(negotiation: Negotiation, a: str, b: str, as_of: date) -> list[str]:
    issues: set[str] = set()
    for group in (a, b):
        issues.update(
            issue for issue in negotiation.positions_of(group) if _own_stand(negotiation, group, issue, as_of)
        )
    return sorted(issues)


def _current_by_id(negotiation: Negotiation, group: str, as_of: date) -> dict[str, Position]:
    """The group's current position on each issue (rule 2), by id: what an explicit rejection can hit."""
    key = ("current", group, as_of)
    if key not in negotiation.memo:
        negotiation.memo[key] = {
            own.position.id: own.position
            for issue in negotiation.positions_of(group)
            if (own := _own_stand(negotiation, group, issue, as_of)) is not None
        }
    return negotiation.memo[key]


def _conditions(*positions: Position) -> tuple[Condition | AnyOf, ...]:
    return tuple(dict.fromkeys(condition for position in positions for condition in position.conditions))


def _relations(
    negotiation: Negotiation, a: str, b: str, as_of: date, issues: Iterable[str] | None = None
) -> tuple[list[Conflict], list[Agreement]]:
    """Conflicts and agreements of ``a`` and ``b``; ``issues``, if given, are the only issues where both
    can have a stand (as :func:`all_relations` works them out), else every issue either has one on."""
    found = _Found()
    for issue in sorted(issues) if issues is not None else _candidate_issues(negotiation, a, b, as_of):
        a_stand, b_stand = stand(negotiation, a, issue, as_of), stand(negotiation, b, issue, as_of)
        if a_stand is not None and b_stand is not None and not (a_stand.inherited and b_stand.inherited):
            found.compare(a, b, issue, a_stand, b_stand)
    # Explicit rejections between current positions, reported on the rejected position's issue.
    current = {a: _current_by_id(negotiation, a, as_of), b: _current_by_id(negotiation, b, as_of)}
    for rejecting, position, rejected_group, rejected in _current_rejections(current):
        found.reject(a, Stand(rejecting, position.issue, position), Stand(rejected_group, rejected.issue, rejected))
    return found.conflicts(a, b), [found.agreements[issue] for issue in sorted(found.agreements)]


@dataclass
class _Found:
    """What :func:`_relations` has found of a pair so far, issue by issue."""

    kinds: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    stands: dict[str, tuple[Stand, Stand]] = field(default_factory=dict)
    """The two stands of each issue where they conflict."""
    rejections: dict[str, tuple[Stand, Stand]] = field(default_factory=dict)
    """The positions that speak for each side of an explicit rejection, by the rejected position's issue."""
    gaps: dict[str, float] = field(default_factory=dict)
    agreements: dict[str, Agreement] = field(default_factory=dict)

    def compare(self, a: str, b: str, issue: str, a_stand: Stand, b_stand: Stand) -> None:
        """Rules 4 and 5 on one issue where both have a stand."""
        outcome, detail = _compare(a_stand, b_stand)
        if outcome == "conflict":
            inherited = a_stand.inherited or b_stand.inherited
            self.kinds[issue].append("inherited" if inherited else ("range" if a_stand.position.is_range else "stance"))
            self.stands[issue] = (a_stand, b_stand)
            if detail is not None:
                self.gaps[issue] = detail
        elif outcome == "agreement":
            conditions = _conditions(a_stand.position, b_stand.position)
            self.agreements[issue] = Agreement(a, b, issue, a_stand, b_stand, detail, conditions)

    def reject(self, a: str, rejecting: Stand, rejected: Stand) -> None:
        """An explicit rejection: a conflict on the rejected position's issue.

        Where the stands do not conflict there, each side shows one of its positions in the issue's
        rejections: one on the issue before one on another, then the greatest id. A side is chosen on
        its own, so the answer is the same whichever way round the pair is asked (as the SPARQL example
        chooses it).
        """
        issue = rejected.issue
        if "explicit" not in self.kinds[issue]:
            self.kinds[issue].insert(0, "explicit")
        a_side, b_side = (rejecting, rejected) if rejecting.group == a else (rejected, rejecting)
        if issue in self.rejections:
            held_a, held_b = self.rejections[issue]
            a_side, b_side = max(held_a, a_side, key=_rank_on(issue)), max(held_b, b_side, key=_rank_on(issue))
        self.rejections[issue] = (a_side, b_side)

    def conflicts(self, a: str, b: str) -> list[Conflict]:
        """The conflicts, sorted by issue; an explicit rejection outweighs a shared stance on its issue."""
        conflicts = []
        for issue, kinds in self.kinds.items():
            if not kinds:
                continue
            a_stand, b_stand = self.stands.get(issue) or self.rejections[issue]
            ordered = tuple(kind for kind in KIND_ORDER if kind in kinds)
            severity = round((a_stand.position.weight + b_stand.position.weight) / 2, 6)
            conditions = _conditions(a_stand.position, b_stand.position)
            conflicts.append(
                Conflict(a, b, issue, a_stand, b_stand, ordered[0], ordered, severity, self.gaps.get(issue), conditions)
            )
            self.agreements.pop(issue, None)
        return sorted(conflicts, key=lambda conflict: conflict.issue)


def _rank_on(issue: str) -> Callable[[Stand], tuple[bool, str]]:
    """How well a position in the rejections on ``issue`` speaks for its side: on the issue first, then by id."""
    return lambda side: (side.position.issue == issue, side.position.id)


def _current_rejections(
    current: dict[str, dict[str, Position]],
) -> Iterator[tuple[str, Position, str, Position]]:
    """Each rejection of a current position of one group by a current position of another:
    ``(rejecting group, its position, rejected group, the rejected position)``."""
    rejected_ids = {rejected for positions in current.values() for p in positions.values() for rejected in p.rejects}
    held_by: dict[str, list[str]] = defaultdict(list)
    for group, positions in current.items():
        for position_id in rejected_ids.intersection(positions):  # the only ones looked up below
            held_by[position_id].append(group)
    for rejecting, positions in current.items():
        for position in positions.values():
            for rejected_id in position.rejects:
                for rejected in held_by.get(rejected_id, ()):
                    if rejected != rejecting:
                        yield rejecting, position, rejected, current[rejected][rejected_id]


def rejections_between(
    negotiation: Negotiation, a: str, b: str, as_of: date | None = None
) -> list[tuple[str, Position, str, Position]]:
    """Each current position of one group that rejects a current position of the other (rule 4, explicit):
    ``(rejecting group, its position, rejected group, the rejected position)``, sorted by the positions' ids.

    Examples
    --------
    >>> from graph.analysis.model import Actor, Issue, Position
    >>> negotiation = Negotiation(
    ...     actors={"a": Actor("a", "A"), "b": Actor("b", "B")}, issues={i: Issue(i, i) for i in "xy"},
    ...     positions={"p": Position("p", "a", "x", "supports"),
    ...                "q": Position("q", "b", "y", "opposes", rejects=("p",))})
    >>> [(g, p.id, h, r.id) for g, p, h, r in rejections_between(negotiation, "a", "b")]
    [('b', 'q', 'a', 'p')]
    """
    as_of = as_of or date.today()
    current = {a: _current_by_id(negotiation, a, as_of), b: _current_by_id(negotiation, b, as_of)}
    return sorted(_current_rejections(current), key=lambda found: (found[1].id, found[3].id))


def find_conflicts(negotiation: Negotiation, a: str, b: str, as_of: date | None = None) -> list[Conflict]:
    """Where groups ``a`` and ``b`` conflict as of ``as_of`` (rule 4), one item per issue, sorted by issue.

    Its work depends on the positions of the two groups, not on the size of the graph.

    Examples
    --------
    >>> from graph.analysis.model import Actor, Issue, Position
    >>> negotiation = Negotiation(
    ...     actors={"a": Actor("a", "A"), "b": Actor("b", "B")}, issues={"i": Issue("i", "I")},
    ...     positions={"p": Position("p", "a", "i", "supports", salience=0.8),
    ...                "q": Position("q", "b", "i", "opposes", red_line=True)})
    >>> [(c.issue, c.kind, c.severity) for c in find_conflicts(negotiation, "a", "b")]
    [('i', 'stance', 0.9)]
    """
    return find_relations(negotiation, a, b, as_of)[0]


def find_agreements(negotiation: Negotiation, a: str, b: str, as_of: date | None = None) -> list[Agreement]:
    """Where groups ``a`` and ``b`` overlap as of ``as_of`` (rule 5), with the zone on Quantity issues."""
    return find_relations(negotiation, a, b, as_of)[1]


def find_relations(
    negotiation: Negotiation, a: str, b: str, as_of: date | None = None
) -> tuple[list[Conflict], list[Agreement]]:
    """Both answers at once: ``(find_conflicts(...), find_agreements(...))`` for the price of one."""
    require_two_groups(negotiation, a, b)
    return _relations(negotiation, a, b, as_of or date.today())


def all_relations(
    negotiation: Negotiation, groups: list[str], as_of: date | None = None
) -> Iterator[tuple[str, str, list[Conflict], list[Agreement]]]:
    """``(a, b, conflicts, agreements)`` for every pair of ``groups`` that has either, a before b in ``groups``.

    The same answers as :func:`find_relations` on every pair, without asking every pair: a group
    has a stand on an issue it holds a position on, or on one narrower than such an issue (of the
    same scale), so only groups that meet on an issue that way, or that reject one another's
    positions, are compared, and only on the issues where they meet.

    Examples
    --------
    >>> from graph.analysis.model import Actor, Issue, Position
    >>> negotiation = Negotiation(
    ...     actors={name: Actor(name, name.upper()) for name in "abc"}, issues={"i": Issue("i", "I")},
    ...     positions={"p": Position("p", "a", "i", "supports"), "q": Position("q", "b", "i", "opposes")})
    >>> relations = all_relations(negotiation, ["a", "b", "c"])
    >>> [(a, b, len(conflicts), len(agreements)) for a, b, conflicts, agreements in relations]
    [('a', 'b', 1, 0)]
    """
    as_of = as_of or date.today()
    order = {group: number for number, group in enumerate(groups)}
    meetings = _meetings_on_issues(negotiation, groups, as_of)
    current = {group: _current_by_id(negotiation, group, as_of) for group in groups}
    for rejecting, _, rejected, _ in _current_rejections(current):
        pair = (rejecting, rejected) if order[rejecting] < order[rejected] else (rejected, rejecting)
        meetings.setdefault(pair, set())
    for a, b in sorted(meetings, key=lambda pair: (order[pair[0]], order[pair[1]])):
        conflicts, agreements = _relations(negotiation, a, b, as_of, meetings[(a, b)])
        if conflicts or agreements:
            yield a, b, conflicts, agreements


def relation_weights(conflicts: list[Conflict], agreements: list[Agreement]) -> tuple[float, float]:
    """How much a pair's conflicts weigh (their severities, summed) and how much its agreements weigh.

    Examples
    --------
    >>> from graph.analysis.model import Actor, Issue, Position
    >>> negotiation = Negotiation(
    ...     actors={"a": Actor("a", "A"), "b": Actor("b", "B")}, issues={"i": Issue("i", "I")},
    ...     positions={"p": Position("p", "a", "i", "supports", salience=0.8),
    ...                "q": Position("q", "b", "i", "opposes", red_line=True)})
    >>> relation_weights(*find_relations(negotiation, "a", "b"))
    (0.9, 0.0)
    """
    # Added one by one in the lists' order, as heaviest_edges adds them for every pair at once (sum() would do
    # the same up to Python 3.11, and compensates from 3.12 on).
    conflict_weight = agreement_weight = 0.0
    for conflict in conflicts:
        conflict_weight += conflict.severity
    for agreement in agreements:
        agreement_weight += agreement.weight
    return conflict_weight, agreement_weight


@dataclass(frozen=True, slots=True)
class RelationEdge:
    """The conflicts of two groups, or their agreements, as one edge: how many, and what they weigh
    (:func:`relation_weights`)."""

    a: str
    b: str
    kind: str
    """``conflict`` or ``agreement``."""
    count: int
    weight: float


def heaviest_edges(
    negotiation: Negotiation, groups: list[str], limit: int, as_of: date | None = None
) -> list[RelationEdge]:
    """The ``limit`` heaviest edges of :func:`all_relations`: a pair's conflicts are one edge, its agreements
    another; on a tie, the edge that comes first (pairs in the order of ``groups``, a before b, conflicts
    before agreements), and in that order.

    Counted for every pair at once, as :func:`matrix` counts, and to the same float as each pair's own
    lists would weigh; only the pairs an explicit rejection touches are worked out one by one.

    Examples
    --------
    >>> from graph.analysis.model import Actor, Issue, Position
    >>> negotiation = Negotiation(
    ...     actors={name: Actor(name, name.upper()) for name in "abc"}, issues={"i": Issue("i", "I")},
    ...     positions={"p": Position("p", "a", "i", "supports", salience=0.9),
    ...                "q": Position("q", "b", "i", "opposes", salience=0.9),
    ...                "r": Position("r", "c", "i", "opposes", salience=0.1)})
    >>> [(e.a, e.b, e.kind, e.count, e.weight) for e in heaviest_edges(negotiation, ["a", "b", "c"], 2)]
    [('a', 'b', 'conflict', 1, 0.9), ('a', 'c', 'conflict', 1, 0.5)]
    """
    as_of = as_of or date.today()
    counts = _pairwise(negotiation, groups, as_of)
    rows, columns, sides, items, weights = _edges_of(counts)
    # The pairs an explicit rejection changed weigh what they should but for the order of the additions (a
    # float's noise: far less than ``slack``): those whose edges may reach the cut are worked out from their own
    # lists, as are those where two rejections fell on one issue (which of them counts may differ).
    changed = np.zeros((counts.size, counts.size), dtype=bool)
    doubtful = np.zeros_like(changed)
    for pairs, marked in ((counts.rejected, changed), (counts.doubtful, doubtful)):
        for a, b in pairs:
            marked[counts.index[a], counts.index[b]] = marked[counts.index[b], counts.index[a]] = True
    near, doubt = changed[rows, columns], doubtful[rows, columns]
    slack = np.where(near, 1e-9 * (items + 2) * (np.abs(weights) + 1), 0.0)
    floor = -np.inf  # the lowest weight the limit-th heaviest edge can have
    if 0 < limit < len(weights):
        floor = np.partition(weights - slack, len(weights) - limit)[len(weights) - limit]
    for edge in np.flatnonzero(doubt | (near & (weights + slack >= floor))).tolist() if limit > 0 else []:
        a, b = groups[rows[edge]], groups[columns[edge]]
        weights[edge] = relation_weights(*_relations(negotiation, a, b, as_of))[sides[edge]]
    # The heaviest first, then the first in all_relations' order (the last key sorts first); then that order.
    kept = np.lexsort((sides, columns, rows, -weights))[:limit]
    kept = kept[np.lexsort((sides[kept], columns[kept], rows[kept]))]
    return [
        RelationEdge(groups[rows[k]], groups[columns[k]], _SIDES[sides[k]], int(items[k]), float(weights[k]))
        for k in kept.tolist()
    ]


def _edges_of(counts: _PairCounts) -> tuple[np.ndarray, ...]:
    """Every conflict and agreement edge (rows, columns, sides: 0 conflict, 1 agreement; counts, weights), each
    pair once, a before b."""
    upper = np.triu(np.ones((counts.size, counts.size), dtype=bool), k=1)
    parts = []
    for side, (items, weights) in enumerate(
        ((counts.conflicts, counts.conflict_weight), (counts.agreements, counts.agreement_weight))
    ):
        rows, columns = np.nonzero(upper & (items > 0))
        parts.append((rows, columns, np.full(len(rows), side), items[rows, columns], weights[rows, columns]))
    return tuple(np.concatenate(part) for part in zip(*parts, strict=True))


_SIDES = ("conflict", "agreement")


def strongest_relations(
    negotiation: Negotiation, groups: list[str], limit: int, as_of: date | None = None
) -> list[tuple[str, str, list[Conflict], list[Agreement]]]:
    """:func:`all_relations`, cut to its ``limit`` heaviest edges (:func:`heaviest_edges`): a pair keeps only
    the lists of its edges that are among them, and a pair with none is left out.

    Only the pairs kept are worked out in full.

    Examples
    --------
    >>> from graph.analysis.model import Actor, Issue, Position
    >>> negotiation = Negotiation(
    ...     actors={name: Actor(name, name.upper()) for name in "abc"}, issues={"i": Issue("i", "I")},
    ...     positions={"p": Position("p", "a", "i", "supports", salience=0.9),
    ...                "q": Position("q", "b", "i", "opposes", salience=0.9),
    ...                "r": Position("r", "c", "i", "opposes", salience=0.1)})
    >>> [(a, b, len(conflicts), len(agreements)) for a, b, conflicts, agreements in
    ...  strongest_relations(negotiation, ["a", "b", "c"], 2)]
    [('a', 'b', 1, 0), ('a', 'c', 1, 0)]
    """
    as_of = as_of or date.today()
    kinds: dict[tuple[str, str], set[str]] = defaultdict(set)
    for edge in heaviest_edges(negotiation, groups, limit, as_of):
        kinds[edge.a, edge.b].add(edge.kind)
    meeting = _Meetings(negotiation, as_of)
    found = []
    for (a, b), kept in kinds.items():
        conflicts, agreements = _relations(negotiation, a, b, as_of, meeting.issues(a, b))
        found.append((a, b, conflicts if "conflict" in kept else [], agreements if "agreement" in kept else []))
    return found


class _Meetings:
    """The issues where two groups can both have a stand, pair by pair (what :func:`_meetings_on_issues` finds
    for every pair at once): one holds a position there, the other too or on a broader issue of the same scale."""

    def __init__(self, negotiation: Negotiation, as_of: date):
        self.negotiation = negotiation
        self.as_of = as_of
        self._owned: dict[str, set[str]] = {}
        self._above: dict[str, list[str]] = {}

    def owned(self, group: str) -> set[str]:
        """The issues the group has a stand of its own on."""
        if group not in self._owned:
            self._owned[group] = {p.issue for p in _current_by_id(self.negotiation, group, self.as_of).values()}
        return self._owned[group]

    def above(self, issue: str) -> list[str]:
        """The broader issues an issue inherits from: those of its own scale."""
        if issue not in self._above:
            scale = self.negotiation.scale(issue)
            ancestors = self.negotiation.ancestors(issue)
            self._above[issue] = [a for a in ancestors if self.negotiation.scale(a) == scale]
        return self._above[issue]

    def issues(self, a: str, b: str) -> set[str]:
        mine, theirs = self.owned(a), self.owned(b)
        return (mine & theirs) | {
            issue
            for own, other in ((mine, theirs), (theirs, mine))
            for issue in own - other
            if any(broader in other for broader in self.above(issue))
        }


def _meetings_on_issues(negotiation: Negotiation, groups: list[str], as_of: date) -> dict[tuple[str, str], set[str]]:
    """For each pair of ``groups`` (in their order), the issues where both can have a stand.

    A group has a stand on an issue it holds a position on, and through inheritance on the narrower
    issues of the same scale; both sides inheriting makes no relation (rule 3).
    """
    order = {group: number for number, group in enumerate(groups)}
    owners: dict[str, set[str]] = defaultdict(set)
    for group in groups:
        for issue in negotiation.positions_of(group):
            if _own_stand(negotiation, group, issue, as_of) is not None:
                owners[issue].add(group)
    meetings: dict[tuple[str, str], set[str]] = defaultdict(set)
    for issue, holders in owners.items():
        scale = negotiation.scale(issue)
        reaching = set(holders).union(
            *(
                owners.get(ancestor, set())
                for ancestor in negotiation.ancestors(issue)
                if negotiation.scale(ancestor) == scale
            )
        )
        for own in holders:
            for other in reaching - {own}:
                meetings[(own, other) if order[own] < order[other] else (other, own)].add(issue)
    return meetings


#
# Answers about the whole graph that every pair's question shares, kept until the next change.
#

_computing = threading.RLock()
"""Held while one of those answers is worked out: a second thread asking for it waits for it, not works it out too."""

_KEPT = 32
"""How many of those answers a negotiation keeps, the oldest dropped first: a few dates' worth (each date's
deadlocks, blocked conditions and what they are drawn from hold about 8 MB on the 100k generated graph, and an
as-of slider can ask for many dates between two writes)."""

_MISSING = object()


def _kept(negotiation: Negotiation, key: tuple, compute: Callable[[], Any]) -> Any:
    """``compute()``, kept in the negotiation's memo under ``key``: the memo lives as long as the negotiation's
    state (every change clears it, :meth:`Negotiation.add`), so a service works each out once per write.

    Examples
    --------
    >>> negotiation = Negotiation()
    >>> _kept(negotiation, ("example",), lambda: [1]) is _kept(negotiation, ("example",), lambda: [2])
    True
    """
    kept = negotiation.memo.get(("kept",))
    found = _MISSING if kept is None else kept.get(key, _MISSING)
    if found is _MISSING:
        # A service asks for the sections of one pair together (the deadlocks and the compromise both need
        # the whole graph's cycles): one works it out, the other waits instead of spending the CPU again.
        with _computing:
            kept = negotiation.memo.setdefault(("kept",), {})
            found = kept.get(key, _MISSING)
            if found is _MISSING:
                found = kept[key] = compute()
                while len(kept) > _KEPT:
                    del kept[next(iter(kept))]  # the oldest (dictionaries keep their order)
    return found


#
# Rule 7: deadlocks and blocked conditions.
#


def top_groups(negotiation: Negotiation) -> list[str]:
    """Actors who speak for no one and whose group holds positions: the parties, sorted."""
    return sorted(
        actor.id for actor in negotiation.actors.values() if not actor.speaks_for and negotiation.positions_of(actor.id)
    )


_Proposition = tuple[str, str]


def deadlocks(
    negotiation: Negotiation,
    as_of: date | None = None,
    limit: int = 1000,
    among: Collection[_Proposition] | None = None,
) -> list[Deadlock]:
    """Cycles of conditions whose positions belong to two or more groups (rule 7), at most ``limit``; with
    ``among``, only the cycles through those propositions (a set of :func:`deadlock_components`).

    Nodes are propositions (issue, stance); a current position taking ``s`` on ``I`` with condition
    (``J``, ``t``) is an edge from (I, s) to (J, t). An either/or condition is an edge to each of its
    alternatives, which counts only while every alternative leads back to (I, s) (see
    :func:`_waiting`). Cycles are searched only inside strongly connected components, so acyclic
    condition graphs cost one linear pass.

    Examples
    --------
    >>> from graph.analysis.model import Actor, AnyOf, Issue
    >>> negotiation = Negotiation(
    ...     actors={"a": Actor("a", "A"), "b": Actor("b", "B")}, issues={i: Issue(i, i) for i in "xyz"},
    ...     positions={"p": Position("p", "a", "x", "supports", conditions=(Condition("y", "supports"),)),
    ...                "q": Position("q", "b", "y", "supports", conditions=(Condition("x", "supports"),))})
    >>> [d.groups for d in deadlocks(negotiation)]
    [('a', 'b')]
    >>> either = AnyOf((Condition("y", "supports"), Condition("z", "supports")))
    >>> negotiation.add([Position("p", "a", "x", "supports", conditions=(either,))])
    >>> deadlocks(negotiation)  # a can go ahead once z holds, and z waits for nothing
    []
    """
    as_of = as_of or date.today()
    if among is None:
        # The whole graph's cycles are the same for every pair asked about: worked out once per state.
        return list(_kept(negotiation, ("deadlocks", as_of, limit), lambda: _cycles(negotiation, as_of, limit)))
    return _cycles(negotiation, as_of, limit, among)


def _cycles(
    negotiation: Negotiation, as_of: date, limit: int, among: Collection[_Proposition] | None = None
) -> list[Deadlock]:
    """:func:`deadlocks`, worked out."""
    graph = _waiting(negotiation, as_of, among)
    found = []
    for component in nx.strongly_connected_components(graph):
        if len(component) < 2 and not any(graph.has_edge(node, node) for node in component):
            continue
        for cycle in nx.simple_cycles(graph.subgraph(component)):
            steps = [graph.edges[cycle[i], cycle[(i + 1) % len(cycle)]]["positions"] for i in range(len(cycle))]
            groups = {group for step in steps for _, group in step.values()}
            if len(groups) < 2:
                continue
            # Rotate so the cycle starts at its smallest proposition: the same cycle always reads the same.
            start = cycle.index(min(cycle))
            cycle, steps = cycle[start:] + cycle[:start], steps[start:] + steps[:start]
            chosen = _one_position_per_step(steps)
            found.append(Deadlock(tuple(cycle), tuple(p for p, _ in chosen), tuple(sorted(groups))))
            if len(found) >= limit:
                return sorted(found, key=lambda d: d.propositions)
    return sorted(found, key=lambda d: d.propositions)


_Wait = tuple[_Proposition, tuple[_Proposition, ...], Position, str]
"""What a position takes, the alternatives one of which it waits for, the position, and its group."""


def deadlock_components(negotiation: Negotiation, as_of: date | None = None) -> list[tuple[frozenset, list[Position]]]:
    """The parts of the waiting graph where cycles run: each strongly connected component that holds a cycle,
    with the positions whose conditions draw its edges. Every deadlock lies within one of them, and stays
    there when positions are withdrawn (withdrawing only removes edges), so a question that withdraws
    positions can look for deadlocks ``among`` one component's propositions alone.

    Examples
    --------
    >>> from graph.analysis.model import Actor, Issue
    >>> negotiation = Negotiation(
    ...     actors={"a": Actor("a", "A"), "b": Actor("b", "B")}, issues={i: Issue(i, i) for i in "xyz"},
    ...     positions={"p": Position("p", "a", "x", "supports", conditions=(Condition("y", "supports"),)),
    ...                "q": Position("q", "b", "y", "supports", conditions=(Condition("x", "supports"),)),
    ...                "r": Position("r", "b", "z", "supports", conditions=(Condition("x", "supports"),))})
    >>> [(sorted(nodes), [p.id for p in made]) for nodes, made in deadlock_components(negotiation)]
    [([('x', 'supports'), ('y', 'supports')], ['p', 'q'])]
    """
    as_of = as_of or date.today()
    return list(_kept(negotiation, ("deadlock components", as_of), lambda: _components(negotiation, as_of)))


def _components(negotiation: Negotiation, as_of: date) -> list[tuple[frozenset, list[Position]]]:
    """:func:`deadlock_components`, worked out."""
    graph = _waiting(negotiation, as_of)
    found = []
    for component in nx.strongly_connected_components(graph):
        if len(component) < 2 and not any(graph.has_edge(node, node) for node in component):
            continue  # most propositions wait in no cycle: no edge inside, no need of a subgraph view
        inside = graph.subgraph(component)
        if inside.number_of_edges():
            made = {p.id: p for _, _, step in inside.edges(data="positions") for p, _ in step.values()}
            found.append((frozenset(component), [made[key] for key in sorted(made)]))
    return sorted(found, key=lambda found: min(found[0]))


def _waiting(negotiation: Negotiation, as_of: date, among: Collection[_Proposition] | None = None) -> nx.DiGraph:
    """The propositions as nodes, an edge from what each current position takes to what it waits for (the
    whole graph's kept until the next change: :func:`deadlocks` and :func:`deadlock_components` share it).

    A plain condition is always an edge. An either/or condition's edges count only if each of its
    alternatives leads back, by edges that count, to what the position takes (is in its strongly
    connected component): an alternative that does not lead back lets the position go ahead
    without waiting for itself. Dropping a condition can cut another one's way back, so the check
    repeats until nothing more is dropped (the largest set of either/or conditions that all lead
    back; each round drops one or more, so there are at most as many rounds as such conditions).
    """
    if among is None:
        return _kept(negotiation, ("waiting", as_of), lambda: _waits_for(negotiation, as_of))
    return _waits_for(negotiation, as_of, among)


def _waits_for(negotiation: Negotiation, as_of: date, among: Collection[_Proposition] | None = None) -> nx.DiGraph:
    """:func:`_waiting`, worked out."""
    plain: list[_Wait] = []
    either: list[_Wait] = []
    for group, position in _current_conditional(negotiation, as_of, among):
        takes = (position.issue, position.stance or NEUTRAL)  # always a stance: _current_conditional's are
        for condition in position.conditions:
            targets = tuple((c.issue, c.stance) for c in condition.alternatives)
            wait = (takes, targets, position, group)
            (plain if len(targets) == 1 else either).append(wait)
    while True:
        graph = _graph_of(plain + either)
        if not either:
            return graph
        component = {node: n for n, nodes in enumerate(nx.strongly_connected_components(graph)) for node in nodes}
        leading_back = [wait for wait in either if all(component[t] == component[wait[0]] for t in wait[1])]
        if len(leading_back) == len(either):
            return graph
        either = leading_back


def _current_conditional(
    negotiation: Negotiation, as_of: date, among: Collection[_Proposition] | None = None
) -> list[tuple[str, Position]]:
    """``(group, position)`` for each party's current position that takes a stance on a condition (on one of
    the propositions ``among``, if given), by group and issue: what draws the waiting graph."""

    def drawing(position: Position) -> bool:
        return bool(position.conditions) and position.stance is not None

    if among is None:  # the whole graph: taken from what the blocked conditions read too
        return [(group, position) for group, position in _current_of_note(negotiation, as_of) if drawing(position)]
    return _current_where(
        negotiation, as_of, lambda position: drawing(position) and (position.issue, position.stance) in among
    )


def _current_of_note(negotiation: Negotiation, as_of: date) -> list[tuple[str, Position]]:
    """``(group, position)`` for each party's current position with a condition or a red line, by group and issue:
    what the waiting graph and the blocked conditions are drawn from (kept until the next change)."""
    return _kept(
        negotiation,
        ("current of note", as_of),
        lambda: _current_where(negotiation, as_of, lambda position: position.red_line or bool(position.conditions)),
    )


def _current_where(
    negotiation: Negotiation, as_of: date, wanted: Callable[[Position], bool]
) -> list[tuple[str, Position]]:
    """``(group, position)`` for each party's current position that is ``wanted``, by group and issue. Only the
    (group, issue) pairs where some position is wanted are looked at, not every party's every position."""
    parties = set(top_groups(negotiation))
    pairs = {
        (group, position.issue)
        for position in negotiation.positions.values()
        if wanted(position)
        for group in negotiation.groups_of(position.holder) & parties
    }
    found = []
    for group, issue in sorted(pairs):
        chosen = current_position(negotiation, group, issue, as_of)
        if chosen is not None and wanted(chosen):
            found.append((group, chosen))
    return found


def _graph_of(waits: list[_Wait]) -> nx.DiGraph:
    """The edges of ``waits``, each holding the positions behind it (by id: the position and its group)."""
    graph = nx.DiGraph()
    for source, targets, position, group in waits:
        for target in targets:
            if not graph.has_edge(source, target):
                graph.add_edge(source, target, positions={})
            graph.edges[source, target]["positions"].setdefault(position.id, (position, group))
    return graph


def _one_position_per_step(steps: list[dict]) -> list[tuple[Position, str]]:
    """Pick a position for each step, preferring groups not yet picked, so the cycle shows its groups."""
    picked, seen = [], set()
    for step in steps:
        options = sorted(step.values(), key=lambda option: (option[1] in seen, option[0].id))
        picked.append(options[0])
        seen.add(options[0][1])
    return picked


def blocked_conditions(negotiation: Negotiation, as_of: date | None = None) -> list[BlockedCondition]:
    """Conditions of current positions that another group opposes with a red line (rule 7); an
    either/or condition is blocked when each of its alternatives is, by the same group or by others.

    Examples
    --------
    >>> from graph.analysis.model import Actor, AnyOf, Issue
    >>> negotiation = Negotiation(
    ...     actors={name: Actor(name, name.upper()) for name in "abc"}, issues={i: Issue(i, i) for i in "xyz"},
    ...     positions={"p": Position("p", "a", "x", "supports", conditions=(
    ...                    AnyOf((Condition("y", "supports"), Condition("z", "supports"))),)),
    ...                "q": Position("q", "b", "y", "opposes", red_line=True),
    ...                "r": Position("r", "c", "z", "opposes", red_line=True)})
    >>> [(found.position.id, [stand.group for stand in found.blocked_by]) for found in blocked_conditions(negotiation)]
    [('p', ['b', 'c'])]
    """
    as_of = as_of or date.today()
    return list(_kept(negotiation, ("blocked conditions", as_of), lambda: _blocked(negotiation, as_of)))


def _blocked(negotiation: Negotiation, as_of: date) -> list[BlockedCondition]:
    """:func:`blocked_conditions`, worked out from the current positions with a red line or a condition only."""
    current = _current_of_note(negotiation, as_of)  # by group, then issue: the order of each condition's blockers
    red_lines: dict[_Proposition, list[Stand]] = defaultdict(list)
    for group, position in current:
        if position.red_line and position.stance in _OPPOSITE:
            red_lines[position.issue, position.stance].append(Stand(group, position.issue, position))
    blocked = [
        BlockedCondition(position, condition, blockers)
        for group, position in current
        for condition in position.conditions
        if (blockers := _blockers(condition, group, red_lines))
    ]
    return sorted(blocked, key=lambda b: (b.position.id, condition_key(b.condition)))


_OPPOSITE = {SUPPORTS: OPPOSES, OPPOSES: SUPPORTS}


def _blockers(
    condition: Condition | AnyOf, group: str, red_lines: dict[_Proposition, list[Stand]]
) -> tuple[Stand, ...]:
    """The red lines of other groups against each alternative of ``condition``; none if one alternative has none."""
    found: list[Stand] = []
    for alternative in condition.alternatives:
        against = [
            s for s in red_lines.get((alternative.issue, _OPPOSITE.get(alternative.stance, "")), ()) if s.group != group
        ]
        if not against:
            return ()
        found += against
    return tuple(dict.fromkeys(found))


#
# Rules 8 and 9: coalitions and mediators, over all pairs.
#


def _participants(
    negotiation: Negotiation, groups: list[str], as_of: date
) -> dict[str, tuple[list[Stand], list[Stand]]]:
    """For each issue some group holds a current position on: (own stands, inherited stands) of the groups.

    A group inherits onto an issue from its nearest ancestor of the same scale, when it has no
    position of its own there (rule 3). Pairs of two inherited stands are reported on the ancestor.
    """
    own: dict[str, list[Stand]] = defaultdict(list)
    owned: dict[str, dict[str, Stand]] = defaultdict(dict)
    for group in groups:
        for issue in negotiation.positions_of(group):
            found = _own_stand(negotiation, group, issue, as_of)
            if found is not None:
                own[issue].append(found)
                owned[group][issue] = found
    participants = {}
    for issue, stands_here in own.items():
        holders = {s.group for s in stands_here}
        ancestors = negotiation.ancestors(issue)
        heirs = {s.group for ancestor in ancestors for s in own.get(ancestor, ()) if s.group not in holders}
        # What stand() finds for a group with no stand of its own here, without asking it group by group: its
        # own stand on the nearest broader issue of the same scale.
        scale = negotiation.scale(issue)
        above = [ancestor for ancestor in ancestors if negotiation.scale(ancestor) == scale]
        inherited = []
        for group in sorted(heirs):
            mine = owned[group]
            for ancestor in above:
                if ancestor in mine:
                    inherited.append(
                        Stand(group, issue, mine[ancestor].position, ancestor, mine[ancestor].inconsistent)
                    )
                    break
        participants[issue] = (stands_here, inherited)
    return participants


class _PairCounts:
    """Conflicts, agreements and their salience-weighted balance for every pair of groups, as matrices, with
    what the conflicts weigh and what the agreements weigh apart (:func:`relation_weights`).

    Blocks of pairs are collected issue by issue, in the order of the issues' names, as flat indices of
    cells above the diagonal (each pair once), and added up once, in :meth:`finish`: ``np.bincount`` adds
    them one by one in that order, so each pair's sums add its items in the order its own lists hold them,
    and ``conflict_weight`` and ``agreement_weight`` are the very floats :func:`relation_weights` gives for
    the pair; but for the pairs an explicit rejection changed (``rejected``), whose changes come last.
    """

    def __init__(self, groups: list[str]):
        self.index = {group: number for number, group in enumerate(groups)}
        self.size = len(groups)
        self.rejected: set[tuple[str, str]] = set()
        self.doubtful: set[tuple[str, str]] = set()
        """Pairs where two rejections fell on one issue: which one a pair's own lists count may differ."""
        # Cells (flat indices) and the means of their two weights, of the conflicts and of the agreements.
        self._found: tuple[list[np.ndarray], ...] = ([], [], [], [])

    def _collect(self, rows: np.ndarray, columns: np.ndarray, conflict, agreement, mean) -> None:
        """Each pair once, as its cell above the diagonal (the matrices are made symmetric in :meth:`finish`)."""
        first, second = rows[:, None], columns[None, :]
        cells = np.minimum(first, second) * self.size + np.maximum(first, second)
        for number, chosen in enumerate((conflict, agreement)):
            self._found[2 * number].append(cells[chosen])
            self._found[2 * number + 1].append(mean[chosen])

    def _indices_and_weights(self, stands: list[Stand]) -> tuple[np.ndarray, np.ndarray]:
        return np.array([self.index[s.group] for s in stands]), np.array([s.position.weight for s in stands])

    def add_block(self, first: list[Stand], second: list[Stand], conflict: np.ndarray, agreement: np.ndarray) -> None:
        """Add the pairs first x second (disjoint groups), both ways, given which conflict and which agree."""
        if not first or not second:
            return
        (rows, first_weights), (columns, second_weights) = (
            self._indices_and_weights(first),
            self._indices_and_weights(second),
        )
        self._collect(rows, columns, conflict, agreement, (first_weights[:, None] + second_weights[None, :]) / 2)

    def add_within(self, stands: list[Stand], conflict: np.ndarray, agreement: np.ndarray) -> None:
        """Add every pair within ``stands`` (each group once), given the full symmetric relation."""
        if len(stands) < 2:
            return
        indices, weights = self._indices_and_weights(stands)
        once = np.triu(np.ones((len(stands), len(stands)), dtype=bool), k=1)  # each pair once, no group with itself
        self._collect(indices, indices, conflict & once, agreement & once, (weights[:, None] + weights[None, :]) / 2)

    def finish(self) -> None:
        """Add up the collected blocks into ``conflicts``, ``agreements``, ``weight``, ``conflict_weight`` and
        ``agreement_weight`` (size x size)."""
        conflicts, conflict_means, agreements, agreement_means = (
            np.concatenate(parts) if parts else np.zeros(0, dtype=kind)
            for parts, kind in zip(self._found, (np.int64, float, np.int64, float), strict=True)
        )
        self._found = ([], [], [], [])
        shape, length = (self.size, self.size), self.size * self.size

        def total(cells: np.ndarray, weights: np.ndarray | None = None, kind: type = float) -> np.ndarray:
            # An empty count is integers whatever the weights: the type is set here, for adjust to add to.
            above: np.ndarray = np.bincount(cells, weights, minlength=length).astype(kind).reshape(shape)
            return above + above.T  # below the diagonal, zeros: each sum is copied as it is

        self.conflicts = total(conflicts, kind=np.int64)
        self.agreements = total(agreements, kind=np.int64)
        self.conflict_weight = total(conflicts, _severities(conflict_means))
        self.agreement_weight = total(agreements, agreement_means)
        # Rule 8's balance weighs a conflict unrounded (a float's noise apart, the order does not matter here).
        self.weight = self.agreement_weight - total(conflicts, conflict_means)

    def adjust(
        self,
        a: str,
        b: str,
        conflicts: int,
        agreements: int,
        conflict_weight: float = 0.0,
        agreement_weight: float = 0.0,
    ) -> None:
        """An explicit rejection's change to the pair ``a``, ``b`` (sorted); ``conflict_weight`` is the mean
        of the two weights, rounded as a severity for ``conflict_weight`` (not for ``weight``)."""
        self.rejected.add((a, b))
        for first, second in ((a, b), (b, a)):
            cell = (self.index[first], self.index[second])
            self.conflicts[cell] += conflicts
            self.agreements[cell] += agreements
            self.weight[cell] += agreement_weight - conflict_weight
            self.conflict_weight[cell] += round(conflict_weight, 6)
            self.agreement_weight[cell] += agreement_weight


def _severities(means: np.ndarray) -> np.ndarray:
    """Conflicts' severities from the means of their two weights, rounded to 6 places as :class:`_Found` rounds
    them, with Python's round: the float nearest to the decimal nearest to the mean's exact value.

    Scaled by 10**6 and rounded to an integer, a mean gives that decimal, unless the scaling's own rounding
    (at most 2**-13 below 2**40) crossed a half: those near a half, or that large, are rounded by Python.

    Examples
    --------
    >>> [float(s) for s in _severities(np.array([0.1234566, 0.0078125, 2.675e-7, 0.45]))]
    [0.123457, 0.007812, 0.0, 0.45]
    """
    scaled = means * 1e6
    severities = np.rint(scaled) / 1e6
    doubtful = (np.abs(scaled - np.floor(scaled) - 0.5) < 1e-3) | (np.abs(scaled) >= 2.0**40)
    severities[doubtful] = [round(mean, 6) for mean in means[doubtful].tolist()]
    return severities


def _stance_relation(first: list[Stand], second: list[Stand]) -> tuple[np.ndarray, np.ndarray]:
    left = np.array([s.position.stance for s in first], dtype=object)[:, None]
    right = np.array([s.position.stance for s in second], dtype=object)[None, :]
    taken = (left != NEUTRAL) & (right != NEUTRAL)
    return taken & (left != right), taken & (left == right)


def _range_ends(stands: list[Stand]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lower and upper ends (open = infinite) as numbers, dates as day ordinals, and which ends are dates."""

    def number(value, open_end):
        if value is None:
            return open_end
        return float(value.toordinal()) if isinstance(value, date) else float(value)

    lows = np.array([number(s.position.minimum, -np.inf) for s in stands])
    highs = np.array([number(s.position.maximum, np.inf) for s in stands])
    kinds = np.array(
        [2 if any(isinstance(v, date) for v in (s.position.minimum, s.position.maximum)) else 1 for s in stands]
    )
    return lows, highs, kinds


def _range_relation(first: list[Stand], second: list[Stand]) -> tuple[np.ndarray, np.ndarray]:
    (low1, high1, kind1), (low2, high2, kind2) = _range_ends(first), _range_ends(second)
    comparable = kind1[:, None] == kind2[None, :]
    apart = (high1[:, None] < low2[None, :]) | (high2[None, :] < low1[:, None])
    return comparable & apart, comparable & ~apart


def _pairwise(negotiation: Negotiation, groups: list[str], as_of: date) -> _PairCounts:
    """Conflicts, agreements and weights for every pair of ``groups``: what find_conflicts and
    find_agreements would report for each pair, computed issue by issue in blocks of pairs."""
    counts = _PairCounts(groups)
    participants = _participants(negotiation, groups, as_of)
    for issue in sorted(participants):  # the order of a pair's own lists (see _PairCounts)
        own, inherited = participants[issue]
        for relation, ranges in ((_stance_relation, False), (_range_relation, True)):
            own_here = [s for s in own if s.position.is_range == ranges]
            inherited_here = [s for s in inherited if s.position.is_range == ranges]
            if own_here:
                counts.add_within(own_here, *relation(own_here, own_here))
                if inherited_here:
                    counts.add_block(own_here, inherited_here, *relation(own_here, inherited_here))
    counts.finish()
    _count_rejections(negotiation, groups, as_of, counts)
    return counts


def _count_rejections(negotiation: Negotiation, groups: list[str], as_of: date, counts: _PairCounts) -> None:
    """Explicit rejections (rare): a conflict on the rejected issue, replacing an agreement there if any."""
    current = {group: _current_by_id(negotiation, group, as_of) for group in groups}
    counted: set[tuple[str, str, str]] = set()
    for rejecting, position, rejected, target in _current_rejections(current):
        pair = (rejecting, rejected) if rejecting < rejected else (rejected, rejecting)
        if (*pair, target.issue) in counted:
            counts.doubtful.add(pair)
            continue
        counted.add((*pair, target.issue))
        a_stand = stand(negotiation, pair[0], target.issue, as_of)
        b_stand = stand(negotiation, pair[1], target.issue, as_of)
        outcome = None
        if a_stand and b_stand and not (a_stand.inherited and b_stand.inherited):
            outcome = _compare(a_stand, b_stand)[0]
        if outcome == "conflict":
            continue
        if outcome == "agreement" and a_stand and b_stand:
            counts.adjust(*pair, 0, -1, agreement_weight=-(a_stand.position.weight + b_stand.position.weight) / 2)
        counts.adjust(*pair, 1, 0, conflict_weight=(position.weight + target.weight) / 2)


def matrix(
    negotiation: Negotiation, actors: list[str], as_of: date | None = None
) -> dict[str, dict[str, dict[str, int]]]:
    """Pairwise counts of conflicts and agreements between the given groups.

    Examples
    --------
    >>> from graph.analysis.model import Actor, Issue, Position
    >>> negotiation = Negotiation(
    ...     actors={"a": Actor("a", "A"), "b": Actor("b", "B")}, issues={"i": Issue("i", "I")},
    ...     positions={"p": Position("p", "a", "i", "supports"), "q": Position("q", "b", "i", "opposes")})
    >>> matrix(negotiation, ["a", "b"])["a"]["b"]
    {'conflicts': 1, 'agreements': 0}
    """
    groups = list(dict.fromkeys(actors))
    _require_distinct_groups(negotiation, groups)
    counts = _pairwise(negotiation, groups, as_of or date.today())
    return {
        a: {
            b: {"conflicts": int(counts.conflicts[i, j]), "agreements": int(counts.agreements[i, j])}
            for j, b in enumerate(groups)
            if i != j
        }
        for i, a in enumerate(groups)
    }


@dataclass(frozen=True, slots=True)
class Tie:
    """The net weight of two groups (rule 8): salience-weighted agreements minus conflicts, with the counts."""

    a: str
    b: str
    weight: float
    agreements: int
    conflicts: int


@dataclass(frozen=True, slots=True)
class Coalition:
    """Groups that agree more than they conflict; ``ties`` are the positive pairs that hold them together."""

    members: tuple[str, ...]
    ties: tuple[Tie, ...] = ()


@dataclass(frozen=True, slots=True)
class Bridge:
    """A group with a positive tie into each of two coalitions that hold a negative pair between them."""

    group: str
    between: tuple[tuple[str, ...], tuple[str, ...]]
    member_of: tuple[str, ...] | None = None
    """The members of the one of the two coalitions the group belongs to, if it belongs to one."""


@dataclass(frozen=True, slots=True)
class Coalitions:
    coalitions: tuple[Coalition, ...]
    bridges: tuple[Bridge, ...]


class _Ties:
    """Net weights between groups, rounded so that float noise gives no sign (weights are sums of halves)."""

    def __init__(self, groups: list[str], counts: _PairCounts):
        self.groups = groups
        self.index = {group: number for number, group in enumerate(groups)}
        self.weight = np.round(counts.weight, 9)
        self.counts = counts

    def net(self, a: str, b: str) -> float:
        return float(self.weight[self.index[a], self.index[b]])

    def tie(self, a: str, b: str) -> Tie:
        cell = self.index[a], self.index[b]
        return Tie(a, b, self.net(a, b), int(self.counts.agreements[cell]), int(self.counts.conflicts[cell]))

    def most_negative(self, members: list[str]) -> tuple[str, str] | None:
        """The pair of ``members`` (sorted) with the lowest negative net weight, the first such pair on a tie."""
        cells = np.array([self.index[m] for m in members])
        above_diagonal = np.triu(np.ones((len(cells), len(cells)), dtype=bool), k=1)
        block = np.where(above_diagonal, self.weight[np.ix_(cells, cells)], np.inf)
        if len(cells) < 2 or block.min() >= 0:
            return None
        row, column = np.unravel_index(np.argmin(block), block.shape)
        return members[row], members[column]

    def closeness(self, member: str, side: list[str]) -> float | None:
        """The member's summed net weight to ``side``, or None if it has a negative tie into it."""
        weights = [self.net(member, other) for other in side]
        return None if min(weights) < 0 else sum(weights)


def _require_distinct_groups(negotiation: Negotiation, actors: list[str]) -> None:
    """Rule 10 for a set of actors, in one pass: no two of them may share a group."""
    first_in: dict[str, str] = {}
    for actor in actors:
        require_actor(negotiation, actor)
        for group in sorted(negotiation.groups_of(actor)):
            if group in first_in:
                raise SameGroup(first_in[group], actor, group, parameter="actors")
            first_in[group] = actor


def coalitions(negotiation: Negotiation, as_of: date | None = None, seed: int = 0) -> Coalitions:
    """Coalitions in the signed graph of groups (rule 8), and the groups that bridge opposed coalitions.

    Louvain communities of the positive ties (fixed ``seed``), each split until it holds no pair with a
    negative net weight: the most negative pair is pulled apart, every other member joins the side
    it is closer to (where it has no negative tie), and one as close to both stands apart. Each part
    is then cut into what its positive ties hold together, so a group that agrees with nobody stands
    alone. Sorted by size, then by first member: the answer repeats.

    Examples
    --------
    >>> from graph.analysis.model import Actor, Issue, Position
    >>> actors = {name: Actor(name, name.upper()) for name in ("a", "b", "c")}
    >>> positions = {"p": Position("p", "a", "i", "supports"), "q": Position("q", "b", "i", "opposes"),
    ...              "r": Position("r", "c", "j", "supports"), "s": Position("s", "a", "j", "supports")}
    >>> found = coalitions(Negotiation(actors, {"i": Issue("i", "I"), "j": Issue("j", "J")}, positions))
    >>> [coalition.members for coalition in found.coalitions]
    [('a', 'c'), ('b',)]
    """
    groups = top_groups(negotiation)
    ties = _Ties(groups, _pairwise(negotiation, groups, as_of or date.today()))
    positive = nx.Graph()
    positive.add_nodes_from(groups)
    rows, columns = np.nonzero(np.triu(ties.weight > 0, k=1))
    positive.add_weighted_edges_from(
        (groups[i], groups[j], float(ties.weight[i, j])) for i, j in zip(rows, columns, strict=True)
    )
    parts = []
    for community in sorted(sorted(c) for c in nx.community.louvain_communities(positive, seed=seed)):
        for side in _apart(community, ties):
            parts += [sorted(part) for part in nx.connected_components(positive.subgraph(side))]
    parts.sort(key=lambda members: (-len(members), members[0]))
    found = tuple(
        Coalition(
            tuple(members),
            tuple(ties.tie(a, b) for a, b in itertools.combinations(members, 2) if ties.net(a, b) > 0),
        )
        for members in parts
    )
    return Coalitions(found, _bridges(found, ties))


def _apart(members: list[str], ties: _Ties) -> list[list[str]]:
    """``members`` (sorted) split until no part holds a pair with a negative net weight."""
    pair = ties.most_negative(members)
    if pair is None:
        return [members]
    sides: tuple[list[str], list[str]] = ([pair[0]], [pair[1]])
    between = []
    # The members most bound to the pair choose first; then by name, so the split repeats.
    rest = sorted(set(members) - set(pair), key=lambda m: (-abs(ties.net(m, pair[0])) - abs(ties.net(m, pair[1])), m))
    for member in rest:
        near = [ties.closeness(member, side) for side in sides]
        open_sides = [(value, number) for number, value in enumerate(near) if value is not None and value > 0]
        best = max(open_sides, default=None)
        if best is not None and [value for value, _ in open_sides].count(best[0]) == 1:
            sides[best[1]].append(member)
        else:
            between.append(member)
    return [sorted(sides[0]), sorted(sides[1]), *(_apart(sorted(between), ties) if between else [])]


def _bridges(found: tuple[Coalition, ...], ties: _Ties) -> tuple[Bridge, ...]:
    """Groups with a positive tie into each of two coalitions between which some pair is negative."""
    if len(found) < 2:
        return ()
    cells = [np.array([ties.index[member] for member in coalition.members]) for coalition in found]
    positive = ties.weight > 0
    np.fill_diagonal(positive, False)  # a group's tie to itself is no tie into its own coalition
    # touches[g, c]: group g agrees, on the whole, with some member of coalition c. One matrix for
    # every pair of coalitions, where asking each group of each pair grows with groups x coalitions^2.
    touches = np.stack([positive[:, members].any(axis=1) for members in cells], axis=1)
    bridges = []
    for first, second in itertools.combinations(range(len(found)), 2):
        if not (ties.weight[np.ix_(cells[first], cells[second])] < 0).any():
            continue
        left, right = found[first], found[second]
        for number in np.flatnonzero(touches[:, first] & touches[:, second]):
            group = ties.groups[number]
            own = next((c.members for c in (left, right) if group in c.members), None)
            bridges.append(Bridge(group, (left.members, right.members), own))
    return tuple(sorted(bridges, key=lambda bridge: (bridge.group, bridge.between)))


def mediators(negotiation: Negotiation, a: str, b: str, as_of: date | None = None) -> list[Mediator]:
    """Third groups ranked as mediators between ``a`` and ``b`` (rule 9), each with its reasons.

    Score: one point for leverage over each side, one for agreeing with each side on at least one
    issue, half a point per agreement beyond that (at most one more point a side), and minus one per
    conflict with either side. Ties are broken by slug.
    """
    require_two_groups(negotiation, a, b)
    as_of = as_of or date.today()
    excluded = negotiation.members(a) | negotiation.members(b) | negotiation.groups_of(a) | negotiation.groups_of(b)
    # Every candidate speaks for no one, so none shares a group with a side: rule 10 allows every pair compared.
    candidates = [
        candidate
        for candidate in top_groups(negotiation)
        + sorted(
            actor.id
            for actor in negotiation.actors.values()
            if not actor.speaks_for and not negotiation.positions_of(actor.id)
        )
        if candidate not in excluded
    ]
    relations = {side: _relations_with(negotiation, side, set(candidates), as_of) for side in (a, b)}
    ranked = []
    for candidate in candidates:
        leverage = {
            target for member in negotiation.members(candidate) for target in negotiation.actors[member].leverage_over
        }
        reasons = [
            reason
            for side in (a, b)
            for reason in _mediator_reasons(negotiation, candidate, side, leverage, relations[side].get(candidate))
        ]
        score = sum(reason.effect for reason in reasons)
        if score > 0:
            ranked.append(Mediator(candidate, score, tuple(reasons)))
    return sorted(ranked, key=lambda m: (-m.score, m.group))


def _relations_with(
    negotiation: Negotiation, group: str, others: set[str], as_of: date
) -> dict[str, tuple[list[str], list[str]]]:
    """For each of ``others`` in conflict or agreement with ``group``, the issues of its conflicts and of its
    agreements, each sorted: the issues of ``find_relations(other, group)``, without its items.

    Only the groups that meet ``group`` on an issue (:func:`_meetings_with`) or may reject one another's
    positions (:func:`_rejecting`) are compared, and only on the issues where they meet, as
    :func:`all_relations` does for every pair. The few that may reject are asked of :func:`_relations`; the
    others can only differ in stance or range, which each issue's two stands say (:func:`_compare`), without
    the items' conditions and severities that a mediator's reasons do not show.
    """
    rejecting = _rejecting(negotiation, group, as_of) & others
    found: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    met: dict[str, set[str]] = defaultdict(set)
    for issue, own, theirs in _meetings_with(negotiation, group, as_of):
        for other, their in theirs.items():
            if other in rejecting:
                met[other].add(issue)
            elif other in others and not (own.inherited and their.inherited):
                outcome, _ = _compare(their, own)
                if outcome is not None:
                    conflicts, agreements = found[other]
                    (conflicts if outcome == "conflict" else agreements).append(issue)
    for other in sorted(rejecting):
        with_rejections = _relations(negotiation, other, group, as_of, met[other])
        if with_rejections != ([], []):
            found[other] = ([c.issue for c in with_rejections[0]], [a.issue for a in with_rejections[1]])
    return found


def _meetings_with(negotiation: Negotiation, group: str, as_of: date) -> Iterator[tuple[str, Stand, dict[str, Stand]]]:
    """``(issue, group's stand, {other group: its stand})`` for each issue, in order, where ``group`` and other
    groups both have a stand, one of them its own (:func:`_meetings_on_issues` for the pairs of one group).

    ``group`` meets another on an issue it holds a stand on, if the other holds one there too or on a broader
    issue of the same scale (which it inherits); and on a narrower issue of the same scale (which ``group``
    inherits) where the other holds a stand of its own.
    """
    holding = _kept(negotiation, ("holding",), lambda: _holding(negotiation))

    def owning(issue: str) -> dict[str, Stand]:
        """The groups with a stand of their own on the issue: kept, as each group's stands are (in the memo)."""
        key = ("owners", issue, as_of)
        if key not in negotiation.memo:
            negotiation.memo[key] = {
                other: found
                for other in holding.get(issue, ())
                if (found := _own_stand(negotiation, other, issue, as_of)) is not None
            }
        return negotiation.memo[key]

    reaching: dict[str, set[str]] = defaultdict(set)
    for issue in negotiation.positions_of(group):
        if _own_stand(negotiation, group, issue, as_of) is None:
            continue
        scale = negotiation.scale(issue)
        broader = [ancestor for ancestor in negotiation.ancestors(issue) if negotiation.scale(ancestor) == scale]
        reaching[issue].update(*(owning(ancestor) for ancestor in broader))
        for narrower in negotiation.descendants(issue):
            if negotiation.scale(narrower) == scale:
                reaching.setdefault(narrower, set())  # inherited there: who holds a stand of its own meets it
    for issue in sorted(reaching):
        own = stand(negotiation, group, issue, as_of)  # its own, or inherited from an issue it holds one on
        if own is None:
            continue
        theirs = dict(owning(issue))
        theirs.update(
            (other, found)
            for other in reaching[issue] - theirs.keys()
            if (found := stand(negotiation, other, issue, as_of)) is not None
        )
        theirs.pop(group, None)
        yield issue, own, theirs


def _holding(negotiation: Negotiation) -> dict[str, set[str]]:
    """The groups holding a position on each issue, whether current or not (by issue)."""
    groups_of: dict[str, set[str]] = {}
    holding: dict[str, set[str]] = defaultdict(set)
    for position in negotiation.positions.values():
        if position.holder not in groups_of:
            groups_of[position.holder] = negotiation.groups_of(position.holder)
        holding[position.issue] |= groups_of[position.holder]
    return holding


def _rejecting(negotiation: Negotiation, group: str, as_of: date) -> set[str]:
    """The groups that may have an explicit conflict with ``group``: those holding a position that rejects one
    of its current positions, or a position that one of them rejects (more than those that do, never fewer)."""
    rejected_by = _kept(negotiation, ("rejected by",), lambda: _rejected_by(negotiation))
    found: set[str] = set()
    for position in _current_by_id(negotiation, group, as_of).values():
        for rejecting in rejected_by.get(position.id, ()):
            found |= negotiation.groups_of(rejecting.holder)
        for rejected in position.rejects:
            if rejected in negotiation.positions:
                found |= negotiation.groups_of(negotiation.positions[rejected].holder)
    return found


def _rejected_by(negotiation: Negotiation) -> dict[str, list[Position]]:
    """The positions that reject each position, by the rejected one's id."""
    rejected_by: dict[str, list[Position]] = defaultdict(list)
    for position in negotiation.positions.values():
        for rejected in position.rejects:
            rejected_by[rejected].append(position)
    return rejected_by


def _mediator_reasons(
    negotiation: Negotiation,
    candidate: str,
    side: str,
    leverage: set[str],
    relations: tuple[list[str], list[str]] | None,
) -> list[Reason]:
    """What raises and lowers ``candidate``'s score as a mediator, on ``side``'s account (rule 9), given the
    issues of their conflicts and of their agreements (None: neither)."""
    reasons = []
    if leverage & negotiation.groups_of(side):
        reasons.append(Reason(f"has leverage over {side}", 1.0))
    conflicts, agreements = relations or ([], [])
    if agreements:
        issues = ", ".join(agreements)
        reasons.append(Reason(f"agrees with {side} on {issues}", 1 + min(0.5 * (len(agreements) - 1), 1.0)))
    if conflicts:
        issues = ", ".join(conflicts)
        reasons.append(Reason(f"conflicts with {side} on {issues}", -float(len(conflicts))))
    return reasons


#
# Inconsistencies and timelines.
#


def inconsistencies(negotiation: Negotiation, as_of: date | None = None) -> list[Inconsistency]:
    """Groups whose latest positions on one issue disagree (people of one camp saying different things)."""
    as_of = as_of or date.today()
    found = []
    for group in sorted(negotiation.actors):
        for issue in sorted(negotiation.positions_of(group)):
            latest = current_positions(negotiation, group, issue, as_of)
            if len(latest) > 1:
                chosen, inconsistent = _choose(group, latest)
                if inconsistent:
                    found.append(Inconsistency(group, issue, tuple(latest), chosen))
    return found


def effective_end(negotiation: Negotiation, position: Position) -> date | None:
    """The last day a position holds: its own end, or the day before a successor starts, whichever is first.

    Examples
    --------
    >>> from graph.analysis.model import Actor, Issue
    >>> old = Position("old", "a", "i", "supports", valid_from="2024-01-01")
    >>> new = Position("new", "a", "i", "opposes", valid_from="2025-01-01", supersedes=("old",))
    >>> negotiation = Negotiation(actors={"a": Actor("a", "A")}, issues={"i": Issue("i", "I")},
    ...                           positions={"old": old, "new": new})
    >>> effective_end(negotiation, old)
    datetime.date(2024, 12, 31)
    """
    ends = position.ends
    successors = [s.starts for s in negotiation.superseded_by.get(position.id, ()) if s.starts is not None]
    if successors:
        cut = min(successors) - timedelta(days=1)
        ends = min(ends, cut) if ends else cut
    return ends


def timeline(negotiation: Negotiation, actor: str, as_of: date | None = None) -> list[TimelineEntry]:
    """Every position of the actor's group in date order, with when it ended and its status as of ``as_of``.

    A superseded position ends the day before its successor starts.
    """
    require_actor(negotiation, actor)
    as_of = as_of or date.today()
    entries = []
    positions = [p for by_issue in negotiation.positions_of(actor).values() for p in by_issue]
    for position in sorted(positions, key=lambda p: (p.starts or date.min, p.issue, p.id)):
        ends = effective_end(negotiation, position)
        if position.starts is not None and position.starts > as_of:
            status = "not yet"
        elif any(s.starts is None or s.starts <= as_of for s in negotiation.superseded_by.get(position.id, ())):
            status = "superseded"
        elif position.ends is not None and position.ends < as_of:
            status = "ended"
        elif position in current_positions(negotiation, actor, position.issue, as_of):
            status = "current"
        else:
            status = "overridden"
        entries.append(TimelineEntry(position, position.starts, ends, status))
    return entries
