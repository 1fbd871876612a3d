"""Plain dataclasses for what Parley knows: actors, issues, positions and their evidence.

Nothing here touches RDF: :mod:`graph.analysis.read` reads the store into these, and
:mod:`graph.analysis.rules` works on them. Everything is named by slug (``russia``, ``territory``).
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache

__all__ = [
    "SUPPORTS",
    "OPPOSES",
    "NEUTRAL",
    "BINARY",
    "QUANTITY",
    "Actor",
    "Issue",
    "Source",
    "Evidence",
    "Condition",
    "AnyOf",
    "condition_key",
    "Position",
    "Negotiation",
    "LeftOut",
    "first_day",
    "last_day",
]

SUPPORTS, OPPOSES, NEUTRAL = "supports", "opposes", "neutral"
BINARY, QUANTITY = "binary", "quantity"

Value = float | date
"""An end of an acceptable range: a number, or a date on a Quantity issue measured in dates."""


@lru_cache(maxsize=65536)
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


@lru_cache(maxsize=65536)
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
    aliases: tuple[str, ...] = ()
    """Other names it goes by (``skos:altLabel``: ``Moscow``, ``the Kremlin``), sorted."""
    same_as: tuple[str, ...] = ()
    """The IRIs of the same actor elsewhere (``owl:sameAs``: a Wikidata entity), sorted."""
    power: float | None = None
    """Its capability to sway outcomes, 0 to 1 (``parley:power``), where a model of bargaining gave one."""


@dataclass(frozen=True, slots=True)
class Issue:
    id: str
    label: str
    definition: str | None = None
    scale: str = BINARY
    unit: str | None = None
    broader: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    """Other names it goes by (``skos:altLabel``), sorted."""


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    issued: str | None = None
    publisher: str | None = None
    url: str | None = None
    sha256: str | None = None
    """The SHA-256 of its text: of the text it holds, or of the one its record declares."""
    has_text: bool = False
    """Whether the store holds its text, against which every quote from it is checked."""


@dataclass(frozen=True, slots=True)
class Evidence:
    quote: str
    source: Source | None = None
    speaker: str | None = None
    stated_on: str | None = None
    reported_by: tuple[str, ...] = ()
    verified: bool = False
    """Whether the quote was found in the text its source holds (never, for a source without text)."""


@dataclass(frozen=True, slots=True)
class Condition:
    """A proposition (an issue and a stance) that must hold for a position to hold."""

    issue: str
    stance: str
    addressees: tuple[str, ...] = ()
    note: str | None = None

    @property
    def alternatives(self) -> tuple[Condition, ...]:
        """What meets it: itself (an :class:`AnyOf` has several), so every condition reads alike.

        Examples
        --------
        >>> Condition("ceasefire", "supports").alternatives
        (Condition(issue='ceasefire', stance='supports', addressees=(), note=None),)
        """
        return (self,)


@dataclass(frozen=True, slots=True)
class AnyOf:
    """An either/or condition (``parley:anyOf``): it holds when any one of its alternatives holds.

    Alternatives are plain conditions (either/or conditions do not nest), sorted, each once; the
    shapes ask for two or more, and one alone means what that condition means alone.

    Examples
    --------
    >>> either = AnyOf((Condition("withdrawal", "supports"), Condition("package", "supports")))
    >>> [c.issue for c in either.alternatives]
    ['package', 'withdrawal']
    """

    alternatives: tuple[Condition, ...]
    note: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "alternatives", tuple(sorted(set(self.alternatives), key=condition_key)))


def condition_key(condition: Condition | AnyOf) -> tuple:
    """A condition's place in a sorted list: plain conditions by issue, stance and addressees, then
    either/or conditions by their alternatives.

    Examples
    --------
    >>> either = AnyOf((Condition("b", "supports"), Condition("c", "opposes")))
    >>> [condition_key(c)[0] for c in sorted([either, Condition("z", "supports")], key=condition_key)]
    [0, 1]
    """
    if isinstance(condition, AnyOf):
        return (1, tuple(condition_key(alternative) for alternative in condition.alternatives), condition.note or "")
    return (0, condition.issue, condition.stance, condition.addressees, condition.note or "")


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
    conditions: tuple[Condition | AnyOf, ...] = ()
    """Each must hold: a :class:`Condition`, or an :class:`AnyOf` of which one alternative must hold."""
    rejects: tuple[str, ...] = ()
    supersedes: tuple[str, ...] = ()
    valid_from: str | None = None
    valid_until: str | None = None
    evidence: tuple[Evidence, ...] = ()
    """Empty in an index read from the store: ask :meth:`Negotiation.evidence_of` instead."""
    first_stated: str | None = None
    """The earliest date its evidence was stated (or its source issued); derived from ``evidence`` if not given."""
    starts: date | None = field(default=None, init=False, compare=False, repr=False)
    """When the position is first known to hold: valid_from, else the earliest statement, else its source's date."""
    ends: date | None = field(default=None, init=False, compare=False, repr=False)
    """Its last day (the end of the period for xsd:gYearMonth / xsd:gYear), or None."""

    def __post_init__(self) -> None:
        stated = self.first_stated
        if stated is None and self.evidence:
            # Each piece of evidence is dated by its statement, else by its source.
            dates = [e.stated_on or (e.source.issued if e.source else None) for e in self.evidence]
            dates = [day for day in dates if day]
            stated = min(dates, key=lambda day: first_day(day) or date.min) if dates else None
            object.__setattr__(self, "first_stated", stated)
        object.__setattr__(self, "starts", first_day(self.valid_from or stated))
        object.__setattr__(self, "ends", last_day(self.valid_until))

    @property
    def is_range(self) -> bool:
        return self.stance is None

    @property
    def weight(self) -> float:
        """Salience as severity counts it: a red line is 1."""
        return 1.0 if self.red_line else self.salience


