"""New actors, issues, sources and positions given as JSON, checked against what is known and written all or nothing.

``POST /ingest`` and ``parley ingest`` take a :class:`Batch`: a source, its new actors and issues,
and its positions, which may refer to the new actors and issues. ``POST /actors`` and
``POST /issues`` write a batch of one; ``PATCH /issues/{id}`` changes an issue
(:func:`change_issue`). Before the shapes see a batch, it is checked against what the store knows,
so that every problem is named by where it stands in the JSON (``positions[2].issue``):

- no new name is another's (:class:`~graph.errors.DuplicateNames`, naming the one that has it): an
  actor's or issue's slug, label or alias that reads as a name of another actor, or of another
  issue, case, accents and punctuation aside (:func:`graph.analysis.names.words`); a position or
  source id that exists;
- every name it refers to is known or new in the batch (:class:`~graph.errors.InvalidEntries`,
  with the nearest known names);
- the issues stay a hierarchy: no ``skos:broader`` loop (:class:`~graph.errors.IssueCycle`), and a
  quantity issue narrower than a quantity issue has its unit, since it inherits its ranges (rule 3
  of docs/meaning.md; an issue of the other scale inherits nothing, so may sit anywhere).

Then the batch becomes one document (actors, issues and the source in the reference graph,
positions in their source's graph) and takes the road of every document: the shapes, one
transaction, the derived graph (:func:`graph.ingest.load.load_documents`). A violation of the
shapes is named by its JSON path too.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace

import pyoxigraph as ox

from graph.analysis.model import QUANTITY, Actor, AnyOf, Condition, Issue, Negotiation, Position, Source
from graph.analysis.names import nearest, words
from graph.analysis.read import read_negotiation, read_sources
from graph.analysis.rules import require_issue
from graph.errors import (
    Clash,
    DuplicateNames,
    FieldProblem,
    InvalidArgument,
    InvalidDocument,
    InvalidEntries,
    IssueCycle,
    QuoteMiss,
    QuoteNotFound,
    Violation,
)
from graph.ingest.documents import (
    ISSUE_FIELDS,
    generate_actor_nquads,
    generate_issue_nquads,
    generate_source_nquads,
    nquads_document,
    position_parts,
    positions_document,
)
from graph.ingest.load import Document, LoadReport, load_documents, replace_descriptions
from graph.ingest.tables import Bad, Names, slugify
from graph.store import Dataset, nquads
from graph.store.namespaces import ONTOLOGY_GRAPH, REFERENCE_GRAPH, SLUG, compact, instance

__all__ = ["Batch", "IssueChange", "write_batch", "check_batch", "change_issue", "slug_for"]


def _join(*parts: str) -> str:
    """A JSON path from its parts, the empty ones left out: ``body``, ``positions[2]``, ``issue``."""
    return ".".join(part for part in parts if part)


def slug_for(label: str) -> str | None:
    """The slug a label gives, when no id is sent: its words (:func:`graph.analysis.names.words`: no case,
    accents or punctuation, no leading article) joined by hyphens; None if that is no slug.

    Examples
    --------
    >>> slug_for("Türkiye"), slug_for("The Kremlin"), slug_for("Unconditional 30-day ceasefire")
    ('turkiye', 'kremlin', 'unconditional-30-day-ceasefire')
    >>> slug_for("Ελλάδα") is None
    True
    """
    slug = slugify(label)
    return slug if SLUG.fullmatch(slug) else None


@dataclass(frozen=True)
class Batch:
    """What one JSON document writes, all or nothing: a source, new actors and issues, and positions.

    Examples
    --------
    >>> batch = Batch(actors=(Actor("turkiye", "Türkiye", "state"),), root="body")
    >>> batch.path("actors", 0), Batch(root="body", single=True).path("actors", 0)
    ('body.actors[0]', 'body')
    """

    source: Source | None = None
    actors: tuple[Actor, ...] = ()
    issues: tuple[Issue, ...] = ()
    positions: tuple[Position, ...] = ()
    text: str | None = None
    """The source's full text, which the source then holds: every quote from it is checked against it."""
    name: str = "ingest"
    """How the document is named in messages and in the log graph."""
    root: str = ""
    """Where the document stands in what was sent (``body`` in a request): the start of every path named."""
    single: bool = False
    """The document is the one actor or issue itself (``POST /actors``), not lists of them."""

    def path(self, kind: str, index: int) -> str:
        """The JSON path of the ``index``-th of ``kind`` (``actors``, ``issues``, ``positions``)."""
        return self.root if self.single else _join(self.root, f"{kind}[{index}]")

    def entries(self, kind: str) -> Iterator[tuple[str, Actor | Issue | Position]]:
        """Each actor, issue or position of the batch with its JSON path."""
        for index, entry in enumerate(getattr(self, kind)):
            yield self.path(kind, index), entry


