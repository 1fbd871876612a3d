"""A source's positions as a model of bargaining: KTAB's SMP actor file, or the decide model's input.

The reverse of :mod:`graph.ingest.scenarios`: the positions whose evidence cites one source, on
Quantity issues, are the scenario; their holders its actors (with ``parley:power``), their issues
its dimensions. A position's value is its range's single value (the midpoint of a range that has
two ends). KTAB wants every actor on every dimension: where an actor holds no position, the row says
the middle of the scale with salience 0 (no interest). Read back by ``parley import``, the file gives
the same positions, with the file's own rows as their quotes.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping
from datetime import date

from graph.analysis.model import QUANTITY, Evidence, Negotiation, Position
from graph.errors import InvalidArgument
from graph.ingest.scenarios import Dimension, ModelActor, Scenario, Stand
from graph.ingest.tables import format_number

__all__ = ["scenario_of", "generate_ktab_csv", "generate_decide_csv"]

_SCALE = re.compile(r"\s*(-?\d+(?:\.\d+)?)\s*-\s*(-?\d+(?:\.\d+)?)\s*")


def _value(position: Position) -> float | None:
    ends = [end for end in (position.minimum, position.maximum) if end is not None and not isinstance(end, date)]
    return sum(float(end) for end in ends) / len(ends) if ends else None


def scenario_of(negotiation: Negotiation, source: str, evidence: Mapping[str, tuple[Evidence, ...]]) -> Scenario:
    """The scenario of the positions citing ``source`` on Quantity issues (actors and dimensions by slug).

    Raises
    ------
    InvalidArgument
        If no such position cites the source.
    """
    stands, title = [], source
    for position in sorted(negotiation.positions.values(), key=lambda p: (p.holder, p.issue, p.id)):
        issue = negotiation.issues.get(position.issue)
        cited = [e.source for e in evidence.get(position.id, ()) if e.source is not None and e.source.id == source]
        value = _value(position)
        if cited and issue is not None and issue.scale == QUANTITY and value is not None:
            stands.append(Stand(position.holder, position.issue, value, position.salience, 0, ""))
            title = cited[0].title or source
    if not stands:
        raise InvalidArgument("source", f"no position citing {source!r} has a value on a Quantity issue")
    scenario = Scenario(source, title if title != source else "")
    for slug in sorted({stand.actor for stand in stands}):
        actor = negotiation.actors.get(slug)
        label = actor.label if actor is not None else slug
        power = actor.power if actor is not None and actor.power is not None else 0.0
        scenario.actors.append(ModelActor(slug, label, power, 0, slug))
    for slug in sorted({stand.dimension for stand in stands}):
        issue = negotiation.issues[slug]
        scale = _SCALE.fullmatch(issue.unit or "")
        values = [stand.position for stand in stands if stand.dimension == slug]
        lower, upper = (float(scale[1]), float(scale[2])) if scale else (min(values), max(values))
        scenario.dimensions.append(Dimension(slug, lower, upper, 0, slug))
    scenario.stands = stands
    return scenario


def _line(cells: list, **dialect) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, **dialect).writerow(cells)
    return buffer.getvalue()


def generate_ktab_csv(scenario: Scenario) -> Iterator[str]:
    """The lines of a KTAB SMP actor file: scenario row, header, a row per actor (power and saliences x 100).

    Examples
    --------
    >>> scenario = Scenario("talks", "", [ModelActor("russia", "Russia", 1.0, 0)], [Dimension("line", 0, 100, 0)],
    ...                     [Stand("russia", "line", 90.0, 0.6, 0, "")])
    >>> print("".join(generate_ktab_csv(scenario)).replace("\\r\\n", "\\n"), end="")
    talks,,1,1,
    Actor,Description,Power,line,Salience,
    russia,Russia,100,90,60,
    """
    stands = {(stand.actor, stand.dimension): stand for stand in scenario.stands}
    yield _line([scenario.name, scenario.description, len(scenario.actors), len(scenario.dimensions), ""])
    yield _line(["Actor", "Description", "Power", *[c for d in scenario.dimensions for c in (d.name, "Salience")], ""])
    for actor in scenario.actors:
        cells = [actor.name, actor.description, format_number(round(actor.power * 100, 9))]
        for dimension in scenario.dimensions:
            stand = stands.get((actor.name, dimension.name))
            if stand is None:
                cells += [format_number((dimension.lower + dimension.upper) / 2), "0"]
            else:
                cells += [format_number(stand.position), format_number(round(stand.salience * 100, 9))]
        yield _line([*cells, ""])


def generate_decide_csv(scenario: Scenario) -> Iterator[str]:
    """The lines of a decide input file: ``#A``, ``#P`` and ``#M`` records, then a ``#D`` per stand.

    Examples
    --------
    >>> scenario = Scenario("talks", "", [ModelActor("russia", "Russia", 0.4, 0, "russia")],
    ...                     [Dimension("line", 0, 100, 0, "line")], [Stand("russia", "line", 90.0, 0.6, 0, "")])
    >>> print("".join(generate_decide_csv(scenario)).replace("\\t", " | "), end="")
    '#A' | 'russia' | 'Russia' | ''
    '#P' | 'line' | 'line' | ''
    '#M' | 'line' | 0
    '#M' | 'line' | 100
    '#D' | 'russia' | 'line' | 90 | 0.6 | 0.4
    """
    dialect = {"delimiter": "\t", "quotechar": "'", "quoting": csv.QUOTE_NONNUMERIC, "lineterminator": "\n"}
    powers = {actor.name: actor.power for actor in scenario.actors}
    for actor in scenario.actors:
        yield _line(["#A", actor.name, actor.description, ""], **dialect)
    for dimension in scenario.dimensions:
        yield _line(["#P", dimension.name, dimension.name, ""], **dialect)
        yield _line(["#M", dimension.name, _number(dimension.lower)], **dialect)
        yield _line(["#M", dimension.name, _number(dimension.upper)], **dialect)
    for stand in scenario.stands:
        cells = [stand.position, stand.salience, powers[stand.actor]]
        yield _line(["#D", stand.actor, stand.dimension, *map(_number, cells)], **dialect)


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value
