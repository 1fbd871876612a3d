"""The server's side of the workbench's Network view (issue 16): the actors view's picture, in process.

    python benchmarks/bench_network.py [--size 100k] [--repeat 3] [--slow]

On the generated graph's store (``common.built_store``, opened read-only), each from an empty memo (the
state just after a write; the index itself is kept, as a write keeps it), median of ``--repeat``:

- the page's picture: ``generate_gexf(view="actors", strongest=2000, edge_issues=False)``, what the server
  works out after the start and after each write (api/prefetch.py), and its parts: the stands of every
  party on every issue, the count of every pair (``rules._pairwise``) and the cut (``rules.heaviest_edges``);
- the same with each edge's issues (``edge_issues=True``: the kept pairs worked out in full), and with 5,000 edges;
- with ``--slow``, what the export did before: every pair's relations in full (``rules.all_relations``), a
  sample of pairs timed and the rest extrapolated, and the count of every pair the matrix makes.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time
from datetime import date

from common import built_store, machine

from graph.analysis import rules
from graph.analysis.read import read_negotiation
from graph.export import gephi
from graph.store import Store


def timed(negotiation, work, repeat: int) -> tuple[float, object]:
    """Median seconds of ``work()`` from an empty memo, and its last result."""
    times, result = [], None
    for _ in range(repeat):
        negotiation.memo.clear()
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def picture(negotiation, strongest: int, edge_issues: bool) -> str:
    return "".join(gephi.generate_gexf(negotiation, view="actors", strongest=strongest, edge_issues=edge_issues))


def slow_path(negotiation, groups: list[str], day: date, sample: int = 20_000) -> dict:
    """The old export's work: the issues where each pair meets, then every such pair in full (a sample of
    ``sample`` pairs timed, the rest extrapolated)."""
    negotiation.memo.clear()
    started = time.perf_counter()
    meetings = len(rules._meetings_on_issues(negotiation, groups, day))
    meeting_s = time.perf_counter() - started
    negotiation.memo.clear()
    started = time.perf_counter()
    found = list(itertools.islice(rules.all_relations(negotiation, groups, day), sample))
    per_pair = (time.perf_counter() - started - meeting_s) / len(found)
    return {
        "pairs_meeting": meetings,
        "meetings_s": meeting_s,
        "per_pair_ms": per_pair * 1000,
        "whole_s": meeting_s + per_pair * meetings,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100k")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--slow", action="store_true")
    arguments = parser.parse_args()
    print(f"machine: {machine()}", flush=True)
    store = Store.open_snapshot(built_store(arguments.size))  # read-only: the cached store is never written
    negotiation = read_negotiation(store)
    groups, day, repeat = rules.top_groups(negotiation), date.today(), arguments.repeat
    print(f"{arguments.size}: {len(negotiation.positions):,} positions, {len(groups):,} parties", flush=True)
    rows = [
        ("stands of every party (rules._participants)", lambda: rules._participants(negotiation, groups, day)),
        ("count of every pair (rules._pairwise)", lambda: rules._pairwise(negotiation, groups, day)),
        ("the 2,000 heaviest edges (rules.heaviest_edges)", lambda: rules.heaviest_edges(negotiation, groups, 2000)),
        ("the page's picture: GEXF, 2,000 edges, no issue lists", lambda: picture(negotiation, 2000, False)),
        ("GEXF, 2,000 edges with their issues", lambda: picture(negotiation, 2000, True)),
        ("GEXF, 5,000 edges, no issue lists", lambda: picture(negotiation, 5000, False)),
        ("GEXF, 5,000 edges with their issues", lambda: picture(negotiation, 5000, True)),
    ]
    print("| what | median s |\n| --- | --- |")
    for name, work in rows:
        seconds, result = timed(negotiation, work, repeat)
        size = f" ({len(result):,} bytes)" if isinstance(result, str) else ""
        print(f"| {name}{size} | {seconds:.2f} |", flush=True)
    if arguments.slow:
        print(f"old path (all_relations): {slow_path(negotiation, groups, day)}", flush=True)
    del store  # read-only: nothing to flush


if __name__ == "__main__":
    main()