@dataclass(frozen=True)
class IssueChange:
    """What ``PATCH /issues/{id}`` replaces; a field left None stays as it is."""

    label: str | None = None
    definition: str | None = None
    aliases: tuple[str, ...] | None = None
    broader: tuple[str, ...] | None = None
    """The broader issues: all of them, replacing those the issue has (empty: a top issue)."""


#
# Writing.
#


def write_batch(store: Dataset, batch: Batch, negotiation: Negotiation | None = None) -> LoadReport:
    """Check ``batch`` (:func:`check_batch`) and write it as one validated document, all or nothing.

    Actors, issues and the source go to the reference graph, positions to their source's graph.

    ``negotiation`` is the store's analysis index where the caller holds one (a service), brought
    up to date by the load; otherwise the store is read.

    Raises
    ------
    DuplicateNames, InvalidEntries, IssueCycle
        As :func:`check_batch`; :class:`InvalidEntries` also for what breaks the shapes, and for a quote not in
        the text its source holds (with the closest passage as its nearest), by JSON path.

    Examples
    --------
    >>> from graph.ingest.load import open_store
    >>> store = open_store("memory")
    >>> report = write_batch(store, Batch(actors=(Actor("turkiye", "Türkiye", "state"),)))
    >>> report.negotiation.actors["turkiye"].label
    'Türkiye'
    >>> write_batch(store, Batch(actors=(Actor("turkey", "Turkey", "state", aliases=("Türkiye",)),)))
    Traceback (most recent call last):
    graph.errors.DuplicateNames: actors[0].aliases[0]: 'Türkiye' is already a name of the actor turkiye ('Türkiye')
    """
    negotiation = negotiation if negotiation is not None else read_negotiation(store)
    check_batch(batch, negotiation, {source.id: source for source in read_sources(store)})
    document, nodes = _document(batch)
    try:
        return load_documents(store, [document], negotiation=negotiation, deduplicate=False, operation="post")
    except InvalidDocument as error:
        raise InvalidEntries([_placed(violation, nodes, batch.root) for violation in error.violations]) from None
    except QuoteNotFound as error:
        raise InvalidEntries([_misquoted(miss, nodes, batch.root) for miss in error.misses]) from None


def check_batch(batch: Batch, negotiation: Negotiation, sources: Mapping[str, Source]) -> None:
    """Refuse a batch that names anything twice, refers to what is not known, or breaks the issue hierarchy.

    ``sources`` are the sources the store knows, by id.

    Raises
    ------
    DuplicateNames
        A new actor or issue named as another is (its slug, a label or an alias), or a position or
        source id that exists; each is named with the one that has the name.
    InvalidEntries
        An id that is no slug, a name that refers to nothing known or new (with the nearest names),
        evidence without a source, a quantity issue under a quantity issue of another unit.
    IssueCycle
        A new issue whose broader issues lead back to it.

    Examples
    --------
    >>> from graph.analysis.model import Evidence
    >>> from graph.analysis.read import read_negotiation
    >>> from graph.ingest.load import open_store
    >>> store = open_store("memory")
    >>> position = Position("p", "rusia", "ceasefire", "opposes", evidence=(Evidence("No.", Source("talks", "")),))
    >>> check_batch(Batch(positions=(position,), source=Source("talks", "The talks")), read_negotiation(store), {})
    Traceback (most recent call last):
    graph.errors.InvalidEntries: positions[0].holder: unknown actor 'rusia'; did you mean russia?
    """
    known = _Known(negotiation, sources)
    _refuse_clashes(batch, known)
    problems = [*_bad_ids(batch), *_unknown_names(batch, known)]
    if problems:
        raise InvalidEntries(problems)
    changed = [(entry, where) for where, entry in batch.entries("issues") if isinstance(entry, Issue)]
    _refuse_hierarchy_faults(known.issues, changed)


