"""Models of bargaining in spreadsheets: KTAB's SMP actor file and the decide exchange model's input.

Both describe one scenario: actors with a power, dimensions (issues measured on a scale), and each
actor's position and salience on each dimension. Parley reads them so (docs/entering-data.md states
it for people):

- The file is the source: a ``parley:Source`` titled with the scenario's name, with the SHA-256 of
  the file; ``--source`` names it (an existing source, or the slug of a new one).
- An actor named as the store names one (slug, label or alias), by its name or else by its
  description, is that actor; another is a new ``parley:Actor`` labelled with its name (its
  description, if any, as ``rdfs:comment``).
- Power is ``parley:power``, 0 to 1: KTAB's divided by the scenario's largest (KTAB's is a weight of
  any size), decide's as it is. An actor given another power before is refused, not overwritten.
- A dimension named as the store names an issue is that issue, which must be a Quantity issue;
  another is a new Quantity issue labelled with its name, its unit the scale (``0-100`` for KTAB,
  decide's bounds from its ``#M`` rows).
- Each actor's position on a dimension is a position of that actor on that issue, ``min`` and
  ``max`` the value, its salience scaled to 0..1 (KTAB's divided by 100, decide's as it is), its id
  ``{source}-{actor}-{issue}``, and its evidence honest: the file's row, as the file holds it, is
  the quote, the file the source.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from graph.analysis.model import QUANTITY, Actor, Evidence, Issue, Position, Source
from graph.errors import EmptyDocument, InvalidArgument
from graph.ingest.documents import generate_actor_nquads, generate_issue_nquads, generate_source_nquads, graph_of
from graph.ingest.tables import (
    Bad,
    Cells,
    Known,
    Sheet,
    Table,
    format_number,
    parse_number,
    read_sheet,
    slugify,
    unchanged_positions,
)
from graph.ingest.texts import decode_text, sha256_of
from graph.store.namespaces import SLUG

__all__ = ["ModelActor", "Dimension", "Stand", "Scenario", "parse_ktab_csv", "parse_decide_csv", "scenario_table"]


@dataclass
class ModelActor:
    name: str
    description: str
    power: float
    """As the file gives it (KTAB: any weight; decide: 0 to 1)."""
    row: int
    key: str = ""
    """The name the file's other rows use for it (decide's id); its name if empty."""


@dataclass
class Dimension:
    name: str
    lower: float
    upper: float
    row: int
    key: str = ""


@dataclass
class Stand:
    """One actor's position and salience (0 to 1) on one dimension, with the row that says so."""

    actor: str
    dimension: str
    position: float
    salience: float
    row: int
    quote: str


@dataclass
class Scenario:
    name: str
    description: str
    actors: list[ModelActor] = field(default_factory=list)
    dimensions: list[Dimension] = field(default_factory=list)
    stands: list[Stand] = field(default_factory=list)
    power_scale: float = 1.0
    """What a file's power is divided by to be 0 to 1."""
    rows: int = 0
    """The rows that give stands (KTAB: one per actor; decide: one per ``#D``)."""


# --- KTAB -----------------------------------------------------------------------------------------------


def _whole(cell: str, what: str) -> int:
    value = parse_number(cell)
    if not isinstance(value, int) or value < 1:
        raise Bad(f"{cell!r} is not a number of {what} (a whole number, 1 or more)")
    return value


def _within(low: float, high: float, what: str):
    def parse(cell: str) -> float:
        value = float(parse_number(cell))
        if not low <= value <= high:
            raise Bad(f"{what} {cell.strip()} is outside {format_number(low)} to {format_number(high)}")
        return value

    return parse


def _ktab_counts(sheet: Sheet, cells: Cells) -> tuple[str, str, int | None, int | None]:
    """The scenario row: name, description, and how many actors and dimensions it announces."""
    number, first = sheet.rows[0]
    first = first + [""] * (4 - len(first))
    actors = cells.read(number, "actors", first[2], lambda cell: _whole(cell, "actors"))
    dimensions = cells.read(number, "dimensions", first[3], lambda cell: _whole(cell, "dimensions"))
    return first[0].strip(), first[1].strip(), actors, dimensions


