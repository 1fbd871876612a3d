"""The change feed: every write's record read back from the log graph, and as Activity Streams 2.0 JSON (rule 11).

Each write through Parley leaves a record numbered by the store's version (see
:mod:`graph.ingest.changelog`): a change, with the shifts it caused. Here they are read in their
order, after a number (a server-sent event's id) or since a time, and written as the JSON of
``GET /changes``; :mod:`graph.export.atom` writes them as Atom.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pyoxigraph as ox

from graph.errors import InvalidArgument
from graph.store import Dataset, queries
from graph.store.namespaces import instance, slug_of

__all__ = [
    "ShiftRecord",
    "ChangeRecord",
    "read_changes",
    "read_party_shifts",
    "changes_json",
    "change_json",
    "parse_since",
    "changes",
]

MAX_CHANGES = 10_000
"""The most changes one answer holds: ask again after the last one's ``sequence``."""

_DATETIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")
_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
_EPOCH = ox.Literal("0001-01-01T00:00:00+00:00", datatype=_DATETIME)
_AS_TYPES = {"added": "Create", "removed": "Delete"}


@dataclass(frozen=True, slots=True)
class ShiftRecord:
    """A shift as the log holds it: the party, the issue, the positions before and after (ids, None: none)."""

    sequence: int
    index: int
    party: str
    issue: str
    before: str | None
    after: str | None
    summary: str
    time: str = ""
    """When its write ended (ISO 8601), where read with it."""
    change: str = ""
    """Its write's IRI, where read with it."""


