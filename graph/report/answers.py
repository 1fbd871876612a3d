"""Each question an analyst asks, answered once, as the JSON of the HTTP API (docs/http.md).

The REST routes answer with these dictionaries, and the command line prints them (``--json``) or
draws its tables from them, so the two never drift. Actors and issues are named by slug; dates are
ISO 8601; an open range end is null. Each question function checks its names (raising
:class:`graph.errors.UnknownName` with the nearest known ones) before it reads anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from graph.analysis import compromise as settle
from graph.analysis import diff as diffs
from graph.analysis import rules, words
from graph.analysis.model import Actor, AnyOf, Condition, Evidence, Issue, Negotiation, Position, Source
from graph.analysis.read import SourceQuote
from graph.errors import InvalidArgument

__all__ = [
    "actors",
    "actor",
    "issues",
    "issue",
    "positions",
    "position",
    "conflicts",
    "overlap",
    "matrix",
    "deadlocks",
    "coalitions",
    "mediators",
    "diff",
    "timeline",
    "inconsistencies",
    "dates",
    "source_quotes",
    "position_json",
]

MATRIX_ACTORS = (2, 1000)


#
# The questions.
#


def actors(negotiation: Negotiation) -> dict:
    """``GET /actors``: every actor, sorted by id."""
    return {"actors": [actor_json(negotiation, name) for name in sorted(negotiation.actors)]}


def actor(negotiation: Negotiation, name: str) -> dict:
    """``GET /actors/{id}``: one actor, its group and how many positions the group holds."""
    rules.require_actor(negotiation, name)
    return actor_json(negotiation, name)


def issues(negotiation: Negotiation) -> dict:
    """``GET /issues``: every issue, sorted by id."""
    return {"issues": [issue_json(negotiation, name) for name in sorted(negotiation.issues)]}


def issue(negotiation: Negotiation, name: str) -> dict:
    """``GET /issues/{id}``: one issue with its broader and narrower issues."""
    rules.require_issue(negotiation, name)
    return issue_json(negotiation, name)


def positions(
    negotiation: Negotiation,
    actor: str | None = None,
    issue: str | None = None,
    as_of: date | None = None,
    offset: int = 0,
    limit: int = 100,
) -> dict:
    """``GET /positions``: one page of the positions that pass the filters (see :func:`rules.find_positions`)."""
    found = rules.find_positions(negotiation, actor, issue, as_of)
    page = found[offset : offset + limit]
    return {
        "total": len(found),
        "offset": offset,
        "limit": limit,
        "positions": [position_json(negotiation, p) for p in page],
    }


def position(negotiation: Negotiation, position_id: str) -> dict:
    """``GET /positions/{id}``: one position with its evidence."""
    rules.require_position(negotiation, position_id)
    return position_json(negotiation, negotiation.positions[position_id])


def conflicts(negotiation: Negotiation, a: str, b: str, as_of: date, issue: str | None = None) -> dict:
    """``GET /conflicts``: the issues on which A and B conflict (rules 3-5), on ``issue`` and narrower ones if given.

    Examples
    --------
    >>> from graph.analysis.read import read_negotiation
    >>> from graph.ingest.load import open_store
    >>> seed = read_negotiation(open_store("memory"))
    >>> answer = conflicts(seed, "russia", "ukraine", date(2025, 4, 18), issue="territory")
    >>> [(c["issue"], c["kind"], c["a_position"]["holder"]) for c in answer["conflicts"]]
    [('territory', 'explicit', 'vladimir-putin')]
    """
    found = _on_issue(negotiation, issue, rules.find_conflicts(negotiation, a, b, as_of))
    return {
        **_between(a, b, as_of),
        "conflicts": [_conflict_json(negotiation, conflict) for conflict in found],
    }


def _between(a: str, b: str, as_of: date) -> dict:
    """What a question about two parties names first: the two, and the day it is asked for."""
    return {"a": a, "b": b, "as_of": as_of.isoformat()}


def overlap(negotiation: Negotiation, a: str, b: str, as_of: date, issue: str | None = None) -> dict:
    """``GET /overlap``: the issues on which A and B agree, with the zone of agreement on quantity issues."""
    found = _on_issue(negotiation, issue, rules.find_agreements(negotiation, a, b, as_of))
    return {
        **_between(a, b, as_of),
        "agreements": [_agreement_json(negotiation, agreement) for agreement in found],
    }


def matrix(negotiation: Negotiation, names: Sequence[str], as_of: date) -> dict:
    """``GET /matrix``: conflicts and agreements between every pair of two to 1,000 actors."""
    low, high = MATRIX_ACTORS
    if not low <= len(names) <= high:
        raise InvalidArgument("actors", f"give from {low} to {high:,} actors, not {len(names):,}")
    counts = rules.matrix(negotiation, list(names), as_of)
    return {"actors": list(names), "as_of": as_of.isoformat(), "matrix": counts}


def deadlocks(negotiation: Negotiation, as_of: date, a: str | None = None, b: str | None = None) -> dict:
    """``GET /deadlocks``: cycles of conditions, and conditions blocked by another group's red line.

    With ``a`` and ``b``, only those between the two parties' sides (each party with every group it speaks
    for): the cycles with positions of both, and the conditions of one side that a red line of the other
    blocks.

    Examples
    --------
    >>> from graph.analysis.read import read_negotiation
    >>> from graph.ingest.load import open_store
    >>> answer = deadlocks(read_negotiation(open_store("memory")), date(2025, 4, 18), "russia", "ukraine")
    >>> answer["deadlocks"], answer["blocked_conditions"]
    ([], [])
    """
    cycles = rules.deadlocks(negotiation, as_of)
    blocked = rules.blocked_conditions(negotiation, as_of)
    if a is not None or b is not None:
        if a is None or b is None:
            raise InvalidArgument("a" if a is None else "b", "give both parties, or neither")
        rules.require_actor(negotiation, a)
        rules.require_actor(negotiation, b)
        side_a, side_b = negotiation.groups_of(a), negotiation.groups_of(b)
        cycles = [found for found in cycles if side_a & set(found.groups) and side_b & set(found.groups)]
        blocked = [
            found
            for found in blocked
            if _blocks(negotiation, found, side_a, side_b) or _blocks(negotiation, found, side_b, side_a)
        ]
    return {
        "as_of": as_of.isoformat(),
        "deadlocks": [_deadlock_json(negotiation, found) for found in cycles],
        "blocked_conditions": [_blocked_json(negotiation, found) for found in blocked],
    }


def _blocks(negotiation: Negotiation, found: rules.BlockedCondition, waiting: set[str], blocking: set[str]) -> bool:
    """Whether a position of the ``waiting`` side has its condition blocked by a red line of the ``blocking`` side."""
    return bool(negotiation.groups_of(found.position.holder) & waiting) and any(
        stand.group in blocking for stand in found.blocked_by
    )


def coalitions(negotiation: Negotiation, as_of: date) -> dict:
    """``GET /coalitions``: groups that agree more than they conflict, and the groups between opposed ones (rule 8)."""
    found = rules.coalitions(negotiation, as_of)
    return {
        "as_of": as_of.isoformat(),
        "coalitions": [
            {"members": list(coalition.members), "pairs": [_tie_json(tie) for tie in coalition.ties]}
            for coalition in found.coalitions
        ],
        "bridges": [
            {
                "group": bridge.group,
                "between": [list(members) for members in bridge.between],
                "member_of": None if bridge.member_of is None else list(bridge.member_of),
            }
            for bridge in found.bridges
        ],
    }


def mediators(negotiation: Negotiation, a: str, b: str, as_of: date) -> dict:
    """``GET /mediators``: third parties ranked as mediators between A and B, with what raises and lowers each score."""
    return {
        **_between(a, b, as_of),
        "mediators": [
            {
                "actor": m.group,
                "score": m.score,
                "reasons": [{"reason": reason.text, "effect": reason.effect} for reason in m.reasons],
            }
            for m in rules.mediators(negotiation, a, b, as_of)
        ],
    }


def compromise(negotiation: Negotiation, a: str, b: str, as_of: date) -> dict:
    """``GET /compromise``: the cheapest concessions that settle A and B (rule 12), what they open, what blocks.

    Examples
    --------
    >>> from graph.analysis.read import read_negotiation
    >>> from graph.ingest.load import open_store
    >>> seed = read_negotiation(open_store("memory"))
    >>> answer = compromise(seed, "russia", "ukraine", date(2025, 4, 18))
    >>> answer["settled"], len(answer["concessions"]) > 0, answer["blocked_by"]
    (True, True, [])
    """
    found = settle.compromise(negotiation, a, b, as_of)
    return {**_between(a, b, as_of), **_compromise_json(negotiation, found)}


def compromises(negotiation: Negotiation, as_of: date) -> dict:
    """``parley compromise --all``: every pair of groups in conflict, ranked by the cost of settling them."""
    return {
        "as_of": as_of.isoformat(),
        "pairs": [
            {"a": found.a, "b": found.b, **_compromise_json(negotiation, found)}
            for found in settle.rank_pairs(negotiation, as_of)
        ],
    }


def _compromise_json(negotiation: Negotiation, found: settle.Compromise) -> dict:
    return {
        "settled": found.settled,
        "cost": found.cost,
        "concessions": [
            {
                "group": concession.group,
                "issue": concession.position.issue,
                "cost": concession.cost,
                "from": _move_json(concession.position),
                "to": _move_json(concession.to),
                "position": position_json(negotiation, concession.position),
            }
            for concession in found.concessions
        ],
        "zones": [_agreement_json(negotiation, zone) for zone in found.zones],
        "unsettled": list(found.unsettled),
        "blocked_by": [position_json(negotiation, position) for position in found.blocked_by],
    }


def _move_json(position: Position) -> dict:
    """What a concession moves: the stance, or the range."""
    if position.stance is not None:
        return {"stance": position.stance}
    return {"range": _range(position.minimum, position.maximum)}


def diff(negotiation: Negotiation, a: str, b: str, start: date, end: date) -> dict:
    """``GET /diff``: the conflicts and agreements of A and B that appeared, disappeared or changed from one day
    to another (rule 11), each with the positions that caused it, and the shifts of both sides' positions.

    Examples
    --------
    >>> from graph.analysis.read import read_negotiation
    >>> from graph.ingest.load import open_store
    >>> seed = read_negotiation(open_store("memory"))
    >>> answer = diff(seed, "us", "russia", date(2025, 1, 19), date(2025, 1, 21))
    >>> answer["changes"], [shift["text"] for shift in answer["shifts"]]
    ([], ['United States: War ended within 24 hours, from supporting to neutral'])
    """
    found = diffs.diff(negotiation, a, b, start, end)
    return {
        "a": a,
        "b": b,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "changes": [_change_json(negotiation, change) for change in found.changes],
        "shifts": [
            {
                "group": shift.group,
                "issue": shift.issue,
                "text": words.shift_words(negotiation, shift.group, shift.issue, shift.before, shift.after),
                "before": None if shift.before is None else position_json(negotiation, shift.before),
                "after": None if shift.after is None else position_json(negotiation, shift.after),
                "causes": [_cause_json(negotiation, cause) for cause in shift.causes],
            }
            for shift in found.shifts
        ],
    }


def _change_json(negotiation: Negotiation, change: diffs.Change) -> dict:
    return {
        "issue": change.issue,
        "issue_ancestors": negotiation.ancestors(change.issue),
        "relation": change.relation,
        "change": change.change,
        "changed": list(change.changed),
        "text": words.change_words(negotiation, change),
        "before": _relation_json(negotiation, change.before),
        "after": _relation_json(negotiation, change.after),
        "causes": [_cause_json(negotiation, cause) for cause in change.causes],
    }


def _relation_json(negotiation: Negotiation, found: rules.Conflict | rules.Agreement | None) -> dict | None:
    if isinstance(found, rules.Conflict):
        return _conflict_json(negotiation, found)
    return None if found is None else _agreement_json(negotiation, found)


def _cause_json(negotiation: Negotiation, cause: diffs.Cause) -> dict:
    return {
        "group": cause.group,
        "change": cause.change,
        "on": cause.on.isoformat(),
        "position": position_json(negotiation, cause.position),
    }


def timeline(negotiation: Negotiation, actor: str, as_of: date) -> dict:
    """``GET /actors/{id}/timeline``: every position of the actor's group in date order, with its status."""
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
            for e in rules.timeline(negotiation, actor, as_of)
        ],
    }