def _ktab_actor(scenario: Scenario, sheet: Sheet, number: int, row: list[str], cells: Cells) -> None:
    """One actor's row: name, description, power, then a position and a salience per dimension."""
    row = row + [""] * (3 + 2 * len(scenario.dimensions) - len(row))
    name = row[0].strip()
    if not name:
        cells.add(number, "Actor", "no actor name")
    power = cells.read(number, "Power", row[2], _within(0, 1e8, "power"))
    total = 0.0
    for index, dimension in enumerate(scenario.dimensions):
        header = sheet.rows[1][1]
        position = cells.read(number, header[3 + 2 * index].strip(), row[3 + 2 * index], _within(0, 100, "position"))
        salience = cells.read(number, header[4 + 2 * index].strip(), row[4 + 2 * index], _within(0, 100, "salience"))
        total += salience or 0
        if position is None or salience is None:
            continue
        scenario.stands.append(Stand(name, dimension.name, position, salience / 100, number, sheet.lines[number]))
    if total > 100:
        cells.add(number, None, f"the saliences add up to {format_number(total)}: KTAB allows 100 at most")
    if name and power is not None:
        scenario.actors.append(ModelActor(name, row[1].strip(), power, number))


def read_ktab(content: bytes, name: str) -> tuple[Scenario, Cells]:
    """The scenario of a KTAB SMP actor file, and the problems of its cells.

    Row 1: the scenario's name and description, the number of actors and of dimensions. Row 2:
    ``Actor, Description, Power``, then per dimension its name and a salience header. Then a row
    per actor: name, description, power, then per dimension a position and a salience, each 0 to 100.
    """
    sheet = read_sheet(content, name, keep_lines=True)
    if len(sheet.rows) < 3:
        raise EmptyDocument(name, "a KTAB file has a scenario row, a header row and a row per actor")
    cells = Cells(name, {"scenario": 0, "description": 1, "actors": 2, "dimensions": 3})
    scenario_name, description, actors, dimensions = _ktab_counts(sheet, cells)
    scenario = Scenario(scenario_name, description)
    header_row, header = sheet.rows[1]
    cells.columns = {cell.strip(): index for index, cell in enumerate(header) if cell.strip()}
    for index in range(dimensions or 0):
        dimension = header[3 + 2 * index].strip() if 3 + 2 * index < len(header) else ""
        if not dimension:
            cells.add(header_row, None, f"no name for dimension {index + 1} (column {4 + 2 * index})")
        scenario.dimensions.append(Dimension(dimension, 0, 100, header_row))
    for number, row in sheet.rows[2:]:
        _ktab_actor(scenario, sheet, number, row, cells)
    if actors is not None and actors != len(sheet.rows) - 2:
        cells.add(sheet.rows[0][0], "actors", f"the scenario announces {actors} actors; {len(sheet.rows) - 2} follow")
    scenario.power_scale = max((actor.power for actor in scenario.actors), default=1.0) or 1.0
    scenario.rows = len(sheet.rows) - 2
    return scenario, cells


def parse_ktab_csv(content: bytes, name: str, known: Known, source: str | None = None) -> Table:
    """Read a KTAB SMP actor file into the positions, actors, issues and source it gives (see the module).

    Raises
    ------
    InvalidTable
        Listing every problem, each with its row and column.
    """
    scenario, cells = read_ktab(content, name)
    cells.check()
    return scenario_table(scenario, content, name, known, source, "ktab", cells)


# --- decide ---------------------------------------------------------------------------------------------


_DECIDE_COLUMNS = {"record": 0, "actor": 1, "issue": 2, "position": 3, "salience": 4, "power": 5}


