"""Shared set-up for the benchmarks: generated graphs and stores built from them, cached in benchmarks/out/."""

from __future__ import annotations

import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
OUT = ROOT / "out"
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT))

import generate  # noqa: E402

from graph.ingest.load import open_store  # noqa: E402

SIZES = {
    "10k": dict(positions=10_000, actors=100, issues=1_000),
    "100k": dict(positions=100_000, actors=1_000, issues=2_000),
    "1m": dict(positions=1_000_000, actors=10_000, issues=20_000),
}
"""Positions per actor stay at 100 as the graph grows; the probe actors hold 50 positions each."""


def generated(size: str, texts: bool = False) -> Path:
    """The N-Quads file of a generated graph, made on first use (seeded: the same bytes every time); with
    ``texts``, every source holds its text, so that each quote is checked against it."""
    path = OUT / f"{size}{'-texts' if texts else ''}.nq"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        making = path.with_suffix(".partial")  # a run stopped while it writes leaves no file that looks whole
        with making.open("w", encoding="utf-8", buffering=1 << 20) as out:
            generate.generate(out, **SIZES[size], texts=texts)
        making.replace(path)
    return path


def built_store(size: str) -> Path:
    """A store directory holding the seed graph and the generated graph, bulk-loaded once (set-up, not measured)."""
    path = OUT / "stores" / size
    done = path / "parley-bench-complete"
    if not done.exists():
        import shutil

        shutil.rmtree(path, ignore_errors=True)
        store = open_store(path / "store")
        store._oxigraph.bulk_load(path=str(generated(size)))
        # The supertypes a load through Parley writes beside the types (an evidence's prov:Entity...), as it would.
        store.add_supertypes()
        # Compact now, so that later opens measure a store at rest, not RocksDB's compaction of it.
        store._oxigraph.optimize()
        store.close()
        done.touch()
    return path / "store"


def timed(function, *arguments, repeat: int = 1):
    """(median seconds, last result) over ``repeat`` calls."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function(*arguments)
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
