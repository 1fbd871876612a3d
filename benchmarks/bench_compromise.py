"""Benchmark of the compromise (issue 17, rule 12): run `python benchmarks/bench_compromise.py`.

On the 100,000-position generated graph (benchmarks/generate.py), the compromise of the probe pair
(probe-a and probe-b hold 50 positions each), timed from an empty memo (nothing reused), median of 5,
beside find_conflicts of the same pair and deadlocks of the whole graph timed the same way, so that the
ratios say where the time goes. Target: under 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import time

from common import built_store, machine

from graph.analysis import rules
from graph.analysis.compromise import compromise
from graph.analysis.read import read_negotiation
from graph.store import Store


def cold(function, negotiation, *arguments, repeat: int = 5):
    """(median seconds from an empty memo, last result)."""
    times, result = [], None
    for _ in range(repeat):
        negotiation.memo.clear()
        started = time.perf_counter()
        result = function(negotiation, *arguments)
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100k")
    size = parser.parse_args().size
    with Store(built_store(size)) as store:
        negotiation = read_negotiation(store)
    conflicts_s, conflicts = cold(rules.find_conflicts, negotiation, "probe-a", "probe-b")
    deadlocks_s, cycles = cold(rules.deadlocks, negotiation)
    compromise_s, answer = cold(compromise, negotiation, "probe-a", "probe-b")
    print(f"machine: {machine()}; {len(negotiation.positions):,} positions")
    print(f"find_conflicts(probe-a, probe-b): {conflicts_s * 1000:8.1f} ms  ({len(conflicts)} conflicts)")
    print(f"deadlocks (whole graph):          {deadlocks_s * 1000:8.1f} ms  ({len(cycles)} cycles)")
    print(
        f"compromise(probe-a, probe-b):     {compromise_s * 1000:8.1f} ms  "
        f"({len(answer.concessions)} concessions, cost {answer.cost:g}, settled {answer.settled}, "
        f"{len(answer.unsettled)} unsettled)"
    )
    print(f"compromise / find_conflicts: {compromise_s / conflicts_s:.1f}x; target under 1 s: {compromise_s < 1}")


if __name__ == "__main__":
    main()
