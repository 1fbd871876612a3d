"""Draft positions from a new article: what an analyst would record, to review before anything is written.

:func:`draft_article` reads an article with an extractor (by default the rules of
:mod:`graph.ingest.extract`; any function of the same signature can replace it) against what the store
knows, and numbers the positions it finds from 1. A draft is then

- a list of plain objects (:func:`draft_json`), what ``parley draft --json`` prints;
- a TriG document (:func:`draft_trig`), self-contained: the source record, the new actors and issues, and
  the positions with their quotes, so that loading the reviewed file writes them all in one go;
- a document to load at once with only the positions chosen (:func:`draft_document`, ``--accept 1,3,5-7``).

Nothing is written by drafting. The same text, date and store give the same draft, numbers and ids.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import pyoxigraph as ox

from graph.analysis.model import Actor, AnyOf, Condition, Evidence, Issue, Negotiation, Position, Source
from graph.errors import InvalidArgument, UnreadableDocument
from graph.ingest.documents import (
    generate_actor_nquads,
    generate_issue_nquads,
    generate_source_nquads,
    graph_of,
    positions_document,
)
from graph.ingest.extract import Extraction, Proposal, extract_positions
from graph.ingest.load import Document
from graph.ingest.tables import slugify
from graph.ingest.texts import sha256_of
from graph.store.namespaces import ID, PARLEY
from graph.store.namespaces import PREFIXES as NAMESPACES

__all__ = [
    "Draft",
    "Extractor",
    "read_article",
    "slug_of_file",
    "draft_article",
    "draft_json",
    "draft_trig",
    "draft_document",
    "parse_accept",
]


Extractor = Callable[[str, date, Negotiation], Extraction]
"""What drafts positions: the article's text, its publication date and what the store holds, to an
:class:`~graph.ingest.extract.Extraction`."""

MAX_TEXT = 1_000_000
"""The longest article drafted, in characters (a long report is some 50,000)."""

PREFIXES = {
    name: NAMESPACES[name]
    for name in ("parley", "actor", "issue", "position", "evidence", "condition", "source")
    + ("xsd", "rdfs", "skos", "dcterms", "prov")
}
"""The prefixes a TriG draft is written with: Parley's own, and those of the vocabularies it uses."""


@dataclass
class Draft:
    """The positions drafted from one article, numbered from 1 in the order of the text."""

    source: Source
    text: str
    sha256: str
    positions: list[Position]
    proposals: list[Proposal]
    new_actors: list[Actor] = field(default_factory=list)
    new_issues: list[Issue] = field(default_factory=list)


def read_article(path: str | Path) -> str:
    """The text of an article file, in UTF-8 (a byte-order mark is dropped).

    Raises
    ------
    UnreadableDocument
        The file is missing, a directory, unreadable, or not UTF-8 text (binary data, a NUL byte).
    """
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableDocument(str(path), f"not UTF-8 text (byte {error.start}): save the article as UTF-8") from None
    except OSError as error:
        raise UnreadableDocument(str(path), error.strerror or str(error)) from None
    if "\x00" in text:
        raise UnreadableDocument(str(path), f"not text: a NUL byte at character {text.index(chr(0))}")
    return text


def slug_of_file(path: str | Path) -> str:
    """The slug a source takes from its file's name (``us-may-walk-away-2025-04-18.txt`` keeps its stem).

    Examples
    --------
    >>> slug_of_file("articles/Talks in Riyadh.txt")
    'talks-in-riyadh'
    """
    return slugify(Path(path).stem) or "draft"


