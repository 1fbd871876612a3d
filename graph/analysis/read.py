"""Read the store into the model of :mod:`graph.analysis.model`."""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import pyoxigraph as ox

from graph.analysis.model import (
    BINARY,
    QUANTITY,
    Actor,
    AnyOf,
    Condition,
    Evidence,
    Issue,
    LeftOut,
    Negotiation,
    Position,
    Source,
    condition_key,
    first_day,
    last_day,
)
from graph.store import Dataset, queries
from graph.store.namespaces import PARLEY, compact, instance, slug_of

__all__ = [
    "read_negotiation",
    "read_actors",
    "read_issues",
    "read_positions",
    "read_evidence",
    "read_all_evidence",
    "read_sources",
    "read_ill_formed_values",
    "read_unverified_positions",
    "SourceQuote",
    "read_source_quotes",
    "count_positions_by_source",
]

# The classes that name a position's or an actor's kind, most specific first. The store types a
# parley:Demand as a parley:Position too (a supertype), so a position comes with several types: the
# first of them in this order names its kind, and the order breaks a tie between two equally specific
# ones (a position typed both parley:Demand and parley:Offer), the same whatever order the store answers in.
_KINDS = {PARLEY + name: name.lower() for name in ("Demand", "Offer", "Threat", "Commitment", "Position")}
_ACTOR_KINDS = {PARLEY + name: name.lower() for name in ("State", "Organization", "Coalition", "Person", "Actor")}
_PRECEDENCE = {kind: rank for rank, kind in enumerate([*_KINDS.values(), *_ACTOR_KINDS.values()])}
_STANCES = {PARLEY + "Supports": "supports", PARLEY + "Opposes": "opposes", PARLEY + "Neutral": "neutral"}
_LINKS = {
    PARLEY + "addressee": "addressees",
    PARLEY + "rejects": "rejects",
    PARLEY + "supersedes": "supersedes",
}
_ACTOR_LINKS = {
    PARLEY + "speaksFor": "speaks_for",
    PARLEY + "memberOf": "member_of",
    PARLEY + "hasLeverageOver": "leverage_over",
}
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


def _number(term) -> float | None:
    """A number's value, or None for one that is not a number (another writer's)."""
    try:
        return float(term.value)
    except ValueError:
        return None


def read_negotiation(store: Dataset, copy: Dataset | None = None) -> Negotiation:
    """Read every actor, issue and position of the store into a :class:`Negotiation`.

    The quotes stay in the store: :meth:`Negotiation.evidence_of` fetches a position's evidence
    when it is reported, so the index holds what the analysis needs and no more. The store must
    stay open while the negotiation is used.

    ``copy`` holds what the store holds (its derived graph aside) where it is quicker to read, in
    memory: the index is read from it, and the evidence still fetched from the store.

    Examples
    --------
    >>> from graph.ingest.load import open_store
    >>> negotiation = read_negotiation(open_store("memory"))
    >>> negotiation.actors["vladimir-putin"].speaks_for
    ('russia',)
    """
    left_out: list[LeftOut] = []
    read = copy if copy is not None else store
    # The store evaluates a query without holding the GIL: reading actors, issues and the parts of the
    # positions two at a time takes a third less time (measured at 100k positions: 12.9 s against 16.0 s).
    with ThreadPoolExecutor(max_workers=2) as pool:
        try:
            actors, issues = pool.submit(read_actors, read), pool.submit(read_issues, read)
            positions = _positions(read, left_out=left_out, pool=pool)
        except BaseException:
            pool.shutdown(cancel_futures=True)  # what has not begun never does; the error waits only for what runs
            raise
    return Negotiation(
        actors=actors.result(),
        issues=issues.result(),
        positions=positions,
        evidence_loader=lambda position_id: read_evidence(store, position_id),
        unverified_loader=lambda: read_unverified_positions(store),
        left_out=left_out,
    )