def change_issue(
    store: Dataset, issue: str, change: IssueChange, negotiation: Negotiation | None = None, root: str = ""
) -> LoadReport:
    """Move an issue in the hierarchy and change its names or definition, as one validated write.

    Every field of ``change`` that is given replaces what the issue has; what it does not name (its
    scale, unit, comments) stays. ``root`` is the JSON path of the change in what was sent.

    Raises
    ------
    UnknownIssue
        If no issue has the slug (with the nearest).
    InvalidArgument
        For one of Parley's generic issues (``ontology/issues.ttl``), which only Parley's own files change.
    DuplicateNames, InvalidEntries, IssueCycle
        As :func:`check_batch` for the issue as it would be.

    Examples
    --------
    >>> from graph.ingest.load import open_store
    >>> store = open_store("memory")
    >>> report = change_issue(store, "partial-ceasefire", IssueChange(broader=("peace-settlement",)))
    >>> report.negotiation.ancestors("partial-ceasefire")
    ['peace-settlement', 'ending-hostilities']
    >>> change_issue(store, "territory", IssueChange(broader=("territory-donetsk",)))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    graph.errors.IssueCycle: broader: ... in a loop, territory -> territory-donetsk -> territory; an issue cannot ...
    """
    negotiation = negotiation if negotiation is not None else read_negotiation(store)
    require_issue(negotiation, issue)
    node = instance("issue", issue)
    described = store.descriptions([node])
    _refuse_fixed_issue(issue, described)
    given = {field.name: getattr(change, field.name) for field in fields(change)}
    given = {name: value for name, value in given.items() if value is not None}
    before = negotiation.issues[issue]
    after = replace(
        before,
        label=change.label if change.label is not None else before.label,
        definition=change.definition if change.definition is not None else before.definition,
        # Sorted, as the store is read; errors name them as the change gives them.
        aliases=tuple(sorted(set(change.aliases))) if change.aliases is not None else before.aliases,
        broader=tuple(sorted(set(change.broader))) if change.broader is not None else before.broader,
    )
    if after == before:
        return LoadReport([], [], negotiation)
    _check_change(after, change, negotiation, root)
    # What the change does not name stays as it is (scale, unit, comments); what it names is written anew.
    kept = nquads(quad for quad in described if quad.predicate.value not in {ISSUE_FIELDS[name] for name in given})
    lines = generate_issue_nquads(after, f"<{REFERENCE_GRAPH.value}>", fields=given)
    try:
        document = nquads_document(f"issue {issue}", [kept.decode(), *lines])
        return replace_descriptions(store, document, [node], negotiation=negotiation)
    except InvalidDocument as error:
        raise InvalidEntries([_placed(each, {compact(node): root}, root) for each in error.violations]) from None


def _refuse_fixed_issue(issue: str, described: list[ox.Quad]) -> None:
    """A change rewrites the reference graph: an issue described elsewhere too is refused, saying why."""
    elsewhere = sorted({str(quad.graph_name) for quad in described if quad.graph_name != REFERENCE_GRAPH})
    if str(ONTOLOGY_GRAPH) in elsewhere:
        raise InvalidArgument(
            "issue",
            f"{issue} is one of Parley's generic issues (ontology/issues.ttl), which only Parley's own files "
            "change; put a new issue under it instead",
        )
    if elsewhere:
        raise InvalidArgument(
            "issue",
            f"{issue} is described in {', '.join(elsewhere)} as well as in the reference graph, and a change "
            "rewrites only the reference graph; move that description there first",
        )


def _check_change(after: Issue, change: IssueChange, negotiation: Negotiation, root: str) -> None:
    """Check an issue as a change would leave it: new names free, broader issues known, the hierarchy whole.

    The names and broader issues the change gives are named as it gives them (``aliases[1]``).
    """
    known = _Known(negotiation, {})
    named = [("label", change.label)] if change.label is not None else []
    named += [(f"aliases[{index}]", alias) for index, alias in enumerate(change.aliases or ())]
    clashes = _clashes("issue", after.id, root, named, known.names["issue"])
    if clashes:
        raise DuplicateNames(clashes)
    problems = [
        problem
        for index, name in enumerate(change.broader or ())
        if (problem := known.unknown("issue", name, _join(root, f"broader[{index}]"))) is not None
    ]
    if problems:
        raise InvalidEntries(problems)
    _refuse_hierarchy_faults({**known.issues, after.id: after}, [(after, root)])


#
# Names: none given twice.
#