def inconsistencies(negotiation: Negotiation, as_of: date) -> dict:
    """``GET /inconsistencies``: groups whose latest positions on one issue disagree, and the one counted."""
    return {
        "as_of": as_of.isoformat(),
        "inconsistencies": [
            {
                "group": i.group,
                "issue": i.issue,
                "chosen": i.chosen.id,
                "positions": [position_json(negotiation, p) for p in i.positions],
            }
            for i in rules.inconsistencies(negotiation, as_of)
        ],
    }


def dates(negotiation: Negotiation) -> dict:
    """``GET /dates``: the days on which the positions held may change, for an as-of date to choose from.

    Each is the day a position starts to hold (its ``valid_from``, else its first statement), or the day
    after its last day (``valid_until``): between two of them, every as-of date gives the same answers.

    Examples
    --------
    >>> from graph.analysis.read import read_negotiation
    >>> from graph.ingest.load import open_store
    >>> dates(read_negotiation(open_store("memory")))["dates"]
    ['2024-01-01', '2025-01-20', '2025-01-21', '2025-03-01', '2025-04-17', '2025-04-18']
    """
    days: set[date] = set()
    for position in negotiation.positions.values():
        if position.starts is not None:
            days.add(position.starts)
        if position.ends is not None and position.ends < date.max:
            days.add(position.ends + timedelta(days=1))
    return {"dates": [day.isoformat() for day in sorted(days)]}


