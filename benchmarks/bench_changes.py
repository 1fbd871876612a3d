"""Benchmark of the change feed (issue 17, rule 11): run `python benchmarks/bench_changes.py`.

1. What the feed adds to a write: on a copy of the 100,000-position generated graph's store, single-position
   writes (``Workspace.create_position``, what ``POST /positions`` does), alternately with the change log
   and with it switched off (for this measurement only: the positions go into the index without the
   shifts being worked out, and no record is written), so that both modes share the machine's moments.
   Target: the feed adds under 10% to a write.
2. ``GET /changes.atom?limit=1000``: the newest 1,000 changes as Atom, each with its shift, over the
   in-process ASGI app, on a store holding 1,000 recorded writes. Target: under 200 ms.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from common import built_store, machine

from graph.analysis.model import Evidence, Position
from graph.analysis.read import read_sources
from graph.analysis.shifts import PositionChanges
from graph.ingest import load
from graph.ingest.load import open_store
from graph.workspace import Workspace


def _positions(workspace: Workspace, count: int, prefix: str) -> list[Position]:
    """``count`` new positions of the parties on binary issues, each quoting a source without text."""
    with workspace.reading() as negotiation:
        parties = sorted(a.id for a in negotiation.actors.values() if not a.speaks_for)[:50]
        issues = sorted(i.id for i in negotiation.issues.values() if i.scale == "binary")[:20]
    source = next(s for s in read_sources(workspace.store) if not s.has_text)
    return [
        Position(
            f"{prefix}-{index}",
            parties[index % len(parties)],
            issues[index // len(parties) % len(issues)],
            ("supports", "opposes")[index % 2],
            valid_from="2025-04-19",
            evidence=(Evidence("benchmark quote", source),),
        )
        for index in range(count)
    ]


def write_cost(size: str, writes: int) -> tuple[float, float]:
    """Median seconds of a write with the change log and without it, interleaved."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "store"
        shutil.copytree(built_store(size), copy)
        workspace = Workspace(open_store(copy))
        recorded, bare = [], []
        logged = (load.additions_in_place, load.change_record)
        # Without the log: the positions go into the index as they did before it, and no record is written.
        unlogged = (lambda negotiation, positions, today: negotiation.add(positions) or PositionChanges(), _no_record)
        for index, position in enumerate(_positions(workspace, 2 * writes, "bench")):
            with_log = index % 4 in (0, 3)  # ABBA: neither mode always goes first
            load.additions_in_place, load.change_record = logged if with_log else unlogged
            started = time.perf_counter()
            workspace.create_position(position)
            (recorded if with_log else bare).append(time.perf_counter() - started)
        load.additions_in_place, load.change_record = logged
        workspace.store.close()
    return statistics.median(recorded), statistics.median(bare)


def _no_record(*arguments) -> list:
    return []


def atom_latency(changes: int, repeat: int) -> tuple[float, int]:
    """Median seconds of ``GET /changes.atom?limit=1000`` over ``changes`` recorded writes, and its bytes."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(Settings(store=str(Path(folder) / "store")))
        with TestClient(app) as client:
            workspace = app.state.workspace
            for position in _positions_seed(workspace, changes):
                workspace.create_position(position)
            times, size = [], 0
            for _ in range(repeat):
                started = time.perf_counter()
                response = client.get("/changes.atom", params={"limit": 1000})
                times.append(time.perf_counter() - started)
                size = len(response.content)
                assert response.status_code == 200 and response.text.count("<entry>") >= min(changes, 1000)
    return statistics.median(times), size


def _positions_seed(workspace: Workspace, count: int) -> list[Position]:
    """Positions for the seed graph: the parties and issues it holds, the seed source's own words."""
    with workspace.reading() as negotiation:
        parties = sorted(a.id for a in negotiation.actors.values() if not a.speaks_for)
        issues = sorted(i.id for i in negotiation.issues.values() if i.scale == "binary")
    source = next(s for s in read_sources(workspace.store) if s.id == "us-may-walk-away-2025-04-18")
    return [
        Position(
            f"feed-{index}",
            parties[index % len(parties)],
            issues[index // len(parties) % len(issues)],
            ("supports", "opposes")[index % 2],
            valid_from=f"2025-05-{1 + index % 28:02d}",
            evidence=(Evidence("contacts were difficult", source),),
        )
        for index in range(count)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100k")
    parser.add_argument("--writes", type=int, default=100, help="writes in each mode")
    parser.add_argument("--changes", type=int, default=1000)
    arguments = parser.parse_args()
    print(f"machine: {machine()}")
    with_log, without = write_cost(arguments.size, arguments.writes)
    print(
        f"write of one position, {arguments.size}: {with_log * 1000:.1f} ms with the change log, "
        f"{without * 1000:.1f} ms without (median of {arguments.writes} each, interleaved): "
        f"+{(with_log / without - 1) * 100:.1f}%; target under 10%: {with_log / without < 1.10}"
    )
    seconds, size = atom_latency(arguments.changes, 9)
    print(
        f"GET /changes.atom?limit=1000 over {arguments.changes:,} changes: {seconds * 1000:.1f} ms "
        f"({size:,} bytes, median of 9); target under 200 ms: {seconds < 0.2}"
    )


if __name__ == "__main__":
    main()
