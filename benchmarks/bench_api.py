"""HTTP benchmarks (issue 4): requests per second of /conflicts against /health on the same server, and a
SPARQL SELECT through /sparql against the same query run directly on pyoxigraph.

    python benchmarks/bench_api.py [--sizes seed,100k] [--seconds 10] [--connections 8]

Needs ``wrk`` (Debian: ``apt-get install wrk``) as the bounded load generator; it runs on the same
2-core machine as the server, for both routes alike, so only the ratio is meaningful.
"""

from __future__ import annotations

import argparse
import re
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

CONFLICTS = {
    "seed": "a=russia&b=ukraine",
    "10k": "a=probe-a&b=probe-b",
    "100k": "a=probe-a&b=probe-b",
    "1m": "a=probe-a&b=probe-b",
}
SPARQL = {
    "seed": """SELECT ?issue (COUNT(?position) AS ?positions) WHERE {
    ?position parley:issue ?issue ; prov:wasDerivedFrom/parley:quote ?quote } GROUP BY ?issue ORDER BY ?issue""",
    "100k": """SELECT ?issue (COUNT(?position) AS ?positions) WHERE {
    ?position parley:issue ?issue ; parley:stance parley:Opposes } GROUP BY ?issue ORDER BY DESC(?positions) ?issue LIMIT 50""",
}
SPARQL["10k"] = SPARQL["100k"]
TOKEN = "bench-token"
SOURCE = "us-may-walk-away-2025-04-18"
WRITE = {"seed": ("ceasefire", "russia"), "100k": ("ceasefire", "probe-a"), "10k": ("ceasefire", "probe-a")}


# Every request asks for another date (a week apart, cycling over 50 years: more dates than the
# server's answer cache holds), so each one is computed, never served from the cache.
EVERY_REQUEST_NEW = """
counter = 0
request = function()
  counter = counter + 1
  local day = os.date("!%Y-%m-%d", 946684800 + (counter % 2600) * 604800)
  return wrk.format("GET", wrk.path .. "&as_of=" .. day)
end
"""


def wrk(url: str, seconds: int, connections: int, script: str | None = None) -> float:
    """Requests per second wrk sustains on ``url`` (one thread: the machine has two cores, one is the server's)."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", url]
    if script is not None:
        path = Path(tempfile.mkstemp(suffix=".lua")[1])
        path.write_text(script)
        command[1:1] = ["-s", str(path)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise SystemExit(f"{url} answered {errors.group(1)} errors:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def direct_query_seconds(store_path: Path, query: str, repeat: int) -> float:
    """Median time of the query plus its JSON serialisation, in process on pyoxigraph (the server is not running)."""
    import pyoxigraph as ox

    store = open_store(store_path)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        store.query(query).serialize(format=ox.QueryResultsFormat.JSON)
        times.append(time.perf_counter() - started)
    store.close()
    return statistics.median(times)


def http_query_seconds(base: str, query: str, repeat: int) -> float:
    with httpx.Client(base_url=base, timeout=60) as client:
        client.get("/sparql", params={"query": query}).raise_for_status()  # the first query takes the snapshot
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get("/sparql", params={"query": query}).raise_for_status()
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def after_a_write(base: str, query: str, issue: str, holder: str) -> tuple[float, float]:
    """(seconds to POST one position, seconds of the next SPARQL query, which takes a fresh snapshot)."""
    position = {
        "holder": holder,
        "issue": issue,
        "stance": "opposes",
        "evidence": [{"quote": "contacts were difficult", "source": SOURCE}],
    }
    with httpx.Client(base_url=base, timeout=120, headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        started = time.perf_counter()
        client.post("/positions", json=position).raise_for_status()
        posted = time.perf_counter() - started
        started = time.perf_counter()
        client.get("/sparql", params={"query": query}).raise_for_status()
        return posted, time.perf_counter() - started


def store_for(size: str, scratch: Path) -> Path:
    if size == "seed":
        path = scratch / "seed-store"
        open_store(path).close()
        return path
    return built_store(size)


def run(size: str, seconds: int, connections: int, repeat: int) -> dict:
    scratch = Path(tempfile.mkdtemp(prefix="parley-bench-api-"))
    try:
        store_path = store_for(size, scratch)
        direct = direct_query_seconds(store_path, SPARQL[size], repeat)
        port = free_port()
        started = time.perf_counter()
        server = serve(store_path, port, query_timeout="120", token=TOKEN)
        try:
            wait_for_health(port, server, seconds=900)
            startup = time.perf_counter() - started
            base = f"http://127.0.0.1:{port}"
            httpx.get(f"{base}/conflicts?{CONFLICTS[size]}", timeout=60).raise_for_status()
            health = wrk(f"{base}/health", seconds, connections)
            conflicts = wrk(f"{base}/conflicts?{CONFLICTS[size]}", seconds, connections)
            computed = wrk(f"{base}/conflicts?{CONFLICTS[size]}", seconds, connections, EVERY_REQUEST_NEW)
            through_http = http_query_seconds(base, SPARQL[size], repeat)
            posted, after_write = after_a_write(base, SPARQL[size], *WRITE[size])
        finally:
            stop(server)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return {
        "size": size,
        "startup": startup,
        "health": health,
        "conflicts": conflicts,
        "computed": computed,
        "direct": direct,
        "http": through_http,
        "posted": posted,
        "after_write": after_write,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="seed,100k")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=21)
    arguments = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("bench_api.py needs wrk: apt-get install wrk")
    print(f"machine: {machine()}; wrk -t1 -c{arguments.connections} -d{arguments.seconds}s", flush=True)
    for size in arguments.sizes.split(","):
        result = run(size, arguments.seconds, arguments.connections, arguments.repeat)
        print(
            f"{size}: server ready in {result['startup']:.1f} s; "
            f"/health {result['health']:,.0f} req/s, /conflicts {result['conflicts']:,.0f} req/s "
            f"(ratio {result['conflicts'] / result['health']:.2f}, target >= 0.5), "
            f"/conflicts computed afresh each time {result['computed']:,.0f} req/s "
            f"(ratio {result['computed'] / result['health']:.2f}); "
            f"SPARQL direct {result['direct'] * 1000:.2f} ms, through /sparql {result['http'] * 1000:.2f} ms "
            f"(ratio {result['http'] / result['direct']:.2f}, target <= 1.3); "
            f"POST /positions {result['posted'] * 1000:.0f} ms, next SPARQL query (new snapshot) "
            f"{result['after_write'] * 1000:.0f} ms",
            flush=True,
        )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