def read_actors(store: Dataset) -> dict[str, Actor]:
    """Every actor of the store by slug, with its label, kind, links and aliases."""
    kinds: dict[str, str] = {}
    labels: dict[str, str] = {}
    for row in store.query(queries.READ_ACTORS):
        slug = slug_of(row["actor"].value)
        kind = _ACTOR_KINDS.get(row["type"].value, "actor")
        if slug not in kinds or _PRECEDENCE[kind] < _PRECEDENCE[kinds[slug]]:
            kinds[slug] = kind
        labels.setdefault(slug, _text(row["label"]) or slug)
    links: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in store.query(queries.READ_ACTOR_LINKS):
        links[slug_of(row["actor"].value)][_ACTOR_LINKS[row["relation"].value]].append(slug_of(row["other"].value))
    aliases = _aliases(store, queries.READ_ACTOR_ALIASES, "actor")
    same_as, power = _actor_details(store)
    return {
        slug: Actor(
            slug,
            labels[slug],
            kinds[slug],
            aliases=tuple(aliases.get(slug, ())),
            same_as=tuple(sorted(same_as.get(slug, ()))),
            power=power.get(slug),
            **{name: tuple(sorted(values)) for name, values in links[slug].items()},
        )
        for slug in sorted(kinds)
    }


def _actor_details(store: Dataset) -> tuple[dict[str, set[str]], dict[str, float | None]]:
    """Each actor's ``owl:sameAs`` IRIs and its ``parley:power``, by slug.

    A power that is no number (written by something other than Parley's loads, which refuse it)
    is read as not stated: nothing in the analysis depends on it.
    """
    same_as: dict[str, set[str]] = defaultdict(set)
    power: dict[str, float | None] = {}
    for row in store.query(queries.READ_ACTOR_DETAILS):
        slug = slug_of(row["actor"].value)
        if row["property"].value == PARLEY + "power":
            power[slug] = _number(row["value"])
        else:
            same_as[slug].add(row["value"].value)
    return same_as, power


def _aliases(store: Dataset, query: str, variable: str) -> dict[str, list[str]]:
    """The other names (``skos:altLabel``) of each actor or issue, by slug, each once (in any language)."""
    aliases: dict[str, set[str]] = defaultdict(set)
    for row in store.query(query):
        aliases[slug_of(row[variable].value)].add(row["alias"].value)
    return {slug: sorted(names) for slug, names in aliases.items()}


def read_issues(store: Dataset) -> dict[str, Issue]:
    """Every issue of the store by slug, with its label, scale, unit, broader issues and aliases."""
    broader: dict[str, list[str]] = defaultdict(list)
    for row in store.query(queries.READ_ISSUE_BROADER):
        broader[slug_of(row["issue"].value)].append(slug_of(row["broader"].value))
    aliases = _aliases(store, queries.READ_ISSUE_ALIASES, "issue")
    issues = {}
    for row in store.query(queries.READ_ISSUES):
        slug = slug_of(row["issue"].value)
        scale = QUANTITY if row["scale"] is not None and row["scale"].value == PARLEY + "Quantity" else BINARY
        issues[slug] = Issue(
            slug,
            _text(row["label"]) or slug,
            _text(row["definition"]),
            scale,
            _text(row["unit"]),
            tuple(sorted(broader[slug])),
            tuple(aliases.get(slug, ())),
        )
    return dict(sorted(issues.items()))


def _positions(
    store: Dataset,
    only: list[ox.NamedNode] | None = None,
    left_out: list[LeftOut] | None = None,
    pool: Executor | None = None,
) -> dict[str, Position]:
    """Every position of the store, or only those ``only`` names; those with a value that cannot be read
    are left out, and added to ``left_out``. Given a ``pool``, its parts are read there meanwhile."""
    intern = sys.intern
    conditions = _meanwhile(pool, _conditions, store, only)
    link_rows = _meanwhile(pool, _link_rows, store, only)
    first_stated = _meanwhile(pool, _first_stated, store, only)
    found = _position_values(store, only)
    # Links are rare (a tenth of positions or fewer), so they are kept only where present.
    links: dict[str, dict[str, list]] = {}
    for iri, held in conditions.result().items():
        links.setdefault(iri, defaultdict(list))["conditions"] = held
    for position, relation, target in link_rows.result():
        links.setdefault(position, defaultdict(list))[relation].append(target)
    first_stated_on = first_stated.result()

    no_links: dict[str, list] = defaultdict(list)
    positions: dict[str, Position] = {}
    for iri, (kind, values) in found.items():
        slug = slug_of(iri)
        if values[_HOLDER] is None or values[_ISSUE] is None:
            continue
        unreadable = _unreadable(slug, values, first_stated_on.get(iri))
        if unreadable is not None:
            if left_out is not None:
                left_out.append(unreadable)
            continue
        minimum, maximum, salience, red_line, valid_from, valid_until = (
            values[_VALUE_SLOTS[name]]
            for name in ("minimum", "maximum", "salience", "redLine", "validFrom", "validUntil")
        )
        related = links.get(iri, no_links)
        positions[slug] = Position(
            id=slug,
            holder=intern(slug_of(values[_HOLDER].value)),
            issue=intern(slug_of(values[_ISSUE].value)),
            stance=_STANCES.get(values[_STANCE].value) if values[_STANCE] is not None else None,
            minimum=_value(minimum),
            maximum=_value(maximum),
            salience=float(salience.value) if salience is not None else 0.5,
            red_line=red_line is not None and red_line.value in ("true", "1"),
            kind=kind,
            addressees=tuple(sorted(related["addressees"])) if "addressees" in related else (),
            conditions=tuple(sorted(related["conditions"], key=condition_key)) if "conditions" in related else (),
            rejects=tuple(sorted(related["rejects"])) if "rejects" in related else (),
            supersedes=tuple(sorted(related["supersedes"])) if "supersedes" in related else (),
            valid_from=intern(valid_from.value) if valid_from is not None else None,
            valid_until=intern(valid_until.value) if valid_until is not None else None,
            first_stated=first_stated_on.get(iri),
        )
    return dict(sorted(positions.items()))


