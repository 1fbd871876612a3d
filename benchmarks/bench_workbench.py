"""The workbench in a real browser (issue 16): the first page, Compare and the Network view, timed in Chromium.

    python benchmarks/bench_workbench.py [--sizes seed,100k] [--repeat 5]

Drives Debian's Chromium with playwright-core (from tests/clients/node_modules, as the browser tests do)
through ``benchmarks/workbench.mjs``, against a real ``parley serve`` of the seed graph and of the generated
100k graph (``common.built_store``, cached in benchmarks/out/). Every time is taken in the page, with
``performance.now()``, up to the moment ``<main>`` loses ``aria-busy`` (the workbench's "answer drawn" rule):

1. first page: navigation start to the default view drawn, in a fresh browser context each time (target 1 s);
2. Compare: from pushing ``?view=compare&a=probe-a&b=B`` (the router's own navigation) to the answer drawn,
   for several B never asked before in that server (target 300 ms);
3. Network: navigation start to the actors view drawn, every group of the graph a node, first on a server
   that has not exported that picture yet (cold), then again (warm: the export comes from the answer cache),
   with the page's own split of the time: export (the request), parse (graphology-gexf), layout
   (ForceAtlas2) and draw (sigma) (target 2 s).

Needs the workbench built (``make api/static/workbench/app.js``), Node.js and Chromium (``make browser``).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from common import built_store, machine

from graph.ingest.load import open_store
from tests.clients.server import free_port, serve, stop, wait_for_health

ROOT = Path(__file__).resolve().parent
SCRIPT = ROOT / "workbench.mjs"
AS_OF = {"seed": "2025-05-01", "100k": None}
COMPARE = {"seed": ("russia", ["ukraine", "united-states", "european-union"]), "100k": ("probe-a", None)}
FIRST_TARGET, COMPARE_TARGET, NETWORK_TARGET = 1000, 300, 2000


def browser(base: str, task: str, **options) -> list[dict]:
    """Run one task of workbench.mjs; its runs."""
    command = ["node", str(SCRIPT), base, task, json.dumps(options)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise SystemExit(f"workbench.mjs {task} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])["runs"]


def others(base: str, first: str, count: int) -> list[str]:
    """The first ``count`` groups other than ``first`` that hold positions: the second parties to compare with."""
    actors = httpx.get(f"{base}/actors", timeout=120).json()["actors"]
    chosen = [a["id"] for a in actors if a["id"] != first and a["positions"] and a["group"] == [a["id"]]]
    return (["probe-b"] if first == "probe-a" else []) + [a for a in chosen if a != "probe-b"][: count - 1]


def run(size: str, repeat: int) -> dict:
    scratch = Path(tempfile.mkdtemp(prefix="parley-bench-workbench-"))
    try:
        if size == "seed":
            store_path = scratch / "seed-store"
            open_store(store_path).close()
        else:
            store_path = built_store(size)
        port = free_port()
        started = time.perf_counter()
        server = serve(store_path, port, log_path=scratch / "server.log")
        try:
            wait_for_health(port, server, seconds=1800)
            startup = time.perf_counter() - started
            base = f"http://127.0.0.1:{port}"
            params = {"as_of": AS_OF[size]} if AS_OF[size] else {}  # else today, the page's default
            first = browser(base, "first", repeat=repeat)
            a, bs = COMPARE[size]
            compare = browser(base, "compare", a=a, b=bs or others(base, a, repeat), **params)
            cold = browser(base, "network", params=params)
            warm = browser(base, "network", params=params, repeat=max(1, repeat // 2))
        finally:
            stop(server)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return {"size": size, "startup": startup, "first": first, "compare": compare, "cold": cold, "warm": warm}


def median(runs: list[dict], key: str = "ms") -> float:
    return statistics.median(run[key] for run in runs)


def split(run: dict) -> str:
    timings = run.get("timings") or {}
    return ", ".join(
        f"{name} {timings[name]:,.0f}" for name in ("export", "parse", "layout", "draw") if name in timings
    )


def table(results: list[dict]) -> str:
    rows = [
        "| what | size | median (runs) | target | met |",
        "| --- | --- | --- | --- | --- |",
    ]
    for result in results:
        size = result["size"]
        first, compare, cold, warm = result["first"], result["compare"], result["cold"], result["warm"]
        ms = [f"{run['ms']:,.0f}" for run in first]
        rows.append(
            f"| first page interactive (default view) | {size} | {median(first):,.0f} ms ({', '.join(ms)}) "
            f"| {FIRST_TARGET:,} ms | {'yes' if median(first) <= FIRST_TARGET else 'no'} |"
        )
        ms = [f"{run['ms']:,.0f}" for run in compare]
        rows.append(
            f"| Compare: second party chosen to answer drawn | {size} | {median(compare):,.0f} ms ({', '.join(ms)}) "
            f"| {COMPARE_TARGET} ms | {'yes' if median(compare) <= COMPARE_TARGET else 'no'} |"
        )
        for name, runs in (("cold", cold), ("warm", warm)):
            drawn = runs[-1]
            what = (
                f"Network, actors view {name} ({drawn['nodes']:,} nodes, {drawn['edges']:,} edges; ms: {split(drawn)})"
            )
            ms = [f"{run['ms']:,.0f}" for run in runs]
            rows.append(
                f"| {what} | {size} | {median(runs):,.0f} ms ({', '.join(ms)}) | {NETWORK_TARGET:,} ms "
                f"| {'yes' if median(runs) <= NETWORK_TARGET else 'no'} |"
            )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="seed,100k")
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    if not (ROOT.parent / "api" / "static" / "workbench" / "app.js").exists():
        raise SystemExit("build the workbench first: make api/static/workbench/app.js")
    print(f"machine: {machine()}", flush=True)
    results = []
    for size in arguments.sizes.split(","):
        result = run(size, arguments.repeat)
        print(f"{size}: server ready in {result['startup']:.1f} s", flush=True)
        print(json.dumps(result), flush=True)
        results.append(result)
    print(table(results))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT.parent))
    main()