def source_quotes(negotiation: Negotiation, source: Source, quotes: Sequence[SourceQuote]) -> dict:
    """``GET /sources/{id}/quotes``: a source's record and every quote taken from it, each with its position
    (holder, issue, stance or range) and where it stands in the source's text (null where it was not found).

    Examples
    --------
    >>> from graph.analysis.read import read_negotiation, read_source_quotes, read_sources
    >>> from graph.ingest.load import open_store
    >>> store = open_store("memory")
    >>> source = read_sources(store)[0]
    >>> answer = source_quotes(read_negotiation(store), source, read_source_quotes(store, source.id))
    >>> first = answer["quotes"][0]
    >>> (first["position"], first["holder"], first["issue"], first["stance"], first["start"])
    ('rubio-us-mediation-2025-04-18', 'marco-rubio', 'us-mediation', 'supports', 0)
    """
    found = []
    for quote in quotes:
        position = negotiation.positions.get(quote.position)
        found.append(
            {
                "position": quote.position,
                "holder": None if position is None else position.holder,
                "issue": None if position is None else position.issue,
                "kind": None if position is None else position.kind,
                "stance": None if position is None else position.stance,
                "range": None
                if position is None or position.stance is not None
                else _range(position.minimum, position.maximum),
                "evidence": quote.evidence,
                "quote": quote.quote,
                "speaker": quote.speaker,
                "date": quote.stated_on,
                "verified": quote.verified,
                "start": quote.start,
                "end": quote.end,
            }
        )
    record = {
        "id": source.id,
        "title": source.title,
        "issued": source.issued,
        "publisher": source.publisher,
        "url": source.url,
        "has_text": source.has_text,
    }
    return {"source": record, "positions": len({quote.position for quote in quotes}), "quotes": found}


