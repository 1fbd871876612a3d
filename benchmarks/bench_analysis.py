"""Benchmarks of the analysis (issue 3): run `python benchmarks/bench_analysis.py`.

Measures, on generated graphs (benchmarks/generate.py):
- find_conflicts(probe-a, probe-b) on 10k and 1M positions, warm (index built, answers reused)
  and cold (index built, nothing reused yet); the probes hold 50 positions each in both graphs;
- matrix over 1,000 actors, coalitions, and deadlocks (10,000 conditions) on 100k positions;
- adding one position to the 100k graph: validated, written, index and derived graph refreshed;
- peak memory of a process holding the 1M-position store and its analysis index.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

from common import built_store, machine, peak_rss_mb, timed

from graph.analysis import rules
from graph.analysis.derived import refresh_derived
from graph.analysis.read import read_negotiation
from graph.ingest.load import load_documents, parse_document
from graph.store import Store


def conflicts_timings(size: str) -> dict:
    with Store(built_store(size)) as store:
        read_seconds, negotiation = timed(read_negotiation, store)
        cold = []
        for _ in range(20):
            negotiation.memo.clear()
            started = time.perf_counter()
            rules.find_conflicts(negotiation, "probe-a", "probe-b")
            cold.append(time.perf_counter() - started)
        warm, found = timed(rules.find_conflicts, negotiation, "probe-a", "probe-b", repeat=2000)
        return {
            "positions": len(negotiation.positions),
            "read_index_s": read_seconds,
            "cold_ms": sorted(cold)[len(cold) // 2] * 1000,
            "warm_ms": warm * 1000,
            "conflicts": len(found),
        }


POSITION = """
@prefix parley: <https://w3id.org/parley#> . @prefix prov: <http://www.w3.org/ns/prov#> .
<https://w3id.org/parley/id/position/bench-added-{n}> a parley:Position ;
    parley:holder <https://w3id.org/parley/id/actor/state-{actor}> ; parley:issue <https://w3id.org/parley/id/issue/issue-{issue}> ;
    parley:stance parley:Supports ; prov:wasDerivedFrom <https://w3id.org/parley/id/evidence/bench-added-{n}> .
<https://w3id.org/parley/id/evidence/bench-added-{n}> a parley:Evidence ; parley:quote "Added by the benchmark." ;
    parley:source <https://w3id.org/parley/id/source/generated-0> .
"""


def question_timings(negotiation) -> dict:
    """The matrix, coalitions and deadlocks of a negotiation, each timed from an empty memo, with their sizes."""
    results = {}
    # One actor per group: rule 10 refuses two actors of one group (a person and the state it speaks for).
    groups = rules.top_groups(negotiation)[:1000]
    results["matrix_actors"] = len(groups)
    results["matrix_s"], _ = timed(rules.matrix, negotiation, groups)
    negotiation.memo.clear()
    results["coalitions_s"], found = timed(rules.coalitions, negotiation)
    results["coalitions"] = len(found.coalitions)
    negotiation.memo.clear()
    results["deadlocks_s"], found = timed(rules.deadlocks, negotiation)
    results["deadlocks"] = len(found)
    return results


def medium_timings() -> dict:
    results = {}
    with Store(built_store("100k")) as store:
        results["read_index_s"], negotiation = timed(read_negotiation, store)
        results["derived_full_refresh_s"], results["stands"] = timed(refresh_derived, store, negotiation)
        results.update(question_timings(negotiation))
        results["conditions"] = sum(len(p.conditions) for p in negotiation.positions.values())
        adds = []
        for n in range(21):
            document = parse_document(
                POSITION.format(n=n + int(time.time()), actor=n, issue=n * 7).encode(), "added.ttl"
            )
            started = time.perf_counter()
            load_documents(store, [document], negotiation=negotiation)
            adds.append(time.perf_counter() - started)
        results["add_one_position_ms"] = sorted(adds)[len(adds) // 2] * 1000
    return results


def memory_probe() -> None:
    """Run in a child process: open the 1M store, build the index, report peak RSS."""
    with Store(built_store("1m")) as store:
        negotiation = read_negotiation(store)
        negotiation.positions_of("probe-a")
        rules.find_conflicts(negotiation, "probe-a", "probe-b")
        print(json.dumps({"positions": len(negotiation.positions), "peak_rss_mb": peak_rss_mb()}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--memory-probe", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.memory_probe:
        return memory_probe()
    print(f"machine: {machine()}")
    small, large = conflicts_timings("10k"), conflicts_timings("1m")
    print(f"find_conflicts 10k: {json.dumps(small)}")
    print(f"find_conflicts 1m:  {json.dumps(large)}")
    print(
        f"ratio 1m/10k: warm {large['warm_ms'] / small['warm_ms']:.2f}, cold {large['cold_ms'] / small['cold_ms']:.2f}"
    )
    print(f"100k: {json.dumps(medium_timings())}")
    probe = subprocess.run([sys.executable, __file__, "--memory-probe"], capture_output=True, text=True, check=True)
    print(f"memory 1m: {probe.stdout.strip()}")


if __name__ == "__main__":
    main()
