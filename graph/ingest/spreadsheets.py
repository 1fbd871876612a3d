"""Positions from a spreadsheet: the ``positions`` layout, one row a position, read into one document.

The layout (docs/entering-data.md states it for people) has a column for every field a position
can have; headers in any order and any case, ``valid from`` as good as ``valid_from``:

- ``id``: the position's slug; without one, Parley makes one from the row's meaning, so that the
  same row imported again names the same position. Further rows with the same id add evidence.
- ``kind`` (position, demand, offer, threat, commitment), ``holder`` and ``issue`` (each a slug,
  a label or an alias), ``stance`` (supports, opposes, neutral) or a range ``min`` / ``max``
  (numbers, or days on an issue measured in days), ``unit`` (checked against the issue's),
  ``salience`` (0 to 1), ``red_line`` (true or false), ``valid_from`` and ``valid_until``.
- ``addressee``, ``rejects`` and ``supersedes``: lists, separated by ``;``.
- ``condition``: conditions that must all hold, separated by ``;``, each ``ISSUE STANCE``, with
  ``ADDRESSEE, ...:`` before it for who must meet it and ``(note)`` after it. An either/or
  condition joins its alternatives with ``|`` (``withdrawal supports | package supports``); a last
  alternative that is only ``(note)`` is the note of the either/or condition as a whole.
- ``quote``, ``source``, ``speaker``, ``stated_on``, ``reported_by``: one piece of evidence.

A backslash before ``; | ( ) : , \\`` in a cell means the character itself.

An import is all or nothing: every problem of every row is reported (up to a hundred) and nothing
is written. A position the store holds already, the same in every field, is left as it is; one
that differs is refused (an import adds positions: a revision is a new position that supersedes).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from graph.analysis.model import OPPOSES, QUANTITY, SUPPORTS, AnyOf, Condition, Evidence, Position
from graph.analysis.names import nearest
from graph.errors import EmptyDocument, InvalidArgument, UnreadableDocument, UnsupportedFormat
from graph.ingest import scenarios
from graph.ingest.documents import new_position_id
from graph.ingest.load import load_documents
from graph.ingest.tables import (
    Bad,
    Cells,
    ImportReport,
    Known,
    Names,
    Table,
    escape,
    hide,
    parse_boolean,
    parse_day,
    parse_number,
    read_sheet,
    split_list,
    unchanged_positions,
    unescape,
)
from graph.progress import Progress, as_progress
from graph.store import Dataset
from graph.store.namespaces import SLUG

__all__ = [
    "POSITION_COLUMNS",
    "parse_positions_csv",
    "parse_conditions",
    "format_conditions",
    "import_file",
    "FORMATS",
    "parse_table",
    "read_table",
]

POSITION_COLUMNS = (
    "id",
    "kind",
    "holder",
    "issue",
    "stance",
    "min",
    "max",
    "unit",
    "salience",
    "red_line",
    "condition",
    "addressee",
    "rejects",
    "supersedes",
    "valid_from",
    "valid_until",
    "quote",
    "source",
    "speaker",
    "stated_on",
    "reported_by",
)
"""The columns of the ``positions`` layout, in the order an export writes them."""

EVIDENCE_COLUMNS = ("quote", "source", "speaker", "stated_on", "reported_by")
"""The columns of one piece of evidence: what a further row of a position gives."""

_OF_THE_POSITION = tuple(column for column in POSITION_COLUMNS if column not in EVIDENCE_COLUMNS and column != "id")
_STANCES = (SUPPORTS, OPPOSES, "neutral")
_KINDS = ("position", "demand", "offer", "threat", "commitment")
_CONDITION = re.compile(r"(?:(?P<to>[^:]*):)?\s*(?P<issue>.+?)\s+(?P<stance>\S+?)\s*(?:\((?P<note>.*)\))?", re.S)
_DAY_VALUE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _normal(header: str) -> str:
    """A header as the layout names it: case-blind, spaces and hyphens as underscores."""
    return re.sub(r"[\s-]+", "_", header.strip().casefold())


def _choice(options: tuple[str, ...], what: str) -> Callable[[str], str]:
    """A parser for one of ``options``, any case, naming the nearest when the cell holds another."""

    def parse(cell: str) -> str:
        value = cell.strip().casefold()
        if value not in options:
            near = nearest(value, {option: () for option in options})
            hint = f"; did you mean {', '.join(near)}?" if near else f" (use {', '.join(options)})"
            raise Bad(f"{cell!r} is not a {what}{hint}", near)
        return value

    return parse


_stance = _choice(_STANCES, "stance")
_kind = _choice(_KINDS, "kind of position")


def _ids(cell: str) -> tuple[str, ...]:
    ids = split_list(cell)
    for position in ids:
        if not SLUG.fullmatch(position):
            raise Bad(f"{position!r} is not a position id: lowercase letters, digits and inner hyphens")
    return tuple(ids)


def parse_conditions(cell: str, issues: Names, actors: Names) -> tuple[Condition | AnyOf, ...]:
    """The conditions of a ``condition`` cell, all of which must hold.

    Conditions are separated by ``;``; each is ``ISSUE STANCE``, optionally with who must meet it
    before a colon and a note in brackets after it. An issue or actor is a slug, a label or an
    alias. ``|`` joins the alternatives of an either/or condition, which holds when any one of them
    does; a last alternative that is only ``(note)`` is the note of the either/or condition.

    Examples
    --------
    >>> issues = Names("issue", {"ceasefire": ["Ceasefire"], "us-brokered-talks": ["Taking part in talks"]})
    >>> actors = Names("actor", {"russia": ["Russia"], "ukraine": ["Ukraine"]})
    >>> cell = "Russia, Ukraine: taking part in talks supports (both come); ceasefire opposes"
    >>> parse_conditions(cell, issues, actors)
    (Condition(issue='us-brokered-talks', stance='supports', addressees=('russia', 'ukraine'), note='both come'), \
Condition(issue='ceasefire', stance='opposes', addressees=(), note=None))
    >>> [either] = parse_conditions("ceasefire supports | us-brokered-talks opposes | (either will do)", issues, actors)
    >>> [c.issue for c in either.alternatives], either.note
    (['ceasefire', 'us-brokered-talks'], 'either will do')
    """
    conditions: list[Condition | AnyOf] = []
    for part in hide(cell).split(";"):
        part = part.strip()
        if part and "|" in part:
            conditions.append(_either_or(part, issues, actors))
        elif part:
            conditions.append(_condition(part, issues, actors))
    return tuple(conditions)


def _either_or(part: str, issues: Names, actors: Names) -> AnyOf:
    """An either/or condition: alternatives joined by ``|``, the last perhaps only its ``(note)``."""
    pieces = [piece.strip() for piece in part.split("|")]
    note = None
    if pieces[-1].startswith("(") and pieces[-1].endswith(")"):
        note = unescape(pieces.pop()[1:-1]).strip() or None
    alternatives = [_condition(piece, issues, actors) for piece in pieces if piece]
    if len(set(alternatives)) < 2:
        raise Bad(f"{unescape(part)!r} is an either/or condition with fewer than two different alternatives")
    return AnyOf(tuple(alternatives), note)


def _condition(part: str, issues: Names, actors: Names) -> Condition:
    """One condition: ``ADDRESSEE, ...: ISSUE STANCE (note)``, all but the issue and stance optional."""
    found = _CONDITION.fullmatch(part)
    if not found or found["stance"].casefold() not in _STANCES:
        raise Bad(
            f"{unescape(part)!r} is not a condition: write ISSUE STANCE (e.g. 'ceasefire supports'), "
            "with 'ADDRESSEE:' before it and '(note)' after it if need be"
        )
    to = [unescape(name).strip() for name in (found["to"] or "").split(",") if name.strip()]
    note = unescape(found["note"]).strip() if found["note"] is not None else ""
    return Condition(
        issues.resolve(unescape(found["issue"]).strip()),
        found["stance"].casefold(),
        tuple(sorted(actors.resolve(name) for name in to)),
        note or None,
    )


def format_conditions(conditions: tuple[Condition | AnyOf, ...]) -> str:
    """A ``condition`` cell: what :func:`parse_conditions` reads back as ``conditions``.

    Examples
    --------
    >>> format_conditions((Condition("us-brokered-talks", "opposes", ("russia",), "Russia stays away; for now"),
    ...                    Condition("ceasefire", "supports")))
    'russia: us-brokered-talks opposes (Russia stays away\\\\; for now); ceasefire supports'
    >>> format_conditions((AnyOf((Condition("withdrawal", "supports"), Condition("package", "supports")), "either"),))
    'package supports | withdrawal supports | (either)'
    """
    return "; ".join(_format_condition(condition) for condition in conditions)


def _format_condition(condition: Condition | AnyOf) -> str:
    if isinstance(condition, AnyOf):
        group_note = [f"({escape(condition.note)})"] if condition.note else []
        return " | ".join([*(_format_condition(alternative) for alternative in condition.alternatives), *group_note])
    to = f"{', '.join(escape(actor) for actor in condition.addressees)}: " if condition.addressees else ""
    note = f" ({escape(condition.note)})" if condition.note else ""
    return f"{to}{escape(condition.issue)} {condition.stance}{note}"


@dataclass
class _Group:
    """The rows of one position: its own fields (from its first row) and each row's evidence."""

    row: int
    raw: dict[str, str]
    """The first row's cells of the position's own columns, to compare further rows with."""
    fields: dict
    evidence: list[tuple[Evidence, int]] = field(default_factory=list)


