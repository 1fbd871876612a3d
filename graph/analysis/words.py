"""Positions and their shifts said in words, as a feed reader shows them ("Russia: army ceiling, from at most
85,000 to at most 600,000 troops, on the word of Dmitry Peskov")."""

from __future__ import annotations

from datetime import date

from graph.analysis.model import NEUTRAL, Negotiation, Position, Value
from graph.analysis.shifts import Shift

__all__ = ["number_words", "stand_words", "shift_words", "word_of"]


def number_words(value: Value) -> str:
    """A range end as people write it: thousands separated, no trailing ``.0``; a date as YYYY-MM-DD.

    Examples
    --------
    >>> number_words(85000.0), number_words(0.25), number_words(date(2025, 5, 1))
    ('85,000', '0.25', '2025-05-01')
    """
    if isinstance(value, date):
        return value.isoformat()
    if float(value).is_integer() and abs(value) < 1e16:
        return f"{int(value):,}"
    return f"{value:,}"


def stand_words(negotiation: Negotiation, position: Position | None) -> str:
    """What a position holds, in a few words: its stance, or its range with the issue's unit.

    Examples
    --------
    >>> from graph.analysis.model import Issue
    >>> negotiation = Negotiation(issues={"army": Issue("army", "Army ceiling", scale="quantity", unit="troops")})
    >>> stand_words(negotiation, Position("p", "russia", "army", maximum=85000.0))
    'at most 85,000 troops'
    >>> stand_words(negotiation, Position("q", "ukraine", "army", minimum=250000.0, maximum=800000.0))
    'between 250,000 and 800,000 troops'
    >>> stand_words(negotiation, Position("r", "us", "army", "neutral")), stand_words(negotiation, None)
    ('neutral', 'none')
    """
    if position is None:
        return "none"
    if position.stance is not None:
        return "neutral" if position.stance == NEUTRAL else position.stance
    low, high = position.minimum, position.maximum
    if low is not None and high is not None:
        between = f"between {number_words(low)} and {number_words(high)}"
        said = f"exactly {number_words(low)}" if low == high else between
    elif high is not None:
        said = f"at most {number_words(high)}"
    elif low is not None:
        said = f"at least {number_words(low)}"
    else:
        said = "any value"
    issue = negotiation.issues.get(position.issue)
    return f"{said} {issue.unit}" if issue is not None and issue.unit else said


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


def shift_words(negotiation: Negotiation, shift: Shift) -> str:
    """A shift in one sentence: the party, the issue, from what to what, and on whose word.

    ``negotiation`` is the state after the write (the new position's evidence is read there).

    Examples
    --------
    >>> from graph.analysis.model import Actor, Issue
    >>> negotiation = Negotiation(actors={"russia": Actor("russia", "Russia")},
    ...                           issues={"army": Issue("army", "Army ceiling", scale="quantity", unit="troops")})
    >>> before = Position("p", "russia", "army", maximum=85000.0)
    >>> shift_words(negotiation, Shift("russia", "army", before, Position("q", "russia", "army", maximum=600000.0)))
    'Russia: Army ceiling, from at most 85,000 to at most 600,000 troops'
    >>> shift_words(negotiation, Shift("russia", "army", before, None))
    'Russia: Army ceiling, at most 85,000 troops, no longer held'
    """
    group = negotiation.actors.get(shift.group)
    issue = negotiation.issues.get(shift.issue)
    head = f"{group.label if group else shift.group}: {issue.label if issue else shift.issue}"
    if shift.after is None:
        return f"{head}, {stand_words(negotiation, shift.before)}, no longer held"
    new = stand_words(negotiation, shift.after)
    if shift.before is None:
        said = f"{head}, new position: {new}"
    else:
        old = stand_words(negotiation, shift.before)
        unit = issue.unit if issue is not None and issue.unit else ""
        if unit and old.endswith(f" {unit}") and new.endswith(f" {unit}"):
            old = old[: -len(unit) - 1]  # "from at most 85,000 to at most 600,000 troops": the unit once
        said = f"{head}, from {old} to {new}"
    word = word_of(negotiation, shift.after)
    return f"{said}, {word}" if word else said
