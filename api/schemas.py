"""The shapes of request and response bodies, named by role (``...Public`` out, ``...Create`` in).

The JSON itself is built by :mod:`graph.report.answers`, shared with the command line; these models
describe it for ``/openapi.json`` and check it on the way out. The ``...Create`` models check a body
on the way in (the command line reads its arguments and files with them too) and turn it into the
library's objects: ``model()``, and ``batch()`` for what :func:`graph.ingest.batch.write_batch` writes.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal, Self

import pyoxigraph as ox
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from graph.analysis.model import Actor, AnyOf, Condition, Evidence, Issue, Position, Source, first_day, last_day
from graph.ingest.batch import Batch, IssueChange, slug_for
from graph.ingest.documents import SLUG, new_position_id
from graph.ingest.drafts import MAX_TEXT

Stance = Literal["supports", "opposes", "neutral"]
SLUG_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._~-]{0,199}$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
"""The id of an actor, issue, position or source: the last segment of its IRI."""


def _new_slug(text: str) -> str:
    if not SLUG.fullmatch(text):
        raise ValueError(f"{text!r} is no slug: use lowercase letters, digits and inner hyphens (at most 200)")
    return text


NewSlug = Annotated[str, AfterValidator(_new_slug)]
"""The id of something new: lowercase letters, digits and inner hyphens."""


def _real_day(text: str) -> str:
    try:
        first_day(text), last_day(text)
    except ValueError:  # a day or month that does not exist: 2025-02-30, 2025-13
        raise ValueError(f"{text!r} is not a real date") from None
    return text


DateText = Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$"), AfterValidator(_real_day)]
"""A day, a month or a year: YYYY-MM-DD, YYYY-MM or YYYY."""
Name = Annotated[str, StringConstraints(min_length=1, max_length=1000, pattern=r"\S")]
"""A label, alias, title or unit: some text that is not only white space."""
Value = float | date | None

WIKIDATA = "http://www.wikidata.org/entity/"
_WIKIDATA_ID = re.compile(r"Q[1-9][0-9]*")


def _iri(text: str) -> str:
    """A Wikidata id (``Q43``) as its entity IRI; an IRI as it is, if it is one (http or https)."""
    if _WIKIDATA_ID.fullmatch(text):
        return WIKIDATA + text
    try:
        ox.NamedNode(text)
    except ValueError:
        raise ValueError(f"{text!r} is not an IRI") from None
    if not text.startswith(("http://", "https://")):
        raise ValueError(f"{text!r}: give an http or https IRI, or a Wikidata id such as Q43")
    return text


SameAs = Annotated[str, AfterValidator(_iri)]


class ProblemPublic(BaseModel):
    """An error (RFC 9457)."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "example": {
                "type": "https://w3id.org/parley/problems/not-found",
                "title": "Not found",
                "status": 404,
                "detail": "unknown actor 'rusia'; did you mean russia?",
                "instance": "/conflicts",
                "name": "rusia",
                "nearest": ["russia"],
            }
        },
    )

    type: str
    title: str
    status: int
    detail: str
    instance: str


Responses = dict[int | str, dict[str, Any]]
"""The ``responses`` of a route (status to OpenAPI description), as FastAPI takes them."""


def problem(description: str) -> dict[str, Any]:
    """An error answer for a route's OpenAPI ``responses``: a problem document, described in one sentence.

    >>> problem("Unknown issue.")["description"]
    'Unknown issue.'
    """
    return {"model": ProblemPublic, "description": description}


class LeftOutPublic(BaseModel):
    node: str = Field(examples=["position:russia-ceasefire-1"], description="The node holding the value.")
    property: str = Field(examples=["parley:validFrom"])
    value: str = Field(examples=["2025-13-01"])
    reason: str = Field(examples=["month must be in 1..12"])


