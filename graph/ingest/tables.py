"""Spreadsheets as Excel and LibreOffice save them, read cell by cell, every problem named by row and column.

What every spreadsheet format of Parley shares (:mod:`graph.ingest.spreadsheets` has the formats):

- :func:`read_sheet` reads CSV text: UTF-8 with or without a byte order mark, its delimiter (comma,
  semicolon or tab) sniffed from the first row, quoted cells with embedded line breaks. Rows are
  numbered as the spreadsheet numbers them (the first is row 1), whatever line breaks their cells hold.
- :class:`Cells` collects what is wrong with the cells, each :class:`graph.errors.CellProblem` naming
  the row, the column (header and letter), the value and, for a name, the nearest known ones.
- :class:`Names` resolves what a person types for an actor, an issue or a source: its slug, its
  label or one of its aliases, compared as :func:`graph.analysis.names.words` compares names.
- :class:`Known` is what an import may refer to; :class:`Table` is an import made ready, written by
  :meth:`Table.write` as one document, all or nothing, with the shapes' findings named by row too.
- The cell syntaxes: lists separated by ``;``, a backslash before ``; | ( ) : , \\`` to mean the
  character itself (:func:`split_list`, :func:`escape`), numbers, days and booleans.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache

import pyoxigraph as ox

from graph.analysis.model import Actor, Issue, Negotiation, Position, Source, condition_key, first_day
from graph.analysis.names import nearest, words
from graph.analysis.read import (
    read_actors,
    read_all_evidence,
    read_evidence,
    read_issues,
    read_negotiation,
    read_positions,
    read_sources,
)
from graph.errors import CellProblem, DocumentSyntaxError, InvalidDocument, InvalidTable, QuoteNotFound
from graph.ingest.documents import positions_document
from graph.ingest.load import Document, LoadReport
from graph.store import Dataset
from graph.store.namespaces import PARLEY, instance, slug_of

__all__ = [
    "Sheet",
    "read_sheet",
    "column_letter",
    "Cells",
    "Bad",
    "Names",
    "Known",
    "Table",
    "ImportReport",
    "unchanged_positions",
    "slugify",
    "split_list",
    "escape",
    "unescape",
    "parse_number",
    "parse_day",
    "parse_boolean",
    "format_number",
]

MAX_PROBLEMS = 100
"""How many problems a table reports before it stops looking: enough to mend a column in one go."""


@dataclass
class Sheet:
    """The rows of a CSV file, each with its number as the spreadsheet shows it."""

    name: str
    delimiter: str
    rows: list[tuple[int, list[str]]]
    """(number, cells) for every row that holds anything; row 1 is the first of the file."""
    lines: dict[int, str] = field(default_factory=dict)
    """Each row's text as the file holds it, without its line break (when asked for: ``keep_lines``)."""