def _names_of(entry: Actor | Issue) -> list[tuple[str, str]]:
    """The names of an actor or issue with the field each stands in: label, aliases[0]..., id."""
    return [("label", entry.label), *((f"aliases[{i}]", a) for i, a in enumerate(entry.aliases)), ("id", entry.id)]


def _clashes(kind: str, slug: str, where: str, names: list[tuple[str, str]], known: Names) -> list[Clash]:
    """The first of ``names`` (field, name) that reads as a name of another, as a clash (none if all are free)."""
    for field, name in names:
        owners = [(owner, theirs) for owner, theirs in known.owners(name).items() if owner != slug]
        if owners and words(name):
            return [Clash(_join(where, field), kind, name, *owners[0])]
    return []


def _refuse_clashes(batch: Batch, known: _Known) -> None:
    """Refuse new names that are others', each entry of the batch taking its names before the next."""
    clashes = []
    for kind in ("actor", "issue"):
        names = known.names[kind]
        for where, entry in batch.entries(kind + "s"):
            assert isinstance(entry, Actor | Issue)
            if entry.id in names:
                clashes.append(Clash(_join(where, "id"), kind, entry.id, entry.id, entry.id))
                continue
            clashes += _clashes(kind, entry.id, where, _names_of(entry), names)
            known.add(kind, entry)  # later entries of the batch may take neither its id nor its names
    for where, position in batch.entries("positions"):
        if position.id in known.positions:
            clashes.append(Clash(_join(where, "id"), "position", position.id, position.id, position.id))
        known.positions[position.id] = ()
    if batch.source is not None:
        source = batch.source.id
        if source in known.names["source"]:
            clashes.append(Clash(_join(batch.root, "source.id"), "source", source, source, source))
        known.names["source"].add(source, [batch.source.title])
    if clashes:
        raise DuplicateNames(clashes)


#
# References: every name known.
#


class _Known:
    """What a batch may refer to: the store's actors, issues, sources and positions, and the batch's own
    once :func:`_refuse_clashes` has found their names free (:meth:`add`)."""

    def __init__(self, negotiation: Negotiation, sources: Mapping[str, Source]):
        self.issues: dict[str, Issue] = dict(negotiation.issues)
        self.positions: dict[str, tuple[str, ...]] = dict.fromkeys(negotiation.positions, ())
        self.names = {
            "actor": Names("actor", {slug: (a.label, *a.aliases) for slug, a in negotiation.actors.items()}),
            "issue": Names("issue", {slug: (i.label, *i.aliases) for slug, i in negotiation.issues.items()}),
            "source": Names("source", {slug: (source.title,) for slug, source in sources.items()}),
        }

    def add(self, kind: str, entry: Actor | Issue) -> None:
        """Know a new actor or issue of the batch by its names."""
        self.names[kind].add(entry.id, (entry.label, *entry.aliases))
        if isinstance(entry, Issue):
            self.issues[entry.id] = entry

    def unknown(self, kind: str, name: str, where: str) -> FieldProblem | None:
        """A problem naming ``name`` at ``where`` and the nearest known names, unless ``name`` is a known slug."""
        if kind == "position":
            if name in self.positions:
                return None
            close = tuple(nearest(name, self.positions))
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            return FieldProblem(where, f"unknown position {name!r}{hint}", name, close)
        try:
            self.names[kind].require_slug(name)
        except Bad as bad:
            return FieldProblem(where, str(bad), name, bad.nearest)
        return None


def _bad_ids(batch: Batch) -> Iterator[FieldProblem]:
    """Every new id that is no slug."""
    kinds = ("actors", "issues", "positions")
    ids = [(_join(where, "id"), entry.id) for kind in kinds for where, entry in batch.entries(kind)]
    if batch.source is not None:
        ids.append((_join(batch.root, "source.id"), batch.source.id))
    for where, slug in ids:
        if not SLUG.fullmatch(slug):
            yield FieldProblem(where, f"{slug!r} is no slug: use lowercase letters, digits and inner hyphens", slug)


def _unknown_names(batch: Batch, known: _Known) -> Iterator[FieldProblem]:
    """Every name the batch refers to that is neither known nor new in the batch; evidence without a source."""
    for kind, name, where in _references(batch):
        if name is None:
            yield FieldProblem(where, "no source: name a source the store knows, or describe the document's source")
        elif (problem := known.unknown(kind, name, where)) is not None:
            yield problem


