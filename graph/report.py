"""The JSON of the HTTP contract (DESIGN.md), built from analysis results.

One definition serves the REST API and the command line's ``--json``, so the two never drift.
Actors and issues are named by slug; dates are ISO 8601; an open range end is null.
"""

from __future__ import annotations

from datetime import date

from graph import analysis
from graph.model import Condition, Evidence, Negotiation, Position

__all__ = [
    "actor_json",
    "issue_json",
    "position_json",
    "conflicts_json",
    "agreements_json",
    "deadlocks_json",
    "coalitions_json",
    "mediators_json",
    "timeline_json",
    "matrix_json",
    "inconsistencies_json",
]


def _value(value):
    return value.isoformat() if isinstance(value, date) else value


def _range(low, high) -> dict:
    return {"min": _value(low), "max": _value(high)}


def condition_json(condition: Condition) -> dict:
    return {
        "issue": condition.issue,
        "stance": condition.stance,
        "addressees": list(condition.addressees),
        "note": condition.note,
    }


def evidence_json(evidence: Evidence) -> dict:
    source = evidence.source
    return {
        "quote": evidence.quote,
        "speaker": evidence.speaker,
        "date": evidence.stated_on,
        "reported_by": list(evidence.reported_by),
        "source": None
        if source is None
        else {
            "id": source.id,
            "title": source.title,
            "issued": source.issued,
            "publisher": source.publisher,
            "url": source.url,
        },
    }


def actor_json(negotiation: Negotiation, actor: str) -> dict:
    """One actor: its kind, whom it speaks for, its group's members, and how many positions it holds."""
    found = negotiation.actors[actor]
    return {
        "id": found.id,
        "label": found.label,
        "kind": found.kind,
        "speaks_for": list(found.speaks_for),
        "member_of": list(found.member_of),
        "leverage_over": list(found.leverage_over),
        "group": sorted(negotiation.members(actor)),
        "positions": sum(len(by_issue) for by_issue in negotiation.positions_of(actor).values()),
    }


def issue_json(negotiation: Negotiation, issue: str) -> dict:
    """One issue: its scale, the issues it is part of (nearest first) and those narrower than it."""
    found = negotiation.issues[issue]
    return {
        "id": found.id,
        "label": found.label,
        "definition": found.definition,
        "scale": found.scale,
        "unit": found.unit,
        "broader": list(found.broader),
        "ancestors": negotiation.ancestors(issue),
        "narrower": sorted(negotiation.narrower(issue)),
    }


def position_json(negotiation: Negotiation, position: Position, inherited_from: str | None = None) -> dict:
    """One position with its evidence, as every route that returns positions writes it."""
    return {
        "id": position.id,
        "holder": position.holder,
        "issue": position.issue,
        "kind": position.kind,
        "stance": position.stance,
        "range": None if position.stance is not None else _range(position.minimum, position.maximum),
        "salience": position.salience,
        "red_line": position.red_line,
        "addressees": list(position.addressees),
        "conditions": [condition_json(c) for c in position.conditions],
        "rejects": list(position.rejects),
        "supersedes": list(position.supersedes),
        "valid_from": position.valid_from,
        "valid_until": position.valid_until,
        "inherited_from": inherited_from,
        "evidence": [evidence_json(e) for e in negotiation.evidence_of(position)],
    }


def _stand_json(negotiation: Negotiation, stand: analysis.Stand) -> dict:
    return position_json(negotiation, stand.position, stand.inherited_from)


def conflicts_json(negotiation: Negotiation, a: str, b: str, as_of: date, conflicts: list[analysis.Conflict]) -> dict:
    """``GET /conflicts``: ``{"a", "b", "as_of", "conflicts": [...]}``."""
    return {
        "a": a,
        "b": b,
        "as_of": as_of.isoformat(),
        "conflicts": [
            {
                "issue": c.issue,
                "issue_ancestors": negotiation.ancestors(c.issue),
                "kind": c.kind,
                "kinds": list(c.kinds),
                "severity": c.severity,
                "gap": c.gap,
                "conditions": [condition_json(x) for x in c.conditions],
                "inconsistent": c.inconsistent,
                "a_position": _stand_json(negotiation, c.a_stand),
                "b_position": _stand_json(negotiation, c.b_stand),
            }
            for c in conflicts
        ],
    }


def agreements_json(
    negotiation: Negotiation, a: str, b: str, as_of: date, agreements: list[analysis.Agreement]
) -> dict:
    """``GET /overlap``: ``{"a", "b", "as_of", "agreements": [...]}``."""
    return {
        "a": a,
        "b": b,
        "as_of": as_of.isoformat(),
        "agreements": [
            {
                "issue": g.issue,
                "issue_ancestors": negotiation.ancestors(g.issue),
                "zone": None if g.zone is None else _range(*g.zone),
                "conditions": [condition_json(x) for x in g.conditions],
                "inconsistent": g.inconsistent,
                "a_position": _stand_json(negotiation, g.a_stand),
                "b_position": _stand_json(negotiation, g.b_stand),
            }
            for g in agreements
        ],
    }


def deadlocks_json(
    negotiation: Negotiation, as_of: date, deadlocks: list[analysis.Deadlock], blocked: list[analysis.BlockedCondition]
) -> dict:
    """``GET /deadlocks``: the cycles, and the conditions blocked by another group's red line."""
    return {
        "as_of": as_of.isoformat(),
        "deadlocks": [
            {
                "cycle": [{"issue": issue, "stance": stance} for issue, stance in d.propositions],
                "groups": list(d.groups),
                "positions": [position_json(negotiation, p) for p in d.positions],
            }
            for d in deadlocks
        ],
        "blocked_conditions": [
            {
                "position": position_json(negotiation, b.position),
                "condition": condition_json(b.condition),
                "blocked_by": [
                    {"group": s.group, "position": position_json(negotiation, s.position)} for s in b.blocked_by
                ],
            }
            for b in blocked
        ],
    }


def coalitions_json(as_of: date, coalitions: list[list[str]]) -> dict:
    return {"as_of": as_of.isoformat(), "coalitions": coalitions}


def mediators_json(a: str, b: str, as_of: date, mediators: list[analysis.Mediator]) -> dict:
    return {
        "a": a,
        "b": b,
        "as_of": as_of.isoformat(),
        "mediators": [{"actor": m.group, "score": m.score, "reasons": list(m.reasons)} for m in mediators],
    }


def timeline_json(negotiation: Negotiation, actor: str, as_of: date, entries: list[analysis.TimelineEntry]) -> dict:
    return {
        "actor": actor,
        "as_of": as_of.isoformat(),
        "timeline": [
            {
                "starts": _value(e.starts),
                "ends": _value(e.ends),
                "status": e.status,
                "position": position_json(negotiation, e.position),
            }
            for e in entries
        ],
    }


def matrix_json(actors: list[str], as_of: date, counts: dict) -> dict:
    return {"actors": actors, "as_of": as_of.isoformat(), "matrix": counts}


def inconsistencies_json(negotiation: Negotiation, as_of: date, found: list[analysis.Inconsistency]) -> dict:
    return {
        "as_of": as_of.isoformat(),
        "inconsistencies": [
            {
                "group": i.group,
                "issue": i.issue,
                "chosen": i.chosen.id,
                "positions": [position_json(negotiation, p) for p in i.positions],
            }
            for i in found
        ],
    }