def read_sheet(content: bytes, name: str, quotechar: str = '"', keep_lines: bool = False) -> Sheet:
    """Read CSV bytes as Excel and LibreOffice save them: UTF-8 (a byte order mark is dropped), cells
    separated by commas, semicolons or tabs (whichever the first row holds most of, outside quotes).

    Rows whose cells are all empty are left out (a spreadsheet saves them after its last row), but
    count in the numbering.

    Raises
    ------
    DocumentSyntaxError
        For bytes that are not UTF-8, a NUL byte, or a quoted cell that never closes, with the line.

    Examples
    --------
    >>> saved = b'\\xef\\xbb\\xbfholder;quote\\r\\nrussia;"Not now;\\r\\nnot ever"\\r\\n;\\r\\nus;Yes\\r\\n'
    >>> sheet = read_sheet(saved, "a.csv")
    >>> sheet.delimiter, sheet.rows
    (';', [(1, ['holder', 'quote']), (2, ['russia', 'Not now;\\r\\nnot ever']), (4, ['us', 'Yes'])])
    """
    if b"\x00" in content:
        line = content.count(b"\n", 0, content.index(b"\x00")) + 1
        raise DocumentSyntaxError(name, "binary data (a NUL byte), not CSV text; save the sheet as CSV", line)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content.count(b"\n", 0, error.start) + 1
        raise DocumentSyntaxError(
            name, f"not UTF-8 text (byte 0x{content[error.start]:02x}); save the sheet as CSV UTF-8", line
        ) from None
    delimiter = _sniff(text, quotechar)
    physical = list(io.StringIO(text, newline=""))
    reader = csv.reader(iter(physical), delimiter=delimiter, quotechar=quotechar, strict=True)
    rows, lines, start = [], {}, 0
    try:
        for number, cells in enumerate(reader, 1):
            if any(cell.strip() for cell in cells):
                rows.append((number, cells))
                if keep_lines:
                    lines[number] = "".join(physical[start : reader.line_num]).rstrip("\r\n")
            start = reader.line_num
    except csv.Error as error:
        raise DocumentSyntaxError(name, f"{error} (a quoted cell that never closes?)", reader.line_num) from None
    return Sheet(name, delimiter, rows, lines)


def _sniff(text: str, quotechar: str = '"') -> str:
    """The delimiter the first row that holds anything has most of outside quotes: comma, semicolon or
    tab (comma on a tie)."""
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    for character in text.lstrip("\r\n"):
        if character == quotechar:
            quoted = not quoted
        elif not quoted and character in "\r\n":
            break
        elif not quoted and character in counts:
            counts[character] += 1
    return max(counts, key=lambda delimiter: (counts[delimiter], delimiter == ","))


def column_letter(index: int) -> str:
    """The spreadsheet's name of a column from its 0-based index.

    Examples
    --------
    >>> column_letter(0), column_letter(25), column_letter(26), column_letter(701)
    ('A', 'Z', 'AA', 'ZZ')
    """
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


class Bad(ValueError):
    """A cell's value that cannot be taken: the message says why, ``nearest`` what may have been meant."""

    def __init__(self, message: str, nearest: Iterable[str] = ()):
        super().__init__(message)
        self.nearest = tuple(nearest)


class Cells:
    """The problems of a table, collected row by row until :data:`MAX_PROBLEMS`.

    ``columns`` maps each header, as the format names it, to its 0-based index in the rows.
    """

    def __init__(self, name: str, columns: Mapping[str, int]):
        self.name = name
        self.columns = dict(columns)
        self.problems: list[CellProblem] = []

    def add(self, row: int, column: str | None, message: str, value: str | None = None, near: Iterable[str] = ()):
        """Record a problem; past :data:`MAX_PROBLEMS`, stop reading and report what was found."""
        index = self.columns.get(column) if column is not None else None
        letter = column_letter(index) if index is not None else None
        self.problems.append(CellProblem(row, column, message, value, letter, tuple(near)))
        if len(self.problems) >= MAX_PROBLEMS:
            raise InvalidTable(self.name, self.problems, more=True)

    def read(self, row: int, column: str, cell: str, parse: Callable[[str], object]):
        """``parse(cell)``, or None with a problem recorded if it raises :class:`Bad`."""
        try:
            return parse(cell)
        except Bad as bad:
            self.add(row, column, str(bad), cell, bad.nearest)
            return None

    def check(self) -> None:
        """Raise :class:`InvalidTable` if any problem was found."""
        if self.problems:
            raise InvalidTable(self.name, self.problems)


