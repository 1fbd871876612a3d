"""Rule 12: the cheapest set of concessions after which two parties have no conflict and no deadlock.

A concession moves one of a group's current stands on an issue: a stance to Neutral (which withdraws that
position's conditions and rejections with it), or a range widened just enough to meet the other side's.
Its cost is the salience of what it moves. Red lines are never conceded.

Each conflict between the two groups, and each deadlock cycle that runs between them, asks for at least one
concession among a few: a stance or range conflict is settled by either side's stand; an explicit rejection by
the rejected stand (which then no longer stands as rejected) or by the rejecting one conceded to Neutral; a
deadlock cycle by conceding, on one of its steps, every position of the two groups that makes that step (a
third group's position cannot be moved, so a step it makes cannot be cut). Choosing the cheapest such set is
a weighted hitting-set problem. Without deadlocks it is a minimum vertex cover of a bipartite graph (one
side's stands against the other's), which a minimum cut solves; a deadlock's constraint spans several stands
of both sides at once, which a cut cannot express, so the set is found as a small integer program (SciPy's
``milp``, the HiGHS solver), exactly, one connected group of constraints at a time. Among sets of the same
cost, the stands are preferred by issue slug, then group and position id, so the same graph gives the same
answer.

The answer is checked, not trusted: the concessions are applied (:func:`apply_concessions`) and the
conflicts and deadlocks worked out again; any that remain (an either/or condition can keep a cycle in ways
the constraints do not foresee) add their constraints and the program is solved again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from itertools import combinations
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from graph.analysis.model import NEUTRAL, Negotiation, Position
from graph.analysis.rules import (
    Agreement,
    Conflict,
    current_positions,
    deadlock_components,
    deadlocks,
    find_relations,
    rejections_between,
    require_two_groups,
    top_groups,
)

CONCEDED = "~conceded"
"""The suffix of a conceded position's id: the position a concession puts in place of the one it moves."""

_ROUNDS = 20
"""How many times the answer may be checked and solved again before the remaining conflicts are reported."""


@dataclass(frozen=True, slots=True)
class Concession:
    """One position moved: ``position`` as it stands, ``to`` what it becomes, at the cost of its salience."""

    group: str
    position: Position
    to: Position
    cost: float


@dataclass(frozen=True, slots=True)
class Compromise:
    """The cheapest concessions that settle ``a`` and ``b``, the agreements that result, and what blocks it."""

    a: str
    b: str
    as_of: date
    concessions: tuple[Concession, ...]
    cost: float
    zones: tuple[Agreement, ...]
    """Agreements on ranges after the concessions, where there was a conflict: the zones they open."""
    blocked_by: tuple[Position, ...] = ()
    """Red lines (and positions of third groups) without which the two could not be settled."""
    unsettled: tuple[str, ...] = ()
    """What no concession can settle: ``conflict on ISSUE`` or ``deadlock (I, s) -> (J, t) -> ...``."""

    @property
    def settled(self) -> bool:
        return not self.unsettled


@dataclass(frozen=True, slots=True)
class _Stand:
    """What one concession moves: a group's latest current positions on one issue (usually one)."""

    group: str
    issue: str
    positions: tuple[Position, ...]

    @property
    def key(self) -> tuple[str, str]:
        return (self.group, self.issue)

    @property
    def concedable(self) -> bool:
        return bool(self.positions) and not any(p.red_line for p in self.positions)

    @property
    def cost(self) -> float:
        return round(sum(p.salience for p in self.positions), 9)


@dataclass(frozen=True, slots=True)
class _Need:
    """One thing to settle: conceding every stand of at least one ``option`` settles it."""

    what: str
    options: tuple[tuple[tuple[str, str], ...], ...]
    """Each option: the stands (by group and issue) that must all be conceded."""
    blockers: tuple[Position, ...]
    """The red lines and third-group positions that rule options out."""


