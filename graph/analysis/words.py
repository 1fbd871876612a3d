"""Positions, their shifts and their changes in words, for people to read: "Russia: Army ceiling, from at most
85,000 to at most 600,000 troops".

The answers put these sentences beside the data they describe (a ``text`` member), and a feed or a page can
use them as titles. Actors and issues are named by their labels; numbers are written with thousands
separators, dates as YYYY-MM-DD.
"""

from __future__ import annotations

from datetime import date

from graph.analysis.diff import Change
from graph.analysis.model import NEUTRAL, OPPOSES, SUPPORTS, Negotiation, Position, Value
from graph.analysis.rules import Agreement, Conflict, Stand
from graph.analysis.shifts import Shift

__all__ = [
    "number_words",
    "range_words",
    "position_words",
    "shift_words",
    "shift_sentence",
    "word_of",
    "change_words",
]

_STANCES = {SUPPORTS: "supporting", OPPOSES: "opposing", NEUTRAL: "neutral"}


def number_words(value: Value | None) -> str:
    """A value of a range: a number with thousands separators (no ``.0``), or a date.

    Examples
    --------
    >>> number_words(85000.0), number_words(0.5), number_words(1234.5), number_words(date(2025, 6, 1))
    ('85,000', '0.5', '1,234.5', '2025-06-01')
    """
    if value is None:
        return "none"
    if isinstance(value, date):
        return value.isoformat()
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def range_words(low: Value | None, high: Value | None, unit: str | None = None) -> str:
    """An acceptable range in words, with its unit if given.

    Examples
    --------
    >>> range_words(None, 85000.0, "troops"), range_words(30000.0, 40000.0), range_words(5.0, 5.0, "km")
    ('at most 85,000 troops', 'between 30,000 and 40,000', 'exactly 5 km')
    >>> range_words(date(2025, 6, 1), None), range_words(None, None, "troops")
    ('no earlier than 2025-06-01', 'any number of troops')
    """
    dates = isinstance(low, date) or isinstance(high, date)
    if low is None and high is None:
        said = "any date" if dates else f"any number of {unit}" if unit else "any value"
        return said
    if low is None:
        said = f"{'no later than' if dates else 'at most'} {number_words(high)}"
    elif high is None:
        said = f"{'no earlier than' if dates else 'at least'} {number_words(low)}"
    elif low == high:
        said = f"{'on' if dates else 'exactly'} {number_words(low)}"
    else:
        said = f"between {number_words(low)} and {number_words(high)}"
    return f"{said} {unit}" if unit and not dates else said


def _unit(negotiation: Negotiation, position: Position) -> str | None:
    issue = negotiation.issues.get(position.issue)
    return issue.unit if issue is not None else None


def position_words(negotiation: Negotiation, position: Position, unit: bool = True) -> str:
    """What a position takes: ``supporting``, ``opposing``, ``neutral``, or its range (with the issue's unit
    unless ``unit`` is false); ``(red line)`` after a red line.

    Examples
    --------
    >>> from graph.analysis.model import QUANTITY, Issue
    >>> negotiation = Negotiation(issues={"army": Issue("army", "Army ceiling", scale=QUANTITY, unit="troops")})
    >>> position_words(negotiation, Position("p", "russia", "army", maximum=85000.0, red_line=True))
    'at most 85,000 troops (red line)'
    """
    if position.stance is not None:
        said = _STANCES.get(position.stance, position.stance)
    else:
        said = range_words(position.minimum, position.maximum, _unit(negotiation, position) if unit else None)
    return f"{said} (red line)" if position.red_line else said


def _label(negotiation: Negotiation, group: str) -> str:
    return negotiation.actors[group].label if group in negotiation.actors else group


def _issue_label(negotiation: Negotiation, issue: str) -> str:
    return negotiation.issues[issue].label if issue in negotiation.issues else issue


def _moved(negotiation: Negotiation, before: Position, after: Position) -> str:
    """``from X to Y`` between two positions on one issue; the unit said once, at the end, where both share it."""
    shared = before.is_range and after.is_range and _unit(negotiation, before) == _unit(negotiation, after)
    old, new = position_words(negotiation, before, unit=not shared), position_words(negotiation, after)
    if old == position_words(negotiation, after, unit=not shared):
        return f"{new}, restated"
    return f"from {old} to {new}"