def draft_article(
    text: str,
    published: date,
    negotiation: Negotiation,
    title: str | None = None,
    source: str | None = None,
    extractor: Extractor = extract_positions,
) -> Draft:
    """Draft the positions of an article against what the store holds; nothing is written.

    Parameters
    ----------
    text : the article, as plain text.
    published : its publication date, which relative dates ("on Friday", "last month") count from.
    negotiation : what the store holds (:func:`graph.analysis.read.read_negotiation`).
    title : the source's title; by default its first sentence, cut at 120 characters.
    source : the source's slug; by default made from the title.
    extractor : what finds the positions (:func:`graph.ingest.extract.extract_positions`).

    Examples
    --------
    >>> from graph.analysis.model import Actor, Issue
    >>> known = Negotiation(actors={"russia": Actor("russia", "Russia", "state")},
    ...                     issues={"ceasefire": Issue("ceasefire", "Ceasefire")})
    >>> draft = draft_article("Russia said it rejects a ceasefire.", date(2025, 4, 18), known, "Talks")
    >>> [(p.id, p.holder, p.issue, p.stance) for p in draft.positions]
    [('russia-ceasefire-2025-04-18', 'russia', 'ceasefire', 'opposes')]
    """
    if not text.strip():
        raise InvalidArgument("text", "the article is empty: send its text")
    if "\x00" in text:  # UTF-8 lets NUL through, but no text has one: binary data, refused as such
        raise InvalidArgument("text", f"the article is not text: a NUL byte at character {text.index(chr(0))}")
    if len(text) > MAX_TEXT:
        raise InvalidArgument("text", f"the article has {len(text):,} characters; at most {MAX_TEXT:,} are drafted")
    title = (title or "").strip() or _first_sentence(text)
    slug = source or slugify(title)[:80].strip("-") or "draft"
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
        raise InvalidArgument("source", f"{slug!r} is no slug: use lowercase letters, digits and inner hyphens")
    record = Source(slug, title, published.isoformat())
    extraction = extractor(text, published, negotiation)
    ids = _position_ids(extraction.proposals, published, set(negotiation.positions))
    positions = [_position(ids, index, proposal, record) for index, proposal in enumerate(extraction.proposals)]
    return Draft(
        record,
        text,
        sha256_of(text),
        positions,
        extraction.proposals,
        sorted(extraction.new_actors.values(), key=lambda actor: actor.id),
        sorted(extraction.new_issues.values(), key=lambda issue: issue.id),
    )


def _first_sentence(text: str) -> str:
    first = re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]
    return first if len(first) <= 120 else first[:119].rsplit(" ", 1)[0] + "…"


def _position_ids(proposals: list[Proposal], published: date, taken: set[str]) -> list[str]:
    """Ids made from holder, issue and date, told apart by a number where two would be the same."""
    ids: list[str] = []
    last: dict[str, int] = {}  # the last number each base took, so that many alike are not counted from 1 each time
    for proposal in proposals:
        base = f"{proposal.holder}-{proposal.issue}-{proposal.stated_on or published.isoformat()}"
        candidate, number = base, last.get(base, 1)
        if number > 1:
            candidate = f"{base}-{number}"
        while candidate in taken:
            number += 1
            candidate = f"{base}-{number}"
        last[base] = number
        taken.add(candidate)
        ids.append(candidate)
    return ids


def _position(ids: list[str], index: int, proposal: Proposal, source: Source) -> Position:
    def named(targets: tuple[int | str, ...]) -> tuple[str, ...]:
        return tuple(ids[target] if isinstance(target, int) else target for target in targets)

    evidence = Evidence(proposal.quote, source, proposal.speaker, proposal.stated_on, proposal.reported_by)
    return Position(
        ids[index],
        proposal.holder,
        proposal.issue,
        stance=proposal.stance,
        minimum=proposal.minimum,
        maximum=proposal.maximum,
        salience=proposal.salience,
        red_line=proposal.red_line,
        kind=proposal.kind,
        addressees=proposal.addressees,
        conditions=proposal.conditions,
        rejects=named(proposal.rejects),
        supersedes=named(proposal.supersedes),
        valid_from=proposal.stated_on,
        evidence=(evidence,),
    )


def _condition_json(condition: Condition | AnyOf) -> dict:
    if isinstance(condition, AnyOf):
        return {"any_of": [_condition_json(alternative) for alternative in condition.alternatives]}
    return {"issue": condition.issue, "stance": condition.stance, "addressees": list(condition.addressees)}