def read_decide(content: bytes, name: str) -> tuple[Scenario, Cells]:
    """The scenario of a decide input file, and the problems of its cells.

    Records, one a row, cells in single quotes, separated by tabs or semicolons: ``#A`` an actor (id,
    name, comment), ``#P`` an issue (id, name, comment), ``#M`` a bound of an issue's scale (id,
    value; two of them), ``#D`` an actor's stand on an issue (actor id, issue id, position, salience
    0 to 1, power 0 to 1).
    """
    sheet = read_sheet(content, name, quotechar="'", keep_lines=True)
    if not sheet.rows:
        raise EmptyDocument(name, "the file holds no records")
    cells = Cells(name, _DECIDE_COLUMNS)
    scenario = Scenario(Path(name).stem, "")
    bounds: dict[str, list[float]] = {}
    data = []
    for number, row in sheet.rows:
        row = [cell.strip() for cell in row] + [""] * 6
        kind = row[0]
        if kind == "#A":
            scenario.actors.append(ModelActor(row[2] or row[1], row[3], -1.0, number, row[1]))
        elif kind == "#P":
            scenario.dimensions.append(Dimension(row[2] or row[1], 0, 100, number, row[1]))
        elif kind == "#M":
            value = cells.read(number, "issue", row[2], parse_number)
            if value is not None:
                bounds.setdefault(row[1], []).append(float(value))
        elif kind == "#D":
            data.append((number, row))
        else:
            cells.add(number, "record", f"{kind!r} is not a decide record (#A, #P, #M or #D)", kind)
    for dimension in scenario.dimensions:
        scale = bounds.get(dimension.key, [])
        if scale:
            dimension.lower, dimension.upper = min(scale), max(scale)
    _decide_stands(scenario, sheet, data, cells)
    scenario.rows = len(data)
    return scenario, cells


def _decide_stands(scenario: Scenario, sheet: Sheet, data: list, cells: Cells) -> None:
    actors = {actor.key: actor for actor in scenario.actors}
    dimensions = {dimension.key: dimension for dimension in scenario.dimensions}
    for number, row in data:
        actor, dimension = actors.get(row[1]), dimensions.get(row[2])
        if actor is None:
            cells.add(number, "actor", f"no #A record declares the actor {row[1]!r}", row[1])
        if dimension is None:
            cells.add(number, "issue", f"no #P record declares the issue {row[2]!r}", row[2])
        if actor is None or dimension is None:
            continue
        position = cells.read(number, "position", row[3], _within(dimension.lower, dimension.upper, "position"))
        salience = cells.read(number, "salience", row[4], _within(0, 1, "salience"))
        power = cells.read(number, "power", row[5], _within(0, 1, "power"))
        if power is not None and actor.power >= 0 and power != actor.power:
            cells.add(number, "power", f"{actor.key} has power {format_number(actor.power)} on an earlier row")
        elif power is not None:
            actor.power = power
        if position is not None and salience is not None:
            scenario.stands.append(Stand(actor.name, dimension.name, position, salience, number, sheet.lines[number]))
    scenario.actors = [actor for actor in scenario.actors if actor.power >= 0]


def parse_decide_csv(content: bytes, name: str, known: Known, source: str | None = None) -> Table:
    """Read a decide input file into the positions, actors, issues and source it gives (see the module).

    Raises
    ------
    InvalidTable
        Listing every problem, each with its row and column.
    """
    scenario, cells = read_decide(content, name)
    cells.check()
    return scenario_table(scenario, content, name, known, source, "decide", cells)


# --- From a scenario to positions ----------------------------------------------------------------------------


def _source(scenario: Scenario, name: str, known: Known, given: str | None, content: bytes) -> tuple[Source, list[str]]:
    """The source the file is: the one ``given`` names, or a new one holding the file as its text (so that each
    row, a position's quote, is verified against it); with the lines that describe a new one."""
    if given is not None:
        try:
            return known.sources[known.source_names.resolve(given)], []
        except Bad as bad:
            if not SLUG.fullmatch(given):
                raise InvalidArgument("source", f"{bad}; or give the slug of a new one") from None
    slug = given or slugify(scenario.name) or slugify(Path(name).stem) or "scenario"
    if slug in known.sources:
        return known.sources[slug], []
    title = scenario.name + (f": {scenario.description}" if scenario.description else "") or Path(name).name
    source = Source(slug, title)
    text = decode_text(content, name)
    return source, list(generate_source_nquads(source, graph_of(slug), sha256_of(text), text))