def shift_words(
    negotiation: Negotiation, group: str, issue: str, before: Position | None, after: Position | None
) -> str:
    """A change of a group's position on an issue, in words: from what to what, new, or no longer held.

    Examples
    --------
    >>> from graph.analysis.model import QUANTITY, Actor, Issue
    >>> negotiation = Negotiation(actors={"russia": Actor("russia", "Russia")},
    ...                           issues={"army": Issue("army", "Army ceiling", scale=QUANTITY, unit="troops")})
    >>> old = Position("old", "russia", "army", maximum=85000.0)
    >>> new = Position("new", "russia", "army", maximum=600000.0)
    >>> shift_words(negotiation, "russia", "army", old, new)
    'Russia: Army ceiling, from at most 85,000 to at most 600,000 troops'
    >>> shift_words(negotiation, "russia", "army", None, new), shift_words(negotiation, "russia", "army", old, None)
    ('Russia: Army ceiling, now at most 600,000 troops', 'Russia: Army ceiling, no longer at most 85,000 troops')
    """
    head = f"{_label(negotiation, group)}: {_issue_label(negotiation, issue)}"
    if after is None:
        return head if before is None else f"{head}, no longer {position_words(negotiation, before)}"
    if before is None:
        return f"{head}, now {position_words(negotiation, after)}"
    return f"{head}, {_moved(negotiation, before, after)}"


def word_of(negotiation: Negotiation, position: Position) -> str:
    """Whose word a position rests on: its first piece of evidence's speaker, source and date ("" if none).

    Examples
    --------
    >>> from graph.analysis.model import Actor, Evidence, Source
    >>> said = Evidence("We will not.", Source("talks", "The talks"), speaker="peskov", stated_on="2025-04-18")
    >>> negotiation = Negotiation(actors={"peskov": Actor("peskov", "Dmitry Peskov")})
    >>> word_of(negotiation, Position("p", "peskov", "i", "opposes", evidence=(said,)))
    'on the word of Dmitry Peskov (The talks, 2025-04-18)'
    """
    evidence = negotiation.evidence_of(position)
    if not evidence:
        return ""
    first = evidence[0]
    speaker = negotiation.actors.get(first.speaker or position.holder)
    who = speaker.label if speaker is not None else first.speaker or position.holder
    where = [first.source.title] if first.source is not None else []
    when = first.stated_on or (first.source.issued if first.source is not None else None)
    where += [when] if when else []
    return f"on the word of {who}" + (f" ({', '.join(where)})" if where else "")


def shift_sentence(negotiation: Negotiation, shift: Shift) -> str:
    """A shift a write caused, as the change feed says it: :func:`shift_words`, and on whose word its new position
    rests.

    ``negotiation`` is the state after the write (the new position's evidence is read there).

    Examples
    --------
    >>> from graph.analysis.model import QUANTITY, Actor, Issue
    >>> negotiation = Negotiation(actors={"russia": Actor("russia", "Russia")},
    ...                           issues={"army": Issue("army", "Army ceiling", scale=QUANTITY, unit="troops")})
    >>> before = Position("p", "russia", "army", maximum=85000.0)
    >>> shift_sentence(negotiation, Shift("russia", "army", before, Position("q", "russia", "army", maximum=600000.0)))
    'Russia: Army ceiling, from at most 85,000 to at most 600,000 troops'
    """
    said = shift_words(negotiation, shift.group, shift.issue, shift.before, shift.after)
    word = word_of(negotiation, shift.after) if shift.after is not None else ""
    return f"{said}, {word}" if word else said


def _side(negotiation: Negotiation, found: Conflict | Agreement, stand: Stand) -> str:
    """One side of a conflict or an agreement: who, and what it takes (where from, if another issue)."""
    said = f"{_label(negotiation, stand.group)} {position_words(negotiation, stand.position)}"
    if stand.inherited_from is not None:
        return f"{said} (from {_issue_label(negotiation, stand.inherited_from)})"
    if stand.position.issue != found.issue:  # a rejection, made in a position on another issue
        return f"{said} on {_issue_label(negotiation, stand.position.issue)}"
    return said


def _sides(negotiation: Negotiation, found: Conflict | Agreement) -> str:
    return f"{_side(negotiation, found, found.a_stand)}, {_side(negotiation, found, found.b_stand)}"


