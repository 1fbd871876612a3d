"""The spreadsheet export: CSV as Excel saves it, and read back by the import as the same positions."""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from graph.analysis.model import AnyOf, Condition, Evidence, Issue, Negotiation, Position, Source
from graph.analysis.read import read_all_evidence, read_negotiation
from graph.export.spreadsheets import BYTE_ORDER_MARK, generate_positions_csv, write_positions_csv
from graph.ingest.load import load_documents, open_store, parse_document
from graph.ingest.spreadsheets import POSITION_COLUMNS, import_file
from graph.ingest.tables import essence, read_sheet
from graph.store import Store
from graph.store.namespaces import ONTOLOGY_GRAPH, REFERENCE_GRAPH
from tests.conftest import snapshot
from tests.ingest.documents import CONTEXT, EITHER_OR, document

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import generate  # noqa: E402


def exported(store) -> bytes:
    buffer = io.BytesIO()
    write_positions_csv(read_negotiation(store), buffer, read_all_evidence(store))
    return buffer.getvalue()


def store_with_the_names_of(store) -> Store:
    """A fresh store holding what ``store`` holds of the vocabulary, actors, issues and sources, and no position."""
    graphs = (f"<{ONTOLOGY_GRAPH.value}> .".encode(), f"<{REFERENCE_GRAPH.value}> .".encode())
    fresh = Store("memory")
    fresh.write(b"\n".join(line for line in store.dump().splitlines() if line.endswith(graphs)))
    return fresh


def positions_of(store) -> dict[str, tuple]:
    """Every position of the store with its evidence, as :func:`essence` compares them."""
    evidence = read_all_evidence(store)
    return {
        position_id: essence(replace(position, evidence=evidence.get(position_id, ())))
        for position_id, position in read_negotiation(store).positions.items()
    }


def round_trip(store, tmp_path) -> Store:
    """``store``'s positions exported, and imported into a store with the same names only."""
    path = tmp_path / "positions.csv"
    path.write_bytes(exported(store))
    copy = store_with_the_names_of(store)
    assert read_negotiation(copy).positions == {}
    report = import_file(copy, path)
    assert report.written == len(read_negotiation(store).positions)
    return copy


def test_the_export_is_csv_as_excel_saves_it_with_the_layouts_header():
    said = (Evidence("Never; not now.", Source("talks", "")),)
    negotiation = Negotiation(
        issues={"army": Issue("army", "Army", scale="quantity", unit="troops")},
        positions={
            "p1": Position(
                "p1",
                "ukraine",
                "army",
                minimum=800000.0,
                red_line=True,
                conditions=(Condition("ceasefire", "supports", ("russia",), "first (and only)"),),
                evidence=said,
            )
        },
    )
    text = "".join(generate_positions_csv(negotiation))
    assert text.startswith(BYTE_ORDER_MARK + "id,kind,holder,issue,") and text.endswith("\r\n")
    sheet = read_sheet(text.encode("utf-8"), "x.csv")
    assert sheet.rows[0][1] == list(POSITION_COLUMNS)
    row = dict(zip(POSITION_COLUMNS, sheet.rows[1][1], strict=True))
    assert (row["min"], row["max"], row["unit"], row["red_line"], row["salience"]) == (
        "800000",
        "",
        "troops",
        "true",
        "0.5",
    )
    assert row["condition"] == r"russia: ceasefire supports (first \(and only\))"
    assert row["quote"] == "Never; not now."


def test_the_seed_graph_exported_and_imported_into_a_store_with_its_names_gives_the_same_positions(tmp_path):
    with open_store("memory") as seeded:
        copy = round_trip(seeded, tmp_path)
        assert positions_of(copy) == positions_of(seeded)
        # The index's own view, dates first stated and all, is the same too.
        assert read_negotiation(copy).positions == read_negotiation(seeded).positions


def test_an_either_or_condition_is_exported_and_imported_as_it_was(tmp_path):
    either_or = document(CONTEXT + EITHER_OR, parley__condition="condition:either")
    with open_store("memory") as store:
        load_documents(store, [parse_document(either_or.encode(), "either.ttl")])
        (conditions,) = [p.conditions for p in read_negotiation(store).positions.values() if p.id == "p1"]
        assert isinstance(conditions[0], AnyOf) and conditions[0].note == "either will do"
        copy = round_trip(store, tmp_path)
        assert positions_of(copy) == positions_of(store)


def test_a_generated_graph_exported_and_imported_gives_the_same_positions(tmp_path):
    out = io.StringIO()
    generate.generate(out, positions=400, actors=20, issues=60, probe_positions=10)
    with open_store("memory") as store:
        load_documents(store, [parse_document(out.getvalue().encode(), "generated.nq")])
        copy = round_trip(store, tmp_path)
        original = positions_of(store)
        assert len(original) == 426  # the seed's 26 too
        positions = read_negotiation(store).positions.values()
        assert sum(1 for p in positions if p.conditions) > 10 and sum(1 for p in positions if p.is_range) > 10
        assert sum(1 for p in positions if p.rejects or p.supersedes) > 10
        assert positions_of(copy) == original


def test_the_export_imported_into_the_store_it_came_from_changes_nothing(tmp_path):
    with open_store("memory") as seeded:
        path = tmp_path / "positions.csv"
        path.write_bytes(exported(seeded))
        before = snapshot(seeded)
        report = import_file(seeded, path)
        assert (report.written, len(report.table.unchanged)) == (0, 26)
        assert snapshot(seeded) == before


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_a_sheet_resaved_with_semicolons_and_a_bom_imports_the_same(tmp_path, delimiter):
    with open_store("memory") as seeded:
        text = exported(seeded).decode("utf-8")
        if delimiter == ";":
            rows = read_sheet(text.encode(), "x").rows
            buffer = io.StringIO()
            csv.writer(buffer, delimiter=";").writerows(cells for _, cells in rows)
            text = BYTE_ORDER_MARK + buffer.getvalue()
        path = tmp_path / "positions.csv"
        path.write_bytes(text.encode("utf-8"))
        copy = store_with_the_names_of(seeded)
        import_file(copy, path)
        assert positions_of(copy) == positions_of(seeded)