class _PositionRows:
    """The rows of a ``positions`` sheet, read one by one into positions."""

    def __init__(self, name: str, known: Known, columns: dict[str, int], width: int, source: str | None, comma: bool):
        self.known = known
        self.columns = columns
        self.cells = Cells(name, columns)
        self.unnamed = [index for index in range(width) if index not in columns.values()]
        self.width = width
        self.source = source
        self.groups: dict[str, _Group] = {}
        self.failed: set[str] = set()
        """Ids given on rows with problems: their further rows are read for their evidence only."""
        actors, issues, sources = known.actor_names, known.issue_names, known.source_names
        number = (lambda cell: parse_number(cell, decimal_comma=True)) if comma else parse_number
        self.comma = comma
        self.parsers: dict[str, Callable[[str], object]] = {
            "id": self._id,
            "kind": _kind,
            "holder": actors.resolve,
            "issue": issues.resolve,
            "stance": _stance,
            "min": self._value,
            "max": self._value,
            "unit": str.strip,
            "salience": lambda cell: self._salience(number(cell)),
            "red_line": parse_boolean,
            "condition": lambda cell: parse_conditions(cell, issues, actors),
            "addressee": lambda cell: tuple(sorted({actors.resolve(name) for name in split_list(cell)})),
            "rejects": _ids,
            "supersedes": _ids,
            "valid_from": parse_day,
            "valid_until": parse_day,
            "quote": str.strip,
            "source": sources.resolve,
            "speaker": actors.resolve,
            "stated_on": parse_day,
            "reported_by": lambda cell: tuple(split_list(cell)),
        }

    def _value(self, cell: str) -> float | int | date:
        if _DAY_VALUE.fullmatch(cell.strip()):
            return date.fromisoformat(parse_day(cell))
        return parse_number(cell, decimal_comma=self.comma)

    @staticmethod
    def _id(cell: str) -> str:
        if not SLUG.fullmatch(cell.strip()):
            raise Bad(f"{cell!r} is not an id: use lowercase letters, digits and inner hyphens")
        return cell.strip()

    @staticmethod
    def _salience(value: float | int) -> float:
        if not 0 <= value <= 1:
            raise Bad(f"salience {value} is outside 0 to 1")
        return float(value)

    def add(self, row: int, cells: list[str]) -> None:
        """Read one row: a new position, or (by its id) a further piece of evidence for one."""
        for index in self.unnamed:
            if index < len(cells) and cells[index].strip():
                self.cells.add(row, None, f"a value in column {index + 1}, which has no header", cells[index])
        if len(cells) > self.width and any(cell.strip() for cell in cells[self.width :]):
            self.cells.add(row, None, f"more cells ({len(cells)}) than the header names ({self.width})")
        raw = {column: cells[index].strip() if index < len(cells) else "" for column, index in self.columns.items()}
        start = len(self.cells.problems)
        given = raw.get("id", "")
        group = self.groups.get(given) if given else None
        if group is not None or (given and given in self.failed):
            self._further(row, raw, group)
            return
        values = self._read(row, raw, [c for c in raw if c in self.parsers])
        self._check(row, raw, values)
        if len(self.cells.problems) > start:
            if given:
                self.failed.add(given)
            return
        fields = {column: values[column] for column in _OF_THE_POSITION if column in values}
        evidence = self._evidence(values)
        position_id = given or _made_id(str(fields["holder"]), str(fields["issue"]), evidence)
        group = self.groups.get(position_id)
        if group is None:
            group = self.groups[position_id] = _Group(row, {c: raw.get(c, "") for c in _OF_THE_POSITION}, fields)
        elif group.fields != fields:
            changed = sorted(
                column
                for column in fields.keys() | group.fields.keys()
                if fields.get(column) != group.fields.get(column)
            )
            self.cells.add(
                row,
                changed[0],
                f"row {group.row} has the same holder, issue, quote and source, and another {', '.join(changed)}: "
                "if these are two positions, give each an id",
                raw.get(changed[0]),
            )
            return
        self._add_evidence(group, evidence, row)

    def _read(self, row: int, raw: dict[str, str], columns: list[str]) -> dict[str, object]:
        values = {}
        for column in columns:
            if raw[column]:
                value = self.cells.read(row, column, raw[column], self.parsers[column])
                if value is not None:
                    values[column] = value
        return values

    def _further(self, row: int, raw: dict[str, str], group: _Group | None) -> None:
        """A further row of a position: its own columns empty or as in its first row; its evidence."""
        start = len(self.cells.problems)
        if group is not None:
            self._disagreements(row, raw, group)
        values = self._read(row, raw, [column for column in EVIDENCE_COLUMNS if column in raw])
        self._check_evidence(row, raw, values)
        if group is not None and len(self.cells.problems) == start:
            self._add_evidence(group, self._evidence(values), row)

    def _disagreements(self, row: int, raw: dict[str, str], group: _Group) -> None:
        """A problem for each cell of the position's own columns that says otherwise than its first row."""
        for column in _OF_THE_POSITION:
            cell = raw.get(column, "")
            if cell and cell.casefold() != group.raw[column].casefold():
                self.cells.add(
                    row,
                    column,
                    f"row {group.row} gave position {raw['id']} as {group.raw[column]!r}: a further row of a "
                    "position adds evidence; leave its other cells empty or as in its first row",
                    cell,
                )

    def _check(self, row: int, raw: dict[str, str], values: dict) -> None:
        """What no single cell shows: required cells, a stance or a range, the unit, the order of ends."""
        for column in ("holder", "issue"):
            if not raw.get(column):
                self.cells.add(row, column, f"no {column}: every position needs one")
        ranged = bool(raw.get("min") or raw.get("max"))
        if raw.get("stance") and ranged:
            self.cells.add(row, "stance", "a position has a stance or a range (min, max), not both", raw["stance"])
        elif not raw.get("stance") and not ranged:
            self.cells.add(row, "stance", "no stance and no range: give a stance or a min and/or a max")
        self._check_range(row, raw, values)
        start, end = values.get("valid_from"), values.get("valid_until")
        if isinstance(start, str) and isinstance(end, str) and start > end:
            self.cells.add(row, "valid_until", f"valid_until {end} is before valid_from {start}", end)
        self._check_evidence(row, raw, values)

    def _check_range(self, row: int, raw: dict[str, str], values: dict) -> None:
        issue = self.known.issues.get(values["issue"]) if "issue" in values else None
        low, high = values.get("min"), values.get("max")
        if low is not None and high is not None:
            if isinstance(low, date) != isinstance(high, date):
                self.cells.add(row, "max", "min and max must both be numbers or both be days", raw["max"])
            elif low > high:
                self.cells.add(row, "min", f"min {raw['min']} is greater than max {raw['max']}", raw["min"])
        if issue is not None and (low is not None or high is not None) and issue.scale != QUANTITY:
            column = "min" if low is not None else "max"
            self.cells.add(row, column, f"issue {issue.id} is binary: give a stance, not a range", raw[column])
        unit = raw.get("unit")
        if unit and issue is not None and (issue.unit or "").casefold() != unit.casefold():
            measured = f"measured in {issue.unit!r}" if issue.unit else "without a unit"
            self.cells.add(row, "unit", f"issue {issue.id} is {measured}, not {unit!r}", unit)

    def _check_evidence(self, row: int, raw: dict[str, str], values: dict) -> None:
        if not raw.get("quote"):
            self.cells.add(row, "quote", "no quote: every row is a piece of evidence, with its verbatim quote")
        if not raw.get("source") and self.source is None:
            self.cells.add(row, "source", "no source: name one here, or the source of the whole file (--source)")

    def _evidence(self, values: dict) -> Evidence:
        slug = values.get("source") or self.source
        return Evidence(
            values["quote"],
            self.known.sources[slug] if slug is not None else None,
            values.get("speaker"),
            values.get("stated_on"),
            values.get("reported_by", ()),
        )

    @staticmethod
    def _add_evidence(group: _Group, evidence: Evidence, row: int) -> None:
        if all(evidence != known for known, _ in group.evidence):  # the same evidence twice is once
            group.evidence.append((evidence, row))

    def positions(self) -> dict[str, Position]:
        return {
            position_id: Position(
                id=position_id,
                holder=group.fields["holder"],
                issue=group.fields["issue"],
                kind=group.fields.get("kind", "position"),
                stance=group.fields.get("stance"),
                minimum=group.fields.get("min"),
                maximum=group.fields.get("max"),
                salience=group.fields.get("salience", 0.5),
                red_line=group.fields.get("red_line", False),
                addressees=group.fields.get("addressee", ()),
                conditions=group.fields.get("condition", ()),
                rejects=group.fields.get("rejects", ()),
                supersedes=group.fields.get("supersedes", ()),
                valid_from=group.fields.get("valid_from"),
                valid_until=group.fields.get("valid_until"),
                evidence=tuple(evidence for evidence, _ in group.evidence),
            )
            for position_id, group in self.groups.items()
        }

    def check_references(self, positions: dict[str, Position]) -> None:
        """Every position rejected or superseded is in the file or the store."""
        named = {
            (p, column, target)
            for p in positions.values()
            for column in ("rejects", "supersedes")
            for target in getattr(p, column)
            if target not in positions
        }
        held = self.known.held({target for _, _, target in named})
        for position, column, target in sorted(named, key=lambda item: (self.groups[item[0].id].row, item[1:])):
            if target not in held:
                near = nearest(target, {other: () for other in positions})
                hint = f"; did you mean {', '.join(near)}?" if near else ""
                message = f"no position {target!r} in this file or the store{hint}"
                self.cells.add(self.groups[position.id].row, column, message, target, near)

    def compare(self, positions: dict[str, Position]) -> list[str]:
        """The positions the store holds already, the same; a problem for each held with other content."""
        advice = "give this row a new id (with supersedes {id} to revise it)"
        rows = {position_id: group.row for position_id, group in self.groups.items()}
        return unchanged_positions(self.known, positions, rows, self.cells, "id", advice)