def _detail(negotiation: Negotiation, found: Conflict | Agreement) -> str:
    """What a conflict or an agreement adds to its sides: a rejection, the gap, the zone."""
    unit = negotiation.issues[found.issue].unit if found.issue in negotiation.issues else None
    if isinstance(found, Conflict):
        said = ", with an explicit rejection" if "explicit" in found.kinds else ""
        if found.gap is not None:
            said += f", {_gap(found, unit)} apart"
        return said
    return "" if found.zone is None else f"; zone {_zone(found, unit)}"


def _gap(found: Conflict, unit: str | None, with_unit: bool = True) -> str:
    """The gap of a range conflict, in the issue's unit (in days between dates), or ``none``."""
    if found.gap is None:
        return "none"
    dates = any(isinstance(value, date) for value in (*_ends(found.a_stand), *_ends(found.b_stand)))
    unit = "days" if dates else unit
    return f"{number_words(found.gap)} {unit}" if unit and with_unit else number_words(found.gap)


def _ends(stand: Stand) -> tuple:
    return (stand.position.minimum, stand.position.maximum)


def _zone(found: Agreement, unit: str | None) -> str:
    if found.zone is None:
        return "none"
    low, high = found.zone
    return range_words(low, high, unit)


def change_words(negotiation: Negotiation, change: Change) -> str:
    """A change of the diff (rule 11) in one sentence: what appeared, disappeared, or changed and how.

    Examples
    --------
    >>> from datetime import date
    >>> from graph.analysis.diff import diff
    >>> from graph.analysis.model import Actor, Issue
    >>> negotiation = Negotiation(
    ...     actors={"n": Actor("n", "North"), "s": Actor("s", "South")}, issues={"zone": Issue("zone", "Buffer zone")},
    ...     positions={"p": Position("p", "n", "zone", "supports", valid_until="2024-04-30"),
    ...                "q": Position("q", "s", "zone", "opposes")})
    >>> [change_words(negotiation, c) for c in diff(negotiation, "n", "s", date(2024, 4, 1), date(2024, 6, 1)).changes]
    ['No more conflict on Buffer zone (North supporting, South opposing).']
    """
    issue = _issue_label(negotiation, change.issue)
    if change.before is None and change.after is not None:
        sides, detail = _sides(negotiation, change.after), _detail(negotiation, change.after)
        return f"New {change.relation} on {issue}: {sides}{detail}."
    if change.after is None and change.before is not None:
        return f"No more {change.relation} on {issue} ({_sides(negotiation, change.before)})."
    parts = [_aspect_words(negotiation, change, aspect) for aspect in change.changed]
    return f"{change.relation.capitalize()} on {issue} changed: {'; '.join(part for part in parts if part)}."


def _aspect_words(negotiation: Negotiation, change: Change, aspect: str) -> str:
    """How one aspect of a conflict or an agreement that holds on both days changed."""
    before, after = change.before, change.after
    unit = negotiation.issues[change.issue].unit if change.issue in negotiation.issues else None
    if isinstance(before, Conflict) and isinstance(after, Conflict):
        if aspect == "kind":
            return f"kind from {' + '.join(before.kinds)} to {' + '.join(after.kinds)}"
        if aspect == "severity":
            return f"severity from {before.severity:g} to {after.severity:g}"
        if aspect == "gap":
            return f"gap from {_gap(before, unit, after.gap is None)} to {_gap(after, unit)}"
    if aspect == "zone" and isinstance(before, Agreement) and isinstance(after, Agreement):
        return f"zone from {_zone(before, unit)} to {_zone(after, unit)}"
    if aspect == "conditions":
        return "conditions changed"
    if aspect == "inconsistent" and after is not None:
        return "now inconsistent" if after.inconsistent else "no longer inconsistent"
    if aspect == "positions" and before is not None and after is not None:
        return "; ".join(_moved_side(negotiation, old, new) for old, new in _pairs(before, after) if old != new)
    return aspect


def _pairs(before: Conflict | Agreement, after: Conflict | Agreement) -> list[tuple[Stand, Stand]]:
    return [(before.a_stand, after.a_stand), (before.b_stand, after.b_stand)]


def _moved_side(negotiation: Negotiation, old: Stand, new: Stand) -> str:
    return f"{_label(negotiation, new.group)} {_moved(negotiation, old.position, new.position)}"