class HealthPublic(BaseModel):
    status: str = Field(examples=["ok"])
    store: str = Field(examples=["embedded"], description="`memory`, `embedded` or `remote`.")
    generation: int = Field(description="Counts the writes since the service started.")
    writes: bool = Field(description="Whether writes are enabled (a token is configured).")
    sparql_network_wall: str = Field(
        examples=["seccomp"],
        description="What keeps client SPARQL off the network besides the parse: `seccomp` or "
        "`network namespace` (the kernel's wall around the processes and the thread that evaluate it), `none` where "
        "the kernel refused both, `remote store` where they must reach the store (the parse alone holds).",
    )
    left_out: list[LeftOutPublic] = Field(
        description="Positions the store holds that the analysis leaves out, because one of their values cannot "
        "be read (written by something other than Parley's loads, which refuse them)."
    )
    derived_graph: str = Field(
        examples=["current"],
        description="`current` when the derived graph of stands answers for today and reflects every load; `stale` "
        "while a load is bringing it current after its data (the REST answers are current all along). `/sparql` "
        "answers say the same in their `Parley-Derived-Graph` header.",
    )


class ActorPublic(BaseModel):
    id: str = Field(examples=["vladimir-putin"])
    label: str = Field(examples=["Vladimir Putin"])
    aliases: list[str] = Field(
        examples=[["Vladimir Vladimirovich Putin"]],
        description="Other names it goes by (skos:altLabel), sorted; an unknown name is matched against them too.",
    )
    kind: str = Field(examples=["person"], description="state, organization, coalition, person or actor.")
    power: float | None = Field(description="Its power from 0 to 1 (parley:power), where stated.")
    speaks_for: list[str] = Field(examples=[["russia"]])
    member_of: list[str]
    leverage_over: list[str]
    same_as: list[str] = Field(
        examples=[["http://www.wikidata.org/entity/Q7747"]],
        description="The same actor elsewhere (owl:sameAs), such as its Wikidata entity.",
    )
    group: list[str] = Field(description="The actor and everyone who speaks for it, transitively.")
    positions: int = Field(description="Positions its group holds.")


class ActorsPublic(BaseModel):
    actors: list[ActorPublic]


class IssuePublic(BaseModel):
    id: str = Field(examples=["ukraine-nato-membership"])
    label: str
    aliases: list[str] = Field(
        examples=[["Ukraine joining NATO"]],
        description="Other names it goes by (skos:altLabel), sorted; an unknown name is matched against them too.",
    )
    definition: str | None
    scale: str = Field(examples=["binary"], description="binary or quantity.")
    unit: str | None
    broader: list[str]
    ancestors: list[str] = Field(description="Every broader issue, nearest first.")
    narrower: list[str]


class IssuesPublic(BaseModel):
    issues: list[IssuePublic]


class RangePublic(BaseModel):
    min: Value = Field(description="Lowest acceptable value; null when open.")
    max: Value = Field(description="Highest acceptable value; null when open.")


class ConditionPublic(BaseModel):
    """A proposition that must hold: an issue and a stance."""

    issue: str
    stance: str
    addressees: list[str]
    note: str | None


class AnyOfConditionPublic(BaseModel):
    """An either/or condition: it holds when any one of its alternatives holds."""

    any: list[ConditionPublic] = Field(description="The alternatives, two or more; one of them is enough.")
    note: str | None


ConditionOrAnyPublic = ConditionPublic | AnyOfConditionPublic
"""Each condition of a position must hold: a proposition, or an either/or of propositions."""


class SourceRefPublic(BaseModel):
    id: str
    title: str | None
    issued: str | None
    publisher: str | None
    url: str | None


class EvidencePublic(BaseModel):
    quote: str = Field(description="The verbatim quote.")
    speaker: str | None
    date: str | None = Field(description="When it was said: YYYY-MM-DD, YYYY-MM or YYYY.")
    reported_by: list[str]
    verified: bool = Field(
        description="True when the quote was found in the text its source holds (Parley then records where it "
        "stands); false when the source holds no text, so nothing checked it."
    )
    source: SourceRefPublic | None


