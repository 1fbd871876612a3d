"""The SPARQL wall under attack (issue 12): /health latency while hostile SPARQL is sent, against /health alone.

    python benchmarks/bench_wall.py [--probes 200] [--rounds 3]

One `parley serve` (embedded store, 2 query workers, the default 10 s query limit). First /health alone
(``--probes`` sequential requests), then the same while four 15 MB queries and four updates nested
10,000 deep are sent at once, again and again, for as long as the probes run. Reports p50 and p99 of
each, and what the attacks were answered, in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from common import machine

from tests.clients.server import free_port, serve, stop, wait_for_health

TOKEN = "bench-token"
HUGE_QUERY = "SELECT * { VALUES ?x { " + "'aaaaaaaaaa' " * 1_160_000 + "} } LIMIT 1"
DEEP_UPDATE = "INSERT { <urn:a> <urn:b> <urn:c> } WHERE " + "{ " * 10_000 + "} " * 10_000


def probe(http: httpx.Client, count: int) -> list[float]:
    """Milliseconds for each of ``count`` sequential GET /health."""
    times = []
    for _ in range(count):
        started = time.perf_counter()
        assert http.get("/health").status_code == 200
        times.append((time.perf_counter() - started) * 1000)
    return times


def percentiles(times: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return statistics.median(times), cuts[98]


def attack(base: str, stop_at: threading.Event, answers: Counter) -> None:
    """Send four huge queries and four deep updates at once, over and over, until told to stop."""

    def send(kind: str) -> None:
        with httpx.Client(base_url=base, timeout=120) as http:
            while not stop_at.is_set():
                if kind == "query":
                    response = http.post(
                        "/sparql", content=HUGE_QUERY, headers={"Content-Type": "application/sparql-query"}
                    )
                else:
                    response = http.post(
                        "/sparql",
                        content=DEEP_UPDATE,
                        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
                    )
                answers[f"{kind} {response.status_code}"] += 1

    with ThreadPoolExecutor(8) as pool:
        for kind in ["query"] * 4 + ["update"] * 4:
            pool.submit(send, kind)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--probes", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    print(machine())
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as directory:
        server = serve(Path(directory) / "store", port, token=TOKEN, query_workers="2")
        try:
            wait_for_health(port, server, seconds=60)
            with httpx.Client(base_url=base, timeout=120) as http:
                for round_ in range(1, arguments.rounds + 1):
                    alone = percentiles(probe(http, arguments.probes))
                    stop_at, answers = threading.Event(), Counter()
                    attacker = threading.Thread(target=attack, args=(base, stop_at, answers))
                    attacker.start()
                    time.sleep(2.0)  # the first bodies are in and being parsed
                    attacked = percentiles(probe(http, arguments.probes))
                    stop_at.set()
                    attacker.join()
                    print(
                        f"round {round_}: /health alone p50 {alone[0]:.1f} ms, p99 {alone[1]:.1f} ms; "
                        f"under attack p50 {attacked[0]:.1f} ms ({attacked[0] / alone[0]:.2f}x), "
                        f"p99 {attacked[1]:.1f} ms ({attacked[1] / alone[1]:.2f}x); "
                        f"attacks answered: {dict(sorted(answers.items()))}"
                    )
            assert server.poll() is None, "the server survived"
        finally:
            stop(server)


if __name__ == "__main__":
    main()
