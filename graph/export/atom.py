"""The change feed as Atom 1.0 (RFC 4287): each write an entry, and each shift it caused an entry of its own.

:func:`generate_atom` yields the document in pieces (as networkx's ``generate_gexf`` does) and
:func:`atom_feed` joins them. Entries come newest first; every one has a ``urn:uuid:`` id that stays
the same across requests and replicas (a shift's is made from its write's), so a reader shows each once.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from xml.sax.saxutils import escape, quoteattr

from graph.analysis import rules
from graph.analysis.model import Negotiation
from graph.report.changes import ChangeRecord, ShiftRecord, read_changes, read_party_shifts
from graph.store import Dataset

__all__ = ["Feed", "generate_atom", "atom_feed", "changes_atom", "party_changes_atom", "ATOM_MEDIA_TYPE"]

ATOM_MEDIA_TYPE = "application/atom+xml"
_OPERATION_SCHEME = "https://w3id.org/parley#operation"
# Characters XML 1.0 cannot hold, even escaped: a label or a summary holding one loses it here.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class Feed:
    """What a feed says of itself: its id and title, its own URL, and the service's root URL for links."""

    id: str
    title: str
    self_url: str
    root_url: str
    """The service's root, ending in ``/``: entries link to ``changes?after=...`` and ``actors/...`` under it."""


def _text(value: str) -> str:
    # A carriage return written as itself would be read back as a line feed (XML's end-of-line handling).
    return escape(_NOT_XML.sub("", value), {"\r": "&#13;"})


def _attribute(value: str) -> str:
    return quoteattr(_NOT_XML.sub("", value))


def _urn(change_iri: str, index: int | None = None) -> str:
    """A change's ``urn:uuid:``, from the uuid that ends its IRI; a shift's, made from it and the shift's place."""
    own = uuid.UUID(change_iri.rsplit("/", 1)[-1])
    return f"urn:uuid:{own if index is None else uuid.uuid5(own, f'shift/{index}')}"


def generate_atom(feed: Feed, changes: list[ChangeRecord], shifts: list[ShiftRecord] | None = None) -> Iterator[str]:
    """Yield the Atom document of ``changes`` (newest first) and their shifts, or of ``shifts`` alone.

    Parameters
    ----------
    changes : the writes, newest first, each followed in the feed by its shifts.
    shifts : for a party's feed: these shifts (newest first, each carrying its write's id and time), and no
        entry for the writes.

    Examples
    --------
    >>> change = ChangeRecord("https://w3id.org/parley/id/change/" + "0" * 32, 1, "2026-12-02T10:00:00Z",
    ...                       "delete", "deleted position p: 1 position removed", 0, {"removed": ("p",)})
    >>> feed = Feed("urn:uuid:" + "1" * 32, "Parley: changes", "http://x/changes.atom", "http://x/")
    >>> text = "".join(generate_atom(feed, [change]))
    >>> "<title>deleted position p: 1 position removed</title>" in text, text.count("<entry>")
    (True, 1)
    """
    entries = list(_shift_entries(feed, shifts)) if shifts is not None else list(_change_entries(feed, changes))
    updated = (shifts[0].time if shifts else "") if shifts is not None else (changes[0].time if changes else "")
    yield '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
    yield f"  <id>{_text(feed.id)}</id>\n  <title>{_text(feed.title)}</title>\n"
    yield f"  <updated>{updated or '1970-01-01T00:00:00Z'}</updated>\n"
    yield f'  <link rel="self" type="{ATOM_MEDIA_TYPE}" href={_attribute(feed.self_url)}/>\n'
    yield "  <author><name>Parley</name></author>\n"
    yield '  <generator uri="https://w3id.org/parley">Parley</generator>\n'
    yield from entries
    yield "</feed>\n"


def atom_feed(feed: Feed, changes: list[ChangeRecord], shifts: list[ShiftRecord] | None = None) -> bytes:
    """The Atom document of :func:`generate_atom`, encoded."""
    return "".join(generate_atom(feed, changes, shifts)).encode("utf-8")


def _change_entries(feed: Feed, changes: list[ChangeRecord]) -> Iterator[str]:
    for change in changes:
        yield _entry(
            _urn(change.id),
            change.summary,
            change.time,
            f"{feed.root_url}changes?after={change.sequence - 1}&limit=1",
            change.operation,
            _positions_said(change),
        )
        for shift in change.shifts:
            yield _shift_entry(feed, shift, change.id, change.time)


def _shift_entries(feed: Feed, shifts: list[ShiftRecord]) -> Iterator[str]:
    for shift in shifts:
        yield _shift_entry(feed, shift, shift.change, shift.time)


def _shift_entry(feed: Feed, shift: ShiftRecord, change: str, time: str) -> str:
    moved = ", ".join(
        f"{side}: {name}" for side, name in (("from position", shift.before), ("to position", shift.after)) if name
    )
    return _entry(
        _urn(change, shift.index),
        shift.summary,
        time,
        f"{feed.root_url}actors/{shift.party}/timeline",
        "shift",
        f"{shift.summary}. Change {shift.sequence}; {moved or 'no position'}.",
    )


def _positions_said(change: ChangeRecord) -> str:
    said = [
        f"{role.capitalize()}: {', '.join(change.positions[role])}."
        for role in ("added", "removed", "changed", "superseded")
        if change.positions.get(role)
    ]
    if change.shift_count > len(change.shifts):
        said.append(f"{change.shift_count:,} shifts, the first {len(change.shifts):,} listed as entries.")
    return " ".join([f"Change {change.sequence} ({change.operation}).", *said])


def _entry(entry_id: str, title: str, updated: str, link: str, term: str, content: str) -> str:
    return (
        "  <entry>\n"
        f"    <id>{entry_id}</id>\n"
        f"    <title>{_text(title)}</title>\n"
        f"    <updated>{updated}</updated>\n"
        f'    <link rel="alternate" href={_attribute(link)}/>\n'
        f'    <category term={_attribute(term)} scheme="{_OPERATION_SCHEME}"/>\n'
        f'    <content type="text">{_text(content)}</content>\n'
        "  </entry>\n"
    )


def changes_atom(store: Dataset, feed: Feed, limit: int = 100) -> bytes:
    """``GET /changes.atom``: the newest ``limit`` writes as Atom, each followed by the shifts it caused.

    Examples
    --------
    >>> from graph.ingest.load import open_store
    >>> feed = Feed("urn:uuid:" + "1" * 32, "Parley: changes", "http://x/changes.atom", "http://x/")
    >>> changes_atom(open_store("memory"), feed).count(b"<entry>")  # the seed's load and its 24 shifts
    25
    """
    return atom_feed(feed, read_changes(store, limit=limit, newest_first=True))


def party_changes_atom(store: Dataset, negotiation: Negotiation, actor: str, feed: Feed, limit: int = 100) -> bytes:
    """``GET /actors/{id}/changes.atom``: the shifts of the actor's party (or parties), newest first, as Atom.

    Raises
    ------
    UnknownActor
        If no actor has this slug (with the nearest ones).
    """
    rules.require_actor(negotiation, actor)
    parties = sorted(group for group in negotiation.groups_of(actor) if not negotiation.actors[group].speaks_for)
    shifts = [shift for party in parties for shift in read_party_shifts(store, party, limit)]
    shifts.sort(key=lambda shift: (-shift.sequence, shift.index))
    names = ", ".join(negotiation.actors[party].label for party in parties)
    return atom_feed(replace(feed, title=f"{feed.title}: how {names} shifted"), [], shifts[:limit])