def _on_issue(negotiation: Negotiation, issue: str | None, found: list) -> list:
    """The conflicts or agreements on ``issue`` and the issues narrower than it (all of them without one)."""
    if issue is None:
        return found
    rules.require_issue(negotiation, issue)
    within = {issue} | negotiation.descendants(issue)
    return [item for item in found if item.issue in within]


#
# The parts of the answers.
#


def _value(value):
    return value.isoformat() if isinstance(value, date) else value


def _range(low, high) -> dict:
    return {"min": _value(low), "max": _value(high)}


def condition_json(condition: Condition | AnyOf) -> dict:
    """A condition as the answers write it: an issue and a stance, or ``any`` of such alternatives.

    Examples
    --------
    >>> condition_json(Condition("ceasefire", "supports", ("russia",)))
    {'issue': 'ceasefire', 'stance': 'supports', 'addressees': ['russia'], 'note': None}
    >>> either = condition_json(AnyOf((Condition("withdrawal", "supports"), Condition("package", "supports"))))
    >>> sorted(either), [alternative["issue"] for alternative in either["any"]]
    (['any', 'note'], ['package', 'withdrawal'])
    """
    if isinstance(condition, AnyOf):
        return {"any": [condition_json(alternative) for alternative in condition.alternatives], "note": condition.note}
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
        "verified": evidence.verified,
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