class _Mapping:
    """Names of a scenario mapped to the store's actors and issues, or to new ones."""

    def __init__(self, scenario: Scenario, known: Known, cells: Cells, graph: str):
        self.known, self.cells, self.graph = known, cells, graph
        self.actors: dict[str, str] = {}
        self.issues: dict[str, str] = {}
        self.described: list[str] = []
        for actor in scenario.actors:
            self._actor(actor, actor.power / scenario.power_scale)
        for dimension in scenario.dimensions:
            self._issue(dimension)

    def _existing(self, names, *typed: str) -> str | None:
        for name in typed:
            if name:
                try:
                    return names.resolve(name)
                except Bad:
                    continue
        return None

    def _actor(self, actor: ModelActor, power: float) -> None:
        slug = self._existing(self.known.actor_names, actor.key, actor.name, actor.description)
        if slug is None:
            slug = slugify(actor.name)
            if not slug or slug in self.known.actors or slug in self.actors.values():
                self.cells.add(actor.row, None, f"the actor {actor.name!r} would take the slug {slug!r}, taken")
                return
            comment = actor.description if actor.description != actor.name else None
            self.described += generate_actor_nquads(Actor(slug, actor.name, power=power), self.graph, comment)
        else:
            held = self.known.actors[slug].power
            if held is not None and abs(held - power) > 1e-9:
                message = f"{slug} has power {format_number(held)} already; this file gives it {format_number(power)}"
                self.cells.add(actor.row, "Power" if "Power" in self.cells.columns else "power", message)
            elif held is None:
                self.described += generate_actor_nquads(Actor(slug, "", power=power), self.graph)
        self.actors[actor.name] = slug

    def _issue(self, dimension: Dimension) -> None:
        slug = self._existing(self.known.issue_names, dimension.key, dimension.name)
        if slug is None:
            slug = slugify(dimension.name)
            if not slug or slug in self.known.issues or slug in self.issues.values():
                self.cells.add(dimension.row, None, f"the dimension {dimension.name!r} would take the slug {slug!r}")
                return
            unit = f"{format_number(dimension.lower)}-{format_number(dimension.upper)}"
            issue = Issue(slug, dimension.name, scale=QUANTITY, unit=unit)
            self.described += generate_issue_nquads(issue, self.graph)
        elif self.known.issues[slug].scale != QUANTITY:
            self.cells.add(dimension.row, None, f"dimension {dimension.name!r} is issue {slug}, which is binary")
        self.issues[dimension.name] = slug


def scenario_table(
    scenario: Scenario, content: bytes, name: str, known: Known, given: str | None, format: str, cells: Cells
) -> Table:
    """The positions, and the actors, issues and source to describe, that a scenario gives (see the module)."""
    sha256 = hashlib.sha256(content).hexdigest()
    source, described = _source(scenario, name, known, given, content)
    mapping = _Mapping(scenario, known, cells, graph_of(source.id))
    cells.check()
    positions: dict[str, Position] = {}
    rows: dict[str, int] = {}
    for stand in scenario.stands:
        holder, issue = mapping.actors[stand.actor], mapping.issues[stand.dimension]
        position_id = slugify(f"{source.id}-{holder}-{issue}")
        evidence = Evidence(stand.quote, source)
        value = int(stand.position) if float(stand.position).is_integer() else stand.position
        positions[position_id] = Position(
            position_id, holder, issue, minimum=value, maximum=value, salience=stand.salience, evidence=(evidence,)
        )
        rows[position_id] = stand.row
    advice = "the scenario's source holds it; import the file under another --source"
    unchanged = unchanged_positions(known, positions, rows, cells, "position", advice)
    cells.check()
    return Table(
        name,
        sha256,
        format,
        scenario.rows,
        [position for position_id, position in positions.items() if position_id not in set(unchanged)],
        unchanged,
        {position_id: [row, row] for position_id, row in rows.items()},
        dict(cells.columns),
        described + mapping.described,
    )
