"""The store: persistence, seeding once, one writer, and atomic writes under kill -9."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.analysis.derived import derived_is_current, refresh_derived
from graph.analysis.read import read_negotiation
from graph.errors import StoreUnavailable
from graph.ingest.load import load_files, load_seed_graph, open_store
from graph.store import Store, open_dataset
from graph.store.namespaces import DERIVED_GRAPH, source_graph
from tests.conftest import hearing_ctrl_c, snapshot


def test_data_survives_closing_and_reopening(tmp_path, data):
    with open_store(tmp_path / "store") as store:
        load_files(store, [data / "valid-position.ttl"])
        before = snapshot(store)
    with Store(tmp_path / "store") as reopened:
        assert snapshot(reopened) == before
        assert reopened.has_document(
            next(iter(reopened.query("SELECT ?s WHERE { ?l parley:sha256 ?s } LIMIT 1")))["s"].value
        )


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
    # Every position is typed parley:Position, a parley:Demand too (a supertype), and counted once.
    assert seed.counts["position"] == len(list(store.query("SELECT ?p WHERE { ?p a parley:Position }"))) == 26
    assert seed.triples > seed.counts["position"]
    assert by_graph["https://w3id.org/parley/graph/reference"].counts["actor"] >= 8


def test_a_store_held_by_another_process_gives_a_clear_error(tmp_path):
    path = tmp_path / "store"
    Store(path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"from graph.store import Store; s = Store({str(path)!r}); print('open', flush=True); input()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
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
    from graph.ingest.load import load_files, open_store
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


def big_nquads(directory, positions: int):
    """:func:`big_document` as N-Quads, ``big.nq`` in ``directory``: every line ends with its one graph, so a
    load of it takes the path that writes the file as it is (EarlyWrite)."""
    import pyoxigraph as ox

    document = directory / "big.trig"
    big_document(document, positions)
    lines = directory / "big.nq"
    lines.write_bytes(ox.serialize(ox.parse(path=document, format=ox.RdfFormat.TRIG), format=ox.RdfFormat.N_QUADS))
    return lines


def count_kill_test_positions(location) -> int:
    """Positions of the kill test in the store (a directory or a server's URL), as a new process opening it finds them."""
    with open_dataset(location) as store:
        assert not bool(store.query("ASK { ?load a parley:PendingLoad }")), "opening drops an unfinished bulk load"
        rows = store.query(
            "SELECT ?g (COUNT(?p) AS ?n) WHERE { GRAPH ?g { ?p a parley:Position } } GROUP BY ?g",
            {"g": source_graph("kill-test")},
        )
        return sum(int(row["n"].value) for row in rows)


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.15, 0.4, 1.0, 2.5])
def test_a_load_killed_with_sigkill_leaves_all_of_the_file_or_none(tmp_path, delay):
    """20,000 positions take the bulk path (Store.bulk_write); a kill at any moment leaves all or nothing."""
    positions = 20_000
    document = tmp_path / "big.trig"
    big_document(document, positions)
    store_path = tmp_path / "store"
    load_and_kill(store_path, document, delay)
    assert count_kill_test_positions(store_path) in (0, positions)


@pytest.mark.parametrize("delay", [0.0, 0.5, 2.5, 4.5, 6.5])
def test_a_file_written_as_it_is_and_killed_leaves_all_of_it_or_none(tmp_path, delay):
    """As N-Quads, the file is written by the bulk loader as it is once parsed, while it is validated (EarlyWrite),
    the default graph open to it: a kill leaves all of it or none, and no default triple."""
    positions = 20_000
    lines = big_nquads(tmp_path, positions)
    store_path = tmp_path / "store"
    load_and_kill(store_path, lines, delay)
    assert count_kill_test_positions(store_path) in (0, positions)
    with Store(store_path) as store:
        assert not store.holds_default_triples()
    assert [left.name for left in tmp_path.iterdir() if "as-it-was" in left.name] == []