class Names:
    """What a person may type for the actors, issues or sources of one kind, resolved to their slugs.

    A name is a slug, a label or an alias; case, accents and punctuation do not count (``The
    Kremlin``, ``the kremlin`` and ``KREMLIN`` are one name). A name two of them share is refused as
    ambiguous; an unknown one is refused with the nearest known.

    Examples
    --------
    >>> actors = Names("actor", {"us": ["United States", "Washington"], "russia": ["Russia", "the Kremlin"]})
    >>> actors.resolve("us"), actors.resolve("United States"), actors.resolve("KREMLIN")
    ('us', 'us', 'russia')
    >>> actors.resolve("Rusia")
    Traceback (most recent call last):
    ...
    graph.ingest.tables.Bad: unknown actor 'Rusia'; did you mean russia?
    >>> actors.owners("kremlin")
    {'russia': 'the Kremlin'}
    """

    def __init__(self, kind: str, names: Mapping[str, Iterable[str]]):
        self.kind = kind
        self.names: dict[str, list[str]] = {}
        self._by_words: dict[tuple[str, ...], dict[str, str]] = {}
        self._resolved: dict[str, str] = {}
        for slug, others in names.items():
            self.add(slug, others)

    def __contains__(self, slug: str) -> bool:
        return slug in self.names

    def add(self, slug: str, others: Iterable[str]) -> None:
        """Know ``slug`` by its other names too (one new in the same document as what refers to it)."""
        self.names[slug] = list(others)
        for name in [*self.names[slug], slug]:  # a name as its label or alias writes it, rather than its slug
            self._by_words.setdefault(words(name), {}).setdefault(slug, name)
        self._resolved.clear()  # a name resolved before may be ambiguous now

    def owners(self, name: str) -> dict[str, str]:
        """Each slug ``name`` reads as a name of, with that name as it has it (a label before an alias, and a
        slug last)."""
        return self._by_words.get(words(name), {})

    def resolve(self, typed: str) -> str:
        """The slug ``typed`` names; :class:`Bad` if it names none, or more than one."""
        found = self._resolved.get(typed)
        if found is not None:
            return found
        if typed in self.names:
            found = typed
        else:
            slugs = self.owners(typed)
            if len(slugs) > 1:
                raise Bad(f"{self.kind} {typed!r} is ambiguous: it names {', '.join(sorted(slugs))}; give the slug")
            if not slugs:
                raise self._unknown(typed)
            (found,) = slugs
        self._resolved[typed] = found
        return found

    def require_slug(self, typed: str) -> None:
        """:class:`Bad` with the nearest names unless ``typed`` is one of the slugs (a label is not).

        Examples
        --------
        >>> Names("actor", {"russia": ["Russia"]}).require_slug("Russia")
        Traceback (most recent call last):
        ...
        graph.ingest.tables.Bad: unknown actor 'Russia'; did you mean russia?
        """
        if typed not in self.names:
            raise self._unknown(typed)

    def _unknown(self, typed: str) -> Bad:
        near = nearest(typed, self.names)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        return Bad(f"unknown {self.kind} {typed!r}{hint}", near)


@dataclass
class Known:
    """What an import may refer to: the actors, issues and sources of the store, and its positions.

    ``held`` tells which of some position ids the store holds; ``stored`` reads those positions
    with their evidence, to compare them with a table's.
    """

    actors: Mapping[str, Actor]
    issues: Mapping[str, Issue]
    sources: Mapping[str, Source]
    held: Callable[[Iterable[str]], set[str]]
    stored: Callable[[list[str]], dict[str, Position]]

    @classmethod
    def from_store(cls, store: Dataset) -> Known:
        """What ``store`` holds, read from it (the command line's way: no analysis index is built)."""
        return cls(
            read_actors(store),
            read_issues(store),
            {source.id: source for source in read_sources(store)},
            lambda ids: _held(store, ids),
            lambda ids: _stored(store, ids),
        )

    @classmethod
    def from_negotiation(cls, negotiation: Negotiation, store: Dataset) -> Known:
        """What a live analysis index holds (a service's way), with the store's sources."""
        return cls(
            negotiation.actors,
            negotiation.issues,
            {source.id: source for source in read_sources(store)},
            lambda ids: {position for position in ids if position in negotiation.positions},
            lambda ids: _stored_in(negotiation, ids),
        )

    @property
    def actor_names(self) -> Names:
        return _names(self, "actor")

    @property
    def issue_names(self) -> Names:
        return _names(self, "issue")

    @property
    def source_names(self) -> Names:
        return _names(self, "source")


