"""Benchmark of loading (issue 3): `python benchmarks/bench_load.py [--size 100k]`.

Loads a generated graph into a fresh store the way `parley load` does (parse, validate, one
transactional write, refresh of the derived graph), and bulk-loads the same file into another
fresh store with pyoxigraph's own `bulk_load` (no validation, no transaction). Both stores start
with the seed graph. Reports each phase and the throughput ratio, measured in the same run; and what
`bulk_load` takes to write the derived graph the load made, which bounds the ratio any load that keeps
the derived graph current can reach.

With ``--texts``, every source of the generated graph holds its text: the load checks each quote
against it and writes where it stands (``checking`` is that phase; the selectors it adds are written
and counted with the rest).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import time

import pyoxigraph as ox
from common import OUT, generated, machine

from api.progress import Lines
from graph.ingest.load import load_files, open_store
from graph.store.namespaces import DERIVED_GRAPH


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="100k", choices=["10k", "100k", "1m"])
    parser.add_argument("--texts", action="store_true", help="every source holds its text: each quote is checked")
    arguments = parser.parse_args()
    size = arguments.size
    path = generated(size, arguments.texts)
    work = OUT / "load-bench"
    shutil.rmtree(work, ignore_errors=True)

    store = open_store(work / "parley")
    phases: list[tuple[str, float]] = []
    highs: list[float] = []  # the memory high-water mark (GB) as each phase begins: what the phase before reached

    class Timed(Lines):
        """The lines `parley load` writes to a log, each phase's start kept for the figures."""

        def phase(self, name: str, total: int | None = None, unit: str = "") -> None:
            phases.append((name.split(" ")[0], time.perf_counter()))
            highs.append(_high_water_gb())
            super().phase(name, total, unit)

    started = time.perf_counter()
    load_files(store, [path], progress=Timed(sys.stderr))
    parley_seconds = time.perf_counter() - started
    peak_gb = _high_water_gb()  # before the dump below, and the bulk loads after
    stands = store._oxigraph.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=DERIVED_GRAPH)
    store.close()
    # The data and its log record are committed when the load turns to the index (then the derived graph).
    committed_seconds = next(at for name, at in phases if name == "reading") - started
    marks = [("start", started), *phases, ("end", started + parley_seconds)]
    split = {name: round(following - at, 2) for (name, at), (_, following) in zip(marks[1:], marks[2:], strict=False)}
    # A phase's high-water mark is the one its successor began with; a phase that raised none shows the same figure.
    reached = {name: round(high, 2) for (name, _), high in zip(phases, [*highs[1:], peak_gb], strict=True)}

    bulk = open_store(work / "bulk")
    started = time.perf_counter()
    bulk._oxigraph.bulk_load(path=str(path))
    bulk_seconds = time.perf_counter() - started
    # What the bulk loader alone takes to write the derived graph the load made, after the data:
    # with it, no load that keeps the derived graph current can beat bulk_seconds / (both).
    started = time.perf_counter()
    bulk._oxigraph.bulk_load(stands, ox.RdfFormat.N_TRIPLES, to_graph=DERIVED_GRAPH)
    bulk_stands_seconds = time.perf_counter() - started
    bulk.close()
    shutil.rmtree(work, ignore_errors=True)

    print(f"machine: {machine()}")
    print(
        json.dumps(
            {
                "size": size,
                "texts": arguments.texts,
                "file_mb": round(path.stat().st_size / 2**20),
                "parley_load_s": round(parley_seconds, 1),
                "phases_s": split,
                "bulk_load_s": round(bulk_seconds, 1),
                "data_committed_s": round(committed_seconds, 1),
                "data_committed_ratio": round(bulk_seconds / committed_seconds, 3),
                "throughput_ratio": round(bulk_seconds / parley_seconds, 3),
                "peak_gb": round(peak_gb, 2),
                "peak_gb_by_the_end_of": reached,
                "bulk_load_of_the_derived_graph_s": round(bulk_stands_seconds, 1),
                "derived_graph_triples": stands.count(b"\n"),
                "best_possible_ratio_with_the_derived_graph": round(
                    bulk_seconds / (bulk_seconds + bulk_stands_seconds), 3
                ),
            }
        )
    )


def _high_water_gb() -> float:
    """The most memory this process has held so far, in GB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


if __name__ == "__main__":
    main()
