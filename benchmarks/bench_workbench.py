"""The workbench in a real browser (issue 16): the first page, Compare and the Network view, timed in Chromium.

    python benchmarks/bench_workbench.py [--sizes seed,100k] [--repeat 5] [--tasks first,compare,network]
                                         [--after-write]

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


def store_for(size: str, scratch: Path, writable: bool) -> Path:
    """The store to serve: a fresh seed store, the cached generated one, or (to write into) a copy of it."""
    if size == "seed":
        store_path = scratch / "seed-store"
        open_store(store_path).close()
        return store_path
    if not writable:
        return built_store(size)
    copy = scratch / "store"
    shutil.copytree(built_store(size), copy)
    return copy


def run(size: str, repeat: int, tasks: list[str], after_write: bool) -> dict:
    scratch = Path(tempfile.mkdtemp(prefix="parley-bench-workbench-"))
    found: dict = {"size": size}
    try:
        store_path = store_for(size, scratch, after_write)
        port = free_port()
        started = time.perf_counter()
        server = serve(store_path, port, log_path=scratch / "server.log", token=TOKEN)
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


def table(results: list[dict]) -> str:
    rows = [
        "| what | size | median (runs) | target | met |",
        "| --- | --- | --- | --- | --- |",
    ]
    for result in results:
        size = result["size"]
        if "first" in result:
            first = result["first"]
            ms = [f"{run['ms']:,.0f}" for run in first]
            rows.append(
                f"| first page interactive (default view) | {size} | {median(first):,.0f} ms ({', '.join(ms)}) "
                f"| {FIRST_TARGET:,} ms | {'yes' if median(first) <= FIRST_TARGET else 'no'} |"
            )
        if "compare" in result:
            compare = result["compare"]
            ms = [f"{run['ms']:,.0f}" for run in compare]
            rows.append(
                f"| Compare: second party chosen to answer drawn | {size} | {median(compare):,.0f} ms "
                f"({', '.join(ms)}) | {COMPARE_TARGET} ms | {'yes' if median(compare) <= COMPARE_TARGET else 'no'} |"
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
                f"| {'yes' if figure <= NETWORK_TARGET else 'no'} |"
            )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="seed,100k")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--tasks", default="first,compare,network", help="which of first,compare,network to run")
    parser.add_argument(
        "--after-write", action="store_true", help="then write a position and visit Network (over a copy of the store)"
    )
    arguments = parser.parse_args()
    tasks = arguments.tasks.split(",")
    if not (ROOT.parent / "api" / "static" / "workbench" / "app.js").exists():
        raise SystemExit("build the workbench first: make api/static/workbench/app.js")
    print(f"machine: {machine()}", flush=True)
    results = []
    for size in arguments.sizes.split(","):
        result = run(size, arguments.repeat, tasks, arguments.after_write)
        print(f"{size}: server ready in {result['startup']:.1f} s", flush=True)
        print(json.dumps(result), flush=True)
        results.append(result)
    print(table(results))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT.parent))
    main()