def _names(known: Known, kind: str) -> Names:
    """The :class:`Names` of one kind, made once per :class:`Known` (their lookups are remembered)."""
    cache = known.__dict__.setdefault("_names", {})
    if kind not in cache:
        if kind == "actor":
            cache[kind] = Names(kind, {slug: [a.label, *a.aliases] for slug, a in known.actors.items()})
        elif kind == "issue":
            cache[kind] = Names(kind, {slug: [i.label, *i.aliases] for slug, i in known.issues.items()})
        else:
            cache[kind] = Names(kind, {slug: [s.title] for slug, s in known.sources.items()})
    return cache[kind]


_READ_ALL_FROM = 1000
"""From this many stored positions on, comparing reads every position once rather than each alone."""


_POSITION_TYPES = frozenset(
    ox.NamedNode(PARLEY + kind) for kind in ("Position", "Demand", "Offer", "Threat", "Commitment")
)
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _held(store: Dataset, ids: Iterable[str]) -> set[str]:
    """Which of ``ids`` the store holds as positions (typed parley:Position or one of its kinds)."""
    nodes = [instance("position", position) for position in ids]
    return {
        slug_of(quad.subject.value)
        for quad in store.descriptions(nodes)
        if quad.predicate == _RDF_TYPE and quad.object in _POSITION_TYPES and isinstance(quad.subject, ox.NamedNode)
    }


def _stored(store: Dataset, ids: list[str]) -> dict[str, Position]:
    """The positions ``ids`` names that the store holds, each with its evidence."""
    if len(ids) >= _READ_ALL_FROM:
        every = read_negotiation(store).positions
        evidence = read_all_evidence(store)
        return {p: replace(every[p], evidence=evidence.get(p, ())) for p in ids if p in every}
    found = read_positions(store, [instance("position", position) for position in ids])
    return {p.id: replace(p, evidence=read_evidence(store, p.id)) for p in found}


def _stored_in(negotiation: Negotiation, ids: list[str]) -> dict[str, Position]:
    """The positions ``ids`` names that a live index holds, each with its evidence."""
    return {
        position.id: replace(position, evidence=negotiation.evidence_of(position))
        for position in (negotiation.positions.get(slug) for slug in ids)
        if position is not None
    }


def essence(position: Position) -> tuple:
    """What makes two positions the same: every field and piece of evidence, in a fixed order, with
    sources by id (their titles are the source's, not the position's).

    Examples
    --------
    >>> from graph.analysis.model import Evidence
    >>> a = Position("p", "russia", "ceasefire", stance="opposes", evidence=(Evidence("No.", Source("s", "A")),))
    >>> b = Position("p", "russia", "ceasefire", stance="opposes", evidence=(Evidence("No.", Source("s", "B")),))
    >>> essence(a) == essence(b), essence(a) == essence(replace(b, salience=0.7))
    (True, False)
    """
    evidence = sorted(
        (e.quote, e.source.id if e.source else "", e.speaker or "", e.stated_on or "", tuple(sorted(e.reported_by)))
        for e in position.evidence
    )
    conditions = sorted(condition_key(condition) for condition in position.conditions)
    return (
        position.kind,
        position.holder,
        position.issue,
        position.stance,
        _comparable(position.minimum),
        _comparable(position.maximum),
        float(position.salience),
        position.red_line,
        tuple(sorted(position.addressees)),
        tuple(conditions),
        tuple(sorted(position.rejects)),
        tuple(sorted(position.supersedes)),
        position.valid_from,
        position.valid_until,
        tuple(evidence),
    )


def _comparable(value) -> object:
    return value if value is None or isinstance(value, date) else float(value)