def compromise(negotiation: Negotiation, a: str, b: str, as_of: date | None = None) -> Compromise:
    """The cheapest concessions after which ``a`` and ``b`` have no conflict and no deadlock (rule 12).

    Examples
    --------
    >>> from graph.analysis.model import Actor, Issue
    >>> negotiation = Negotiation(
    ...     actors={"a": Actor("a", "A"), "b": Actor("b", "B")}, issues={i: Issue(i, i) for i in "xy"},
    ...     positions={"p": Position("p", "a", "x", "supports", salience=0.3),
    ...                "q": Position("q", "b", "x", "opposes", salience=0.8),
    ...                "r": Position("r", "a", "y", "supports", red_line=True),
    ...                "s": Position("s", "b", "y", "opposes", salience=0.9)})
    >>> answer = compromise(negotiation, "a", "b")
    >>> [(c.position.id, c.to.stance, c.cost) for c in answer.concessions], answer.cost, answer.settled
    ([('p', 'neutral', 0.3), ('s', 'neutral', 0.9)], 1.2, True)
    """
    require_two_groups(negotiation, a, b)
    as_of = as_of or date.today()
    return _settle(negotiation, a, b, as_of, deadlock_components(negotiation, as_of))


def _settle(negotiation: Negotiation, a: str, b: str, as_of: date, components: list) -> Compromise:
    """The compromise of ``a`` and ``b``, given where the whole graph's cycles run (shared by every pair asked)."""
    # Concessions only withdraw conditions, so every deadlock left after them runs where one runs now: the
    # whole graph is searched once, and each check after that only where both parties draw a cycle's edges.
    within = _between(negotiation, components, (a, b))
    stands: dict[tuple[str, str], _Stand] = {}
    needs: set[_Need] = set()
    chosen: list[_Stand] = []
    for _ in range(_ROUNDS):
        concessions = _concessions(negotiation, chosen, a, b, as_of)
        remaining = _needs(apply_concessions(negotiation, concessions), negotiation, (a, b), as_of, stands, within)
        if not remaining or remaining <= needs:
            break
        needs |= remaining
        chosen = _cheapest(needs, stands, (a, b))
    return _answer(negotiation, a, b, as_of, concessions, remaining)


def _answer(
    negotiation: Negotiation, a: str, b: str, as_of: date, concessions: list[Concession], unsettled: set[_Need]
) -> Compromise:
    applied = apply_concessions(negotiation, concessions)
    in_conflict = {conflict.issue for conflict in find_relations(negotiation, a, b, as_of)[0]}
    zones = tuple(z for z in find_relations(applied, a, b, as_of)[1] if z.zone is not None and z.issue in in_conflict)
    blockers = {p.id: p for need in unsettled for p in need.blockers}
    return Compromise(
        a,
        b,
        as_of,
        tuple(concessions),
        round(sum(c.cost for c in concessions), 6),
        zones,
        tuple(blockers[k] for k in sorted(blockers)),
        tuple(sorted({need.what for need in unsettled})),
    )


def apply_concessions(negotiation: Negotiation, concessions: Iterable[Concession]) -> Negotiation:
    """A copy of the negotiation in which each conceded position is superseded by what it was moved to.

    Examples
    --------
    >>> from graph.analysis.model import Actor, Issue
    >>> negotiation = Negotiation(actors={"a": Actor("a", "A")}, issues={"x": Issue("x", "x")},
    ...                           positions={"p": Position("p", "a", "x", "supports")})
    >>> moved = Concession("a", negotiation.positions["p"], conceded(negotiation.positions["p"]), 0.5)
    >>> sorted(apply_concessions(negotiation, [moved]).positions)
    ['p', 'p~conceded']
    """
    return negotiation.with_positions([concession.to for concession in concessions])


