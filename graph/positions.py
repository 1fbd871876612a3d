"""Read the store into the model of :mod:`graph.model`."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pyoxigraph as ox

from graph import queries
from graph.model import BINARY, QUANTITY, Actor, Condition, Evidence, Issue, Negotiation, Position, Source
from graph.namespaces import PARLEY, slug_of
from graph.store import Store

__all__ = ["read_negotiation"]

_KINDS = {PARLEY + name: name.lower() for name in ("Demand", "Offer", "Threat", "Commitment", "Position")}
_ACTOR_KINDS = {PARLEY + name: name.lower() for name in ("State", "Organization", "Coalition", "Person", "Actor")}
_STANCES = {PARLEY + "Supports": "supports", PARLEY + "Opposes": "opposes", PARLEY + "Neutral": "neutral"}
_LINKS = {
    PARLEY + "addressee": "addressees", PARLEY + "condition": "conditions", PARLEY + "rejects": "rejects",
    PARLEY + "supersedes": "supersedes", "http://www.w3.org/ns/prov#wasDerivedFrom": "evidence",
}
_ACTOR_LINKS = {PARLEY + "speaksFor": "speaks_for", PARLEY + "memberOf": "member_of", PARLEY + "hasLeverageOver": "leverage_over"}
_XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"


def _text(term) -> str | None:
    return term.value if term is not None else None


def _value(term: ox.Literal | None):
    """A range end: a date for xsd:date, else a float."""
    if term is None:
        return None
    if term.datatype.value == _XSD_DATE:
        return date.fromisoformat(term.value)
    return float(term.value)


def read_negotiation(store: Store) -> Negotiation:
    """Read every actor, issue and position of the store into a :class:`Negotiation`.

    Examples
    --------
    >>> from graph.load import open_store
    >>> negotiation = read_negotiation(open_store("memory"))
    >>> negotiation.actors["vladimir-putin"].speaks_for
    ('russia',)
    """
    return Negotiation(actors=_actors(store), issues=_issues(store), positions=_positions(store))


def _actors(store: Store) -> dict[str, Actor]:
    kinds: dict[str, str] = {}
    labels: dict[str, str] = {}
    for row in store.query(queries.READ_ACTORS):
        slug = slug_of(row["actor"].value)
        kind = _ACTOR_KINDS.get(row["type"].value, "actor")
        if kinds.get(slug, "actor") == "actor":
            kinds[slug] = kind
        labels.setdefault(slug, _text(row["label"]) or slug)
    links: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in store.query(queries.READ_ACTOR_LINKS):
        links[slug_of(row["actor"].value)][_ACTOR_LINKS[row["relation"].value]].append(slug_of(row["other"].value))
    return {
        slug: Actor(slug, labels[slug], kinds[slug], **{name: tuple(sorted(values)) for name, values in links[slug].items()})
        for slug in sorted(kinds)
    }


def _issues(store: Store) -> dict[str, Issue]:
    broader: dict[str, list[str]] = defaultdict(list)
    for row in store.query(queries.READ_ISSUE_BROADER):
        broader[slug_of(row["issue"].value)].append(slug_of(row["broader"].value))
    issues = {}
    for row in store.query(queries.READ_ISSUES):
        slug = slug_of(row["issue"].value)
        scale = QUANTITY if row["scale"] is not None and row["scale"].value == PARLEY + "Quantity" else BINARY
        issues[slug] = Issue(slug, _text(row["label"]) or slug, _text(row["definition"]), scale, _text(row["unit"]),
                             tuple(sorted(broader[slug])))
    return dict(sorted(issues.items()))


def _positions(store: Store) -> dict[str, Position]:
    sources = {
        row["source"].value: Source(slug_of(row["source"].value), _text(row["title"]) or "", _text(row["issued"]),
                                    _text(row["publisher"]), _text(row["url"]))
        for row in store.query(queries.READ_SOURCES)
    }
    reporters: dict[str, list[str]] = defaultdict(list)
    for row in store.query(queries.READ_EVIDENCE_REPORTERS):
        reporters[row["evidence"].value].append(row["reportedBy"].value)
    evidence = {
        row["evidence"].value: Evidence(
            row["quote"].value,
            sources.get(row["source"].value) if row["source"] is not None else None,
            slug_of(row["speaker"].value) if row["speaker"] is not None else None,
            _text(row["statedOn"]),
            tuple(sorted(reporters[row["evidence"].value])),
        )
        for row in store.query(queries.READ_EVIDENCE)
    }
    addressees: dict[str, list[str]] = defaultdict(list)
    for row in store.query(queries.READ_CONDITION_ADDRESSEES):
        addressees[row["condition"].value].append(slug_of(row["addressee"].value))
    conditions = {
        row["condition"].value: Condition(slug_of(row["issue"].value), _STANCES.get(row["stance"].value, "neutral"),
                                          tuple(sorted(addressees[row["condition"].value])), _text(row["note"]))
        for row in store.query(queries.READ_CONDITIONS)
    }
    links: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for row in store.query(queries.READ_POSITION_LINKS):
        name, target = _LINKS[row["relation"].value], row["target"].value
        if name == "conditions":
            if target in conditions:
                links[row["position"].value][name].append(conditions[target])
        elif name == "evidence":
            if target in evidence:
                links[row["position"].value][name].append(evidence[target])
        else:
            links[row["position"].value][name].append(slug_of(target))

    positions: dict[str, Position] = {}
    for row in store.query(queries.READ_POSITIONS):
        iri = row["position"].value
        slug = slug_of(iri)
        kind = _KINDS.get(row["type"].value, "position")
        if slug in positions:
            # Typed twice (parley:Position and a subclass): keep the more specific kind.
            if kind != "position":
                positions[slug] = _replace_kind(positions[slug], kind)
            continue
        related = links[iri]
        positions[slug] = Position(
            id=slug,
            holder=slug_of(row["holder"].value),
            issue=slug_of(row["issue"].value),
            stance=_STANCES.get(row["stance"].value) if row["stance"] is not None else None,
            minimum=_value(row["minimum"]),
            maximum=_value(row["maximum"]),
            salience=float(row["salience"].value) if row["salience"] is not None else 0.5,
            red_line=row["redLine"] is not None and row["redLine"].value in ("true", "1"),
            kind=kind,
            addressees=tuple(sorted(related["addressees"])),
            conditions=tuple(sorted(related["conditions"], key=lambda c: (c.issue, c.stance, c.addressees))),
            rejects=tuple(sorted(related["rejects"])),
            supersedes=tuple(sorted(related["supersedes"])),
            valid_from=_text(row["validFrom"]),
            valid_until=_text(row["validUntil"]),
            evidence=tuple(sorted(related["evidence"], key=lambda e: (e.stated_on or "", e.quote))),
        )
    return dict(sorted(positions.items()))


def _replace_kind(position: Position, kind: str) -> Position:
    from dataclasses import replace

    return replace(position, kind=kind)