_FIELD_NAMES = (
    "kind",
    "holder",
    "issue",
    "stance",
    "min",
    "max",
    "salience",
    "red_line",
    "addressee",
    "condition",
    "rejects",
    "supersedes",
    "valid_from",
    "valid_until",
    "evidence",
)


def differences(a: Position, b: Position) -> list[str]:
    """The columns in which two positions differ (``evidence`` for any difference in their evidence)."""
    return [name for name, x, y in zip(_FIELD_NAMES, essence(a), essence(b), strict=True) if x != y]


def unchanged_positions(
    known: Known, positions: Mapping[str, Position], rows: Mapping[str, int], cells: Cells, column: str, advice: str
) -> list[str]:
    """The positions the store holds already, the same in every field; a problem at its row for each one
    held with other content (``advice``, with ``{id}``, says what to do instead)."""
    stored = known.stored(sorted(known.held(positions)))
    unchanged = []
    for position_id, held in stored.items():
        changed = differences(held, positions[position_id])
        if not changed:
            unchanged.append(position_id)
            continue
        cells.add(
            rows[position_id],
            column,
            f"position {position_id} is held already, with another {', '.join(changed)}; an import adds "
            f"positions and never changes one: {advice.format(id=position_id)}",
            position_id,
        )
    return unchanged


def slugify(name: str) -> str:
    """A slug made of a name's words (see :func:`graph.analysis.names.words`), at most 200 characters.

    Examples
    --------
    >>> slugify("EU (incl Norway)"), slugify("Zélensky's office")
    ('eu-incl-norway', 'zelensky-office')
    """
    return "-".join(words(name))[:200].strip("-")


@dataclass
class ImportReport:
    """What an import did."""

    table: Table
    load: LoadReport | None
    """The load of the new positions; None when there were none."""

    @property
    def written(self) -> int:
        return len(self.table.positions) if self.load is not None else 0

    @property
    def quads(self) -> int:
        return self.load.quads if self.load is not None else 0

    @property
    def graphs(self) -> list[str]:
        return sorted({graph for document in self.load.loaded for graph in document.graphs}) if self.load else []