def draft_json(draft: Draft) -> dict:
    """The draft as plain objects: its source, its numbered positions, and the actors and issues it proposes.

    Examples
    --------
    >>> from graph.analysis.model import Actor, Issue
    >>> known = Negotiation(actors={"russia": Actor("russia", "Russia", "state")},
    ...                     issues={"ceasefire": Issue("ceasefire", "Ceasefire")})
    >>> body = draft_json(draft_article("Russia said it wants a ceasefire.", date(2025, 4, 18), known, "Talks"))
    >>> body["positions"][0]["number"], body["positions"][0]["stance"], body["positions"][0]["quote"]
    (1, 'supports', 'Russia said it wants a ceasefire.')
    """
    positions = []
    for number, (position, proposal) in enumerate(zip(draft.positions, draft.proposals, strict=True), 1):
        positions.append(
            {
                "number": number,
                "id": position.id,
                "holder": position.holder,
                "group": proposal.group,
                "speaker": proposal.speaker,
                "issue": position.issue,
                "stance": position.stance,
                "min": position.minimum,
                "max": position.maximum,
                "unit": proposal.unit,
                "condition": [_condition_json(condition) for condition in position.conditions],
                "red_line": position.red_line,
                "kind": position.kind,
                "addressee": list(position.addressees),
                "rejects": list(position.rejects),
                "supersedes": list(position.supersedes),
                "reported_by": list(proposal.reported_by),
                "quote": proposal.quote,
                "start": proposal.start,
                "end": proposal.end,
                "valid_from": position.valid_from,
                "stated_on": proposal.stated_on,
                "salience": position.salience,
                "confidence": proposal.confidence,
                "rule": proposal.rule,
                **_proposed(draft, position),
            }
        )
    return {
        "source": {"id": draft.source.id, "title": draft.source.title, "issued": draft.source.issued},
        "sha256": draft.sha256,
        "positions": positions,
        "new_actors": [_actor_json(actor) for actor in draft.new_actors],
        "new_issues": [_issue_json(issue) for issue in draft.new_issues],
    }


def _actor_json(actor: Actor) -> dict:
    return {"id": actor.id, "label": actor.label, "kind": actor.kind, "speaks_for": list(actor.speaks_for)}


def _issue_json(issue: Issue) -> dict:
    return {
        "id": issue.id,
        "label": issue.label,
        "definition": issue.definition,
        "scale": issue.scale,
        "unit": issue.unit,
    }


def _proposed(draft: Draft, position: Position) -> dict:
    """The new actors and issues one position needs, so that each object of the list stands on its own."""
    actors, issues = _needed([position])
    return {
        "new_actors": [_actor_json(actor) for actor in draft.new_actors if actor.id in actors],
        "new_issues": [_issue_json(issue) for issue in draft.new_issues if issue.id in issues],
    }


def parse_accept(text: str, count: int) -> list[int]:
    """The numbers ``--accept`` names (``1,3,5-7``), each between 1 and ``count``, in order and once.

    Examples
    --------
    >>> parse_accept("1,3,5-7", 8)
    [1, 3, 5, 6, 7]
    >>> parse_accept("9", 8)
    Traceback (most recent call last):
    ...
    graph.errors.InvalidArgument: accept: 9 is not a position of the draft, which has 8 (1 to 8)
    """
    chosen: set[int] = set()
    for part in (piece.strip() for piece in text.split(",")):
        match = re.fullmatch(r"(\d+)(?:\s*-\s*(\d+))?", part)
        if match is None:
            raise InvalidArgument("accept", f"{part!r} is not a number or a range like 5-7")
        low, high = int(match.group(1)), int(match.group(2) or match.group(1))
        if low > high:
            raise InvalidArgument("accept", f"{part!r} runs backwards: write {high}-{low}")
        for number in (low, high):
            if not 1 <= number <= count:
                raise InvalidArgument(
                    "accept", f"{number} is not a position of the draft, which has {count} (1 to {count})"
                )
        chosen.update(range(low, high + 1))
    return sorted(chosen)