def _made_id(holder: str, issue: str, evidence: Evidence) -> str:
    """An id for a row that gives none: its holder and issue, and a digest of its quote and source.

    A statement (who, on what, in which words, from where) names the same position on every import:
    imported again, it is found held already; changed in another column, it is refused as a change.

    Examples
    --------
    >>> from graph.analysis.model import Source
    >>> _made_id("russia", "ceasefire", Evidence("Not now.", Source("talks", "")))
    'russia-ceasefire-60b176dbfc'
    """
    said = "\x1f".join((holder, issue, evidence.quote, evidence.source.id if evidence.source else ""))
    return new_position_id(holder, issue, said.encode())


def _header(name: str, row: int, cells: list[str], source: str | None) -> dict[str, int]:
    """Each column of the layout the header names, with its index; the header's problems as its row's."""
    problems = Cells(name, {})
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        column = _normal(cell)
        if not column:
            continue
        if column not in POSITION_COLUMNS:
            near = nearest(column, {known: () for known in POSITION_COLUMNS})
            hint = (
                f"; did you mean {', '.join(near)}?"
                if near
                else f"; the layout's columns: {', '.join(POSITION_COLUMNS)}"
            )
            problems.columns[cell] = index
            problems.add(row, cell, f"unknown column {cell.strip()!r}{hint}", cell, near)
        elif column in columns:
            problems.columns[cell] = index
            problems.add(row, cell, f"column {column} appears twice (columns {columns[column] + 1} and {index + 1})")
        else:
            columns[column] = index
    required = ["holder", "issue", "quote"] + (["source"] if source is None else [])
    for column in required:
        if column not in columns:
            problems.add(row, None, f"no {column} column (the header must name {', '.join(required)})")
    if not {"stance", "min", "max"} & columns.keys():
        problems.add(row, None, "no stance column, and no min or max: a position needs a stance or a range")
    problems.check()
    return columns


