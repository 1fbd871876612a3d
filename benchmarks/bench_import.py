"""Benchmark of spreadsheet imports (issue 15): `python benchmarks/bench_import.py [--size 100k]`.

Imports the positions of a generated graph as a `positions` CSV (`parley import`) and loads the same
positions as N-Quads (`parley load`), each into a fresh store holding the seed graph and the
generated graph's actors, issues and sources; both in the same run, so the ratio compares like with
like on a machine whose speed varies. Then imports the CSV again with one bad cell near its end, to
time a refusal and show that it still names the row.

Set-up, not measured: the generated file is split into its names (actors, issues, sources) and its
positions; the positions are bulk-loaded into a scratch store and exported as CSV from there
(`parley export csv`), so the CSV holds the same positions as the N-Quads.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

from common import OUT, generated, machine

from graph.analysis.read import read_all_evidence, read_negotiation
from graph.errors import InvalidTable
from graph.export.spreadsheets import write_positions_csv
from graph.ingest.load import load_files, open_store
from graph.ingest.spreadsheets import import_file

_POSITION_PARTS = (
    "<https://w3id.org/parley/id/position/",
    "<https://w3id.org/parley/id/evidence/",
    "<https://w3id.org/parley/id/condition/",
)


def split(path: Path, work: Path) -> tuple[Path, Path]:
    """The generated file's names (actors, issues, sources) and its positions, as two N-Quads files."""
    names, positions = work / "names.nq", work / "positions.nq"
    with path.open(encoding="utf-8") as lines, names.open("w") as to_names, positions.open("w") as to_positions:
        for line in lines:
            (to_positions if line.startswith(_POSITION_PARTS) else to_names).write(line)
    return names, positions


def store_with_names(location: Path, names: Path):
    store = open_store(location)
    load_files(store, [names])
    return store


def export_csv(names: Path, positions: Path, csv: Path) -> int:
    """Bulk-load names and positions into a scratch store and export its positions; the rows written."""
    scratch = open_store("memory")
    scratch._oxigraph.bulk_load(path=str(names))
    scratch._oxigraph.bulk_load(path=str(positions))
    negotiation = read_negotiation(scratch)
    write_positions_csv(negotiation, csv, read_all_evidence(scratch))
    return len(negotiation.positions)


def spoil(csv: Path, row: int, spoilt: Path) -> str:
    """A copy of the CSV whose ``row`` names an issue no store holds (row 1 is the header)."""
    lines = csv.read_bytes().split(b"\r\n")
    cells = lines[row - 1].split(b",")
    cells[3] = b"issue-that-is-not"
    lines[row - 1] = b",".join(cells)
    spoilt.write_bytes(b"\r\n".join(lines))
    return "issue-that-is-not"


def timed(phases: list, say_prefix: str):
    started = time.perf_counter()
    return started, lambda message: phases.append((say_prefix + message.split(" ")[0], time.perf_counter() - started))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="100k", choices=["10k", "100k", "1m"])
    size = parser.parse_args().size
    work = OUT / "import-bench"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    names, positions = split(generated(size), work)
    csv = work / "positions.csv"
    count = export_csv(names, positions, csv)
    rows = csv.read_bytes().count(b"\r\n") - 1
    csv_mb = round(csv.stat().st_size / 2**20, 1)

    load_store = store_with_names(work / "load", names)
    phases: list = []
    started, say = timed(phases, "")
    report = load_files(load_store, [positions], progress=say)
    load_seconds = time.perf_counter() - started
    load_quads = report.quads
    load_store.close()
    load_phases = phases

    import_store = store_with_names(work / "import", names)
    phases = []
    started, say = timed(phases, "")
    imported = import_file(import_store, csv, progress=say)
    import_seconds = time.perf_counter() - started
    import_phases = phases

    bad_row = rows - 10
    spoil(csv, bad_row, work / "spoilt.csv")
    started = time.perf_counter()
    try:
        import_file(import_store, work / "spoilt.csv")
        refusal = "not refused"
    except InvalidTable as error:
        refusal = str(error.problems[0])
    refusal_seconds = time.perf_counter() - started
    import_store.close()
    shutil.rmtree(work, ignore_errors=True)

    print(f"machine: {machine()}")
    print(
        json.dumps(
            {
                "size": size,
                "positions": count,
                "csv_rows": rows,
                "csv_mb": csv_mb,
                "parley_load_s": round(load_seconds, 1),
                "parley_load_quads": load_quads,
                "parley_load_phases_s": {name: round(at, 1) for name, at in load_phases},
                "parley_import_s": round(import_seconds, 1),
                "parley_import_quads": imported.quads,
                "parley_import_phases_s": {name: round(at, 1) for name, at in import_phases},
                "import_speed_over_load_speed": round(load_seconds / import_seconds, 3),
                "refusal_of_a_bad_row_s": round(refusal_seconds, 1),
                "refusal": refusal,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
