"""The command line's tables and paragraphs, drawn from the JSON answers of :mod:`graph.report.answers`.

Drawing from the answer itself (not from the analysis results behind it) keeps the terminal and
``--json`` saying the same thing. Each function takes the negotiation only to look up labels.
"""

from __future__ import annotations

import textwrap

import typer

from graph.analysis.model import Negotiation


def print_table(header: list[str], rows: list[list[str]]) -> None:
    """Columns padded to their widest cell, under a rule.

    Examples
    --------
    >>> print_table(["a", "bb"], [["1", "2"]])
    a  bb
    -  --
    1  2
    """
    widths = [max([len(cell) for cell in column] or [0]) for column in zip(header, *rows, strict=True)]

    def line(cells: list[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

    typer.echo(line(header))
    typer.echo(line(["-" * width for width in widths]))
    for row in rows:
        typer.echo(line(row))


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def describe(position: dict) -> str:
    """A position in a few words: its stance or range, kind and holder.

    Examples
    --------
    >>> describe({"stance": None, "range": {"min": None, "max": 85000}, "kind": "demand", "holder": "russia"})
    'range [-inf, 85000] (demand by russia)'
    """
    if position["stance"] is not None:
        what = position["stance"]
    else:
        low, high = position["range"]["min"], position["range"]["max"]
        what = f"range [{'-inf' if low is None else low}, {'+inf' if high is None else high}]"
    inherited = position.get("inherited_from")
    extra = f", inherited from {inherited}" if inherited else ""
    return f"{what} ({position['kind']} by {position['holder']}{extra})"


def _evidence(position: dict) -> None:
    for evidence in position["evidence"]:
        source = evidence["source"]["id"] if evidence["source"] else None
        unchecked = None if evidence["verified"] else "unverified"
        said = ", ".join(
            filter(None, [evidence["speaker"], evidence["date"], *evidence["reported_by"], source, unchecked])
        )
        quote = textwrap.fill(f"“{evidence['quote']}”", width=100, initial_indent="      ", subsequent_indent="       ")
        typer.echo(f"{quote}\n       ({said})")


def _sides(document: dict, found: dict) -> None:
    for side, position in ((document["a"], found["a_position"]), (document["b"], found["b_position"])):
        typer.echo(f"  {side}: {describe(position)}")
        _evidence(position)


def _label(negotiation: Negotiation, issue: str) -> str:
    return negotiation.issues[issue].label if issue in negotiation.issues else ""


def conflicts(negotiation: Negotiation, document: dict) -> None:
    """``parley conflicts``: each issue with the kinds of conflict, both sides and their quotes."""
    found = document["conflicts"]
    typer.echo(
        f"{_count(len(found), 'conflict')} between {document['a']} and {document['b']} as of {document['as_of']}"
    )
    for conflict in found:
        gap = f", gap {conflict['gap']}" if conflict["gap"] is not None else ""
        flag = ", inconsistent" if conflict["inconsistent"] else ""
        typer.echo(f"\n{conflict['issue']}: {_label(negotiation, conflict['issue'])}")
        typer.echo(f"  {' + '.join(conflict['kinds'])}; severity {conflict['severity']:.2f}{gap}{flag}")
        _sides(document, conflict)
        for condition in conflict["conditions"]:
            note = f" ({condition['note']})" if condition["note"] else ""
            typer.echo(f"  condition: {condition_text(condition)}{note}")


def condition_text(condition: dict) -> str:
    """A condition of the answers in words: ``talks supports``, or its alternatives joined by ``or``.

    Examples
    --------
    >>> condition_text({"issue": "talks", "stance": "supports"})
    'talks supports'
    >>> either = [{"issue": "package", "stance": "supports"}, {"issue": "withdrawal", "stance": "supports"}]
    >>> condition_text({"any": either})
    'package supports or withdrawal supports'
    """
    if "any" in condition:
        return " or ".join(condition_text(alternative) for alternative in condition["any"])
    return f"{condition['issue']} {condition['stance']}"


def overlap(negotiation: Negotiation, document: dict) -> None:
    """``parley overlap``: each issue of agreement with its zone, both sides and their quotes."""
    found = document["agreements"]
    typer.echo(
        f"{_count(len(found), 'agreement')} between {document['a']} and {document['b']} as of {document['as_of']}"
    )
    for agreement in found:
        zone = agreement["zone"]
        typer.echo(f"\n{agreement['issue']}" + (f"; zone [{zone['min']}, {zone['max']}]" if zone else ""))
        _sides(document, agreement)


def deadlocks(negotiation: Negotiation, document: dict) -> None:
    """``parley deadlocks``: each cycle of conditions, then each condition a red line blocks."""
    typer.echo(f"{_count(len(document['deadlocks']), 'deadlock')} as of {document['as_of']}")
    for cycle in document["deadlocks"]:
        steps = " -> ".join(f"{step['issue']} {step['stance']}" for step in cycle["cycle"])
        typer.echo(f"  {steps} -> (back to start); groups: {', '.join(cycle['groups'])}")
    typer.echo(_count(len(document["blocked_conditions"]), "blocked condition"))
    for item in document["blocked_conditions"]:
        blockers = ", ".join(f"{b['group']} ({b['position']['id']})" for b in item["blocked_by"])
        typer.echo(f"  {item['position']['id']}: needs {condition_text(item['condition'])}; red line of {blockers}")


def coalitions(negotiation: Negotiation, document: dict) -> None:
    """``parley coalitions``: the members of each coalition with the pairs that hold it, then the bridges."""
    typer.echo(f"{_count(len(document['coalitions']), 'coalition')} as of {document['as_of']}")
    for number, coalition in enumerate(document["coalitions"], 1):
        typer.echo(f"  {number}. {', '.join(coalition['members'])}")
        for pair in coalition["pairs"]:
            typer.echo(
                f"       {pair['a']} + {pair['b']}: net {pair['weight']:+g} "
                f"({_count(pair['agreements'], 'agreement')}, {_count(pair['conflicts'], 'conflict')})"
            )
    for bridge in document["bridges"]:
        typer.echo(f"  bridge: {_bridge(bridge)}")


def _bridge(bridge: dict) -> str:
    """A bridge in words: who it agrees with on each side of the divide."""
    group, (left, right) = bridge["group"], bridge["between"]
    if bridge["member_of"] is None:
        return f"{group} agrees with both {', '.join(left)} and {', '.join(right)}"
    own, other = (left, right) if bridge["member_of"] == left else (right, left)
    partners = ", ".join(member for member in own if member != group)
    return f"{group}, with {partners}, also agrees with {', '.join(other)}"


def mediators(negotiation: Negotiation, document: dict) -> None:
    """``parley mediators``: each candidate with its score and what raises and lowers it."""
    found = document["mediators"]
    typer.echo(
        f"{_count(len(found), 'possible mediator')} between {document['a']} and {document['b']} "
        f"as of {document['as_of']}"
    )
    for mediator in found:
        typer.echo(f"  {mediator['actor']} (score {mediator['score']:g})")
        for reason in mediator["reasons"]:
            typer.echo(f"    {reason['effect']:>+5g}  {reason['reason']}")


def compromise(negotiation: Negotiation, document: dict) -> None:
    """``parley compromise A B``: each concession with its cost and quote, the total, and what blocks."""
    typer.echo(_settlement(document) + f" as of {document['as_of']}")
    _concessions(document)


def compromises(negotiation: Negotiation, document: dict) -> None:
    """``parley compromise --all``: the pairs in conflict, cheapest to settle first."""
    pairs = document["pairs"]
    typer.echo(f"{_count(len(pairs), 'pair')} in conflict as of {document['as_of']}, cheapest to settle first")
    for pair in pairs:
        typer.echo("  " + _settlement(pair))


def _settlement(document: dict) -> str:
    count = _count(len(document["concessions"]), "concession")
    one = len(document["concessions"]) == 1
    settled = ("settles" if one else "settle") if document["settled"] else "cannot settle"
    return f"{count} (cost {document['cost']:g}) {settled} {document['a']} and {document['b']}"


def _concessions(document: dict) -> None:
    for concession in document["concessions"]:
        moved = f"{_moved(concession['from'])} to {_moved(concession['to'])}"
        typer.echo(f"  {concession['group']} concedes {concession['issue']}: {moved} (cost {concession['cost']:g})")
        _evidence(concession["position"])
    for zone in document["zones"]:
        typer.echo(f"  opens a zone of agreement on {zone['issue']}: {_moved({'range': zone['zone']})}")
    for what in document["unsettled"]:
        typer.echo(f"  unsettled: {what}")
    for position in document["blocked_by"]:
        line = "red line" if position["red_line"] else "held by a third party"
        typer.echo(f"  blocked by {position['id']} ({line}): {describe(position)}")


def _moved(move: dict) -> str:
    if move.get("stance") is not None:
        return str(move["stance"])
    low, high = move["range"]["min"], move["range"]["max"]
    return f"[{'-inf' if low is None else f'{low:g}'}, {'+inf' if high is None else f'{high:g}'}]"


def diff(negotiation: Negotiation, document: dict) -> None:
    """``parley diff``: each change with the positions that caused it and their quotes, then each side's shifts."""
    found, shifts = document["changes"], document["shifts"]
    sides = f"{document['a']} and {document['b']}"
    typer.echo(f"{_count(len(found), 'change')} between {sides} from {document['from']} to {document['to']}")
    for change in found:
        typer.echo(f"\n{change['issue']}: {change['relation']} {change['change']}")
        typer.echo(textwrap.fill(change["text"], width=100, initial_indent="  ", subsequent_indent="  "))
        for cause in change["causes"]:
            typer.echo(f"  {cause['change']} {cause['on']}: {describe(cause['position'])}")
            _evidence(cause["position"])
    if shifts:
        typer.echo(f"\n{_count(len(shifts), 'shift')} of the positions of {sides}")
    for shift in shifts:
        typer.echo(f"  {shift['text']}")
        for cause in shift["causes"]:
            typer.echo(f"    {cause['change']} {cause['on']}: {cause['position']['id']}")


def timeline(negotiation: Negotiation, document: dict) -> None:
    """``parley timeline``: one row per position, with its dates and status."""
    rows = [
        [
            entry["starts"] or "?",
            entry["ends"] or "",
            entry["status"],
            entry["position"]["issue"],
            describe(entry["position"]),
        ]
        for entry in document["timeline"]
    ]
    print_table(["from", "until", f"as of {document['as_of']}", "issue", "position"], rows)


def matrix(negotiation: Negotiation, document: dict) -> None:
    """``parley matrix``: conflicts/agreements for each pair, one row per actor."""
    actors, counts = document["actors"], document["matrix"]
    rows = [
        [a] + ["" if a == b else f"{counts[a][b]['conflicts']}/{counts[a][b]['agreements']}" for b in actors]
        for a in actors
    ]
    print_table(["conflicts/agreements", *actors], rows)


def inconsistencies(negotiation: Negotiation, document: dict) -> None:
    """``parley inconsistencies``: each group and issue, its disagreeing positions and the one counted."""
    found = document["inconsistencies"]
    typer.echo(f"{_count(len(found), 'inconsistency', 'inconsistencies')} as of {document['as_of']}")
    for item in found:
        positions = "; ".join(describe(p) for p in item["positions"])
        typer.echo(f"  {item['group']} on {item['issue']}: {positions} (counted: {item['chosen']})")


def changes(document: dict) -> None:
    """The writes of ``GET /changes``, oldest first: number, time, what was done, and each shift in words."""
    if not document["orderedItems"]:
        typer.echo(f"no change after {document['since'] or 'the start'}")
        return
    for change in document["orderedItems"]:
        typer.echo(f"#{change['sequence']}  {change['published'][:19].replace('T', ' ')}  {change['summary']}")
        for shift in change["shifts"]:
            typer.echo(f"    {shift['summary']}")
        if change["shift_count"] > len(change["shifts"]):
            typer.echo(f"    ... {change['shift_count'] - len(change['shifts']):,} more shifts")