def conceded(position: Position, low: Any = None, high: Any = None) -> Position:
    """What a position becomes when conceded: Neutral, with no conditions or rejections; or, for a range,
    the range with its ends moved to ``low`` and ``high`` where given (its conditions and rejections kept).

    Examples
    --------
    >>> conceded(Position("p", "a", "x", "supports", rejects=("q",))).stance
    'neutral'
    >>> wide = conceded(Position("p", "a", "army", minimum=250_000.0), high=None, low=85_000.0)
    >>> wide.minimum, wide.maximum, wide.supersedes
    (85000.0, None, ('p',))
    """
    # A new position in place of the old (which it supersedes), so that a rejection of the old one no longer
    # holds; it keeps the old one's dates, so it is current exactly when the old one was.
    moved = replace(
        position, id=position.id + CONCEDED, supersedes=(position.id,), evidence=(), first_stated=position.first_stated
    )
    if position.is_range:
        return replace(
            moved,
            minimum=low if low is not None else position.minimum,
            maximum=high if high is not None else position.maximum,
        )
    return replace(moved, stance=NEUTRAL, conditions=(), rejects=())


def rank_pairs(negotiation: Negotiation, as_of: date | None = None) -> list[Compromise]:
    """The compromise of every pair of groups in conflict or deadlock, cheapest first (settled before not).

    Examples
    --------
    >>> from graph.analysis.model import Actor, Issue
    >>> negotiation = Negotiation(
    ...     actors={x: Actor(x, x.upper()) for x in "abc"}, issues={"x": Issue("x", "x")},
    ...     positions={"p": Position("p", "a", "x", "supports", salience=0.9),
    ...                "q": Position("q", "b", "x", "opposes", salience=0.4),
    ...                "r": Position("r", "c", "x", "supports", salience=0.2)})
    >>> [(c.a, c.b, c.cost) for c in rank_pairs(negotiation)]
    [('b', 'c', 0.2), ('a', 'b', 0.4)]
    """
    as_of = as_of or date.today()
    components = deadlock_components(negotiation, as_of)
    found = []
    for a, b in combinations(top_groups(negotiation), 2):
        answer = _settle(negotiation, a, b, as_of, components)
        if answer.concessions or answer.unsettled:
            found.append(answer)
    return sorted(found, key=lambda c: (not c.settled, c.cost, c.a, c.b))


#
# What must be settled, from the conflicts and deadlocks of the negotiation as it stands.
#


def _stand(negotiation: Negotiation, group: str, issue: str, as_of: date, stands: dict) -> _Stand:
    """The group's latest current positions on the issue that are not Neutral (what conceding it moves)."""
    key = (group, issue)
    if key not in stands:
        latest = current_positions(negotiation, group, issue, as_of)
        stands[key] = _Stand(group, issue, tuple(p for p in latest if p.stance != NEUTRAL))
    return stands[key]


def _between(negotiation: Negotiation, components: list, groups: tuple[str, str]) -> frozenset:
    """The propositions of the components of the waiting graph whose edges both groups draw."""
    within: set = set()
    for nodes, made in components:
        drawn = set().union(*(negotiation.groups_of(position.holder) for position in made))
        if set(groups) <= drawn:
            within |= nodes
    return frozenset(within)


def _needs(
    applied: Negotiation, original: Negotiation, groups: tuple[str, str], as_of: date, stands: dict, within: frozenset
) -> set[_Need]:
    """What remains to settle in ``applied``, in terms of the stands of ``original``; deadlocks only ``within``."""
    a, b = groups
    found = {
        _stands_need(conflict, original, as_of, stands)
        for conflict in find_relations(applied, a, b, as_of)[0]
        if set(conflict.kinds) - {"explicit"}
    }
    for rejecting_group, rejecting, rejected_group, rejected in rejections_between(applied, a, b, as_of):
        sides = ((rejected_group, rejected, True), (rejecting_group, rejecting, not rejecting.is_range))
        what = f"conflict on {rejected.issue}: {_original(rejecting)} rejects {_original(rejected)}"
        found.add(_need(what, sides, original, as_of, stands))
    for cycle in deadlocks(applied, as_of, among=within) if within else ():
        held = [{group for group in groups if group in applied.groups_of(p.holder)} for p in cycle.positions]
        if any(a in groups_held for groups_held in held) and any(b in groups_held for groups_held in held):
            found.add(_deadlock_need(cycle.propositions, applied, original, groups, as_of, stands))
    return found


