"""The derived graph: each group's effective position on each issue as of today, one triple per stand.

It lets SPARQL users see what the analysis sees. A group's stand on an issue is one triple,
``actor:{group} stand:{issue} position:{id}``: the predicate names the issue (``stand:{issue}
parley:onIssue issue:{issue}``, one per issue, also in the derived graph), as Wikidata's direct
claims name their property. A stand is inherited when its position is on another issue than the
stand's. So the graph grows with the positions (one triple per group and issue it has or inherits a
position on), never with pairs of actors, and stays smaller than the data it derives from;
pairwise conflicts and agreements are one join over two groups' stands away (see
``STANDS_IN_CONFLICT`` and ``STANDS_IN_AGREEMENT`` in :mod:`graph.store.queries`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import NamedTuple

import pyoxigraph as ox

from graph.analysis.model import Negotiation, Position
from graph.analysis.rules import Stand, stand
from graph.progress import Progress
from graph.store import Dataset, queries
from graph.store.namespaces import DERIVED_GRAPH, ID, LOG_GRAPH, PARLEY, instance

__all__ = [
    "stand_predicate",
    "all_pairs",
    "affected_pairs",
    "stand_nquads",
    "stand_quads",
    "stand_changes",
    "refresh_derived",
    "derived_is_current",
]

XSD = "http://www.w3.org/2001/XMLSchema#"
SUBPROPERTY_OF = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subPropertyOf")
_TERMS = {name: ox.NamedNode(PARLEY + name) for name in ("stand", "onIssue", "asOf", "loadCount", "derivedShape")}
_DECLARING = (SUBPROPERTY_OF, _TERMS["onIssue"])
"""The predicates of the triples that declare an issue's stand property."""
_DECLARING_IRIS = {term.value for term in _DECLARING}


SHAPE = 2
"""How the derived graph writes stands (``parley:derivedShape``): one triple each. A derived graph of
another shape, written by an earlier version (shape 1 made each stand a node), is rebuilt."""

STANDS_PER_WRITE = 100_000
"""A rebuild of the derived graph writes this many stands at a time (about 15 MB of N-Quads)."""


def stand_predicate(issue: str) -> ox.NamedNode:
    """The predicate of every stand on ``issue``: ``id/stand/{issue}``.

    Examples
    --------
    >>> stand_predicate("territory").value
    'https://w3id.org/parley/id/stand/territory'
    """
    return instance("stand", issue)


def all_pairs(negotiation: Negotiation) -> set[tuple[str, str]]:
    """Every (group, issue) that can have a stand: issues a group holds positions on, and their narrower issues."""
    pairs = set()
    for group in negotiation.actors:
        for issue in negotiation.positions_of(group):
            pairs.add((group, issue))
            pairs.update((group, narrower) for narrower in negotiation.descendants(issue))
    return pairs


def affected_pairs(negotiation: Negotiation, positions: Iterable[Position]) -> set[tuple[str, str]]:
    """The (group, issue) stands that adding or removing ``positions`` can change.

    A position that supersedes another changes the stands of the other's issue as well.
    """
    pairs: set[tuple[str, str]] = set()
    positions = list(positions)
    positions += [
        negotiation.positions[earlier]
        for p in positions
        for earlier in p.supersedes
        if earlier in negotiation.positions
    ]
    for position in positions:
        issues = [position.issue, *negotiation.descendants(position.issue)]
        for group in negotiation.groups_of(position.holder):
            pairs.update((group, issue) for issue in issues)
    return pairs


def _stand_line(found: Stand, graph: str) -> str:
    # Text, several times faster than terms (a large load makes millions of stands): the IRIs are made
    # of slugs taken from valid IRIs, so none needs escaping.
    return f"<{ID}actor/{found.group}> <{ID}stand/{found.issue}> <{ID}position/{found.position.id}> {graph}"


def _declaration_lines(issues: Iterable[str], graph: str) -> str:
    below_stand = f"<{SUBPROPERTY_OF.value}> <{_TERMS['stand'].value}> {graph}"
    on_issue = f"<{_TERMS['onIssue'].value}>"
    lines = (
        f"<{ID}stand/{issue}> {below_stand}<{ID}stand/{issue}> {on_issue} <{ID}issue/{issue}> {graph}"
        for issue in issues
    )
    return "".join(lines)