def _reachable(start: str, step: Callable[[str], Iterable[str]]) -> set[str]:
    """``start`` and everything reached from it by repeating ``step``."""
    reached, frontier = {start}, [start]
    while frontier:
        for following in step(frontier.pop()):
            if following not in reached:
                reached.add(following)
                frontier.append(following)
    return reached


@dataclass(frozen=True)
class LeftOut:
    """A position the store holds that the analysis leaves out: one of its values cannot be read.

    A store can hold such a value only if something other than Parley's loads wrote it (a SPARQL
    update, another tool): the store still opens, and what was left out is reported.
    """

    node: str
    """The position (or the evidence of it) holding the value, compactly (``position:p1``)."""
    property: str
    """The property whose value cannot be read, compactly (``parley:validFrom``)."""
    value: str
    reason: str


@dataclass
class Negotiation:
    """Everything the analysis reads, with the indexes that keep each question local.

    ``positions_of(group)`` holds the positions of the group's members by issue, so answering a
    question about two groups costs what their positions cost, whatever the size of the graph.
    """

    actors: dict[str, Actor] = field(default_factory=dict)
    issues: dict[str, Issue] = field(default_factory=dict)
    positions: dict[str, Position] = field(default_factory=dict)
    evidence_loader: Callable[[str], tuple[Evidence, ...]] | None = field(default=None, repr=False, compare=False)
    """Fetches a position's evidence by id, for an index that does not hold the quotes in memory."""
    unverified_loader: Callable[[], set[str]] | None = field(default=None, repr=False, compare=False)
    """Fetches the ids of the positions with unverified evidence, for an index that does not hold the quotes."""
    memo: dict = field(default_factory=dict, repr=False, compare=False)
    """Answers the analysis may reuse (current stands per group and date); cleared by every change."""
    left_out: list[LeftOut] = field(default_factory=list, compare=False)
    """Positions of the store that the analysis leaves out, with why (see :class:`LeftOut`)."""

    def evidence_of(self, position: Position) -> tuple[Evidence, ...]:
        """The position's evidence: held in the model, or fetched when asked."""
        if position.evidence or self.evidence_loader is None:
            return position.evidence
        # Kept until the next change, like every memo entry: a service reports the same quotes often.
        key = ("evidence", position.id)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = self.evidence_loader(position.id)
        return found

    def unverified_positions(self) -> set[str]:
        """The ids of the positions with a piece of evidence whose quote was not found in its source's text
        (its source holds none): held in the model, or fetched once until the next change.

        Examples
        --------
        >>> seen = Evidence("We won.", Source("talks", "Talks"))
        >>> checked = Evidence("We won.", Source("talks", "Talks"), verified=True)
        >>> negotiation = Negotiation(positions={
        ...     "a": Position("a", "x", "i", "supports", evidence=(seen,)),
        ...     "b": Position("b", "x", "i", "supports", evidence=(checked,))})
        >>> negotiation.unverified_positions()
        {'a'}
        """
        key = ("unverified",)
        found = self.memo.get(key)
        if found is None:
            if self.unverified_loader is not None:
                found = self.unverified_loader()
            else:
                found = {p.id for p in self.positions.values() if any(not e.verified for e in p.evidence)}
            self.memo[key] = found
        return found

    def with_positions(self, positions: list[Position]) -> Negotiation:
        """A copy with ``positions`` added, this one unchanged: what-if questions (a compromise's concessions).

        The copy shares this negotiation's indexes, copying only the parts the new positions change, so a
        copy of a large negotiation costs little more than its positions' dictionary; neither is to be changed
        in place (:meth:`add`, :meth:`remove`) while the other is in use.

        Examples
        --------
        >>> negotiation = Negotiation(actors={"a": Actor("a", "A")}, issues={"i": Issue("i", "I")},
        ...                           positions={"p": Position("p", "a", "i", "supports")})
        >>> copy = negotiation.with_positions([Position("q", "a", "i", "neutral", supersedes=("p",))])
        >>> [p.id for p in copy.positions_of("a")["i"]], [p.id for p in negotiation.positions_of("a")["i"]]
        (['p', 'q'], ['p'])
        """
        return self._copy_changing(positions, [])

    def without_positions(self, ids: list[str]) -> Negotiation:
        """A copy without the positions ``ids``, this one unchanged (what a deletion would leave), sharing what it can.

        Examples
        --------
        >>> negotiation = Negotiation(actors={"a": Actor("a", "A")}, issues={"i": Issue("i", "I")},
        ...                           positions={"p": Position("p", "a", "i", "supports")})
        >>> negotiation.without_positions(["p"]).positions_of("a")["i"], len(negotiation.positions_of("a")["i"])
        ([], 1)
        """
        return self._copy_changing([], [self.positions[name] for name in ids if name in self.positions])

    def _copy_changing(self, added: list[Position], removed: list[Position]) -> Negotiation:
        """A copy with ``added`` in and ``removed`` out, copying only the parts of the indexes they touch."""
        gone = {position.id for position in removed}
        copy = Negotiation(
            actors=self.actors,
            issues=self.issues,
            positions={
                **{name: held for name, held in self.positions.items() if name not in gone},
                **{position.id: position for position in added},
            }
            if gone
            else {**self.positions, **{position.id: position for position in added}},
            evidence_loader=self.evidence_loader,
            unverified_loader=self.unverified_loader,
        )
        for shared in ("_speakers", "_narrower", "_ancestors"):
            if shared in self.__dict__:
                copy.__dict__[shared] = self.__dict__[shared]
        # A group touched has its lists copied (this negotiation's stay as they are); each list touched loses the
        # positions gone at once, then gains the added: removing one at a time is quadratic (5,000 removed in
        # reverse order took 29 s).
        by_group = dict(self._by_group)
        copied: set[str] = set()
        filtered: set[tuple[str, str]] = set()
        successors = dict(self.superseded_by)
        successor_lists: set[str] = set()
        for position in [*removed, *added]:
            for group in self.groups_of(position.holder):
                if group not in copied:
                    by_group[group] = {issue: list(held) for issue, held in by_group.get(group, {}).items()}
                    copied.add(group)
                held = by_group[group].setdefault(position.issue, [])
                if (group, position.issue) not in filtered:
                    held[:] = [kept for kept in held if kept.id not in gone]
                    filtered.add((group, position.issue))
                if position.id not in gone:
                    held.append(position)
            for earlier in position.supersedes:
                if earlier not in successor_lists:
                    successors[earlier] = [later for later in successors.get(earlier, ()) if later.id not in gone]
                    successor_lists.add(earlier)
                if position.id not in gone:
                    successors[earlier].append(position)
        copy.__dict__["_by_group"] = by_group
        copy.__dict__["superseded_by"] = successors
        return copy

    def add(self, positions: list[Position]) -> None:
        """Add or replace positions, keeping the indexes current (actors and issues must already be known)."""
        for position in positions:
            if position.id in self.positions:
                self.remove([position.id])
            self.positions[position.id] = position
            if "_by_group" in self.__dict__:
                for group in self.groups_of(position.holder):
                    self._by_group[group][position.issue].append(position)
            if "superseded_by" in self.__dict__:
                for earlier in position.supersedes:
                    self.superseded_by[earlier].append(position)
        self.memo.clear()

    def remove(self, ids: list[str]) -> list[Position]:
        """Remove positions by id, keeping the indexes current; returns those removed."""
        removed = [self.positions.pop(position_id) for position_id in ids if position_id in self.positions]
        for position in removed:
            if "_by_group" in self.__dict__:
                for group in self.groups_of(position.holder):
                    self._by_group[group][position.issue].remove(position)
            if "superseded_by" in self.__dict__:
                for earlier in position.supersedes:
                    self.superseded_by[earlier].remove(position)
        self.memo.clear()
        return removed

    @cached_property
    def _speakers(self) -> dict[str, set[str]]:
        speakers: dict[str, set[str]] = defaultdict(set)
        for actor in self.actors.values():
            for spoken_for in actor.speaks_for:
                speakers[spoken_for].add(actor.id)
        return speakers

    def members(self, group: str) -> set[str]:
        """The group: the actor and everyone who speaks for it, transitively."""
        return _reachable(group, lambda actor: self._speakers.get(actor, ()))

    def groups_of(self, actor: str) -> set[str]:
        """Every group an actor's positions count for: itself and all it speaks for, transitively."""
        return _reachable(actor, lambda current: self.actors[current].speaks_for if current in self.actors else ())

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

    def descendants(self, issue: str) -> set[str]:
        """The issues narrower than ``issue``, transitively."""
        return _reachable(issue, self.narrower) - {issue}

    @cached_property
    def _ancestors(self) -> dict[str, list[str]]:
        return {}

    def ancestors(self, issue: str) -> list[str]:
        """The broader issues of ``issue``, transitively, nearest first (breadth first, ties by slug)."""
        if issue not in self._ancestors:
            self._ancestors[issue] = self._find_ancestors(issue)
        return self._ancestors[issue]

    def _find_ancestors(self, issue: str) -> list[str]:
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
