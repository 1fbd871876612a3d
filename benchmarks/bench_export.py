"""Benchmark of the Gephi export (issue 5): `python benchmarks/bench_export.py [--size 100k] [--view full]`.

Writes the GEXF of a generated graph with `graph.export.gephi.write_gexf`, then networkx's `write_gexf` of the
same nodes and edges (the graph `graph.export.gephi.to_networkx` builds, not timed), in the same run; and, in a
second, untimed export, the Python memory it allocates at its peak (tracemalloc).
"""

from __future__ import annotations

import argparse
import json
import time
import tracemalloc
from datetime import date

import networkx as nx
from common import OUT, built_store, machine, peak_rss_mb

from graph.analysis.read import read_negotiation
from graph.export.gephi import to_networkx, write_gexf
from graph.store import Store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="100k", choices=["10k", "100k", "1m"])
    parser.add_argument("--view", default="full", choices=["actors", "full"])
    arguments = parser.parse_args()
    store = Store(built_store(arguments.size))
    started = time.perf_counter()
    negotiation = read_negotiation(store)
    read_seconds = time.perf_counter() - started
    as_of = date.today()
    target = OUT / f"export-{arguments.size}-{arguments.view}.gexf"
    print(f"machine: {machine()}; index read in {read_seconds:.1f} s", flush=True)

    rss_before = peak_rss_mb()
    started = time.perf_counter()
    write_gexf(negotiation, target, view=arguments.view, as_of=as_of)
    parley_seconds = time.perf_counter() - started
    parley_bytes = target.stat().st_size
    rss_after = peak_rss_mb()
    print(
        f"parley write_gexf: {parley_seconds:.2f} s, {parley_bytes / 2**20:.1f} MB; "
        f"peak RSS {rss_before:.0f} MB before, {rss_after:.0f} MB after",
        flush=True,
    )
    # Memory in a second run: tracing every allocation slows Python down, so it is not timed.
    negotiation.memo.clear()
    tracemalloc.start()
    write_gexf(negotiation, target, view=arguments.view, as_of=as_of)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"parley export, Python peak: {traced_peak / 2**20:.0f} MB", flush=True)

    started = time.perf_counter()
    graph = to_networkx(negotiation, arguments.view, as_of)
    print(f"networkx graph built (not timed) in {time.perf_counter() - started:.1f} s", flush=True)
    started = time.perf_counter()
    nx.write_gexf(graph, OUT / f"export-{arguments.size}-{arguments.view}-networkx.gexf", version="1.2draft")
    networkx_seconds = time.perf_counter() - started
    print(f"networkx write_gexf: {networkx_seconds:.2f} s", flush=True)

    print(
        json.dumps(
            {
                "size": arguments.size,
                "view": arguments.view,
                "nodes": graph.number_of_nodes(),
                "edges": graph.number_of_edges(),
                "read_index_s": round(read_seconds, 1),
                "parley_write_gexf_s": round(parley_seconds, 2),
                "networkx_write_gexf_s": round(networkx_seconds, 2),
                "ratio": round(parley_seconds / networkx_seconds, 2),
                "gexf_mb": round(parley_bytes / 2**20, 1),
                "export_python_peak_mb": round(traced_peak / 2**20),
                "peak_rss_mb_before_export": round(rss_before),
                "peak_rss_mb_after_export": round(rss_after),
                "peak_rss_growth_mb": round(rss_after - rss_before),
            }
        )
    )


if __name__ == "__main__":
    main()