def _names(found: Actor | Issue) -> dict:
    """What an actor or issue is called: its id (slug), its label and its aliases."""
    return {"id": found.id, "label": found.label, "aliases": list(found.aliases)}


def actor_json(negotiation: Negotiation, actor: str) -> dict:
    """One actor: its names, its kind, whom it speaks for, its group's members, and how many positions it holds."""
    found = negotiation.actors[actor]
    return {
        **_names(found),
        "kind": found.kind,
        "power": found.power,
        "speaks_for": list(found.speaks_for),
        "member_of": list(found.member_of),
        "leverage_over": list(found.leverage_over),
        "same_as": list(found.same_as),
        "group": sorted(negotiation.members(actor)),
        "positions": sum(len(by_issue) for by_issue in negotiation.positions_of(actor).values()),
    }


def issue_json(negotiation: Negotiation, issue: str) -> dict:
    """One issue: its names, its scale, the issues it is part of (nearest first) and those narrower than it."""
    found = negotiation.issues[issue]
    return {
        **_names(found),
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


def _stand_json(negotiation: Negotiation, stand: rules.Stand) -> dict:
    return position_json(negotiation, stand.position, stand.inherited_from)


def _conflict_json(negotiation: Negotiation, conflict: rules.Conflict) -> dict:
    return _between_json(
        negotiation,
        conflict,
        kind=conflict.kind,
        kinds=list(conflict.kinds),
        severity=conflict.severity,
        gap=conflict.gap,
    )


def _agreement_json(negotiation: Negotiation, agreement: rules.Agreement) -> dict:
    return _between_json(negotiation, agreement, zone=None if agreement.zone is None else _range(*agreement.zone))


def _between_json(negotiation: Negotiation, found: rules.Conflict | rules.Agreement, **particular) -> dict:
    """What a conflict and an agreement both say (the issue, both positions, their conditions), with ``particular``."""
    return {
        "issue": found.issue,
        "issue_ancestors": negotiation.ancestors(found.issue),
        **particular,
        "conditions": [condition_json(x) for x in found.conditions],
        "inconsistent": found.inconsistent,
        "a_position": _stand_json(negotiation, found.a_stand),
        "b_position": _stand_json(negotiation, found.b_stand),
    }


def _tie_json(tie: rules.Tie) -> dict:
    return {
        "a": tie.a,
        "b": tie.b,
        "weight": round(tie.weight, 6),
        "agreements": tie.agreements,
        "conflicts": tie.conflicts,
    }


def _deadlock_json(negotiation: Negotiation, deadlock: rules.Deadlock) -> dict:
    return {
        "cycle": [{"issue": issue, "stance": stance} for issue, stance in deadlock.propositions],
        "groups": list(deadlock.groups),
        "positions": [position_json(negotiation, p) for p in deadlock.positions],
    }


def _blocked_json(negotiation: Negotiation, blocked: rules.BlockedCondition) -> dict:
    return {
        "position": position_json(negotiation, blocked.position),
        "condition": condition_json(blocked.condition),
        "blocked_by": [
            {"group": stand.group, "position": position_json(negotiation, stand.position)}
            for stand in blocked.blocked_by
        ],
    }