def parse_positions_csv(content: bytes, name: str, known: Known, source: str | None = None) -> Table:
    """Read a ``positions`` sheet into the positions it adds, checked cell by cell against ``known``.

    Parameters
    ----------
    content : the CSV file's bytes (see :func:`graph.ingest.tables.read_sheet`).
    name : how messages name it.
    known : the actors, issues, sources and positions the rows may name.
    source : the source of rows that name none (a slug, a title...).

    Raises
    ------
    InvalidTable
        Listing every problem found, each with its row, column and value.
    DocumentSyntaxError, EmptyDocument
        For a file that is not CSV text, or holds no rows.

    Examples
    --------
    >>> from graph.ingest.load import open_store
    >>> known = Known.from_store(open_store("memory"))
    >>> sheet = b'''holder,issue,stance,quote,source
    ... Russia,ceasefire,opposes,Not now.,us-may-walk-away-2025-04-18
    ... the Kremlin,teritory,supports,All of it.,us-may-walk-away-2025-04-18'''
    >>> parse_positions_csv(sheet, "talks.csv", known)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graph.errors.InvalidTable: talks.csv: 1 problem found
      - row 3, issue (column B): unknown issue 'teritory'; did you mean territory, territory-donetsk, ...?
    >>> table = parse_positions_csv(sheet.replace(b"teritory", b"territory"), "talks.csv", known)
    >>> [(p.id, p.holder, p.issue, p.stance) for p in table.positions]
    [('russia-ceasefire-a54bd7c4df', 'russia', 'ceasefire', 'opposes'), ('russia-territory-35f3790553', 'russia', \
'territory', 'supports')]
    """
    sheet = read_sheet(content, name)
    if not sheet.rows:
        raise EmptyDocument(name, "the sheet holds no rows")
    header_row, header = sheet.rows[0]
    if source is not None:
        try:
            source = known.source_names.resolve(source)
        except Bad as bad:
            raise InvalidArgument("source", str(bad)) from None
    columns = _header(name, header_row, header, source)
    rows = _PositionRows(name, known, columns, len(header), source, sheet.delimiter == ";")
    for number, cells in sheet.rows[1:]:
        rows.add(number, cells)
    positions = rows.positions()
    if not rows.cells.problems:
        rows.check_references(positions)
    unchanged = rows.compare(positions) if not rows.cells.problems else []
    rows.cells.check()
    return Table(
        name,
        hashlib.sha256(content).hexdigest(),
        "positions",
        len(sheet.rows) - 1,
        [position for position_id, position in positions.items() if position_id not in set(unchanged)],
        unchanged,
        {position_id: [group.row, *(row for _, row in group.evidence)] for position_id, group in rows.groups.items()},
        columns,
    )


