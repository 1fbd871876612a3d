"""The shapes of request and response bodies, named by role (``...Public`` out, ``...Create`` in).

The JSON itself is built by :mod:`graph.report.answers`, shared with the command line; these models
describe it for ``/openapi.json`` and check it on the way out.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Stance = Literal["supports", "opposes", "neutral"]
SLUG_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._~-]{0,199}$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
"""The id of an actor, issue, position or source: the last segment of its IRI."""
DateText = Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]
"""A day, a month or a year: YYYY-MM-DD, YYYY-MM or YYYY."""
Value = float | date | None


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


class ActorPublic(BaseModel):
    id: str = Field(examples=["vladimir-putin"])
    label: str = Field(examples=["Vladimir Putin"])
    aliases: list[str] = Field(
        examples=[["Vladimir Vladimirovich Putin"]],
        description="Other names it goes by (skos:altLabel), sorted; an unknown name is matched against them too.",
    )
    kind: str = Field(examples=["person"], description="state, organization, coalition, person or actor.")
    speaks_for: list[str] = Field(examples=[["russia"]])
    member_of: list[str]
    leverage_over: list[str]
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


class ConditionCreate(BaseModel):
    """A proposition that must hold: an issue and a stance."""

    model_config = ConfigDict(extra="forbid")

    issue: Slug
    stance: Stance
    addressees: list[Slug] = Field(default_factory=list)
    note: str | None = None


class AnyOfConditionCreate(BaseModel):
    """An either/or condition: ``{"any": [condition, condition, ...]}``; any one alternative is enough."""

    model_config = ConfigDict(extra="forbid")

    any: list[ConditionCreate] = Field(min_length=2, description="The alternatives, two or more.")
    note: str | None = None


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

    id: str | None = Field(default=None, description="A new slug; generated if absent.")
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