@dataclass
class Table:
    """A spreadsheet read and checked: the positions it adds, and where each came from.

    ``rows`` maps each position id to its rows: the row of the position, then the row of each piece
    of its evidence (the same row for the first, usually). Positions the store holds already, the
    same in every field, are ``unchanged`` and not written again.
    """

    name: str
    sha256: str
    format: str
    row_count: int
    positions: list[Position]
    unchanged: list[str] = field(default_factory=list)
    rows: dict[str, list[int]] = field(default_factory=dict)
    columns: dict[str, int] = field(default_factory=dict)
    """Each column's header, as the format names it, and its 0-based index, for the letters of problems."""
    described: list[str] = field(default_factory=list)
    """N-Quads lines of the actors, issues and sources the table adds (a model's file describes its own)."""

    def document(self) -> Document:
        """The new positions as one document (see :func:`graph.ingest.documents.positions_document`)."""
        return positions_document(self.positions, self.name, self.sha256, self.described)

    def write(self, load: Callable[[list[Document]], LoadReport]) -> ImportReport:
        """Write the new positions with ``load`` (a store's load, or a workspace's), all or nothing.

        A position the shapes refuse is reported at its row (:meth:`explain`), and so is a quote not
        in the text its source holds (:meth:`explain_quotes`).
        """
        if not self.positions and not self.described:
            return ImportReport(self, None)
        try:
            return ImportReport(self, load([self.document()]))
        except InvalidDocument as error:
            raise self.explain(error) from None
        except QuoteNotFound as error:
            raise self.explain_quotes(error) from None

    def explain(self, error: InvalidDocument) -> InvalidTable | InvalidDocument:
        """The shapes' findings, each at the row and column of the cell it is about (the error as it is if
        one cannot be placed)."""
        cells = Cells(self.name, self.columns)
        for violation in error.violations:
            place = self._place(violation.focus, violation.path)
            if place is None:
                return error
            row, column = place
            cells.problems.append(CellProblem(row, column, violation.message, violation.value, self._letter(column)))
        return InvalidTable(self.name, cells.problems)

    def explain_quotes(self, error: QuoteNotFound) -> InvalidTable | QuoteNotFound:
        """Each quote not found in its source's text, at the row of its evidence, with the closest passage of the
        text as the nearest (the error as it is if one cannot be placed).

        Examples
        --------
        >>> from graph.errors import QuoteMiss
        >>> table = Table("t.csv", "", "positions", 1, [], rows={"p1": [2]}, columns={"quote": 4})
        >>> miss = QuoteMiss("evidence:p1-1", "talks", "We won.", "We lost.")
        >>> print(table.explain_quotes(QuoteNotFound("t.csv", [miss])))
        t.csv: 1 problem found
          - row 2, quote (column E): “We won.” is not in the text of source talks; the closest passage is “We lost.”
        """
        cells = Cells(self.name, self.columns)
        for miss in error.misses:
            place = self._place(miss.evidence, "parley:quote")
            if place is None:
                return error
            row, column = place
            nearest = (miss.closest,) if miss.closest else ()
            problem = CellProblem(row, column, miss.said, miss.quote, self._letter(column), nearest)
            if problem not in cells.problems:  # a row's quote is one problem, however many times it was checked
                cells.problems.append(problem)
        return InvalidTable(self.name, cells.problems)

    def _letter(self, column: str | None) -> str | None:
        index = self.columns.get(column) if column else None
        return column_letter(index) if index is not None else None

    def _place(self, focus: str, path: str | None) -> tuple[int, str | None] | None:
        kind, _, slug = focus.partition(":")
        if kind == "position" and slug in self.rows:
            return self.rows[slug][0], _COLUMNS_OF.get(path or "")
        base, _, number = slug.rpartition("-")
        if kind in ("evidence", "condition") and base in self.rows and number.isdigit():
            rows = self.rows[base]
            if kind == "condition":
                return rows[0], "condition"
            index = int(number)
            return (rows[index] if index < len(rows) else rows[0]), _COLUMNS_OF.get(path or "", "quote")
        return None


_COLUMNS_OF = {
    "parley:holder": "holder",
    "parley:issue": "issue",
    "parley:stance": "stance",
    "parley:minValue": "min",
    "parley:maxValue": "max",
    "parley:salience": "salience",
    "parley:redLine": "red_line",
    "parley:addressee": "addressee",
    "parley:condition": "condition",
    "parley:rejects": "rejects",
    "parley:supersedes": "supersedes",
    "parley:validFrom": "valid_from",
    "parley:validUntil": "valid_until",
    "prov:wasDerivedFrom": "quote",
    "parley:quote": "quote",
    "parley:source": "source",
    "parley:speaker": "speaker",
    "parley:statedOn": "stated_on",
    "parley:reportedBy": "reported_by",
}
"""The column of the layout that gives each property of a position, its evidence or its conditions."""


# --- Cell syntaxes ---------------------------------------------------------------------------------------

_ESCAPABLE = "\\;|():,"
_ESCAPED = re.compile(r"\\([\\;|():,])")
_HIDDEN = re.compile("[\U000f0000-\U000f007f]")


def hide(text: str) -> str:
    """``text`` with each escaped character (``\\;``) replaced by a private character no syntax splits on."""
    return _ESCAPED.sub(lambda found: chr(0xF0000 + ord(found.group(1))), text) if "\\" in text else text


def unescape(text: str) -> str:
    """What :func:`hide` hid, back as the characters meant.

    Examples
    --------
    >>> unescape(hide("a\\\\; b"))
    'a; b'
    """
    return _HIDDEN.sub(lambda found: chr(ord(found.group(0)) - 0xF0000), text)


