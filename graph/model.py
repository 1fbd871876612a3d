"""Plain dataclasses for what Parley knows: actors, issues, positions and their evidence.

Nothing here touches RDF: :mod:`graph.positions` reads the store into these, and
:mod:`graph.analysis` works on them. Everything is named by slug (``russia``, ``territory``).
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

__all__ = [
    "SUPPORTS", "OPPOSES", "NEUTRAL", "BINARY", "QUANTITY",
    "Actor", "Issue", "Source", "Evidence", "Condition", "Position", "Negotiation",
    "first_day", "last_day",
]

SUPPORTS, OPPOSES, NEUTRAL = "supports", "opposes", "neutral"
BINARY, QUANTITY = "binary", "quantity"

Value = float | date
"""An end of an acceptable range: a number, or a date on a Quantity issue measured in dates."""


def first_day(text: str | None) -> date | None:
    """The first day of an xsd:date, xsd:gYearMonth or xsd:gYear, given as text.

    Examples
    --------
    >>> first_day("2025-03"), first_day("2024"), first_day("2025-04-18")
    (datetime.date(2025, 3, 1), datetime.date(2024, 1, 1), datetime.date(2025, 4, 18))
    """
    if not text:
        return None
    parts = [int(part) for part in text[:10].split("-")]
    return date(parts[0], *(parts[1:] + [1] * (3 - len(parts))))


def last_day(text: str | None) -> date | None:
    """The last day of an xsd:date, xsd:gYearMonth or xsd:gYear, given as text.

    Examples
    --------
    >>> last_day("2025-02"), last_day("2024")
    (datetime.date(2025, 2, 28), datetime.date(2024, 12, 31))
    """
    if not text:
        return None
    parts = [int(part) for part in text[:10].split("-")]
    if len(parts) == 1:
        return date(parts[0], 12, 31)
    if len(parts) == 2:
        return date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return date(*parts)


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    label: str
    kind: str = "actor"
    """``state``, ``organization``, ``coalition``, ``person`` or ``actor``."""
    speaks_for: tuple[str, ...] = ()
    member_of: tuple[str, ...] = ()
    leverage_over: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Issue:
    id: str
    label: str
    definition: str | None = None
    scale: str = BINARY
    unit: str | None = None
    broader: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    issued: str | None = None
    publisher: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    quote: str
    source: Source | None = None
    speaker: str | None = None
    stated_on: str | None = None
    reported_by: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Condition:
    """A proposition (an issue and a stance) that must hold for a position to hold."""

    issue: str
    stance: str
    addressees: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Position:
    id: str
    holder: str
    issue: str
    stance: str | None = None
    minimum: Value | None = None
    maximum: Value | None = None
    salience: float = 0.5
    red_line: bool = False
    kind: str = "position"
    """``position``, ``demand``, ``offer``, ``threat`` or ``commitment``."""
    addressees: tuple[str, ...] = ()
    conditions: tuple[Condition, ...] = ()
    rejects: tuple[str, ...] = ()
    supersedes: tuple[str, ...] = ()
    valid_from: str | None = None
    valid_until: str | None = None
    evidence: tuple[Evidence, ...] = ()

    @property
    def is_range(self) -> bool:
        return self.stance is None

    @property
    def weight(self) -> float:
        """Salience as severity counts it: a red line is 1."""
        return 1.0 if self.red_line else self.salience

    @property
    def starts(self) -> date | None:
        """When the position is first known to hold: valid_from, else the earliest statement, else its source's date."""
        if self.valid_from:
            return first_day(self.valid_from)
        stated = [first_day(e.stated_on) for e in self.evidence if e.stated_on]
        if stated:
            return min(stated)
        issued = [first_day(e.source.issued) for e in self.evidence if e.source and e.source.issued]
        return min(issued) if issued else None

    @property
    def ends(self) -> date | None:
        return last_day(self.valid_until)


@dataclass
class Negotiation:
    """Everything the analysis reads, with the indexes that keep each question local.

    ``positions_of(group)`` holds the positions of the group's members by issue, so answering a
    question about two groups costs what their positions cost, whatever the size of the graph.
    """

    actors: dict[str, Actor] = field(default_factory=dict)
    issues: dict[str, Issue] = field(default_factory=dict)
    positions: dict[str, Position] = field(default_factory=dict)

    @cached_property
    def _speakers(self) -> dict[str, set[str]]:
        speakers: dict[str, set[str]] = defaultdict(set)
        for actor in self.actors.values():
            for spoken_for in actor.speaks_for:
                speakers[spoken_for].add(actor.id)
        return speakers

    def members(self, group: str) -> set[str]:
        """The group: the actor and everyone who speaks for it, transitively."""
        members, frontier = {group}, [group]
        while frontier:
            for speaker in self._speakers.get(frontier.pop(), ()):
                if speaker not in members:
                    members.add(speaker)
                    frontier.append(speaker)
        return members

    def groups_of(self, actor: str) -> set[str]:
        """Every group an actor's positions count for: itself and all it speaks for, transitively."""
        groups, frontier = {actor}, [actor]
        while frontier:
            current = self.actors.get(frontier.pop())
            for spoken_for in current.speaks_for if current else ():
                if spoken_for not in groups:
                    groups.add(spoken_for)
                    frontier.append(spoken_for)
        return groups

    def owner(self, actor: str) -> frozenset[str]:
        """The groups at the top of the actor's speaksFor chains (those who speak for no one), for deadlocks."""
        return frozenset(group for group in self.groups_of(actor) if not self.actors.get(group) or not self.actors[group].speaks_for)

    @cached_property
    def _by_group(self) -> dict[str, dict[str, list[Position]]]:
        index: dict[str, dict[str, list[Position]]] = defaultdict(lambda: defaultdict(list))
        for position in self.positions.values():
            for group in self.groups_of(position.holder):
                index[group][position.issue].append(position)
        return index

    def positions_of(self, group: str) -> dict[str, list[Position]]:
        """The positions of the group's members, by issue."""
        return self._by_group.get(group, {})

    @cached_property
    def superseded_by(self) -> dict[str, list[Position]]:
        successors: dict[str, list[Position]] = defaultdict(list)
        for position in self.positions.values():
            for earlier in position.supersedes:
                successors[earlier].append(position)
        return successors

    @cached_property
    def _narrower(self) -> dict[str, list[str]]:
        narrower: dict[str, list[str]] = defaultdict(list)
        for issue in self.issues.values():
            for parent in issue.broader:
                narrower[parent].append(issue.id)
        return narrower

    def narrower(self, issue: str) -> list[str]:
        """The issues directly narrower than ``issue``."""
        return self._narrower.get(issue, [])

    def ancestors(self, issue: str) -> list[str]:
        """The broader issues of ``issue``, transitively, nearest first (breadth first, ties by slug)."""
        seen, order, frontier = {issue}, [], [issue]
        while frontier:
            following = []
            for current in frontier:
                parents = self.issues[current].broader if current in self.issues else ()
                for parent in sorted(parents):
                    if parent not in seen:
                        seen.add(parent)
                        order.append(parent)
                        following.append(parent)
            frontier = following
        return order

    def scale(self, issue: str) -> str:
        return self.issues[issue].scale if issue in self.issues else BINARY