def _original(position: Position) -> str:
    return position.id.removesuffix(CONCEDED)


def _stands_need(conflict: Conflict, original: Negotiation, as_of: date, stands: dict) -> _Need:
    """A conflict of stances or ranges on an issue: settled by conceding either side's stand."""
    sides = ((conflict.a, conflict.a_stand.position, True), (conflict.b, conflict.b_stand.position, True))
    return _need(f"conflict on {conflict.issue}", sides, original, as_of, stands)


def _need(
    what: str, sides: Iterable[tuple[str, Position, bool]], original: Negotiation, as_of: date, stands: dict
) -> _Need:
    """A need settled by conceding the stand of any side whose ``settles`` is true and that can be moved."""
    options: list[tuple[tuple[str, str], ...]] = []
    blockers: list[Position] = []
    for group, position, settles in sides:
        if position.id.endswith(CONCEDED):
            continue  # moved already, and still in the way: the other side must move
        stand = _stand(original, group, position.issue, as_of, stands)
        if stand.concedable and settles and position.id in {p.id for p in stand.positions}:
            options.append((stand.key,))
        blockers.extend(p for p in stand.positions if p.red_line)
    return _Need(what, tuple(options), tuple(blockers))


def _deadlock_need(
    propositions: tuple[tuple[str, str], ...],
    applied: Negotiation,
    original: Negotiation,
    groups: tuple[str, str],
    as_of: date,
    stands: dict,
) -> _Need:
    """A cycle is cut where every position making one of its steps is conceded (by the two groups only)."""
    options: list[tuple[tuple[str, str], ...]] = []
    blockers: list[Position] = []
    steps = zip(propositions, propositions[1:] + propositions[:1], strict=True)
    for (issue, stance), target in steps:
        keys, movable = set(), True
        for maker in _makers(applied, issue, stance, target, as_of):
            owner = next((group for group in groups if group in applied.groups_of(maker.holder)), None)
            stand = (
                _stand(original, owner, maker.issue, as_of, stands)
                if owner and not maker.id.endswith(CONCEDED)
                else None
            )
            if stand is None or not stand.concedable:
                movable = False
                blockers.append(maker)
            else:
                keys.add(stand.key)
        if movable and keys:
            options.append(tuple(sorted(keys)))
    described = " -> ".join(f"({issue}, {stance})" for issue, stance in propositions)
    return _Need(f"deadlock {described}", tuple(options), tuple(blockers))


def _makers(negotiation: Negotiation, issue: str, stance: str, target: tuple[str, str], as_of: date) -> list[Position]:
    """The current positions taking ``stance`` on ``issue`` on a condition that ``target`` holds."""
    return [
        position
        for group in top_groups(negotiation)
        for position in current_positions(negotiation, group, issue, as_of)
        if position.stance == stance
        and any(target in {(c.issue, c.stance) for c in condition.alternatives} for condition in position.conditions)
    ]


#
# The cheapest choice, one connected group of needs at a time.
#


def _cheapest(needs: set[_Need], stands: dict[tuple[str, str], _Stand], groups: tuple[str, str]) -> list[_Stand]:
    """The cheapest stands to concede so that every need that can be settled is, ties by issue slug."""
    settleable = sorted((need for need in needs if need.options), key=lambda need: (need.what, need.options))
    chosen: list[_Stand] = []
    for component in _components(settleable):
        keys = sorted(
            {key for need in component for option in need.options for key in option},
            key=lambda key: (key[1], groups.index(key[0]) if key[0] in groups else 2, key[0]),
        )
        chosen += [stands[key] for key in _solve(component, keys, stands)]
    return sorted(chosen, key=lambda stand: (stand.issue, stand.group))


def _components(needs: list[_Need]) -> list[list[_Need]]:
    """The needs grouped so that no stand is shared between groups (each solved on its own)."""
    parent: dict[Any, Any] = {}

    def root(node: Any) -> Any:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for index, need in enumerate(needs):
        for option in need.options:
            for key in option:
                parent[root(("stand", key))] = root(("need", index))
    grouped: dict[Any, list[_Need]] = defaultdict(list)
    for index, need in enumerate(needs):
        grouped[root(("need", index))].append(need)
    return list(grouped.values())