def stand_nquads(stands: Iterable[Stand], issues: Iterable[str] = ()) -> bytes:
    """The triple of each stand, and the declaration of each issue's stand predicate, in the derived graph, as N-Quads.

    Examples
    --------
    >>> from graph.analysis.model import Position
    >>> stand = Stand("russia", "territory", Position("p", "russia", "territory", "opposes"))
    >>> print(stand_nquads([stand]).decode().replace("https://w3id.org/parley/", ""))
    <id/actor/russia> <id/stand/territory> <id/position/p> <graph/derived> .
    <BLANKLINE>
    """
    graph = f"<{DERIVED_GRAPH.value}> .\n"
    return (_declaration_lines(issues, graph) + "".join(_stand_line(found, graph) for found in stands)).encode()


def stand_quads(stands: Iterable[Stand], issues: Iterable[str] = ()) -> list[ox.Quad]:
    """The triples of :func:`stand_nquads`, read back."""
    return list(ox.parse(stand_nquads(stands, issues), format=ox.RdfFormat.N_QUADS))


def _state_quads(as_of: date, loads: int) -> list[ox.Quad]:
    integer = ox.NamedNode(XSD + "integer")
    values = {
        "asOf": ox.Literal(as_of.isoformat(), datatype=ox.NamedNode(XSD + "date")),
        "loadCount": ox.Literal(str(loads), datatype=integer),
        "derivedShape": ox.Literal(str(SHAPE), datatype=integer),
    }
    return [ox.Quad(DERIVED_GRAPH, _TERMS[name], value, DERIVED_GRAPH) for name, value in values.items()]


class _Record(NamedTuple):
    """The derived graph's own record (the day it answers for, the loads it reflects, its shape) and the loads made."""

    day: str | None
    reflected: int | None
    shape: int | None
    loads: int

    def current(self, as_of: date, new_loads: int = 0) -> bool:
        """Does it answer for ``as_of``, in today's shape, and reflect every load but the last ``new_loads``?"""
        return self.day == as_of.isoformat() and self.shape == SHAPE and self.reflected == self.loads - new_loads


def _record(store: Dataset) -> _Record:
    (row,) = store.query(queries.DERIVED_STATE, {"derived": DERIVED_GRAPH, "log": LOG_GRAPH})
    as_of = row["asOf"].value if row["asOf"] is not None else None
    reflected = int(row["reflected"].value) if row["reflected"] is not None else None
    shape = int(row["shape"].value) if row["shape"] is not None else None
    return _Record(as_of, reflected, shape, int(row["loads"].value))


def derived_is_current(store: Dataset, as_of: date | None = None) -> bool:
    """Does the derived graph answer for ``as_of`` (today) and reflect every load?"""
    return _record(store).current(as_of or date.today())


def refresh_derived(
    store: Dataset,
    negotiation: Negotiation,
    as_of: date | None = None,
    pairs: set[tuple[str, str]] | None = None,
    new_loads: int = 0,
    progress: Progress | None = None,
) -> int:
    """Rewrite the stands of ``pairs`` (all of them if None) as of ``as_of``.

    Returns the number of stands written. With ``pairs``, only those stands are touched, in one
    transaction, so adding one position costs what its group and issue cost, not what the graph
    holds; ``new_loads`` is the number of loads the write just recorded (the pairs are all they
    changed). Should the derived graph have been stale before them (a refresh that failed), it is
    rebuilt whole instead. A full rebuild is not one transaction: it is marked complete last, so a
    crash leaves it visibly stale and the next open rebuilds it. ``progress`` is told of the pairs of group
    and issue a rebuild works out (and writes the stands of, meanwhile), or those a refresh of ``pairs``
    brings current.
    """
    as_of = as_of or date.today()
    told = progress or Progress()
    if pairs is not None and not _record(store).current(as_of, new_loads):
        pairs = None
    if pairs is not None:
        told.phase("bringing the derived graph current", len(pairs), "pairs")
        removals, quads = stand_changes(store, negotiation, pairs, as_of, new_loads)
        store.replace({DERIVED_GRAPH: removals}, quads)
        told.advance(len(pairs))
        return sum(1 for quad in quads if quad.subject != DERIVED_GRAPH and quad.predicate not in _DECLARING)
    loads = _record(store).loads
    held = _held_stands(store, negotiation)
    every = sorted(all_pairs(negotiation))
    told.phase("working out and writing the stands", len(every), "pairs")
    found = 0

    def slices() -> Iterator[bytes]:
        # Made here while the store writes the slice before (Store.bulk_update); in slices, since at 1M positions
        # the stands' N-Quads text alone would be hundreds of megabytes.
        nonlocal found
        changed: list[Stand] = []
        declared = False
        for start in range(0, len(every), _PAIRS_PER_TELLING):
            worked = every[start : start + _PAIRS_PER_TELLING]
            stands = [one for group, issue in worked if (one := stand(negotiation, group, issue, as_of)) is not None]
            found += len(stands)
            changed += [one for one in stands if not held.keeps(one)]
            if len(changed) >= STANDS_PER_WRITE or start + _PAIRS_PER_TELLING >= len(every):
                yield stand_nquads(changed, () if declared else negotiation.issues)
                changed, declared = [], True
            told.advance(len(worked))
        if not declared:  # no pairs: the issues' declarations still go in
            yield stand_nquads([], negotiation.issues)

    # A rebuild writes only the stands that changed, then removes those no longer held (Oxigraph deletes quad by
    # quad), then is marked complete: its record goes first, so a crash in between leaves it stale, to be rebuilt
    # (a rebuild after a write that loads nothing, a SPARQL update, would otherwise leave a record that still says
    # current).
    store.rewrite(DERIVED_GRAPH, [], [DERIVED_GRAPH])
    store.bulk_update(DERIVED_GRAPH, [], slices())
    store.bulk_update(DERIVED_GRAPH, held.stale(), [])
    store.rewrite(DERIVED_GRAPH, _state_quads(as_of, loads), [DERIVED_GRAPH])
    return found


