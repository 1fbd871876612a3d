"""The workbench in a real browser (issue 16): the first page, Compare and the Network view, timed in Chromium.

    python benchmarks/bench_workbench.py [--sizes seed,100k] [--repeat 5] [--parts first,compare,network]
                                         [--store DIR] [--baseline DIR]

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

``--parts`` measures only some of the three. ``--store`` serves a copy of the generated graph's store (for
when another process holds the lock of benchmarks/out's). ``--baseline DIR`` measures the same parts, in the
same run, on a server of the code in DIR as well (a checkout of an earlier commit, its workbench built), one
server after the other over the same store, and prints each median's ratio to the baseline's.

Needs the workbench built (``make api/static/workbench/app.js``), Node.js and Chromium (``make browser``).
"""

from __future__ import annotations

import argparse
import json
import os
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
PARTS = ("first", "compare", "network")


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


def run(size: str, repeat: int, parts=PARTS, store: Path | None = None, code: Path | None = None) -> dict:
    """The parts measured on a server of ``size`` (over ``store`` if given), running the code in ``code``
    (default: this checkout's)."""
    scratch = Path(tempfile.mkdtemp(prefix="parley-bench-workbench-"))
    try:
        if size == "seed":
            store_path = scratch / "seed-store"
            open_store(store_path).close()
        else:
            store_path = store or built_store(size)
        port = free_port()
        started = time.perf_counter()
        here = Path.cwd()
        os.chdir(code or ROOT.parent)  # `python -m api.cli` runs the code of the directory it starts in
        try:
            server = serve(store_path, port, log_path=scratch / "server.log")
        finally:
            os.chdir(here)
        try:
            wait_for_health(port, server, seconds=1800)
            startup = time.perf_counter() - started
            base = f"http://127.0.0.1:{port}"
            params = {"as_of": AS_OF[size]} if AS_OF[size] else {}  # else today, the page's default
            result = {"size": size, "code": str(code or "this checkout"), "startup": startup}
            if "first" in parts:
                result["first"] = browser(base, "first", repeat=repeat)
            if "compare" in parts:
                a, bs = COMPARE[size]
                result["compare"] = browser(base, "compare", a=a, b=bs or others(base, a, repeat), **params)
            if "network" in parts:
                result["cold"] = browser(base, "network", params=params)
                result["warm"] = browser(base, "network", params=params, repeat=max(1, repeat // 2))
        finally:
            stop(server)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return result


def median(runs: list[dict], key: str = "ms") -> float:
    return statistics.median(run[key] for run in runs)


def split(run: dict) -> str:
    timings = run.get("timings") or {}
    return ", ".join(
        f"{name} {timings[name]:,.0f}" for name in ("export", "parse", "layout", "draw") if name in timings
    )


def table(results: list[dict], baselines: dict[str, dict] | None = None) -> str:
    """The figures as a Markdown table; with ``baselines`` (by size), each median's ratio to the baseline's."""
    rows = [
        "| what | size | median (runs) | target | met |" + (" baseline median (runs) | ratio |" if baselines else ""),
        "| --- | --- | --- | --- | --- |" + (" --- | --- |" if baselines else ""),
    ]
    for result in results:
        size = result["size"]
        baseline = (baselines or {}).get(size, {})
        measured = [("first", "first page interactive (default view)", FIRST_TARGET)]
        measured.append(("compare", "Compare: second party chosen to answer drawn", COMPARE_TARGET))
        for name in ("cold", "warm"):
            if name in result:
                drawn = result[name][-1]
                what = f"Network, actors view {name} ({drawn['nodes']:,} nodes, {drawn['edges']:,} edges; ms: {split(drawn)})"
                measured.append((name, what, NETWORK_TARGET))
        for key, what, target in measured:
            if key not in result:
                continue
            runs = result[key]
            row = f"| {what} | {size} | {figure(runs)} | {target:,} ms | {'yes' if median(runs) <= target else 'no'} |"
            if baselines:
                before = baseline.get(key)
                row += f" {figure(before)} | {median(runs) / median(before):.2f} |" if before else " | |"
            rows.append(row)
    return "\n".join(rows)


def figure(runs: list[dict]) -> str:
    """The median and every run, in ms."""
    every = ", ".join(f"{run['ms']:,.0f}" for run in runs)
    return f"{median(runs):,.0f} ms ({every})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="seed,100k")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--parts", default=",".join(PARTS), help="which of first, compare, network to measure")
    parser.add_argument("--store", type=Path, help="a copy of the generated graph's built store to serve")
    parser.add_argument("--baseline", type=Path, help="a checkout of other code to measure in the same run")
    arguments = parser.parse_args()
    parts = arguments.parts.split(",")
    if set(parts) - set(PARTS):
        raise SystemExit(f"--parts: choose among {', '.join(PARTS)}")
    for code in filter(None, [ROOT.parent, arguments.baseline]):
        if not (code / "api" / "static" / "workbench" / "app.js").exists():
            raise SystemExit(f"build the workbench first: make -C {code} api/static/workbench/app.js")
    print(f"machine: {machine()}", flush=True)
    results, baselines = [], {}
    for size in arguments.sizes.split(","):
        store = arguments.store if size != "seed" else None
        for code in [arguments.baseline, None] if arguments.baseline else [None]:
            result = run(size, arguments.repeat, parts, store, code)
            print(f"{size} ({result['code']}): server ready in {result['startup']:.1f} s", flush=True)
            print(json.dumps(result), flush=True)
            if code is None:
                results.append(result)
            else:
                baselines[size] = result
    print(table(results, baselines if arguments.baseline else None))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT.parent))
    main()
