"""The derived graph: each group's effective position on each issue as of today (``parley:Stand``).

It lets SPARQL users see what the analysis sees. It grows with the positions (one stand per group
and issue it has or inherits a position on), never with pairs of actors: pairwise conflicts and
agreements are one join over stands away (see ``STANDS_IN_CONFLICT`` and ``STANDS_IN_AGREEMENT``
in :mod:`graph.store.queries`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pyoxigraph as ox

from graph.analysis.model import Negotiation, Position
from graph.analysis.rules import Stand, stand
from graph.store import Dataset, queries
from graph.store.namespaces import DERIVED_GRAPH, ID, LOG_GRAPH, PARLEY, instance

__all__ = [
    "stand_iri",
    "all_pairs",
    "affected_pairs",
    "stand_nquads",
    "stand_quads",
    "stand_changes",
    "refresh_derived",
    "derived_is_current",
]

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD = "http://www.w3.org/2001/XMLSchema#"
_TERMS = {
    name: ox.NamedNode(PARLEY + name)
    for name in ("Stand", "group", "issue", "position", "inherited", "asOf", "loadCount")
}


STANDS_PER_WRITE = 100_000
"""A rebuild of the derived graph writes this many stands at a time (about 70 MB of N-Quads)."""


def stand_iri(group: str, issue: str) -> ox.NamedNode:
    """The IRI of a group's stand on an issue: ``id/stand/{group}/{issue}``."""
    return instance("stand", f"{group}/{issue}")


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


def stand_nquads(stands: Iterable[Stand]) -> bytes:
    """The triples of each stand, in the derived graph, as N-Quads.

    Written as text, several times faster than building terms one by one (a large load makes
    millions of stands); the IRIs are made of slugs taken from valid IRIs, so none needs escaping.

    Examples
    --------
    >>> from graph.analysis.model import Position
    >>> stand = Stand("russia", "territory", Position("p", "russia", "territory", "opposes"))
    >>> print(stand_nquads([stand]).decode()[:101])
    <https://w3id.org/parley/id/stand/russia/territory> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>
    """
    graph = f"<{DERIVED_GRAPH.value}> .\n"
    stand_type = f"<{RDF_TYPE.value}> <{_TERMS['Stand'].value}> {graph}"
    group, issue, position, inherited = (
        f"<{_TERMS[name].value}>" for name in ("group", "issue", "position", "inherited")
    )
    boolean = {value: f'"{str(value).lower()}"^^<{XSD}boolean> {graph}' for value in (True, False)}
    lines = []
    for found in stands:
        node = f"<{stand_iri(found.group, found.issue).value}> "
        lines.append(
            f"{node}{stand_type}{node}{group} <{ID}actor/{found.group}> {graph}"
            f"{node}{issue} <{ID}issue/{found.issue}> {graph}"
            f"{node}{position} <{ID}position/{found.position.id}> {graph}{node}{inherited} {boolean[found.inherited]}"
        )
    return "".join(lines).encode()


def stand_quads(stands: Iterable[Stand]) -> list[ox.Quad]:
    """The triples of each stand, in the derived graph (:func:`stand_nquads`, read back)."""
    return list(ox.parse(stand_nquads(stands), format=ox.RdfFormat.N_QUADS))


def _state_quads(as_of: date, loads: int) -> list[ox.Quad]:
    return [
        ox.Quad(
            DERIVED_GRAPH,
            _TERMS["asOf"],
            ox.Literal(as_of.isoformat(), datatype=ox.NamedNode(XSD + "date")),
            DERIVED_GRAPH,
        ),
        ox.Quad(
            DERIVED_GRAPH,
            _TERMS["loadCount"],
            ox.Literal(str(loads), datatype=ox.NamedNode(XSD + "integer")),
            DERIVED_GRAPH,
        ),
    ]


def _state(store: Dataset) -> tuple[str | None, int | None, int]:
    (row,) = store.query(queries.DERIVED_STATE, {"derived": DERIVED_GRAPH, "log": LOG_GRAPH})
    as_of = row["asOf"].value if row["asOf"] is not None else None
    reflected = int(row["reflected"].value) if row["reflected"] is not None else None
    return as_of, reflected, int(row["loads"].value)


def derived_is_current(store: Dataset, as_of: date | None = None) -> bool:
    """Does the derived graph answer for ``as_of`` (today) and reflect every load?"""
    reflected_day, reflected_loads, loads = _state(store)
    return reflected_day == (as_of or date.today()).isoformat() and reflected_loads == loads


def refresh_derived(
    store: Dataset, negotiation: Negotiation, as_of: date | None = None, pairs: set[tuple[str, str]] | None = None
) -> int:
    """Rewrite the stands of ``pairs`` (all of them if None) as of ``as_of``.

    Returns the number of stands written. With ``pairs``, only those stands are touched, in one
    transaction, so adding one position costs what its group and issue cost, not what the graph
    holds. A full rebuild is not one transaction: it is marked complete last, so a crash leaves it
    visibly stale and the next open rebuilds it.
    """
    as_of = as_of or date.today()
    if pairs is not None:
        subjects, quads = stand_changes(store, negotiation, pairs, as_of)
        store.rewrite(DERIVED_GRAPH, quads, subjects)
        return sum(1 for quad in quads if quad.predicate == RDF_TYPE)
    stands = [
        found
        for group, issue in sorted(all_pairs(negotiation))
        if (found := stand(negotiation, group, issue, as_of)) is not None
    ]
    _, _, loads = _state(store)
    # A rebuild touches only the stands that changed (Oxigraph deletes quad by quad), is
    # bulk-written, then marked complete: a crash in between leaves it stale, to be rebuilt.
    existing = {
        row["stand"]: (row["position"], row["inherited"].value == "true")
        for row in store.query(queries.DERIVED_STANDS, {"derived": DERIVED_GRAPH})
    }
    kept, changed = set(), []
    for found in stands:
        node = stand_iri(found.group, found.issue)
        if existing.get(node) == (instance("position", found.position.id), found.inherited):
            kept.add(node)
        else:
            changed.append(found)
    # Written in slices: at 1M positions the stands' N-Quads text alone would be gigabytes.
    slices = (
        stand_nquads(changed[start : start + STANDS_PER_WRITE]) for start in range(0, len(changed), STANDS_PER_WRITE)
    )
    store.bulk_update(DERIVED_GRAPH, [node for node in existing if node not in kept], slices)
    store.rewrite(DERIVED_GRAPH, _state_quads(as_of, loads), [DERIVED_GRAPH])
    return len(stands)


def stand_changes(
    store: Dataset, negotiation: Negotiation, pairs: set[tuple[str, str]], as_of: date | None = None
) -> tuple[list[ox.NamedNode], list[ox.Quad]]:
    """What refreshing the stands of ``pairs`` removes from the derived graph (subjects) and writes there.

    For a caller that makes the refresh part of its own transaction (:meth:`Store.replace`).
    """
    as_of = as_of or date.today()
    stands = [found for group, issue in sorted(pairs) if (found := stand(negotiation, group, issue, as_of)) is not None]
    _, _, loads = _state(store)
    subjects = [stand_iri(group, issue) for group, issue in sorted(pairs)] + [DERIVED_GRAPH]
    return subjects, stand_quads(stands) + _state_quads(as_of, loads)
