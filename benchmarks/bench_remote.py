"""Benchmarks of Parley over a remote store (issue 6), against a real `oxigraph serve`.

    python benchmarks/bench_remote.py [--size 100k] [--parts load,index,http] [--seconds 10] [--connections 8]

1. Loading: `parley load` of the generated N-Quads into a fresh, seeded `oxigraph serve` (validation
   included), against `curl` posting the same file straight to the server's Graph Store Protocol endpoint
   (another fresh, seeded server), in the same run; the ratio of throughputs.
2. `find_conflicts` in process on the index read from the remote store against the one read from the
   embedded store (the same work: the analysis runs on the index).
3. `/conflicts` over HTTP (wrk) on an embedded server, on a replica over the remote store as configured
   (the freshness check at most every 0.2 s), and on one that checks before every request: the cost of
   the per-request freshness check.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_api import CONFLICTS, wrk
from common import built_store, generated, machine

from graph.analysis import rules
from graph.analysis.read import read_negotiation
from graph.ingest.load import open_store
from tests.clients.server import free_port, serve, stop, wait_for_health
from tests.oxigraph_server import OxigraphServer

STARTED: list[OxigraphServer] = []


def seeded_server(directory: Path) -> OxigraphServer:
    server = OxigraphServer(directory, timeout=None).start()
    STARTED.append(server)  # each is killed at the end, whatever happens
    open_store(server.url).close()
    return server


def find_conflicts_seconds(negotiation, pair: tuple[str, str], repeat: int = 201) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        rules.find_conflicts(negotiation, *pair)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def conflicts_rate(store: str, size: str, seconds: int, connections: int, scratch: Path, **settings) -> float:
    port = free_port()
    server = serve(store, port, log_path=scratch / f"serve-{port}.log", **settings)
    try:
        wait_for_health(port, server, seconds=1800)
        url = f"http://127.0.0.1:{port}/conflicts?{CONFLICTS[size]}"
        subprocess.run(["curl", "-sf", "-o", "/dev/null", url], check=True)
        return wrk(url, seconds, connections)
    finally:
        stop(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100k", choices=["10k", "100k", "1m"])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--parts", default="load,index,http", help="which of the three measurements to make")
    arguments = parser.parse_args()
    parts = set(arguments.parts.split(","))
    size = arguments.size
    scratch = Path(tempfile.mkdtemp(prefix="parley-bench-remote-"))
    print(f"machine: {machine()}; size {size}", flush=True)
    try:
        data = generated(size)
        # 1. Loading, both into fresh seeded servers; only the load is timed.
        curl_server = seeded_server(scratch / "curl")
        started = time.perf_counter()
        # --upload-file streams the file (--data-binary @file reads it whole, and stops at 2 GB).
        subprocess.run(
            [
                "curl",
                "-sf",
                "-X",
                "POST",
                "-H",
                "Content-Type: application/n-quads",
                "--upload-file",
                str(data),
                f"{curl_server.url}/store",
            ],
            check=True,
        )
        curl_seconds = time.perf_counter() - started
        curl_server.kill()  # its memory back before Parley's turn
        print(f"curl POST {data.name} to /store: {curl_seconds:.1f} s", flush=True)
        server = seeded_server(scratch / "parley")
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "api.cli", "load", str(data), "--store", server.url], check=True)
        parley_seconds = time.perf_counter() - started
        print(
            f"parley load: {parley_seconds:.1f} s; throughput ratio {curl_seconds / parley_seconds:.3f} "
            "(target >= 0.5)",
            flush=True,
        )

        if "index" not in parts and "http" not in parts:
            return
        # 2. find_conflicts in process, on the index read from each store.
        pair = tuple(CONFLICTS[size].replace("a=", "").replace("b=", "").split("&"))
        with open_store(server.url) as remote:
            started = time.perf_counter()
            remote_index = read_negotiation(remote)
            remote_read = time.perf_counter() - started
        embedded_store = open_store(built_store(size))
        started = time.perf_counter()
        embedded_index = read_negotiation(embedded_store)
        embedded_read = time.perf_counter() - started
        embedded_store.close()
        remote_median = find_conflicts_seconds(remote_index, pair)
        embedded_median = find_conflicts_seconds(embedded_index, pair)
        print(
            f"index read: remote {remote_read:.1f} s, embedded {embedded_read:.1f} s; find_conflicts{pair}: "
            f"remote {remote_median * 1e6:.0f} µs, embedded {embedded_median * 1e6:.0f} µs "
            f"(ratio {remote_median / embedded_median:.2f}, target <= 1.2)",
            flush=True,
        )
        del remote_index, embedded_index

        if "http" not in parts:
            return
        # 3. /conflicts over HTTP: embedded, replica as configured, replica checking on every request.
        rates = {
            "embedded": conflicts_rate(str(built_store(size)), size, arguments.seconds, arguments.connections, scratch),
            "remote (check every 0.2 s)": conflicts_rate(
                server.url, size, arguments.seconds, arguments.connections, scratch
            ),
            "remote (check every request)": conflicts_rate(
                server.url, size, arguments.seconds, arguments.connections, scratch, store_check_interval="0"
            ),
        }
        base = rates["embedded"]
        print(
            "/conflicts req/s: "
            + "; ".join(f"{name} {rate:,.0f} ({rate / base:.2f} of embedded)" for name, rate in rates.items()),
            flush=True,
        )
    finally:
        for server in STARTED:
            server.kill()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
