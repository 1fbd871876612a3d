"""Every write through Parley recorded as an activity in the log graph (rule 11), with the shifts it caused.

A write ends by raising the store's version (:meth:`Dataset.raise_version`); the record of what it
changed (:func:`write_record`) goes with that raise, in the same transaction, and is numbered by it. So the change feed
(:mod:`graph.report.feeds`) holds every write, in the order the store took them, whichever replica
made it, and a process killed after its write and before its raise leaves neither.

The record (``parley:Change``, a ``prov:Activity``) says when (``prov:endedAtTime``), what kind of
write (``parley:operation``: ``load``, ``import``, ``post``, ``delete``, ``update``, ``text``), what
in words (``rdfs:comment``), the positions added, removed, changed and superseded, and each shift
(``parley:Shift``: the party, the issue, the positions before and after, and the shift in words).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pyoxigraph as ox

from graph.analysis.model import Negotiation
from graph.analysis.shifts import PositionChanges, position_changes
from graph.analysis.words import shift_sentence
from graph.store.namespaces import LOG_GRAPH, PARLEY, instance

__all__ = ["OPERATIONS", "write_record", "change_record", "write_summary"]

OPERATIONS = ("load", "import", "post", "delete", "update", "text")
"""The kinds of write: documents loaded, a spreadsheet imported, a request's positions, actors or issues posted,
a position deleted, a SPARQL update, a source's text given."""

MAX_POSITIONS = 1000
"""The most positions a record names for each of added, removed, changed and superseded (by id); its summary
counts them all."""

_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
_ENDED = ox.NamedNode("http://www.w3.org/ns/prov#endedAtTime")
_ACTIVITY = ox.NamedNode("http://www.w3.org/ns/prov#Activity")
_DATETIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")
_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def _term(name: str) -> ox.NamedNode:
    return ox.NamedNode(PARLEY + name)


def write_record(
    operation: str,
    summary: str,
    before: Negotiation,
    after: Negotiation,
    touched: list[str] | None = None,
) -> list[ox.Quad]:
    """The record of a write, for :meth:`Dataset.raise_version` to write and number with the raise that ends it.

    Parameters
    ----------
    operation : one of :data:`OPERATIONS`.
    summary : the write in a few words ("loaded talks.trig").
    before, after : the analysis index before and after the write, both intact (see
        :func:`graph.analysis.shifts.position_changes`, which also says what ``touched`` is). The
        shifts' words read the new positions' evidence through ``after``, so the write comes first.

    Examples
    --------
    >>> from graph.store import Store
    >>> store = Store("memory")
    >>> store.raise_version(write_record("post", "nothing yet", Negotiation(), Negotiation()))
    1
    >>> [row["sequence"].value for row in store.query("SELECT ?sequence { ?c parley:sequence ?sequence }")]
    ['1']
    """
    changes = position_changes(before, after, date.today(), touched)
    return change_record(operation, write_summary(summary, changes), changes, after)


def write_summary(summary: str, changes: PositionChanges) -> str:
    """The write's words with what it did to positions: "loaded talks.trig: 3 positions added, 1 shift".

    Examples
    --------
    >>> write_summary("deleted position p", PositionChanges(removed=("p",), shift_count=1))
    'deleted position p: 1 position removed, 1 shift'
    """
    counts = [
        (len(changes.added), "position", "added"),
        (len(changes.removed), "position", "removed"),
        (len(changes.changed), "position", "changed"),
        (len(changes.superseded), "position", "superseded"),
        (changes.shift_count, "shift", ""),
    ]
    said = [f"{count:,} {noun}{'' if count == 1 else 's'}{f' {verb}' if verb else ''}" for count, noun, verb in counts]
    said = [words for words, (count, _, _) in zip(said, counts, strict=True) if count]
    return f"{summary}: {', '.join(said)}" if said else summary


def change_record(operation: str, summary: str, changes: PositionChanges, after: Negotiation) -> list[ox.Quad]:
    """The quads of one write's record, to be numbered by the raise of the store's version."""
    change = ox.NamedNode(f"{instance('change', uuid.uuid4().hex).value}")
    now = datetime.now(UTC).isoformat(timespec="microseconds")

    def fact(subject: ox.NamedNode, predicate: ox.NamedNode, value: ox.NamedNode | ox.Literal) -> ox.Quad:
        return ox.Quad(subject, predicate, value, LOG_GRAPH)

    quads = [
        fact(change, _RDF_TYPE, _term("Change")),
        fact(change, _RDF_TYPE, _ACTIVITY),
        fact(change, _RDF_TYPE, _term("UnnumberedChange")),
        fact(change, _ENDED, ox.Literal(now, datatype=_DATETIME)),
        fact(change, _term("operation"), ox.Literal(operation)),
        fact(change, _COMMENT, ox.Literal(summary)),
        fact(change, _term("shiftCount"), ox.Literal(str(changes.shift_count), datatype=_INTEGER)),
    ]
    for predicate, ids in (
        ("added", changes.added),
        ("removed", changes.removed),
        ("changed", changes.changed),
        ("superseded", changes.superseded),
    ):
        # A large load's record names its first positions only: its summary counts them all.
        quads += [fact(change, _term(predicate), instance("position", name)) for name in ids[:MAX_POSITIONS]]
    for index, shift in enumerate(changes.shifts):
        node = ox.NamedNode(f"{change.value}/shift/{index + 1}")
        quads += [
            fact(change, _term("shift"), node),
            fact(node, _RDF_TYPE, _term("Shift")),
            fact(node, _term("shiftIndex"), ox.Literal(str(index + 1), datatype=_INTEGER)),
            fact(node, _term("party"), instance("actor", shift.group)),
            fact(node, _term("onIssue"), instance("issue", shift.issue)),
            fact(node, _COMMENT, ox.Literal(shift_sentence(after, shift))),
        ]
        if shift.before is not None:
            quads.append(fact(node, _term("from"), instance("position", shift.before.id)))
        if shift.after is not None:
            quads.append(fact(node, _term("to"), instance("position", shift.after.id)))
    return quads