def _references(batch: Batch) -> Iterator[tuple[str, str | None, str]]:
    """Each name the batch refers to, as (kind, name, where); a missing source as None."""
    for where, actor in batch.entries("actors"):
        assert isinstance(actor, Actor)
        for field in ("speaks_for", "member_of", "leverage_over"):
            yield from _each("actor", getattr(actor, field), _join(where, field))
    for where, issue in batch.entries("issues"):
        assert isinstance(issue, Issue)
        yield from _each("issue", issue.broader, _join(where, "broader"))
    for where, position in batch.entries("positions"):
        assert isinstance(position, Position)
        yield from _position_references(position, where)


def _each(kind: str, names: Sequence[str], where: str) -> Iterator[tuple[str, str, str]]:
    for index, name in enumerate(names):
        yield kind, name, f"{where}[{index}]"


def _position_references(position: Position, where: str) -> Iterator[tuple[str, str | None, str]]:
    yield "actor", position.holder, _join(where, "holder")
    yield "issue", position.issue, _join(where, "issue")
    yield from _each("actor", position.addressees, _join(where, "addressees"))
    yield from _each("position", position.rejects, _join(where, "rejects"))
    yield from _each("position", position.supersedes, _join(where, "supersedes"))
    for index, condition in enumerate(position.conditions):
        for proposition, at in _propositions(condition, _join(where, f"conditions[{index}]")):
            yield "issue", proposition.issue, _join(at, "issue")
            yield from _each("actor", proposition.addressees, _join(at, "addressees"))
    for index, evidence in enumerate(position.evidence):
        yield "source", evidence.source.id if evidence.source else None, _join(where, f"evidence[{index}]", "source")
        if evidence.speaker is not None:
            yield "actor", evidence.speaker, _join(where, f"evidence[{index}]", "speaker")


def _propositions(condition: Condition | AnyOf, where: str) -> list[tuple[Condition, str]]:
    """A condition with its JSON path, or each alternative of an either/or one: sorted
    (:class:`~graph.analysis.model.AnyOf`), they are named together, ``any[*]``, by the value at fault."""
    if isinstance(condition, AnyOf):
        return [(alternative, _join(where, "any[*]")) for alternative in condition.alternatives]
    return [(condition, where)]


#
# The hierarchy: no loop, one unit down a line of quantity issues.
#


def _refuse_hierarchy_faults(issues: dict[str, Issue], changed: list[tuple[Issue, str]]) -> None:
    """Refuse a loop through a changed issue, then a quantity issue that would inherit ranges in another unit.

    ``issues`` are all the issues as the write would leave them; ``changed`` the new or changed ones,
    each with its JSON path.
    """
    for issue, where in changed:
        cycle = _loop(issues, issue.id)
        if cycle is not None:
            raise IssueCycle(_join(where, "broader"), cycle)
    after = Negotiation(issues=issues)
    paths = {issue.id: where for issue, where in changed}
    faults: dict[tuple[str, str], str] = {}
    for issue, where in changed:
        for below, above in _unit_faults(after, issue.id):
            # Named once, at the issue's own broader issues if it is new or changed itself.
            faults.setdefault((below, above), paths.get(below, where))
    if faults:
        raise InvalidEntries([_unit_fault(after, below, above, where) for (below, above), where in faults.items()])


def _loop(issues: Mapping[str, Issue], start: str) -> list[str] | None:
    """The shortest way up from ``start``'s broader issues back to ``start`` (ties by slug), or None.

    Examples
    --------
    >>> issues = {"a": Issue("a", "A", broader=("b",)), "b": Issue("b", "B", broader=("a",))}
    >>> _loop(issues, "a"), _loop({"a": Issue("a", "A")}, "a")
    (['a', 'b', 'a'], None)
    """
    reached_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for current in frontier:
            for parent in sorted(issues[current].broader if current in issues else ()):
                if parent == start:
                    way = [current]
                    while way[-1] != start:
                        way.append(reached_from[way[-1]])
                    return [*reversed(way), start]
                if parent not in reached_from:
                    reached_from[parent] = current
                    following.append(parent)
        frontier = following
    return None


def _unit_faults(after: Negotiation, changed: str) -> Iterator[tuple[str, str]]:
    """Quantity issues at or below ``changed`` that would inherit, from a quantity issue at or above it,
    ranges in another unit (rule 3: a position is inherited by narrower issues of the same scale)."""
    above = {changed, *after.ancestors(changed)}
    for below in [changed, *sorted(after.descendants(changed))]:
        lower = after.issues[below]
        if lower.scale != QUANTITY:
            continue
        for ancestor in after.ancestors(below):
            upper = after.issues.get(ancestor)
            if ancestor in above and upper is not None and upper.scale == QUANTITY and upper.unit != lower.unit:
                yield below, ancestor
                break