@pytest.mark.parametrize("phase", ["parsing", "validating", "reading the analysis index"])
def test_a_load_stopped_with_ctrl_c_says_so_and_what_it_left(tmp_path, phase):
    """Ctrl-C stops `parley load` with the shell's status for it (130): before the data is committed, nothing
    is loaded, once what the bulk loader wrote is dropped; after, the data is in and the next open brings the
    derived graph current. The file is written by the bulk loader once parsed (EarlyWrite). Each phase
    asked for lasts a second or more here, so the signal lands in it (the stands of these positions take less)."""
    positions = 20_000
    lines = big_nquads(tmp_path, positions)
    store_path = tmp_path / "store"
    open_store(store_path).close()
    loader = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "load", str(lines), "--store", str(store_path)],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TERM": "dumb"},
        preexec_fn=hearing_ctrl_c,
    )
    told = []
    for line in loader.stderr or ():
        told.append(line)
        if phase in line:
            break
    loader.send_signal(signal.SIGINT)
    told += (loader.stderr or ()).readlines()
    assert loader.wait() == 130, told
    said = "".join(told)
    assert "stopped (interrupted)" in said and "Traceback" not in said, said
    committed = phase.startswith("reading")
    assert count_kill_test_positions(store_path) == (positions if committed else 0)
    if committed:
        assert "the documents were loaded" in said, said
    else:
        assert "nothing was loaded" in said, said
        # The bulk loader begins once the file is parsed: then, and only then, there is something to drop.
        assert ("stopping: " in said) is (phase == "validating"), said


def load_and_kill(store_path, document, delay: float, phase: str = "writing") -> None:
    """Start loading ``document`` into a new store at ``store_path`` in another process; SIGKILL it
    ``delay`` seconds after it begins the first phase whose name holds ``phase`` (by default, as it
    starts writing: "validating ... while writing them", or "... while writing its file"), or as it ends."""
    open_store(store_path).close()
    loader = subprocess.Popen(
        [sys.executable, "-c", LOADER, str(store_path), str(document)], stdout=subprocess.PIPE, text=True
    )
    try:
        for line in loader.stdout or ():
            if phase in line or line.startswith("done"):
                break
        time.sleep(delay)
        loader.send_signal(signal.SIGKILL)
    finally:
        loader.wait()


@pytest.mark.parametrize("delay", [0.0, 0.2])
def test_a_load_killed_while_it_writes_the_derived_graph_leaves_it_to_the_next_open(tmp_path, delay):
    """The data is committed before the derived graph is written: a kill then keeps the data, and the next
    open finds the derived graph stale and brings it current."""
    positions = 20_000
    document = tmp_path / "big.trig"
    big_document(document, positions)
    store_path = tmp_path / "store"
    load_and_kill(store_path, document, delay, phase="working out and writing the stands")
    assert count_kill_test_positions(store_path) == positions
    with open_dataset(store_path) as store:
        left_stale = not derived_is_current(store)
    assert left_stale or delay > 0, "killed as it began, the load left the derived graph stale"
    with open_store(store_path) as store:
        assert derived_is_current(store)
        brought_current = derived_triples(store)
        store.rewrite(DERIVED_GRAPH, [])
        refresh_derived(store, read_negotiation(store))
        assert brought_current == derived_triples(store), "as a rebuild from nothing writes it"


def derived_triples(store) -> set[tuple[str, str, str]]:
    rows = store.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": DERIVED_GRAPH})
    return {(row["s"].value, row["p"].value, row["o"].value) for row in rows}


def left_by_a_kill(path, written: list) -> None:
    """A store at ``path`` as a kill in the middle of a bulk write leaves it: a pending load whose record says
    the (predicate, object) pairs among ``written``, and the quads among it."""
    import pyoxigraph as ox

    from graph.store.namespaces import LOG_GRAPH, PARLEY

    open_store(path).close()
    raw = ox.Store(str(path))
    record = ox.NamedNode("https://w3id.org/parley/id/load/pending-test")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    raw.add(ox.Quad(record, rdf_type, ox.NamedNode(PARLEY + "PendingLoad"), LOG_GRAPH))
    for item in written:
        raw.add(item if isinstance(item, ox.Quad) else ox.Quad(record, *item, LOG_GRAPH))
    raw.flush()
    del raw


