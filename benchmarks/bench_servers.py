"""Parley over each server family the tests run (issue 20): `oxigraph serve` and Virtuoso 7, in one run.

    python benchmarks/bench_servers.py [--size seed|10k|100k] [--servers oxigraph,virtuoso] [--requests 200]

For each server, a fresh one on a loopback port:

1. Seeding: the first `open_store` of the empty server (the ontology and the seed graph written, the
   derived graph built), timed.
2. A load: `parley load` of the generated N-Quads (validation included), as a user runs it, timed; then
   the positions read back, counted against the file's (``--size seed``: none, the seed graph alone).
3. `/conflicts` latency: `parley serve` over the loaded server, the median and 95th percentile of
   ``--requests`` sequential GETs of the benchmark pair (after one to warm the answer), and the same for a
   replica that checks the store's version before every request (the store's round trip on each).

Virtuoso is started as the tests start it, with the row cap raised above the largest read (the positions
query at 100k) and no time limit of its own, and 2 GB of buffers (the ``NumberOfBuffers`` of its
documentation's table for a machine with 4 GB to spare).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from bench_api import CONFLICTS
from common import generated, machine

from graph.analysis.read import read_negotiation
from graph.ingest.load import open_store
from tests.clients.server import free_port, serve, stop, wait_for_health
from tests.oxigraph_server import OxigraphServer
from tests.virtuoso_server import VirtuosoServer


def start(family: str, directory: Path) -> OxigraphServer | VirtuosoServer:
    if family == "oxigraph":
        return OxigraphServer(directory, timeout=None).start()
    return VirtuosoServer(directory, row_cap=50_000_000, timeout=0, buffers=250_000).start()


def options(server: OxigraphServer | VirtuosoServer) -> dict[str, str]:
    return getattr(server, "options", {})


def latencies(port: int, query: str, requests: int) -> tuple[float, float]:
    """Median and 95th percentile, in ms, of sequential GETs of /conflicts."""
    url = f"http://127.0.0.1:{port}/conflicts?{query}"
    with httpx.Client(timeout=600) as client:
        client.get(url).raise_for_status()
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(url).raise_for_status()
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def measure(family: str, size: str, data: Path | None, requests: int, scratch: Path) -> dict[str, str]:
    server = start(family, scratch / family)
    try:
        started = time.perf_counter()
        open_store(server.url, **options(server)).close()
        seeding = time.perf_counter() - started
        environment = {
            **os.environ,
            **{f"PARLEY_STORE_{name.upper()}": value for name, value in options(server).items()},
        }
        started = time.perf_counter()
        if data is not None:
            subprocess.run(
                [sys.executable, "-m", "api.cli", "load", str(data), "--store", server.url], check=True, env=environment
            )
        loading = time.perf_counter() - started
        with open_store(server.url, **options(server)) as store:
            positions = len(read_negotiation(store).positions)
        figures = {"seeding": f"{seeding:.1f} s", "load": f"{loading:.1f} s", "positions": f"{positions:,}"}
        settings = {f"store_{name}": value for name, value in options(server).items()}
        for label, extra in (("", {}), (" (check every request)", {"store_check_interval": "0"})):
            port = free_port()
            process = serve(server.url, port, log_path=scratch / f"{family}-{port}.log", **settings, **extra)
            try:
                wait_for_health(port, process, seconds=1800)
                median, p95 = latencies(port, CONFLICTS[size], requests)
            finally:
                stop(process)
            figures[f"/conflicts{label}"] = f"{median:.2f} ms (p95 {p95:.2f})"
        return figures
    finally:
        server.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100k", choices=["seed", "10k", "100k", "1m"])
    parser.add_argument("--servers", default="oxigraph,virtuoso")
    parser.add_argument("--requests", type=int, default=200)
    arguments = parser.parse_args()
    data = None if arguments.size == "seed" else generated(arguments.size)
    print(f"machine: {machine()}; size {arguments.size} ({data.name if data else 'the seed graph'})", flush=True)
    with tempfile.TemporaryDirectory(prefix="parley-bench-servers-") as scratch:
        for family in arguments.servers.split(","):
            figures = measure(family, arguments.size, data, arguments.requests, Path(scratch))
            print(f"{family}: " + "; ".join(f"{name} {value}" for name, value in figures.items()), flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
