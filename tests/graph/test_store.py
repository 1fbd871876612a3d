"""The store: persistence, seeding once, one writer, and atomic writes under kill -9."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time

import pytest

from graph.errors import StoreUnavailable
from graph.load import load_files, load_seed_graph, open_store
from graph.namespaces import source_graph
from graph.store import Store
from tests.conftest import snapshot


def test_data_survives_closing_and_reopening(tmp_path, data):
    with open_store(tmp_path / "store") as store:
        load_files(store, [data / "valid-position.ttl"])
        before = snapshot(store)
    with Store(tmp_path / "store") as reopened:
        assert snapshot(reopened) == before
        assert reopened.has_document(next(iter(reopened.query("SELECT ?s WHERE { ?l parley:sha256 ?s } LIMIT 1")))["s"].value)


def test_the_seed_graph_is_loaded_once(tmp_path):
    with open_store(tmp_path / "store") as store:
        first = snapshot(store)
        statistics = store.statistics()
        assert any(graph.counts.get("position", 0) > 0 for graph in statistics)
    with open_store(tmp_path / "store") as store:
        assert snapshot(store) == first
        assert load_seed_graph(store).loaded == []
        assert snapshot(store) == first


def test_statistics_count_per_graph(store):
    by_graph = {graph.graph: graph for graph in store.statistics()}
    seed = by_graph[source_graph("us-may-walk-away-2025-04-18").value]
    assert seed.counts["position"] == len(list(store.query("SELECT ?p WHERE { ?p a/rdfs:subClassOf* parley:Position }")))
    assert seed.triples > seed.counts["position"]
    assert by_graph["https://w3id.org/parley/graph/reference"].counts["actor"] >= 8


def test_a_store_held_by_another_process_gives_a_clear_error(tmp_path):
    path = tmp_path / "store"
    Store(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", f"from graph.store import Store; s = Store({str(path)!r}); print('open', flush=True); input()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreUnavailable, match="cannot open the store at .*another Parley process"):
            Store(path)
    finally:
        holder.kill()
        holder.wait()


def test_a_write_is_one_transaction(store):
    before = snapshot(store)
    with pytest.raises(SyntaxError):
        store.write(b'<urn:a> <urn:p> "fine" <urn:g> .\n<urn:a> <urn:p> broken <urn:g> .\n')
    assert snapshot(store) == before


LOADER = textwrap.dedent("""
    import sys
    from graph.load import load_files, open_store
    store = open_store(sys.argv[1])
    print("open", flush=True)
    load_files(store, [sys.argv[2]], progress=lambda message: print(message, flush=True))
    store.close()
    print("done", flush=True)
""")


def big_document(path, positions: int) -> None:
    """A TriG document of many valid positions on the seed graph's actors and issues."""
    lines = [
        "@prefix parley: <https://w3id.org/parley#> . @prefix prov: <http://www.w3.org/ns/prov#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "<https://w3id.org/parley/graph/source/kill-test> {",
        '<https://w3id.org/parley/id/source/kill-test> a parley:Source ; dcterms:title "Kill test" .',
    ]
    for number in range(positions):
        lines.append(
            f"<https://w3id.org/parley/id/position/kill-{number}> a parley:Position ; "
            f"parley:holder <https://w3id.org/parley/id/actor/{'russia' if number % 2 else 'ukraine'}> ; "
            "parley:issue <https://w3id.org/parley/id/issue/territory> ; parley:stance parley:Supports ; "
            f"parley:salience {number % 10 / 10} ; prov:wasDerivedFrom <https://w3id.org/parley/id/evidence/kill-{number}> .\n"
            f'<https://w3id.org/parley/id/evidence/kill-{number}> a parley:Evidence ; parley:quote "Quote {number}" ; '
            "parley:source <https://w3id.org/parley/id/source/kill-test> ."
        )
    lines.append("}")
    path.write_text("\n".join(lines))


def count_kill_test_positions(path) -> int:
    with Store(path) as store:
        rows = store.query(
            "SELECT ?g (COUNT(?p) AS ?n) WHERE { GRAPH ?g { ?p a parley:Position } } GROUP BY ?g",
            {"g": source_graph("kill-test")},
        )
        return sum(int(row["n"].value) for row in rows)


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.15, 0.4, 1.0])
def test_a_load_killed_with_sigkill_leaves_all_of_the_file_or_none(tmp_path, delay):
    positions = 20_000
    document = tmp_path / "big.trig"
    big_document(document, positions)
    store_path = tmp_path / "store"
    open_store(store_path).close()
    loader = subprocess.Popen([sys.executable, "-c", LOADER, str(store_path), str(document)],
                              stdout=subprocess.PIPE, text=True)
    try:
        for line in loader.stdout:
            if line.startswith("writing") or line.startswith("done"):
                break
        time.sleep(delay)
        loader.send_signal(signal.SIGKILL)
    finally:
        loader.wait()
    assert count_kill_test_positions(store_path) in (0, positions)