def test_a_bulk_write_cut_short_is_dropped_when_the_store_opens(tmp_path):
    """What a kill in the middle of the bulk loader leaves behind, and what opening the store makes of it."""
    import pyoxigraph as ox

    from graph.store.namespaces import PARLEY

    path = tmp_path / "store"
    graph = source_graph("half-written")
    left_by_a_kill(
        path,
        [
            (ox.NamedNode(PARLEY + "pendingGraph"), graph),
            ox.Quad(ox.NamedNode("urn:half"), ox.NamedNode("urn:p"), ox.Literal("written"), graph),
        ],
    )
    with Store(path) as store:
        assert not store.has_graph(graph) or not bool(store.query("ASK { GRAPH ?g { ?s ?p ?o } }", {"g": graph}))
        assert not bool(store.query("ASK { ?load a parley:PendingLoad }"))
        assert store.has_document(next(iter(store.query("SELECT ?s WHERE { ?l parley:sha256 ?s } LIMIT 1")))["s"].value)


def test_a_bulk_write_cut_short_is_emptied_slice_by_slice_when_the_store_opens(tmp_path, monkeypatch):
    """Oxigraph deletes quad by quad: the embedded store removes a pending load's quads a slice at a time
    (each listed before it is removed), every slice of it, then the record."""
    import pyoxigraph as ox

    from graph.store import embedded
    from graph.store.namespaces import PARLEY

    path = tmp_path / "store"
    graph = source_graph("half-written")
    written = [ox.Quad(ox.NamedNode(f"urn:half{n}"), ox.NamedNode("urn:p"), ox.Literal(n), graph) for n in range(25)]
    left_by_a_kill(path, [(ox.NamedNode(PARLEY + "pendingGraph"), graph), *written])
    monkeypatch.setattr(embedded, "EMPTIED_QUADS", 10)
    said: list[str] = []
    with Store(path, said.append) as store:
        assert not bool(store.query("ASK { GRAPH ?g { ?s ?p ?o } }", {"g": graph}))
        assert not bool(store.query("ASK { ?load a parley:PendingLoad }"))
    assert said == ["dropping what a load cut short wrote"]  # at a million quads, minutes: the user is told
    Store(path, said.append).close()
    assert len(said) == 1, "a store with nothing to drop says nothing"


def test_ctrl_c_again_while_a_bulk_write_is_dropped_leaves_the_rest_to_the_next_open(tmp_path):
    """Dropping what the bulk loader wrote takes a while (a minute a million quads): Ctrl-C again stops that,
    says so, and leaves the pending load's record, which the next open drops with what it names."""
    import pyoxigraph as ox

    graph = source_graph("stopped-twice")
    lines = b"".join(f'<urn:s{n}> <urn:p> "{n}" <{graph.value}> .\n'.encode() for n in range(100))
    path = tmp_path / "store"
    store = Store(path)

    def stopped_again(graphs: list) -> None:
        raise KeyboardInterrupt

    store._empty_graphs = stopped_again  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt) as raised, store.bulk_writing([graph]) as writing:
        writing.add(lines, ox.RdfFormat.N_QUADS)
        raise KeyboardInterrupt  # the first Ctrl-C
    assert "dropped when the store is next opened" in " ".join(raised.value.__notes__)
    assert bool(store.query("ASK { ?load a parley:PendingLoad }"))
    store.close()
    with Store(path) as reopened:
        assert not bool(reopened.query("ASK { GRAPH ?g { ?s ?p ?o } }", {"g": graph}))
        assert not bool(reopened.query("ASK { ?load a parley:PendingLoad }"))