T = TypeVar("T")


def _meanwhile(pool: Executor | None, task: Callable[..., T], *arguments: object) -> Future[T]:
    """``task(*arguments)`` run in ``pool`` (now, without one), for its result to be asked later."""
    if pool is not None:
        return pool.submit(task, *arguments)
    done: Future[T] = Future()
    done.set_result(task(*arguments))
    return done


# Where each value of a position sits in the list :func:`_position_values` keeps for it (a list, not a dict:
# at a million positions, the difference is hundreds of megabytes).
_VALUE_SLOTS = {name: slot for slot, name in enumerate(queries.READ_POSITION_VALUES)}
_HOLDER, _ISSUE, _STANCE = _VALUE_SLOTS["holder"], _VALUE_SLOTS["issue"], _VALUE_SLOTS["stance"]


def _position_values(store: Dataset, only: list[ox.NamedNode] | None) -> dict[str, tuple[str, list]]:
    """Each position's kind and values (terms, or None, in the slots of ``_VALUE_SLOTS``), by its IRI.

    Read one property at a time (see :data:`graph.store.queries.READ_POSITION_VALUES`); where a property
    has several values (only a writer other than Parley's loads makes that), the first one read counts.
    """
    kinds: dict[str, str] = {}
    typed_position = set()  # only what is typed parley:Position is a position, whatever kind it names
    for position, type_ in store.table(queries.READ_POSITION_TYPES, ("position", "type"), "position", only):
        iri, kind = sys.intern(position.value), _KINDS[type_.value]
        if iri not in kinds or _PRECEDENCE[kind] < _PRECEDENCE[kinds[iri]]:
            kinds[iri] = kind
        if kind == "position":
            typed_position.add(iri)
    found = {iri: (kinds[iri], [None] * len(_VALUE_SLOTS)) for iri in typed_position}
    for name, query in queries.READ_POSITION_VALUES.items():
        slot = _VALUE_SLOTS[name]
        for subject, value in store.table(query, ("position", "value"), "position", only):
            position = found.get(subject.value)
            if position is not None and position[1][slot] is None:
                position[1][slot] = value
    return found


def _link_rows(store: Dataset, only: list[ox.NamedNode] | None) -> list[tuple[str, str, str]]:
    """Each link of a position to another or to an actor: (position IRI, what it is, the other's slug)."""
    return [
        (position.value, _LINKS[relation.value], sys.intern(slug_of(target.value)))
        for position, relation, target in store.table(
            queries.READ_POSITION_LINKS, ("position", "relation", "target"), "position", only
        )
    ]


def _first_stated(store: Dataset, only: list[ox.NamedNode] | None) -> dict[str, str]:
    """The day each position was first stated (from its evidence), by the position's IRI."""
    rows = store.table(queries.READ_POSITION_FIRST_STATED, ("position", "first"), "position", only)
    return {position.value: sys.intern(first.value) for position, first in rows}