Reader = Callable[[bytes, str, Known, "str | None"], Table]

FORMATS: dict[str, Reader] = {
    "positions": parse_positions_csv,
    "ktab": scenarios.parse_ktab_csv,
    "decide": scenarios.parse_decide_csv,
}
"""The spreadsheet formats Parley reads, by the name ``--format`` takes."""


def parse_table(content: bytes, name: str, known: Known, format: str = "positions", source: str | None = None) -> Table:
    """Read a spreadsheet of ``format`` (see :data:`FORMATS`) against ``known``."""
    if format not in FORMATS:
        raise UnsupportedFormat(name, f"unknown spreadsheet format {format!r}; use one of {', '.join(FORMATS)}")
    return FORMATS[format](content, name, known, source)


def read_table(path: str | Path, known: Known, format: str = "positions", source: str | None = None) -> Table:
    """Read a spreadsheet file; see :func:`parse_table`."""
    path = Path(path)
    try:
        content = path.read_bytes()
    except OSError as error:
        raise UnreadableDocument(str(path), f"cannot read the file: {error.strerror}") from None
    return parse_table(content, str(path), known, format, source)


def import_file(
    store: Dataset,
    path: str | Path,
    format: str = "positions",
    source: str | None = None,
    progress: Progress | Callable[[str], None] | None = None,
) -> ImportReport:
    """Read a spreadsheet file against what ``store`` holds and write its new positions, all or nothing.

    The positions are written as one document, the way ``parley load`` writes a file (one
    transaction, or the bulk loader for a large one), and the derived graph is refreshed.

    Raises
    ------
    InvalidTable
        For any problem of any row (nothing is written).
    """
    told = as_progress(progress)
    told.phase(f"reading {path}")
    table = read_table(path, Known.from_store(store), format, source)
    told.phase(f"{len(table.positions):,} new position(s), {len(table.unchanged):,} held already")
    return table.write(lambda documents: load_documents(store, documents, told, deduplicate=False, operation="import"))
