"""The workbench in a real browser (issue 16): the first page, Compare and the Network view, timed in Chromium.

    python benchmarks/bench_workbench.py [--sizes seed,100k] [--repeat 5] [--tasks first,compare,network]
                                         [--after-write] [--store DIR] [--baseline DIR]

Drives Debian's Chromium with playwright-core (from tests/clients/node_modules, as the browser tests do)
through ``benchmarks/workbench.mjs``, against a real ``parley serve`` of the seed graph and of the generated
100k graph (``common.built_store``, cached in benchmarks/out/). Every time is taken in the page, with
``performance.now()``, up to the moment ``<main>`` loses ``aria-busy`` (the workbench's "answer drawn" rule):

1. first page: navigation start to the default view drawn, in a fresh browser context each time (target 1 s);
2. Compare: from pushing ``?view=compare&a=probe-a&b=B`` (the router's own navigation) to the answer drawn,
   for several B never asked before in that server (target 300 ms);
3. Network: navigation start to the actors view drawn, every group of the graph a node, first on a server
   that has not been asked for that picture yet (cold: the first visit after the start; the server works
   the picture out in the background from its start, api/prefetch.py), then again (warm), with the page's
   own split of the time: export (the request), parse (graphology-gexf), layout (ForceAtlas2) and draw
   (sigma) (target 2 s). With ``--tasks network`` alone the cold visit comes as soon as the server answers
   /health, while that picture may still be being worked out. With ``--after-write``, the server runs over
   a copy of the store (the cached one is never written) and a position is written after the warm visits;
   then the Network view is visited at once (it waits for the picture of the new state) and again.

``--tasks`` (or ``--parts``) measures only some of the three. ``--store`` serves a copy of the generated graph's
store (for when another process holds the lock of benchmarks/out's). ``--baseline DIR`` measures the same tasks,
in the same run, on a server of the code in DIR as well (a checkout of an earlier commit, its workbench built),
one server after the other over the same store, and prints each median's ratio to the baseline's.

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


TOKEN = "bench-workbench-token"
WRITTEN = {  # a position of the seed graph's (which the generated stores hold too), written by --after-write
    "holder": "russia",
    "issue": "ceasefire",
    "stance": "opposes",
    "valid_from": "2025-04-19",
    "evidence": [
        {
            "quote": "Moscow remained open to dialogue with Washington but that contacts were difficult",
            "source": "us-may-walk-away-2025-04-18",
            "date": "2025-04-19",
            "speaker": "dmitry-peskov",
        }
    ],
}


def store_for(size: str, scratch: Path, writable: bool, store: Path | None = None) -> Path:
    """The store to serve: a fresh seed store, the cached generated one (or ``store``), or (to write into) a copy."""
    if size == "seed":
        store_path = scratch / "seed-store"
        open_store(store_path).close()
        return store_path
    if not writable:
        return store or built_store(size)
    copy = scratch / "store"
    shutil.copytree(store or built_store(size), copy)
    return copy


def run(
    size: str, repeat: int, tasks: list[str], after_write: bool, store: Path | None = None, code: Path | None = None
) -> dict:
    """The tasks measured on a server of ``size`` (over ``store`` if given), running the code in ``code``
    (default: this checkout's)."""
    scratch = Path(tempfile.mkdtemp(prefix="parley-bench-workbench-"))
    found: dict = {"size": size, "code": str(code or "this checkout")}
    try:
        store_path = store_for(size, scratch, after_write, store)
        port = free_port()
        started = time.perf_counter()
        here = Path.cwd()
        os.chdir(code or ROOT.parent)  # `python -m api.cli` runs the code of the directory it starts in
        try:
            server = serve(store_path, port, log_path=scratch / "server.log", token=TOKEN)
        finally:
            os.chdir(here)
        try:
            wait_for_health(port, server, seconds=1800)
            found["startup"] = time.perf_counter() - started
            base = f"http://127.0.0.1:{port}"
            params = {"as_of": AS_OF[size]} if AS_OF[size] else {}  # else today, the page's default
            if "first" in tasks:
                found["first"] = browser(base, "first", repeat=repeat)
            if "compare" in tasks:
                a, bs = COMPARE[size]
                found["compare"] = browser(base, "compare", a=a, b=bs or others(base, a, repeat), **params)
            if "network" in tasks:
                found["cold"] = browser(base, "network", params=params)
                found["warm"] = browser(base, "network", params=params, repeat=max(1, repeat // 2))
            if after_write:
                written = {**WRITTEN, "id": f"bench-written-{int(time.time())}"}
                headers = {"Authorization": f"Bearer {TOKEN}"}
                httpx.post(f"{base}/positions", json=written, headers=headers, timeout=600).raise_for_status()
                found["after_write"] = browser(base, "network", params=params, repeat=2)
        finally:
            stop(server)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return found


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
        "| what | size | median (runs) | target | met |" + (" baseline median | ratio |" if baselines else ""),
        "| --- | --- | --- | --- | --- |" + (" --- | --- |" if baselines else ""),
    ]
    for result in results:
        size = result["size"]
        if "first" in result:
            first = result["first"]
            ms = [f"{run['ms']:,.0f}" for run in first]
            rows.append(
                f"| first page interactive (default view) | {size} | {median(first):,.0f} ms ({', '.join(ms)}) "
                f"| {FIRST_TARGET:,} ms | {'yes' if median(first) <= FIRST_TARGET else 'no'} |"
                + ratio(first, baselines, size, "first")
            )
        if "compare" in result:
            compare = result["compare"]
            ms = [f"{run['ms']:,.0f}" for run in compare]
            rows.append(
                f"| Compare: second party chosen to answer drawn | {size} | {median(compare):,.0f} ms "
                f"({', '.join(ms)}) | {COMPARE_TARGET} ms | {'yes' if median(compare) <= COMPARE_TARGET else 'no'} |"
                + ratio(compare, baselines, size, "compare")
            )
        network = [("cold", "cold"), ("warm", "warm"), ("after_write", "after a write (then again)")]
        for key, name in network:
            if key not in result:
                continue
            runs = result[key]
            drawn = runs[-1] if key != "after_write" else runs[0]
            what = (
                f"Network, actors view {name} ({drawn['nodes']:,} nodes, {drawn['edges']:,} edges; ms: {split(drawn)})"
            )
            ms = [f"{run['ms']:,.0f}" for run in runs]
            # After a write, the first visit is the figure (the next one is the warm case again).
            figure = runs[0]["ms"] if key == "after_write" else median(runs)
            rows.append(
                f"| {what} | {size} | {figure:,.0f} ms ({', '.join(ms)}) | {NETWORK_TARGET:,} ms "
                f"| {'yes' if figure <= NETWORK_TARGET else 'no'} |" + ratio(runs, baselines, size, key)
            )
    return "\n".join(rows)


def ratio(runs: list[dict], baselines: dict[str, dict] | None, size: str, key: str) -> str:
    """The baseline's median of the same figure and this one's ratio to it, as two more cells (none without)."""
    if baselines is None:
        return ""
    before = baselines.get(size, {}).get(key)
    return f" {median(before):,.0f} ms | {median(runs) / median(before):.2f} |" if before else " | |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="seed,100k")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--tasks", "--parts", default="first,compare,network", help="which of first,compare,network to run"
    )
    parser.add_argument("--store", type=Path, help="a copy of the generated graph's built store to serve")
    parser.add_argument("--baseline", type=Path, help="a checkout of other code to measure in the same run")
    parser.add_argument(
        "--after-write", action="store_true", help="then write a position and visit Network (over a copy of the store)"
    )
    arguments = parser.parse_args()
    tasks = arguments.tasks.split(",")
    if set(tasks) - {"first", "compare", "network"}:
        raise SystemExit("--tasks: choose among first, compare, network")
    for code in filter(None, [ROOT.parent, arguments.baseline]):
        if not (code / "api" / "static" / "workbench" / "app.js").exists():
            raise SystemExit(f"build the workbench first: make -C {code} api/static/workbench/app.js")
    print(f"machine: {machine()}", flush=True)
    results, baselines = [], {}
    for size in arguments.sizes.split(","):
        store = arguments.store if size != "seed" else None
        for code in [arguments.baseline, None] if arguments.baseline else [None]:
            result = run(size, arguments.repeat, tasks, arguments.after_write, store, code)
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