class PositionPublic(BaseModel):
    id: str = Field(examples=["putin-ukraine-nato-membership"])
    holder: str = Field(examples=["vladimir-putin"])
    issue: str = Field(examples=["ukraine-nato-membership"])
    kind: str = Field(examples=["demand"], description="position, demand, offer, threat or commitment.")
    stance: str | None = Field(examples=["opposes"])
    range: RangePublic | None = Field(description="For a quantity issue: the acceptable range instead of a stance.")
    salience: float
    red_line: bool
    addressees: list[str]
    conditions: list[ConditionOrAnyPublic]
    rejects: list[str]
    supersedes: list[str]
    valid_from: str | None
    valid_until: str | None
    inherited_from: str | None = Field(description="For a stand inherited from a broader issue: that issue.")
    evidence: list[EvidencePublic]


class PositionsPublic(BaseModel):
    total: int = Field(description="How many positions match, before paging.")
    offset: int
    limit: int
    positions: list[PositionPublic]


class ConflictPublic(BaseModel):
    issue: str
    issue_ancestors: list[str]
    kind: str = Field(description="explicit, stance, range or inherited: the first of `kinds`.")
    kinds: list[str]
    severity: float
    gap: float | None = Field(description="For a range conflict: the distance between the ranges.")
    conditions: list[ConditionOrAnyPublic]
    inconsistent: bool
    a_position: PositionPublic
    b_position: PositionPublic


class ConflictsPublic(BaseModel):
    a: str = Field(examples=["russia"])
    b: str = Field(examples=["ukraine"])
    as_of: date
    conflicts: list[ConflictPublic]


class AgreementPublic(BaseModel):
    issue: str
    issue_ancestors: list[str]
    zone: RangePublic | None = Field(description="On a quantity issue: the zone of possible agreement.")
    conditions: list[ConditionOrAnyPublic]
    inconsistent: bool
    a_position: PositionPublic
    b_position: PositionPublic


class OverlapPublic(BaseModel):
    a: str
    b: str
    as_of: date
    agreements: list[AgreementPublic]


class PairCountsPublic(BaseModel):
    conflicts: int
    agreements: int


class MatrixPublic(BaseModel):
    actors: list[str]
    as_of: date
    matrix: dict[str, dict[str, PairCountsPublic]] = Field(description="matrix[a][b]: the counts between a and b.")


class PropositionPublic(BaseModel):
    issue: str
    stance: str


class DeadlockPublic(BaseModel):
    cycle: list[PropositionPublic]
    groups: list[str]
    positions: list[PositionPublic]


class BlockerPublic(BaseModel):
    group: str
    position: PositionPublic


class BlockedConditionPublic(BaseModel):
    position: PositionPublic
    condition: ConditionOrAnyPublic
    blocked_by: list[BlockerPublic]


class DeadlocksPublic(BaseModel):
    as_of: date
    deadlocks: list[DeadlockPublic]
    blocked_conditions: list[BlockedConditionPublic]


class PairPublic(BaseModel):
    """Two groups' net weight: their salience-weighted agreements minus their conflicts."""

    a: str
    b: str
    weight: float
    agreements: int
    conflicts: int


class CoalitionPublic(BaseModel):
    members: list[str]
    pairs: list[PairPublic] = Field(description="The pairs of members with a positive net weight.")


class BridgePublic(BaseModel):
    """A group with a positive net weight towards each of two coalitions that are at odds."""

    group: str
    between: list[list[str]] = Field(description="The members of the two coalitions.")
    member_of: list[str] | None = Field(description="The one of the two the group belongs to, if any.")


class CoalitionsPublic(BaseModel):
    as_of: date
    coalitions: list[CoalitionPublic]
    bridges: list[BridgePublic]


class ReasonPublic(BaseModel):
    reason: str
    effect: float = Field(description="What the reason adds to the score; negative where it lowers it.")


class MediatorPublic(BaseModel):
    actor: str
    score: float
    reasons: list[ReasonPublic]


class MediatorsPublic(BaseModel):
    a: str
    b: str
    as_of: date
    mediators: list[MediatorPublic]