class _HeldStands:
    """The stands the derived graph holds before a rebuild: the rebuild writes only those that changed, then removes
    what is stale."""

    def __init__(self, held: dict[tuple[str, str], list[ox.Quad]]):
        self._held = held
        self._stale: list[ox.Quad] = []

    def keeps(self, found: Stand) -> bool:
        """Does the graph hold ``found`` already? Anything else it holds for the same group and issue is stale."""
        quads = self._held.pop((f"{ID}actor/{found.group}", f"{ID}stand/{found.issue}"), [])
        position = instance("position", found.position.id)
        others = [quad for quad in quads if quad.object != position]
        self._stale += others
        return len(others) < len(quads)

    def stale(self) -> list[ox.Quad]:
        """What the graph holds that no stand asked of :meth:`keeps` is: to be removed."""
        return self._stale + [quad for quads in self._held.values() for quad in quads]


def _held_stands(store: Dataset, negotiation: Negotiation) -> _HeldStands:
    """The derived graph's triples by subject and predicate, but its record's and the declarations of current issues
    (written again, and a quad written twice is held once)."""
    declared = {stand_predicate(issue).value for issue in negotiation.issues}
    held: dict[tuple[str, str], list[ox.Quad]] = {}
    for row in store.query(queries.DERIVED_TRIPLES, {"derived": DERIVED_GRAPH}):
        subject, predicate = row["subject"].value, row["predicate"].value
        if subject == DERIVED_GRAPH.value or (predicate in _DECLARING_IRIS and subject in declared):
            continue
        held.setdefault((subject, predicate), []).append(
            ox.Quad(row["subject"], row["predicate"], row["object"], DERIVED_GRAPH)
        )
    return _HeldStands(held)


_PAIRS_PER_TELLING = 10_000


def stand_changes(
    store: Dataset,
    negotiation: Negotiation,
    pairs: set[tuple[str, str]],
    as_of: date | None = None,
    new_loads: int = 0,
) -> tuple[list[tuple[ox.NamedNode, ox.NamedNode] | ox.NamedNode], list[ox.Quad]]:
    """What refreshing the stands of ``pairs`` removes from the derived graph and writes there.

    The removals are (group, stand predicate) pairs, and the derived graph's own record (its day and
    load count) if it was current for ``as_of`` but for the last ``new_loads`` loads (a stale one stays
    marked stale: other stands may be out of date). For a caller that makes the refresh part of its
    own transaction (:meth:`Store.replace`).
    """
    as_of = as_of or date.today()
    stands = [found for group, issue in sorted(pairs) if (found := stand(negotiation, group, issue, as_of)) is not None]
    removals: list[tuple[ox.NamedNode, ox.NamedNode] | ox.NamedNode] = [
        (instance("actor", group), stand_predicate(issue)) for group, issue in sorted(pairs)
    ]
    quads = stand_quads(stands, sorted({issue for _, issue in pairs}))
    record = _record(store)
    if not record.current(as_of, new_loads):
        return removals, quads
    return [*removals, DERIVED_GRAPH], quads + _state_quads(as_of, record.loads)
