"""The analysis timings of ``bench_analysis.py`` at 100k positions, for comparing two commits in the same conditions.

Run it from the ``benchmarks/`` folder of each commit's checkout in turn, alternating, so that both meet the
same load: ``python bench_analysis_ab.py LABEL``. Each checkout bulk-loads its own store of the same generated
graph (seed 7) once. Prints one JSON line: reading the index, ``find_conflicts`` cold and warm, ``matrix`` over
the top groups (actors who speak for no one), ``coalitions`` and ``deadlocks``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_analysis import question_timings  # noqa: E402
from common import built_store, timed  # noqa: E402

from graph.analysis import rules  # noqa: E402
from graph.analysis.read import read_negotiation  # noqa: E402
from graph.store import Store  # noqa: E402


def main(label: str) -> None:
    with Store(built_store("100k")) as store:
        found: dict[str, float] = {}
        found["read_index_s"], negotiation = timed(read_negotiation, store)
        found["cold_ms"] = timed(rules.find_conflicts, negotiation, "probe-a", "probe-b")[0] * 1000
        found["warm_ms"] = timed(rules.find_conflicts, negotiation, "probe-a", "probe-b", repeat=2000)[0] * 1000
        negotiation.memo.clear()
        found.update(question_timings(negotiation))
    print(label, json.dumps({name: round(value, 3) for name, value in found.items()}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "this")