@dataclass(frozen=True, slots=True)
class ChangeRecord:
    """One write as the log holds it."""

    id: str
    """The change's IRI (``https://w3id.org/parley/id/change/<uuid>``)."""
    sequence: int
    time: str
    """When the write ended, ISO 8601 with its offset."""
    operation: str
    summary: str
    shift_count: int
    positions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Position ids by what the write did to them: ``added``, ``removed``, ``changed``, ``superseded``."""
    shifts: tuple[ShiftRecord, ...] = ()


def read_changes(
    store: Dataset, after: int = 0, since: datetime | date | None = None, limit: int = 1000, newest_first: bool = False
) -> list[ChangeRecord]:
    """The changes numbered above ``after`` and ended at or after ``since``, oldest first (or the newest ``limit``).

    Parameters
    ----------
    after : a change's number (``sequence``, the id of a server-sent event): only those after it.
    since : a time (a date: its first moment, UTC): only those ended then or later.
    limit : at most this many (at most :data:`MAX_CHANGES`): the first after ``after``, or the newest.

    Examples
    --------
    >>> from graph.ingest.load import open_store
    >>> store = open_store("memory")
    >>> [(change.sequence, change.operation, len(change.positions["added"])) for change in read_changes(store)]
    [(1, 'load', 26)]
    """
    bindings = {"after": ox.Literal(str(after), datatype=_INTEGER), "since": _moment(since)}
    query = queries.CHANGES_NEWEST_FIRST if newest_first else queries.CHANGES_OLDEST_FIRST
    rows = list(itertools.islice(store.query(query, bindings), min(limit, MAX_CHANGES)))
    if not rows:
        return []
    numbers = [int(row["sequence"].value) for row in rows]
    low, high = min(numbers), max(numbers)
    positions, shifts = _positions_of(store, low, high), _shifts_of(store, low, high)
    return [
        ChangeRecord(
            row["change"].value,
            number,
            row["time"].value,
            row["operation"].value,
            row["summary"].value,
            int(row["shifts"].value),
            {role: tuple(sorted(positions[number][role])) for role in ("added", "removed", "changed", "superseded")},
            tuple(sorted(shifts[number], key=lambda shift: shift.index)),
        )
        for row, number in zip(rows, numbers, strict=True)
    ]


def read_party_shifts(store: Dataset, party: str, limit: int = 1000) -> list[ShiftRecord]:
    """The shifts of one party's current positions, newest first, at most ``limit``.

    Examples
    --------
    >>> from graph.ingest.load import open_store
    >>> store = open_store("memory")
    >>> [shift.summary for shift in read_party_shifts(store, "russia")][0]  # doctest: +ELLIPSIS
    'Russia: Partial ceasefire, now supporting, on the word of Russia (...)'
    """
    rows = store.query(queries.PARTY_SHIFTS, {"party": instance("actor", party)})
    return [
        ShiftRecord(
            int(row["sequence"].value),
            int(row["index"].value),
            party,
            slug_of(row["issue"].value),
            slug_of(row["from"].value) if row["from"] is not None else None,
            slug_of(row["to"].value) if row["to"] is not None else None,
            row["summary"].value,
            row["time"].value,
            row["change"].value,
        )
        for row in itertools.islice(rows, min(limit, MAX_CHANGES))
    ]


def _moment(since: datetime | date | None) -> ox.Literal:
    if since is None:
        return _EPOCH
    if not isinstance(since, datetime):
        since = datetime(since.year, since.month, since.day, tzinfo=UTC)
    elif since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return ox.Literal(since.isoformat(), datatype=_DATETIME)


def _bounds(low: int, high: int) -> dict[str, ox.Literal]:
    return {"low": ox.Literal(str(low), datatype=_INTEGER), "high": ox.Literal(str(high), datatype=_INTEGER)}


def _positions_of(store: Dataset, low: int, high: int) -> dict[int, dict[str, list[str]]]:
    found: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in store.query(queries.CHANGE_POSITIONS, _bounds(low, high)):
        found[int(row["sequence"].value)][slug_of(row["role"].value)].append(slug_of(row["position"].value))
    return found


def _shifts_of(store: Dataset, low: int, high: int) -> dict[int, list[ShiftRecord]]:
    found: dict[int, list[ShiftRecord]] = defaultdict(list)
    for row in store.query(queries.CHANGE_SHIFTS, _bounds(low, high)):
        number = int(row["sequence"].value)
        found[number].append(
            ShiftRecord(
                number,
                int(row["index"].value),
                slug_of(row["party"].value),
                slug_of(row["issue"].value),
                slug_of(row["from"].value) if row["from"] is not None else None,
                slug_of(row["to"].value) if row["to"] is not None else None,
                row["summary"].value,
            )
        )
    return found


def change_json(change: ChangeRecord) -> dict:
    """One change as an Activity Streams 2.0 activity (``Create``, ``Delete`` or ``Update``), with Parley's terms.

    Examples
    --------
    >>> record = ChangeRecord("https://w3id.org/parley/id/change/1", 7, "2026-12-02T10:00:00+00:00", "delete",
    ...                       "deleted position p", 0, {"removed": ("p",)})
    >>> activity = change_json(record)
    >>> activity["type"], activity["sequence"], activity["object"]
    ('Delete', 7, ['https://w3id.org/parley/id/position/p'])
    """
    touched = [role for role in ("added", "removed", "changed") if change.positions.get(role)]
    kind = _AS_TYPES.get(touched[0], "Update") if len(touched) == 1 else "Update"
    objects = [name for role in ("added", "removed", "changed") for name in change.positions.get(role, ())]
    return {
        "id": change.id,
        "type": kind,
        "sequence": change.sequence,
        "published": change.time,
        "summary": change.summary,
        "operation": change.operation,
        "object": [f"https://w3id.org/parley/id/position/{name}" for name in objects],
        **{role: list(change.positions.get(role, ())) for role in ("added", "removed", "changed", "superseded")},
        "shift_count": change.shift_count,
        "shifts": [
            {
                "party": shift.party,
                "issue": shift.issue,
                "from": shift.before,
                "to": shift.after,
                "summary": shift.summary,
            }
            for shift in change.shifts
        ],
    }


def changes_json(changes: list[ChangeRecord], after: int = 0, since: str | None = None) -> dict:
    """``GET /changes``: the changes as an Activity Streams 2.0 ``OrderedCollection``, oldest first.

    Examples
    --------
    >>> changes_json([])["type"], changes_json([])["totalItems"]
    ('OrderedCollection', 0)
    """
    return {
        "@context": ["https://www.w3.org/ns/activitystreams", {"parley": "https://w3id.org/parley#"}],
        "type": "OrderedCollection",
        "after": after,
        "since": since,
        "totalItems": len(changes),
        "last_sequence": max((change.sequence for change in changes), default=after),
        "orderedItems": [change_json(change) for change in changes],
    }


def parse_since(since: str | None) -> tuple[int, datetime | date | None]:
    """``since`` as a change's number or a moment: ``(after, None)``, ``(0, moment)``, or ``(0, None)`` for all.

    Examples
    --------
    >>> parse_since("12"), parse_since("2025-04-18")
    ((12, None), (0, datetime.date(2025, 4, 18)))
    >>> parse_since("yesterday")
    Traceback (most recent call last):
    graph.errors.InvalidArgument: since: 'yesterday' is neither a change's number (such as 12) nor a date or time \
(2025-04-18, 2025-04-18T09:30:00Z)
    """
    if since is None or since == "":
        return 0, None
    # ASCII digits only: str.isdigit() also takes "²", which int() refuses.
    if since.isascii() and since.isdigit() and len(since) < 19:
        return int(since), None
    try:
        if len(since) == 10:
            return 0, date.fromisoformat(since)
        return 0, datetime.fromisoformat(since)
    except ValueError:
        pass
    raise InvalidArgument(
        "since",
        f"{since[:40]!r} is neither a change's number (such as 12) nor a date or time "
        "(2025-04-18, 2025-04-18T09:30:00Z)",
    )


def changes(store: Dataset, since: str | None = None, limit: int = 1000, newest_first: bool = False) -> dict:
    """``GET /changes``: the changes after ``since`` (a change's number, a date or a time), oldest first: the
    first ``limit`` of them; or, ``newest_first``, the newest ``limit``, newest first.

    Examples
    --------
    >>> from graph.ingest.load import open_store
    >>> answer = changes(open_store("memory"), since="0")
    >>> answer["totalItems"], answer["orderedItems"][0]["type"]
    (1, 'Create')
    """
    after, moment = parse_since(since)
    return changes_json(read_changes(store, after, moment, limit, newest_first), after, since)