def _conditions(store: Dataset, only: list[ox.NamedNode] | None) -> dict[str, list[Condition | AnyOf]]:
    """Each position's conditions (by the position's IRI): the plain ones, then the either/or ones."""
    # A condition may be shared by several positions: one row each, but each addressee counts once.
    addressees: dict[str, set[str]] = defaultdict(set)
    for condition, addressee in store.table(
        queries.READ_CONDITION_ADDRESSEES, ("condition", "addressee"), "position", only
    ):
        addressees[condition.value].add(slug_of(addressee.value))

    def plain(row: ox.QuerySolution, node: str, note: str) -> Condition:
        return Condition(
            sys.intern(slug_of(row["issue"].value)),
            _STANCES.get(row["stance"].value, "neutral"),
            tuple(sorted(addressees[row[node].value])),
            _text(row[note]),
        )

    found: dict[str, list[Condition | AnyOf]] = defaultdict(list)
    for row in store.query_each(queries.READ_POSITION_CONDITIONS, "position", only):
        found[row["position"].value].append(plain(row, "condition", "note"))
    # An alternative appears once per note of its either/or condition: the first note counts.
    either: dict[tuple[str, str], dict[str, Condition]] = defaultdict(dict)
    notes: dict[tuple[str, str], str | None] = {}
    for row in store.query_each(queries.READ_POSITION_ANY_OF, "position", only):
        key = (row["position"].value, row["condition"].value)
        notes.setdefault(key, _text(row["note"]))
        either[key].setdefault(row["alternative"].value, plain(row, "alternative", "alternativeNote"))
    for key, alternatives in either.items():
        found[key[0]].append(AnyOf(tuple(alternatives.values()), notes[key]))
    return found


# How the analysis reads each value of a position; a ValueError means it cannot.
_READERS = {
    "validFrom": lambda term: first_day(term.value),
    "validUntil": lambda term: last_day(term.value),
    "minimum": _value,
    "maximum": _value,
    "salience": lambda term: float(term.value),
}
_PROPERTY_NAMES = {"minimum": "parley:minValue", "maximum": "parley:maxValue"}


def _unreadable(slug: str, values: list, first_stated: str | None) -> LeftOut | None:
    """Why a position's values (:func:`_position_values`) cannot be read (an ill-formed date or number), or None."""
    for name, read in _READERS.items():
        term = values[_VALUE_SLOTS[name]]
        try:
            if term is not None:
                read(term)
        except ValueError as error:
            return LeftOut(f"position:{slug}", _PROPERTY_NAMES.get(name, f"parley:{name}"), term.value, str(error))
    try:
        first_day(first_stated)
    except ValueError as error:
        return LeftOut(f"position:{slug}", "parley:statedOn", first_stated or "", str(error))
    return None


def read_ill_formed_values(store: Dataset) -> list[LeftOut]:
    """Every typed value of the store whose text is no value of its datatype, sorted.

    Parley's loads refuse them; another writer (a SPARQL update, another tool) may not have.

    Examples
    --------
    >>> from graph.ingest.load import open_store
    >>> read_ill_formed_values(open_store("memory"))
    []
    """
    found = {
        LeftOut(
            compact(row["node"]), compact(row["path"]), row["value"].value, f"not a valid {compact(row['datatype'])}"
        )
        for row in store.query(queries.ILL_FORMED_VALUES)
    }
    return sorted(found, key=lambda left: (left.node, left.property, left.value))


def read_positions(store: Dataset, positions: list[ox.NamedNode]) -> list[Position]:
    """Read the given positions only: after a small write, to bring a live index up to date."""
    return list(_positions(store, positions).values())


def read_evidence(store: Dataset, position_id: str) -> tuple[Evidence, ...]:
    """The evidence of one position, with its sources, read from the store."""
    return _evidence(store, {"position": instance("position", position_id)}).get(position_id, ())


def read_all_evidence(store: Dataset) -> dict[str, tuple[Evidence, ...]]:
    """The evidence of every position, by position id, in two queries (an export's, not one per position).

    Examples
    --------
    >>> from graph.ingest.load import open_store
    >>> evidence = read_all_evidence(open_store("memory"))
    >>> [e.speaker for e in evidence["rubio-us-mediation-2025-04-18"]]
    ['marco-rubio', 'marco-rubio']
    """
    return _evidence(store, None)


