"""Positions as a spreadsheet, in the ``positions`` layout that ``parley import`` reads back.

One row per piece of evidence: a position with two quotes takes two rows with the same id, each
repeating the position's own cells (so that a sheet sorted or filtered in a spreadsheet keeps
them). The file is CSV as Excel saves "CSV UTF-8": a byte order mark (without it Excel reads the
text in the machine's legacy code page), commas, CRLF line ends, cells quoted where they need it.
Imported into a store with the same actors, issues and sources, it gives the same positions.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from graph.analysis.model import Evidence, Negotiation, Position
from graph.errors import InvalidArgument
from graph.export import scenarios
from graph.ingest.spreadsheets import POSITION_COLUMNS, format_conditions
from graph.ingest.tables import escape, format_number

__all__ = [
    "generate_positions_csv",
    "write_positions_csv",
    "generate_csv",
    "write_csv",
    "CSV_FORMATS",
    "BYTE_ORDER_MARK",
]

BYTE_ORDER_MARK = "\ufeff"


def _line(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(cells)
    return buffer.getvalue()


def _own_cells(position: Position, negotiation: Negotiation) -> list[str]:
    """The cells of the position's own columns, from ``id`` to ``valid_until``."""
    issue = negotiation.issues.get(position.issue)
    unit = issue.unit if issue is not None and position.is_range and issue.unit else ""
    return [
        position.id,
        position.kind,
        position.holder,
        position.issue,
        position.stance or "",
        format_number(position.minimum) if position.minimum is not None else "",
        format_number(position.maximum) if position.maximum is not None else "",
        unit,
        format_number(position.salience),
        "true" if position.red_line else "",
        format_conditions(position.conditions),
        "; ".join(position.addressees),
        "; ".join(position.rejects),
        "; ".join(position.supersedes),
        position.valid_from or "",
        position.valid_until or "",
    ]


def _evidence_cells(evidence: Evidence) -> list[str]:
    return [
        evidence.quote,
        evidence.source.id if evidence.source is not None else "",
        evidence.speaker or "",
        evidence.stated_on or "",
        "; ".join(escape(reporter) for reporter in evidence.reported_by),
    ]


def generate_positions_csv(
    negotiation: Negotiation, evidence: Mapping[str, tuple[Evidence, ...]] | None = None
) -> Iterator[str]:
    """The lines of the spreadsheet: the header, then a row per piece of evidence, positions by id.

    Parameters
    ----------
    negotiation : the positions, with their actors and issues.
    evidence : each position's evidence by id (:func:`graph.analysis.read.read_all_evidence`, read in
        one go); by default asked of ``negotiation`` position by position.

    Examples
    --------
    >>> from graph.analysis.model import Issue, Source
    >>> said = (Evidence("No, not now.", Source("talks", "")), Evidence("Never.", Source("talks", ""), "putin"))
    >>> negotiation = Negotiation(issues={"ceasefire": Issue("ceasefire", "Ceasefire")},
    ...     positions={"p1": Position("p1", "russia", "ceasefire", stance="opposes", evidence=said)})
    >>> print("".join(generate_positions_csv(negotiation)).lstrip(BYTE_ORDER_MARK).replace("\\r\\n", "\\n"), end="")
    id,kind,holder,issue,stance,min,max,unit,salience,red_line,condition,addressee,rejects,supersedes,\
valid_from,valid_until,quote,source,speaker,stated_on,reported_by
    p1,position,russia,ceasefire,opposes,,,,0.5,,,,,,,,"No, not now.",talks,,,
    p1,position,russia,ceasefire,opposes,,,,0.5,,,,,,,,Never.,talks,putin,,
    """
    yield BYTE_ORDER_MARK + _line(list(POSITION_COLUMNS))
    for position_id in sorted(negotiation.positions):
        position = negotiation.positions[position_id]
        own = _own_cells(position, negotiation)
        pieces = evidence.get(position_id, ()) if evidence is not None else negotiation.evidence_of(position)
        for piece in pieces or (Evidence(""),):
            yield _line(own + _evidence_cells(piece))


def write_positions_csv(
    negotiation: Negotiation, path: str | Path | BinaryIO, evidence: Mapping[str, tuple[Evidence, ...]] | None = None
) -> None:
    """Write :func:`generate_positions_csv` to a path or an open binary file, in UTF-8."""
    if isinstance(path, str | Path):
        with open(path, "wb") as file:
            write_positions_csv(negotiation, file, evidence)
        return
    for line in generate_positions_csv(negotiation, evidence):
        path.write(line.encode("utf-8"))


CSV_FORMATS = ("positions", "ktab", "decide")
"""The spreadsheet formats Parley writes, as ``parley import`` reads them."""


def generate_csv(
    negotiation: Negotiation,
    evidence: Mapping[str, tuple[Evidence, ...]],
    format: str = "positions",
    source: str | None = None,
) -> Iterator[str]:
    """The lines of a spreadsheet of ``format``: every position (``positions``), or the scenario of the
    positions citing ``source`` (``ktab``, ``decide``: see :mod:`graph.export.scenarios`).

    Raises
    ------
    InvalidArgument
        For an unknown format, a scenario without a source, or a source no such position cites.
    """
    if format == "positions":
        return generate_positions_csv(negotiation, evidence)
    if format not in CSV_FORMATS:
        raise InvalidArgument("format", f"unknown spreadsheet format {format!r}; use one of {', '.join(CSV_FORMATS)}")
    if source is None:
        raise InvalidArgument("source", f"a {format} file is one scenario: name the source whose positions make it")
    scenario = scenarios.scenario_of(negotiation, source, evidence)
    return scenarios.generate_ktab_csv(scenario) if format == "ktab" else scenarios.generate_decide_csv(scenario)


def write_csv(
    negotiation: Negotiation,
    path: str | Path,
    evidence: Mapping[str, tuple[Evidence, ...]],
    format: str = "positions",
    source: str | None = None,
) -> None:
    """Write :func:`generate_csv` to a file, in UTF-8 (nothing is written if the scenario cannot be made)."""
    lines = list(generate_csv(negotiation, evidence, format, source))
    with open(path, "w", encoding="utf-8", newline="") as file:
        file.writelines(lines)
