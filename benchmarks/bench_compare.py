"""The Compare page's questions, pair after pair, as its server answers them: run `python benchmarks/bench_compare.py`.

    python benchmarks/bench_compare.py [--size 100k] [--pairs 5] [--store DIR] [--no-mediators]

On a generated graph (benchmarks/generate.py; the 100k one by default), for probe-a against several second
parties in turn (probe-b first, then the next parties), times what the Compare page asks of the server for
each pair, in the order it asks: the answer (``conflicts`` and ``overlap``), then the sections below it
(``deadlocks?a=&b=``, ``compromise``, ``mediators``), each the JSON the HTTP API sends (``graph.report.answers``),
in one process and one negotiation whose memo is emptied once, before the first pair, as a write would empty
it: the first pair pays for what the whole graph's state costs (cold), the next ones show what each new pair
costs (warm). Prints one line per pair and question, then a JSON summary.

``--store`` reads a copy of the built store (``benchmarks/out/stores/SIZE/store``), for when a running server
holds the original's lock.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import date

from common import built_store, machine

from graph.analysis import rules
from graph.analysis.read import read_negotiation
from graph.report import answers
from graph.store import Store

QUESTIONS = ("conflicts", "overlap", "deadlocks", "compromise", "mediators")


def ask(negotiation, question: str, a: str, b: str, as_of: date) -> dict:
    """The JSON answer of one of the page's questions."""
    if question == "deadlocks":
        return answers.deadlocks(negotiation, as_of, a, b)
    return getattr(answers, question)(negotiation, a, b, as_of)


def second_parties(negotiation, first: str, count: int) -> list[str]:
    """probe-b, then the first parties by slug: the second parties the benchmark compares ``first`` with."""
    rest = [group for group in rules.top_groups(negotiation) if group not in (first, "probe-b")]
    return (["probe-b"] + rest)[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100k")
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--store", help="a copy of the built store to read instead of benchmarks/out's")
    parser.add_argument("--no-mediators", action="store_true", help="leave out the mediators")
    arguments = parser.parse_args()
    questions = [q for q in QUESTIONS if q != "mediators" or not arguments.no_mediators]
    as_of = date.today()
    with Store(arguments.store or built_store(arguments.size)) as store:
        started = time.perf_counter()
        negotiation = read_negotiation(store)
        print(
            f"machine: {machine()}; {len(negotiation.positions):,} positions; index read in "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )
        negotiation.memo.clear()
        times: dict[str, list[float]] = {question: [] for question in questions}
        for b in second_parties(negotiation, "probe-a", arguments.pairs):
            for question in questions:
                started = time.perf_counter()
                found = ask(negotiation, question, "probe-a", b, as_of)
                took = (time.perf_counter() - started) * 1000
                times[question].append(took)
                size = {k: len(v) for k, v in found.items() if isinstance(v, list)}
                print(f"probe-a / {b:12} {question:10} {took:10,.1f} ms  {json.dumps(size)}", flush=True)
    summary = {
        question: {"cold_ms": round(runs[0], 1), "warm_median_ms": round(statistics.median(runs[1:] or runs), 1)}
        for question, runs in times.items()
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
