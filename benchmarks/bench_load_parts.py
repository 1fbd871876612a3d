"""Where a large load's time before its commit goes: `python benchmarks/bench_load_parts.py [--size 100k]`.

Parses a generated graph as `parley load` does, then times apart, each over a fresh store holding the seed
graph: asking the store what it holds of the document's subjects, making the bulk part ready (the
document and its supertypes as N-Quads), the bulk loader alone, validation alone, and both as the load
runs them (validation in this thread while another writes), with when each of the two was done.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from collections.abc import Callable

from common import OUT, generated, machine

from graph.ingest import load
from graph.store import Store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="100k", choices=["10k", "100k", "1m"])
    size = parser.parse_args().size
    document = load.read_document(generated(size))
    figures: dict[str, float] = {}
    for mode in ("write", "validate", "both"):
        figures |= {f"{mode}: {name}": seconds for name, seconds in _run(document, mode).items()}
    print(f"machine: {machine()}")
    print(json.dumps({"size": size, "quads": document.quads, **figures}, indent=1))


def _run(document: load.Document, mode: str) -> dict[str, float]:
    """One fresh store, the parts of the load that ``mode`` names, and when each was done."""
    work = OUT / "load-parts"
    shutil.rmtree(work, ignore_errors=True)
    store = load.open_store(work)
    assert isinstance(store, Store)
    load.place_shared_descriptions(document, store)
    timed: dict[str, float] = {}
    stored = _timed(timed, "store's descriptions", lambda: load.stored_descriptions([document], store))
    new = [graph for graph in load._named_graphs(document) if not store.has_graph(graph)]
    bulk: list[bytes] = []
    _timed(timed, "bulk part made ready", lambda: load._split_by_graph(document, set(new), bulk, [b""]))
    started = time.perf_counter()
    write = store._write_bulk

    def write_timed(data: bytes, *arguments) -> None:
        write(data, *arguments)
        timed["written at"] = round(time.perf_counter() - started, 2)

    def validate() -> None:
        load.validate_documents([document], store, stored)
        timed["validated at"] = round(time.perf_counter() - started, 2)

    store._write_bulk = write_timed  # type: ignore[method-assign]
    if mode == "validate":
        validate()
    else:
        store.bulk_write(new, b"".join(bulk), b"", while_writing=validate if mode == "both" else None)
    store.close()
    shutil.rmtree(work, ignore_errors=True)
    return timed


def _timed(timed: dict[str, float], name: str, task: Callable):
    started = time.perf_counter()
    result = task()
    timed[name] = round(time.perf_counter() - started, 2)
    return result


if __name__ == "__main__":
    main()