def _evidence(store: Dataset, bindings: dict | None) -> dict[str, tuple[Evidence, ...]]:
    """The evidence of the positions the query reaches with ``bindings``, by position id, each sorted."""
    reporters: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in store.query(queries.READ_EVIDENCE_REPORTERS_OF, bindings):
        reporters[row["position"].value, row["evidence"].value].append(row["reportedBy"].value)
    found: dict[str, list[Evidence]] = defaultdict(list)
    for row in store.query(queries.READ_EVIDENCE_OF, bindings):
        source = None
        if row["source"] is not None:
            source = Source(
                slug_of(row["source"].value),
                _text(row["title"]) or "",
                _text(row["issued"]),
                _text(row["publisher"]),
                _text(row["url"]),
            )
        found[slug_of(row["position"].value)].append(
            Evidence(
                row["quote"].value,
                source,
                slug_of(row["speaker"].value) if row["speaker"] is not None else None,
                _text(row["statedOn"]),
                tuple(sorted(reporters[row["position"].value, row["evidence"].value])),
                _true(row["verified"]),
            )
        )
    return {
        position: tuple(sorted(evidence, key=lambda e: (e.stated_on or "", e.quote)))
        for position, evidence in found.items()
    }


def read_sources(store: Dataset) -> list[Source]:
    """Every source the store knows, sorted by id (one record per source, the first title if several).

    Examples
    --------
    >>> from graph.ingest.load import open_store
    >>> [(source.id, source.has_text) for source in read_sources(open_store("memory"))]
    [('us-may-walk-away-2025-04-18', True)]
    """
    sources: dict[str, Source] = {}
    for row in store.query(queries.READ_SOURCES):
        slug = slug_of(row["source"].value)
        sources.setdefault(
            slug,
            Source(
                slug,
                _text(row["title"]) or "",
                _text(row["issued"]),
                _text(row["publisher"]),
                _text(row["url"]),
                _text(row["sha256"]),
                _true(row["hasText"]),
            ),
        )
    return [sources[slug] for slug in sorted(sources)]


@dataclass(frozen=True, slots=True)
class SourceQuote:
    """A quote a position takes from a source, and where it stands in the source's text (if it holds one).

    ``start`` and ``end`` are the offsets of its Web Annotation ``TextPositionSelector``, in characters
    of the text; both are None when the quote was never found there (the source holds no text).
    """

    position: str
    evidence: str
    quote: str
    speaker: str | None = None
    stated_on: str | None = None
    start: int | None = None
    end: int | None = None

    @property
    def verified(self) -> bool:
        return self.start is not None


def read_source_quotes(store: Dataset, source: str) -> list[SourceQuote]:
    """Every quote taken from ``source`` by a position, in the order of the text (unplaced ones last).

    Parameters
    ----------
    store : Dataset
        The store to read.
    source : str
        The source's slug (an unknown one has no quotes).

    Returns
    -------
    list of SourceQuote
        Sorted by start in the text, then position and evidence; quotes not found in it come last.

    Examples
    --------
    >>> from graph.ingest.load import open_store
    >>> quotes = read_source_quotes(open_store("memory"), "us-may-walk-away-2025-04-18")
    >>> first = quotes[0]
    >>> first.position, first.start < first.end, all(quote.verified for quote in quotes)
    ('rubio-us-mediation-2025-04-18', True, True)
    """
    found = set()
    for row in store.query(queries.READ_SOURCE_QUOTES, {"source": instance("source", source)}):
        start, end = (_number(row[name]) if row[name] is not None else None for name in ("start", "end"))
        found.add(
            SourceQuote(
                slug_of(row["position"].value),
                compact(row["evidence"]),
                row["quote"].value,
                slug_of(row["speaker"].value) if row["speaker"] is not None else None,
                _text(row["statedOn"]),
                None if start is None else int(start),
                None if end is None else int(end),
            )
        )
    return sorted(found, key=lambda q: (q.start is None, q.start or 0, q.end or 0, q.position, q.evidence))


def count_positions_by_source(store: Dataset) -> dict[str, int]:
    """How many positions quote each source, by source slug (sources no position quotes are left out).

    Examples
    --------
    >>> from graph.ingest.load import open_store
    >>> count_positions_by_source(open_store("memory"))
    {'us-may-walk-away-2025-04-18': 26}
    """
    return {
        slug_of(row["source"].value): int(row["positions"].value)
        for row in store.query(queries.COUNT_POSITIONS_BY_SOURCE)
    }


def read_unverified_positions(store: Dataset) -> set[str]:
    """The ids of the positions with a piece of evidence whose quote was not found in a source's text."""
    return {slug_of(row["position"].value) for row in store.query(queries.UNVERIFIED_POSITIONS)}


def _true(term) -> bool:
    """An xsd:boolean read (a remote store may answer ``1`` for true)."""
    return term is not None and term.value in ("true", "1")