def test_a_bulk_write_cut_short_that_wrote_the_default_graph_leaves_it_empty_when_the_store_opens(tmp_path):
    """A file written as it is (N-Quads) may put triples in the default graph until it is parsed: the pending
    record says so, and opening the store empties the default graph with the load's graphs."""
    import pyoxigraph as ox

    from graph.store.namespaces import PARLEY

    path = tmp_path / "store"
    stray = ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.NamedNode("urn:o"), ox.DefaultGraph())
    left_by_a_kill(path, [(ox.NamedNode(PARLEY + "pendingDefaultGraph"), ox.Literal(True)), stray])
    with Store(path) as store:
        assert not store.holds_default_triples()
        assert not bool(store.query("ASK { ?load a parley:PendingLoad }"))


def test_a_bulk_write_of_lines_goes_in_parts_and_is_all_there(tmp_path):
    """Lines are cut into parts of about ``bulk_part_bytes`` at line ends: each part is whole lines, and the
    graph holds every line once committed."""
    import pyoxigraph as ox

    graph = source_graph("in-parts")
    lines = b"".join(f'<urn:s{n}> <urn:p> "{n}" <{graph.value}> .\n'.encode() for n in range(1_000))
    with Store(tmp_path / "store") as store:
        store.bulk_part_bytes = 4_096
        written = []
        write = store._write_bulk

        def write_part(data: bytes, *arguments) -> None:
            written.append(data)
            write(data, *arguments)

        store._write_bulk = write_part  # type: ignore[method-assign]
        with store.bulk_writing([graph]) as writing:
            writing.add(lines, ox.RdfFormat.N_QUADS)
            writing.commit([])
        assert len(written) > 1 and all(4_096 <= len(part) < 4_096 + 100 for part in written[:-1])
        assert b"".join(written) == lines and all(part.endswith(b" .\n") for part in written)
        assert len(store.dump(graph=graph).splitlines()) == 1_000


@settings(max_examples=150, deadline=None)
@given(
    lines=st.lists(st.binary(max_size=30).map(lambda line: line.replace(b"\n", b"") + b"\n"), min_size=1, max_size=40),
    unended=st.binary(max_size=10).map(lambda tail: tail.replace(b"\n", b"")),
    size=st.integers(min_value=1, max_value=120),
    changed_at=st.integers(min_value=0),
)
def test_a_file_read_again_gives_the_parts_parsed_and_none_that_changed(lines, unended, size, changed_at):
    """The bulk loader reading a file again gets the parts it would have been given of the bytes parsed; once a
    byte changes, the parts before it, then an error, never the changed part."""
    import tempfile

    import pyoxigraph as ox

    from graph.errors import UnreadableDocument
    from graph.store.dataset import FileParts, line_parts

    data = b"".join(lines) + unended
    cut = [data[start:end] for start, end in line_parts(data, ox.RdfFormat.N_QUADS, size)]
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "lines.nq"
        path.write_bytes(data)
        parts = FileParts.of(path, data, ox.RdfFormat.N_QUADS, size)
        assert list(parts.read()) == cut
        at = changed_at % len(data)
        path.write_bytes(data[:at] + bytes([data[at] ^ 1]) + data[at + 1 :])
        read: list[bytes] = []
        with pytest.raises(UnreadableDocument, match="changed while it was loaded"):
            read.extend(parts.read())
    assert read == [part for part, end in zip(cut, itertools.accumulate(map(len, cut)), strict=True) if end <= at]