class StandMovePublic(BaseModel):
    """A stance, or a range: what a concession moves from and to."""

    stance: str | None = None
    range: RangePublic | None = None


class ConcessionPublic(BaseModel):
    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True, validate_by_alias=True)

    group: str = Field(examples=["ukraine"], description="The group that concedes.")
    issue: str
    cost: float = Field(description="The salience of the position moved.")
    from_: StandMovePublic = Field(alias="from")
    to: StandMovePublic = Field(description="Neutral, or the range widened just enough to meet the other's.")
    position: PositionPublic = Field(description="The position conceded, with its quote.")


class CompromisePublic(BaseModel):
    a: str = Field(examples=["russia"])
    b: str = Field(examples=["ukraine"])
    as_of: date
    settled: bool = Field(description="Whether the concessions clear every conflict and deadlock between the two.")
    cost: float = Field(description="The sum of the concessions' costs: the least any set that settles them costs.")
    concessions: list[ConcessionPublic]
    zones: list[AgreementPublic] = Field(description="The agreements on ranges the concessions open.")
    unsettled: list[str] = Field(description="What no concession can settle (a conflict, or a deadlock cycle).")
    blocked_by: list[PositionPublic] = Field(description="The red lines (or third parties' positions) that block.")


class CausePublic(BaseModel):
    """A position of one side that started to hold, ended or was superseded between the two days."""

    group: str = Field(examples=["russia"], description="The side whose position it is.")
    change: str = Field(examples=["started"], description="started, ended or superseded.")
    on: date = Field(
        description="The first day the change shows: the day the position starts, the day after its last day, "
        "or the day its successor starts."
    )
    position: PositionPublic


class RelationChangePublic(BaseModel):
    """A conflict or an agreement on one issue that appeared, disappeared or changed between the two days."""

    issue: str
    issue_ancestors: list[str]
    relation: str = Field(examples=["conflict"], description="conflict or agreement.")
    change: str = Field(examples=["appeared"], description="appeared, disappeared or changed.")
    changed: list[str] = Field(
        examples=[["gap", "positions"]],
        description="For one that holds on both days, what changed: kind, severity, gap, zone, conditions, "
        "inconsistent, positions.",
    )
    text: str = Field(description="The change in one sentence.")
    before: ConflictPublic | AgreementPublic | None = Field(description="As of `from`; null if it appeared.")
    after: ConflictPublic | AgreementPublic | None = Field(description="As of `to`; null if it disappeared.")
    causes: list[CausePublic] = Field(description="The positions behind the change, by the day it showed.")


class ShiftPublic(BaseModel):
    """A change of one side's current position on an issue between the two days."""

    group: str
    issue: str
    text: str = Field(examples=["United States: War ended within 24 hours, from supporting to neutral"])
    before: PositionPublic | None = Field(description="Its current position as of `from`, if any.")
    after: PositionPublic | None = Field(description="Its current position as of `to`, if any.")
    causes: list[CausePublic]


class DiffPublic(BaseModel):
    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True, validate_by_alias=True)

    a: str = Field(examples=["russia"])
    b: str = Field(examples=["ukraine"])
    from_: date = Field(alias="from")
    to: date
    changes: list[RelationChangePublic] = Field(description="Sorted by issue, then conflict before agreement.")
    shifts: list[ShiftPublic] = Field(description="The shifts of a's side, then of b's, each sorted by issue.")


class InconsistencyPublic(BaseModel):
    group: str
    issue: str
    chosen: str = Field(description="The position the analysis counts.")
    positions: list[PositionPublic]


class InconsistenciesPublic(BaseModel):
    as_of: date
    inconsistencies: list[InconsistencyPublic]


class TimelineEntryPublic(BaseModel):
    starts: date | None
    ends: date | None
    status: str = Field(description="As of the date asked: current, superseded, ended, not yet or overridden.")
    position: PositionPublic


class TimelinePublic(BaseModel):
    actor: str
    as_of: date
    timeline: list[TimelineEntryPublic]


class EvidenceCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    quote: str = Field(min_length=1, max_length=20_000, description="The verbatim quote.")
    source: Slug = Field(description="The id of a source the store knows (see POST /sources).")
    speaker: Slug | None = Field(default=None, description="The actor who said it.")
    date: DateText | None = Field(default=None, description="When it was said: YYYY-MM-DD, YYYY-MM or YYYY.")
    reported_by: list[str] = Field(default_factory=list)

    def model(self, source: str | None = None) -> Evidence:
        """The evidence, its source ``source`` where it names none."""
        named = self.source or source
        return Evidence(
            self.quote, Source(named, "") if named else None, self.speaker, self.date, tuple(self.reported_by)
        )


class ConditionCreate(BaseModel):
    """A proposition that must hold: an issue and a stance."""

    model_config = ConfigDict(extra="forbid")

    issue: Slug
    stance: Stance
    addressees: list[Slug] = Field(default_factory=list)
    note: str | None = None

    def model(self) -> Condition:
        return Condition(self.issue, self.stance, tuple(self.addressees), self.note)


class AnyOfConditionCreate(BaseModel):
    """An either/or condition: ``{"any": [condition, condition, ...]}``; any one alternative is enough."""

    model_config = ConfigDict(extra="forbid")

    any: list[ConditionCreate] = Field(min_length=2, description="The alternatives, two or more.")
    note: str | None = None

    def model(self) -> AnyOf:
        return AnyOf(tuple(alternative.model() for alternative in self.any), self.note)


class PositionCreate(BaseModel):
    """A position to record, in the shape the API returns positions (without what it derives)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "holder": "russia",
                "issue": "ceasefire",
                "kind": "position",
                "stance": "opposes",
                "valid_from": "2025-04-20",
                "evidence": [
                    {
                        "quote": "Moscow rejected the proposal.",
                        "source": "us-may-walk-away-2025-04-18",
                        "date": "2025-04-18",
                    }
                ],
            }
        },
    )

    id: NewSlug | None = Field(default=None, description="A new slug; generated if absent.")
    holder: Slug
    issue: Slug
    kind: Literal["position", "demand", "offer", "threat", "commitment"] = "position"
    stance: Stance | None = None
    range: RangePublic | None = None
    salience: float = Field(default=0.5, ge=0, le=1)
    red_line: bool = False
    addressees: list[Slug] = Field(default_factory=list)
    conditions: list[ConditionCreate | AnyOfConditionCreate] = Field(
        default_factory=list, description="Each must hold: an issue and a stance, or any of two or more such."
    )
    rejects: list[Slug] = Field(default_factory=list)
    supersedes: list[Slug] = Field(default_factory=list)
    valid_from: DateText | None = Field(default=None, description="YYYY-MM-DD, YYYY-MM or YYYY.")
    valid_until: DateText | None = Field(default=None, description="YYYY-MM-DD, YYYY-MM or YYYY.")
    evidence: list[EvidenceCreate] = Field(min_length=1)

    @model_validator(mode="after")
    def _stance_or_range(self) -> Self:
        if (self.stance is None) == (self.range is None):
            raise ValueError("give either a stance or a range (min and/or max), not both, not neither")
        if self.range is not None and self.range.min is None and self.range.max is None:
            raise ValueError("a range needs a min, a max or both")
        return self

    def model(self, source: str | None = None, seed: bytes | None = None) -> Position:
        """The position, its id made from holder, issue and ``seed`` (if not random) where none is given;
        evidence that names no source cites ``source``."""
        return Position(
            id=self.id or new_position_id(self.holder, self.issue, seed),
            holder=self.holder,
            issue=self.issue,
            kind=self.kind,
            stance=self.stance,
            minimum=self.range.min if self.range else None,
            maximum=self.range.max if self.range else None,
            salience=self.salience,
            red_line=self.red_line,
            addressees=tuple(self.addressees),
            conditions=tuple(condition.model() for condition in self.conditions),
            rejects=tuple(self.rejects),
            supersedes=tuple(self.supersedes),
            valid_from=self.valid_from,
            valid_until=self.valid_until,
            evidence=tuple(evidence.model(source) for evidence in self.evidence),
        )


class ActorCreate(BaseModel):
    """A new actor."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "label": "Vladimir Medinsky",
                "kind": "person",
                "speaks_for": ["russia"],
                "aliases": ["Vladimir Medinskiy"],
                "same_as": ["Q4115557"],
            }
        },
    )

    id: NewSlug | None = Field(
        default=None, description="A new slug; by default the label's words, joined by hyphens (Türkiye: turkiye)."
    )
    label: Name = Field(examples=["Türkiye"])
    kind: Literal["state", "organization", "coalition", "person"]
    aliases: list[Name] = Field(default_factory=list, description="Other names it goes by (skos:altLabel).")
    speaks_for: list[Slug] = Field(default_factory=list, description="The actors whose positions it states.")
    member_of: list[Slug] = Field(default_factory=list)
    leverage_over: list[Slug] = Field(default_factory=list)
    same_as: list[SameAs] = Field(
        default_factory=list,
        examples=[["Q43"]],
        description="The same actor elsewhere (owl:sameAs): IRIs, or Wikidata ids such as Q43.",
    )
    power: float | None = Field(default=None, ge=0, le=1, description="Its power from 0 to 1 (parley:power).")

    @model_validator(mode="after")
    def _slug_from_label(self) -> Self:
        self.id = self.id or _slug_of(self.label)
        return self

    def model(self) -> Actor:
        return Actor(
            id=self.id or "",
            label=self.label,
            kind=self.kind,
            speaks_for=tuple(self.speaks_for),
            member_of=tuple(self.member_of),
            leverage_over=tuple(self.leverage_over),
            aliases=tuple(self.aliases),
            same_as=tuple(self.same_as),
            power=self.power,
        )

    def batch(self, root: str = "body") -> Batch:
        """The actor as a batch of one, its fields named under ``root``."""
        return Batch(actors=(self.model(),), name=f"actor {self.id}", root=root, single=True)