def _solve(needs: list[_Need], keys: list[tuple[str, str]], stands: dict) -> list[tuple[str, str]]:
    """The cheapest keys that settle every need, preferring keys earlier in ``keys`` among equal costs."""
    if len(needs) == 1 and all(len(option) == 1 for option in needs[0].options):
        cheapest = min(needs[0].options, key=lambda option: (stands[option[0]].cost, keys.index(option[0])))
        return list(cheapest)
    program = _Program(needs, keys, [stands[key].cost for key in keys])
    best = program.cost()
    fixed: dict[int, int] = {}
    for index in range(len(keys)):
        # Concede the earliest stand whenever some cheapest set does: a fixed order among equal costs.
        fixed[index] = 1
        if program.cost(fixed) > best + 1e-9:
            fixed[index] = 0
    return [keys[index] for index, value in fixed.items() if value]


class _Program:
    """The needs as an integer program: a 0/1 variable per stand and per option; each need takes an option,
    and an option is taken only with all its stands conceded."""

    def __init__(self, needs: list[_Need], keys: list[tuple[str, str]], costs: list[float]):
        position = {key: index for index, key in enumerate(keys)}
        options = [option for need in needs for option in need.options]
        self.size = len(keys) + len(options)
        self.costs = np.array(costs + [0.0] * len(options))
        rows, lower = [], []
        first = len(keys)
        for need in needs:
            row = np.zeros(self.size)
            for offset in range(len(need.options)):
                row[first + offset] = 1
            rows.append(row)
            lower.append(1)
            for offset, option in enumerate(need.options):
                for key in option:
                    link = np.zeros(self.size)
                    link[position[key]], link[first + offset] = 1, -1
                    rows.append(link)
                    lower.append(0)
            first += len(need.options)
        self.constraint = LinearConstraint(np.array(rows), np.array(lower), np.inf)

    def cost(self, fixed: dict[int, int] | None = None) -> float:
        low, high = np.zeros(self.size), np.ones(self.size)
        for index, value in (fixed or {}).items():
            low[index] = high[index] = value
        result = milp(
            self.costs,
            constraints=self.constraint,
            integrality=np.ones(self.size),
            bounds=Bounds(low, high),
            options={"mip_rel_gap": 0},
        )
        return float(result.fun) if result.success else float("inf")


def _concessions(negotiation: Negotiation, chosen: list[_Stand], a: str, b: str, as_of: date) -> list[Concession]:
    """The positions each chosen stand moves, ranges widened just enough to meet the other side's."""
    conflicts, _ = find_relations(negotiation, a, b, as_of)
    reach: dict[str, list[Position]] = defaultdict(list)
    for conflict in conflicts:
        if conflict.gap is not None:
            reach[conflict.a_stand.position.id].append(conflict.b_stand.position)
            reach[conflict.b_stand.position.id].append(conflict.a_stand.position)
    concessions = []
    for stand in chosen:
        for position in stand.positions:
            low, high = _widened(position, reach[position.id]) if position.is_range else (None, None)
            concessions.append(Concession(stand.group, position, conceded(position, low, high), position.salience))
    return concessions


def _widened(position: Position, others: list[Position]) -> tuple[Any, Any]:
    """The ends that make ``position`` meet each of ``others``: its low end down to their highest end
    below it, its high end up to their lowest end above it (None where it need not move)."""
    # The ends of ranges in conflict are all numbers or all dates (rules._comparable); hence Any.
    low: Any = None
    high: Any = None
    minimum: Any = position.minimum
    maximum: Any = position.maximum
    for other in others:
        below: Any = other.maximum
        above: Any = other.minimum
        if minimum is not None and below is not None and below < minimum:
            low = below if low is None else min(low, below)
        if maximum is not None and above is not None and above > maximum:
            high = above if high is None else max(high, above)
    return low, high