def _chosen(draft: Draft, accept: Iterable[int] | None) -> list[Position]:
    """The positions accepted, with links to positions left out of the draft dropped."""
    numbers = set(accept) if accept is not None else set(range(1, len(draft.positions) + 1))
    kept = [position for number, position in enumerate(draft.positions, 1) if number in numbers]
    drafted = {position.id for position in draft.positions}
    kept_ids = {position.id for position in kept}

    def linkable(target: str) -> bool:
        return target not in drafted or target in kept_ids

    return [
        _with_links(position, tuple(filter(linkable, position.rejects)), tuple(filter(linkable, position.supersedes)))
        for position in kept
    ]


def _with_links(position: Position, rejects: tuple[str, ...], supersedes: tuple[str, ...]) -> Position:
    return replace(position, rejects=rejects, supersedes=supersedes)


def _needed(positions: list[Position]) -> tuple[set[str], set[str]]:
    actors: set[str] = set()
    issues: set[str] = set()
    for position in positions:
        actors.update((position.holder, *position.addressees))
        actors.update(evidence.speaker for evidence in position.evidence if evidence.speaker)
        issues.add(position.issue)
        for condition in position.conditions:
            for alternative in condition.alternatives:
                issues.add(alternative.issue)
                actors.update(alternative.addressees)
    return actors, issues


def _described(draft: Draft, positions: list[Position]) -> list[str]:
    """N-Quads of the source record with its text, and of the new actors and issues the positions need."""
    graph = graph_of(draft.source.id)
    lines = list(generate_source_nquads(draft.source, graph, text=draft.text))
    actors, issues = _needed(positions)
    for actor in draft.new_actors:
        if actor.id in actors:
            lines += generate_actor_nquads(actor, graph, "Proposed by a draft: review the label and kind.")
            for spoken_for in actor.speaks_for:
                lines.append(f"<{ID}actor/{actor.id}> <{PARLEY}speaksFor> <{ID}actor/{spoken_for}> {graph} .\n")
    for issue in draft.new_issues:
        if issue.id in issues:
            lines += generate_issue_nquads(issue, graph)
    return lines


def draft_document(draft: Draft, accept: Iterable[int] | None = None) -> Document:
    """The draft as a document ready to load: the source, the new actors and issues the chosen positions
    need, and the positions numbered in ``accept`` (all by default).

    Examples
    --------
    >>> from graph.analysis.model import Actor, Issue
    >>> known = Negotiation(actors={"russia": Actor("russia", "Russia", "state")},
    ...                     issues={"ceasefire": Issue("ceasefire", "Ceasefire")})
    >>> draft = draft_article("Russia said it wants a ceasefire.", date(2025, 4, 18), known, "Talks")
    >>> draft_document(draft, [1]).graphs
    ['https://w3id.org/parley/graph/source/talks']
    """
    positions = _chosen(draft, accept)
    return positions_document(positions, f"draft of {draft.source.id}", described=_described(draft, positions))


def draft_trig(draft: Draft) -> str:
    """The whole draft as TriG, to review and load with ``parley load``; a comment heads each position's number,
    rule and confidence.

    Examples
    --------
    >>> from graph.analysis.model import Actor, Issue
    >>> known = Negotiation(actors={"russia": Actor("russia", "Russia", "state")},
    ...                     issues={"ceasefire": Issue("ceasefire", "Ceasefire")})
    >>> trig = draft_trig(draft_article("Russia said it wants a ceasefire.", date(2025, 4, 18), known, "Talks"))
    >>> trig.splitlines()[3]
    '#  1. position:russia-ceasefire-2025-04-18  (rule said, confidence 0.8)'
    """
    document = draft_document(draft)
    # Sorted, so that the same draft is written the same way, each subject's statements together.
    quads = sorted(document.staged, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
    body = (ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES) or b"").decode()
    header = [
        f"# Draft of source:{draft.source.id}, published {draft.source.issued}: {len(draft.positions)} positions.",
        "# Review it: delete what is wrong, correct the rest, then `parley load` this file (all of it or none).",
        "# The positions, by the number `parley draft --json` and `--accept` use:",
    ]
    for number, (position, proposal) in enumerate(zip(draft.positions, draft.proposals, strict=True), 1):
        header.append(
            f"# {number:>2}. position:{position.id}  (rule {proposal.rule}, confidence {proposal.confidence})"
        )
    return "\n".join(header) + "\n\n" + body