def test_a_bulk_write_abandoned_stops_once_the_part_being_written_is_in(tmp_path):
    """Oxigraph's bulk loader cannot be stopped; in parts, an abandoned write waits for one part, not all,
    and what it wrote is dropped."""
    import threading

    import pyoxigraph as ox

    graph = source_graph("abandoned")
    lines = b"".join(f'<urn:s{n}> <urn:p> "{n}" <{graph.value}> .\n'.encode() for n in range(1_000))
    with Store(tmp_path / "store") as store:
        store.bulk_part_bytes = 4_096
        begun, written = threading.Event(), []
        write = store._write_bulk

        with store.bulk_writing([graph]) as writing:

            def write_part(data: bytes, *arguments) -> None:
                begun.set()
                writing._stopping.wait(10)  # the first part is still being written when the load is abandoned
                written.append(data)
                write(data, *arguments)

            store._write_bulk = write_part  # type: ignore[method-assign]
            writing.add(lines, ox.RdfFormat.N_QUADS)
            assert begun.wait(10)
            writing.abandon()
        assert len(written) == 1 and len(lines) > 4 * len(written[0])
        assert not bool(store.query("ASK { GRAPH ?g { ?s ?p ?o } }", {"g": graph}))
        assert not bool(store.query("ASK { ?load a parley:PendingLoad }"))


def test_a_large_load_into_a_new_graph_takes_the_bulk_path_and_is_complete(tmp_path):
    from graph.ingest.load import BULK_WRITE_QUADS

    document = tmp_path / "big.trig"
    big_document(document, BULK_WRITE_QUADS // 8)
    with open_store(tmp_path / "store") as store:
        report = load_files(store, [document])
        assert report.quads >= BULK_WRITE_QUADS
        assert not bool(store.query("ASK { ?load a parley:PendingLoad }"))
        assert store.has_document(report.loaded[0].sha256)
    assert count_kill_test_positions(tmp_path / "store") == BULK_WRITE_QUADS // 8


def test_a_large_invalid_load_written_while_it_is_validated_changes_nothing(store, tmp_path):
    """The bulk path writes while it validates; one bad position among many makes it drop all it wrote."""
    from graph.errors import InvalidDocument
    from graph.ingest.load import BULK_WRITE_QUADS
    from tests.conftest import snapshot

    document = tmp_path / "big.trig"
    big_document(document, BULK_WRITE_QUADS // 8)
    text = document.read_text()
    document.write_text(text.replace("parley:stance parley:Supports", "parley:stance parley:Perhaps", 1))
    before = snapshot(store)
    with pytest.raises(InvalidDocument, match="Perhaps"):
        load_files(store, [document])
    assert snapshot(store) == before
    assert not bool(store.query("ASK { ?load a parley:PendingLoad }"))


class _FullDisk:
    """An Oxigraph store whose writes named ``failing`` fail as they do on a full disk, the rest going through."""

    def __init__(self, store, failing: set[str]):
        self._store = store
        self._failing = failing

    def __getattr__(self, name: str):
        if name in self._failing:

            def failing(*arguments, **options):
                raise OSError(28, "No space left on device")

            return failing
        return getattr(self._store, name)


@pytest.mark.parametrize(
    ("file", "failing"),
    [("big.nq", {"bulk_load"}), ("valid-position.ttl", {"load", "update"})],
    ids=["the bulk loader", "a transaction"],
)
def test_a_store_that_fails_under_a_load_says_so_and_keeps_what_it_held(tmp_path, data, file, failing):
    """A full disk is a Parley error naming the store (a command says it, without a traceback), under the bulk
    loader as under a transaction; what the store held is still there, and no pending load is left to drop."""
    from graph.errors import StoreUnavailable
    from graph.ingest.load import BULK_WRITE_QUADS

    # 9 quads a position: over the bulk loader's threshold, so only its writes fail in the first case.
    path = big_nquads(tmp_path, BULK_WRITE_QUADS // 8) if file == "big.nq" else data / file
    with open_store(tmp_path / "store") as store:
        before = snapshot(store)
        oxigraph = store._oxigraph
        store._oxigraph = _FullDisk(oxigraph, failing)
        with pytest.raises(StoreUnavailable, match=r"cannot write to the store at .*No space left on device"):
            load_files(store, [path])
        store._oxigraph = oxigraph
        del oxigraph  # the store's own lock goes with the last reference
    with Store(tmp_path / "store") as reopened:
        assert snapshot(reopened) == before
        assert not bool(reopened.query("ASK { ?load a parley:PendingLoad }"))