def escape(text: str) -> str:
    """``text`` with a backslash before each character a cell's syntax would read.

    Examples
    --------
    >>> escape("three sources; to Reuters")
    'three sources\\\\; to Reuters'
    """
    if not any(character in text for character in _ESCAPABLE):
        return text
    return "".join("\\" + character if character in _ESCAPABLE else character for character in text)


def split_list(cell: str) -> list[str]:
    """The items of a list cell: separated by semicolons, each stripped, empty ones dropped.

    Examples
    --------
    >>> split_list("russia; ukraine;"), split_list("three sources\\\\; to Reuters")
    (['russia', 'ukraine'], ['three sources; to Reuters'])
    """
    return [unescape(item.strip()) for item in hide(cell).split(";") if item.strip()]


_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def parse_number(cell: str, decimal_comma: bool = False) -> float | int:
    """A number as a spreadsheet writes it: an integer stays one; a decimal comma is read only where the
    cells are separated by semicolons (``decimal_comma``), as a spreadsheet in such a locale saves them.

    Examples
    --------
    >>> parse_number("250000"), parse_number("0.7"), parse_number("0,7", decimal_comma=True)
    (250000, 0.7, 0.7)
    >>> parse_number("250,000")
    Traceback (most recent call last):
    ...
    graph.ingest.tables.Bad: '250,000' is not a number: write it without thousands separators, with a decimal point
    """
    text = cell.strip().replace("\u2212", "-")
    if not _NUMBER.fullmatch(text) or ("," in text and not decimal_comma):
        advice = "a decimal comma or point" if decimal_comma else "a decimal point"
        raise Bad(f"{cell!r} is not a number: write it without thousands separators, with {advice}")
    text = text.replace(",", ".")
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    return float(text)


_DAY = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[ T]00:00(?::00)?)?")


@lru_cache(maxsize=65536)
def parse_day(cell: str) -> str:
    """A day, a month or a year as Parley keeps it (``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``); a day saved
    with a midnight time (``2025-04-18 00:00:00``) is that day.

    Examples
    --------
    >>> parse_day("2025-04-18"), parse_day("2025-04"), parse_day("2025-04-18 00:00:00")
    ('2025-04-18', '2025-04', '2025-04-18')
    >>> parse_day("18/04/2025")
    Traceback (most recent call last):
    ...
    graph.ingest.tables.Bad: '18/04/2025' is not a date: write YYYY-MM-DD (or YYYY-MM, YYYY), e.g. 2025-04-18
    """
    found = _DAY.fullmatch(cell.strip())
    if not found:
        raise Bad(f"{cell!r} is not a date: write YYYY-MM-DD (or YYYY-MM, YYYY), e.g. 2025-04-18")
    text = "-".join(part for part in found.groups() if part)
    try:
        first_day(text)
        if found.group(2):
            date(int(found.group(1)), int(found.group(2)), int(found.group(3) or 1))
    except ValueError:
        raise Bad(f"{cell!r} is not a real date") from None
    return text


_BOOLEANS = {"true": True, "yes": True, "1": True, "x": True, "false": False, "no": False, "0": False}


def parse_boolean(cell: str) -> bool:
    """``true``, ``yes``, ``1`` or ``x``; ``false``, ``no`` or ``0`` (any case, as spreadsheets save them).

    Examples
    --------
    >>> parse_boolean("TRUE"), parse_boolean("no")
    (True, False)
    """
    value = _BOOLEANS.get(cell.strip().casefold())
    if value is None:
        raise Bad(f"{cell!r} is not true or false (write true, false, yes, no, 1 or 0)")
    return value


def format_number(value) -> str:
    """A number as a cell shows it, without a trailing ``.0``; a date as YYYY-MM-DD.

    Examples
    --------
    >>> format_number(250000.0), format_number(0.7), format_number(date(2025, 5, 1))
    ('250000', '0.7', '2025-05-01')
    """
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)