def _slug_of(label: str) -> str:
    slug = slug_for(label)
    if slug is None:
        raise ValueError(f"no id can be made of the label {label!r} (lowercase latin letters and digits): give an id")
    return slug


class IssueCreate(BaseModel):
    """A new issue."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "label": "Prisoner exchange",
                "definition": "Russia and Ukraine exchange prisoners of war.",
                "broader": ["humanitarian-measures"],
            }
        },
    )

    id: NewSlug | None = Field(default=None, description="A new slug; by default the label's words, joined by hyphens.")
    label: Name
    definition: Name | None = Field(default=None, description="The proposition one supports or opposes.")
    broader: list[Slug] = Field(default_factory=list, description="The broader issues it sits under (skos:broader).")
    scale: Literal["binary", "quantity"] = "binary"
    unit: Name | None = Field(default=None, description="A quantity's unit: troops, days, USD.")
    aliases: list[Name] = Field(default_factory=list, description="Other names it goes by (skos:altLabel).")

    @model_validator(mode="after")
    def _slug_and_unit(self) -> Self:
        if self.unit is not None and self.scale != "quantity":
            raise ValueError("a unit is for a quantity issue: give scale quantity, or no unit")
        self.id = self.id or _slug_of(self.label)
        return self

    def model(self) -> Issue:
        return Issue(
            id=self.id or "",
            label=self.label,
            definition=self.definition,
            scale=self.scale,
            unit=self.unit,
            broader=tuple(self.broader),
            aliases=tuple(self.aliases),
        )

    def batch(self, root: str = "body") -> Batch:
        """The issue as a batch of one, its fields named under ``root``."""
        return Batch(issues=(self.model(),), name=f"issue {self.id}", root=root, single=True)


class IssueUpdate(BaseModel):
    """What to change of an issue: each field given replaces what the issue has; those left out stay."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": {"broader": ["ending-hostilities"]}})

    label: Name | None = None
    definition: Name | None = None
    aliases: list[Name] | None = Field(default=None, description="All its other names (an empty list: none).")
    broader: list[Slug] | None = Field(
        default=None, description="All the issues it sits under (an empty list: a top issue)."
    )

    def change(self) -> IssueChange:
        return IssueChange(
            self.label,
            self.definition,
            tuple(self.aliases) if self.aliases is not None else None,
            tuple(self.broader) if self.broader is not None else None,
        )