def _unit_fault(after: Negotiation, below: str, above: str, where: str) -> FieldProblem:
    lower, upper = after.issues[below].unit or "no unit", after.issues[above].unit or "no unit"
    return FieldProblem(
        _join(where, "broader"),
        f"the quantity issue {below} (in {lower}) would be narrower than the quantity issue {above} (in {upper}), "
        "and inherit its ranges in another unit; give them one unit, or another broader issue",
        above,
    )


#
# The document, and its violations named by JSON path.
#


def _document(batch: Batch) -> tuple[Document, dict[str, str]]:
    """The batch as one document, and the JSON path of each node it describes (by its compact name)."""
    reference = f"<{REFERENCE_GRAPH.value}>"
    described: list[str] = []
    nodes: dict[str, str] = {}
    if batch.source is not None:
        described += generate_source_nquads(batch.source, reference, text=batch.text)
        nodes[compact(instance("source", batch.source.id))] = _join(batch.root, "source")
    for where, actor in batch.entries("actors"):
        assert isinstance(actor, Actor)
        described += generate_actor_nquads(actor, reference)
        nodes[compact(instance("actor", actor.id))] = where
    for where, issue in batch.entries("issues"):
        assert isinstance(issue, Issue)
        described += generate_issue_nquads(issue, reference)
        nodes[compact(instance("issue", issue.id))] = where
    for where, position in batch.entries("positions"):
        assert isinstance(position, Position)
        nodes[compact(instance("position", position.id))] = where
        for kind, slug, field in position_parts(position):
            nodes.setdefault(compact(instance(kind, slug)), _join(where, field))
    return positions_document(batch.positions, batch.name, described=described), nodes


_FIELDS = {
    "parley:holder": "holder",
    "parley:issue": "issue",
    "parley:stance": "stance",
    "parley:minValue": "range.min",
    "parley:maxValue": "range.max",
    "parley:salience": "salience",
    "parley:redLine": "red_line",
    "parley:addressee": "addressees",
    "parley:rejects": "rejects",
    "parley:supersedes": "supersedes",
    "parley:condition": "conditions",
    "parley:anyOf": "any",
    "parley:validFrom": "valid_from",
    "parley:validUntil": "valid_until",
    "prov:wasDerivedFrom": "evidence",
    "parley:quote": "quote",
    "parley:source": "source",
    "parley:speaker": "speaker",
    "parley:statedOn": "date",
    "parley:reportedBy": "reported_by",
    "rdfs:label": "label",
    "skos:prefLabel": "label",
    "skos:altLabel": "aliases",
    "skos:definition": "definition",
    "skos:broader": "broader",
    "parley:scale": "scale",
    "parley:unit": "unit",
    "parley:power": "power",
    "owl:sameAs": "same_as",
    "parley:speaksFor": "speaks_for",
    "parley:memberOf": "member_of",
    "parley:hasLeverageOver": "leverage_over",
    "dcterms:title": "title",
    "dcterms:issued": "issued",
    "dcterms:publisher": "publisher",
    "dcterms:source": "url",
}
"""The JSON field each property of a batch's document comes from."""


def _misquoted(miss: QuoteMiss, nodes: Mapping[str, str], root: str) -> FieldProblem:
    """A quote not in its source's text, named by the JSON path of the quote, with the closest passage as nearest.

    Examples
    --------
    >>> miss = QuoteMiss("evidence:p-1", "talks", "We won.", "We lost.")
    >>> print(_misquoted(miss, {"evidence:p-1": "positions[0].evidence[0]"}, ""))
    positions[0].evidence[0].quote: “We won.” is not in the text of source talks; the closest passage is “We lost.”
    """
    where = _join(nodes.get(miss.evidence, root), "quote")
    return FieldProblem(where, miss.said, miss.quote, (miss.closest,) if miss.closest else ())


def _placed(violation: Violation, nodes: Mapping[str, str], root: str) -> FieldProblem:
    """A violation of the shapes, named by the JSON path of the field it is about."""
    where = _join(nodes.get(violation.focus, root), _FIELDS.get(violation.path or "", ""))
    return FieldProblem(where, f"{violation.message} [{violation.constraint}]", violation.value)