class SourceCreate(BaseModel):
    """A new source's record, and optionally its full text, against which every quote from it is checked."""

    model_config = ConfigDict(extra="forbid")

    id: NewSlug = Field(examples=["istanbul-talks-2025-05-16"])
    title: Name
    issued: DateText | None = Field(default=None, description="When it was published: YYYY-MM-DD, YYYY-MM or YYYY.")
    publisher: Name | None = None
    url: Annotated[str, AfterValidator(_iri)] | None = Field(default=None, description="Where it is (an http IRI).")
    text: str | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_TEXT,
        description="Its full text, stored with its SHA-256 as POST /sources/{id}/text stores it: every quote from "
        "the source is checked against it.",
    )

    @field_validator("text")
    @classmethod
    def _no_nul(cls, text: str | None) -> str | None:
        if text is not None and "\x00" in text:
            raise ValueError(f"binary data (a NUL character at {text.index(chr(0))}), not a text")
        return text

    def model(self) -> Source:
        return Source(self.id, self.title, self.issued, self.publisher, self.url)


class IngestEvidence(EvidenceCreate):
    source: Slug | None = Field(  # type: ignore[assignment]  # optional here: the document's source by default
        default=None, description="The id of a known source, or of the document's; by default, the document's."
    )


class IngestPosition(PositionCreate):
    evidence: list[IngestEvidence] = Field(min_length=1)  # type: ignore[assignment]  # whose source may be left out


class IngestCreate(BaseModel):
    """A source, its new actors and issues, and its positions, written all or nothing.

    Positions may refer to the actors and issues of the document, and their evidence cites the
    document's source unless it names another.
    """

    model_config = ConfigDict(extra="forbid")

    source: SourceCreate | None = Field(default=None, description="A new source, which the evidence cites by default.")
    actors: list[ActorCreate] = Field(default_factory=list)
    issues: list[IssueCreate] = Field(default_factory=list)
    positions: list[IngestPosition] = Field(default_factory=list)

    def batch(self, name: str = "ingest", root: str = "body") -> Batch:
        """The document as a batch, its paths under ``root`` (``body``, or empty for a file)."""
        source = self.source.model() if self.source else None
        return Batch(
            source=source,
            actors=tuple(actor.model() for actor in self.actors),
            issues=tuple(issue.model() for issue in self.issues),
            positions=tuple(
                position.model(source.id if source else None, _seed(position, source)) for position in self.positions
            ),
            text=self.source.text if self.source else None,
            name=name,
            root=root,
        )


def _seed(position: IngestPosition, source: Source | None) -> bytes:
    """What makes a position of a document the same one if sent again: what it says, and its default source."""
    return position.model_dump_json().encode() + (source.id.encode() if source else b"")


class IngestedPublic(BaseModel):
    """What an ingest wrote."""

    source: str | None = Field(description="The new source, if the document described one.")
    actors: list[str] = Field(description="The new actors' ids.")
    issues: list[str] = Field(description="The new issues' ids.")
    positions: list[str] = Field(description="The new positions' ids, made where the document gave none.")
    generation: int


class LoadedPublic(BaseModel):
    loaded: list[str] = Field(description="The named graphs written.")
    quads: int
    skipped: bool = Field(description="True when the same document was loaded before (nothing written).")
    generation: int
    verified: int = Field(default=0, description="Quotes found in the text their source holds.")
    unverified: int = Field(default=0, description="Quotes from a source that holds no text: nothing checked them.")
    left_out: list[LeftOutPublic] = Field(
        default=[], description="Positions of the store the analysis leaves out after this load (see /health)."
    )
