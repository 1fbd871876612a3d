"""A large file written by the bulk loader as it is, from the file once parsed, while the load validates it (EarlyWrite).

The store it leaves is the one the usual load leaves; an invalid file, a syntax error or a duplicate leaves
the store as it was. The threshold is lowered so that small files take the path (a test of the real size
is in tests/store/test_store.py, with the kill test).
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.errors import DocumentSyntaxError, InvalidDocument, UnreadableDocument
from graph.ingest import load
from graph.ingest.load import graphs_before_parsing, load_documents, load_files, open_store, read_document
from graph.store import Store
from graph.store.dataset import BulkWrite, line_parts
from graph.store.namespaces import LOG_GRAPH, REFERENCE_GRAPH, source_graph
from tests.conftest import snapshot
from tests.store.test_store import big_document

GRAPH = source_graph("kill-test")
SOURCE = "https://w3id.org/parley/id/source/kill-test"
FORMATS = {"nq": ox.RdfFormat.N_QUADS, "nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE}


@pytest.fixture(autouse=True)
def small_files_are_large(monkeypatch):
    monkeypatch.setattr(load, "BULK_WRITE_QUADS", 500)


def positions_file(tmp_path, extension: str, positions: int = 120, extra: bytes = b"") -> ox.NamedNode:
    """The kill test's positions (a source among them, which the load moves to the reference graph) as a file
    named ``kill-test.{extension}``, so that a triples format writes the same graph as N-Quads."""
    trig = tmp_path / "positions.trig"
    big_document(trig, positions)
    quads = list(ox.parse(path=trig, format=ox.RdfFormat.TRIG))
    if extension == "nq":
        text = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    else:
        text = ox.serialize([quad.triple for quad in quads], format=FORMATS[extension])
    path = tmp_path / f"kill-test.{extension}"
    path.write_bytes(text + extra)
    return path


def never_begun(*arguments, **options):
    """In place of BulkWrite.add_file, where the load must not begin to write the file."""
    raise AssertionError("the bulk loader was given the file")


def loaded(store, path, **options) -> list[str]:
    """Load ``path`` with load_files; return the phases it went through."""
    phases: list[str] = []
    load_files(store, [path], progress=phases.append, **options)
    return phases


def without_log(store) -> set[bytes]:
    """The store's quads but the log graph's (whose records name the time of the load)."""
    return {line for line in snapshot(store) if f"<{LOG_GRAPH.value}>".encode() not in line}


@pytest.mark.parametrize("extension", sorted(FORMATS))
def test_a_file_written_as_it_is_leaves_the_store_the_usual_load_leaves(tmp_path, extension):
    path = positions_file(tmp_path, extension)
    with open_store(tmp_path / "usual") as usual:
        load_documents(usual, [read_document(path)])
        expected = without_log(usual)
    with open_store(tmp_path / "early") as store:
        phases = loaded(store, path)
        assert any("while writing its file" in phase for phase in phases), phases
        assert without_log(store) == expected
        assert not bool(store.query("ASK { ?load a parley:PendingLoad }"))
        # The source the file describes is in the reference graph, not in the file's graph.
        title = ox.NamedNode("http://purl.org/dc/terms/title")
        assert {quad.graph_name for quad in store.descriptions([ox.NamedNode(SOURCE)]) if quad.predicate == title} == {
            REFERENCE_GRAPH
        }
        assert not store.holds_default_triples()


def test_a_triple_outside_the_named_graphs_is_told_apart_and_placed_as_usual(tmp_path, monkeypatch):
    """A triple ending with the graph's IRI looks like a quad in it until parsed; the parse tells it apart, and
    the load writes the file the usual way (the bulk loader would put the triple in the default graph)."""
    line = f"<{SOURCE}> <http://purl.org/dc/terms/source> <{GRAPH.value}> .\n".encode()
    path = positions_file(tmp_path, "nq", extra=line)
    assert graphs_before_parsing(path.read_bytes(), ox.RdfFormat.N_QUADS, source_graph("x")) == [GRAPH]
    with open_store(tmp_path / "usual") as usual:
        load_documents(usual, [read_document(path)])
        expected = without_log(usual)
    with open_store(tmp_path / "early") as store:
        monkeypatch.setattr(BulkWrite, "add_file", never_begun)
        loaded(store, path)
        assert without_log(store) == expected
        assert not store.holds_default_triples()
        assert not bool(store.query("ASK { ?load a parley:PendingLoad }"))


def test_an_invalid_file_written_as_it_is_changes_nothing_and_the_corrected_file_is_written_so_too(tmp_path):
    path = positions_file(tmp_path, "nq")
    good = path.read_bytes()
    path.write_bytes(good.replace(b"#Supports>", b"#Perhaps>", 1))
    with open_store(tmp_path / "store") as store:
        before = snapshot(store)
        with pytest.raises(InvalidDocument, match="Perhaps"):
            loaded(store, path)
        assert snapshot(store) == before
        assert not store.has_graph(GRAPH)
        path.write_bytes(good)
        assert any("while writing its file" in phase for phase in loaded(store, path))


@pytest.mark.parametrize("extension", ["nq", "ttl"])
def test_a_syntax_error_in_a_large_file_changes_nothing_and_begins_no_write(tmp_path, extension, monkeypatch):
    """The file is parsed before the bulk loader is given any of it."""
    monkeypatch.setattr(BulkWrite, "add_file", never_begun)
    path = positions_file(tmp_path, extension)
    text = path.read_bytes()
    middle = text.index(b"\n", len(text) // 2) + 1
    broken = b'<urn:broken> <urn:p> "never closed <' + GRAPH.value.encode() + b"> .\n"  # ends as the other lines do
    path.write_bytes(text[:middle] + broken + text[middle:])
    assert graphs_before_parsing(path.read_bytes(), FORMATS[extension], GRAPH) == [GRAPH], "a file for the bulk loader"
    with open_store(tmp_path / "store") as store:
        before = snapshot(store)
        with pytest.raises(DocumentSyntaxError, match=f"kill-test.{extension}"):
            loaded(store, path)
        assert snapshot(store) == before
        assert not store.holds_default_triples()


def test_a_file_loaded_before_is_skipped_and_not_written(tmp_path, monkeypatch):
    """Into a new graph, the same file (by its SHA-256) is known once parsed: the bulk loader is not begun."""
    path = positions_file(tmp_path, "ttl")
    with open_store(tmp_path / "store") as store:
        loaded(store, path)
        before = snapshot(store)
        monkeypatch.setattr(BulkWrite, "add_file", never_begun)
        report = load_files(store, [path], graph=source_graph("elsewhere"))
        assert (report.loaded, [document.name for document in report.skipped]) == ([], [str(path)])
        assert snapshot(store) == before


def test_a_view_of_the_store_as_it_was_is_removed_after_and_one_left_by_a_kill_when_the_store_opens(tmp_path):
    path = positions_file(tmp_path, "nq")
    with open_store(tmp_path / "store") as store:
        loaded(store, path)
    assert [item.name for item in tmp_path.iterdir() if item.name.startswith(".store")] == []
    left = tmp_path / ".store.as-it-was-killed"
    (left / "store").mkdir(parents=True)
    open_store(tmp_path / "store").close()
    assert not left.exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b"<urn:s> <urn:p> <urn:o> <https://w3id.org/parley/graph/source/a> .\n" * 600, ["a"]),
        (
            b"<urn:s> <urn:p> <urn:o> <https://w3id.org/parley/graph/source/a> .\n" * 300
            + b'<urn:s> <urn:p> "o" <https://w3id.org/parley/graph/source/b> .\n' * 300,
            ["a", "b"],
        ),
        # A third graph in the middle, which neither end names: not told before parsing.
        (
            b"<urn:s> <urn:p> <urn:o> <https://w3id.org/parley/graph/source/a> .\n" * 300
            + b"<urn:s> <urn:p> <urn:o> <https://w3id.org/parley/graph/source/c> .\n"
            + b'<urn:s> <urn:p> "o" <https://w3id.org/parley/graph/source/b> .\n' * 300,
            None,
        ),
        (b"<urn:s> <urn:p> <urn:o> <https://w3id.org/parley/graph/source/a> .\n" * 400, None),  # too few lines
        (b"<urn:s> <urn:p> _:o <https://w3id.org/parley/graph/source/a> .\n" * 600, None),  # blank nodes
        (b"<urn:s> <urn:p> <urn:o> <https://w3id.org/parley/graph/source/a>.\n" * 600, None),  # not told by a space
        (b"# a comment\n" + b"<urn:s> <urn:p> <urn:o> <https://w3id.org/parley/graph/source/a> .\n" * 600, None),
        (b"<urn:s> <urn:p> <urn:o> <https://w3id.org/parley/graph/source/\\u0061> .\n" * 600, None),  # escaped
    ],
)
def test_the_graphs_of_a_file_are_told_from_its_bytes_where_they_can_be(text, expected):
    graphs = graphs_before_parsing(text, ox.RdfFormat.N_QUADS, source_graph("default"))
    assert graphs == (None if expected is None else [source_graph(name) for name in expected])


def test_triples_go_to_the_default_graph_unless_blank_nodes_are_written(tmp_path):
    triples = b"<urn:s> <urn:p> <urn:o> .\n" * 600
    graph = source_graph("file")
    assert graphs_before_parsing(triples, ox.RdfFormat.N_TRIPLES, graph) == [graph]
    assert graphs_before_parsing(triples, ox.RdfFormat.TURTLE, graph) == [graph]
    assert graphs_before_parsing(triples + b"<urn:s> <urn:p> [] .\n", ox.RdfFormat.TURTLE, graph) is None
    assert graphs_before_parsing(triples, ox.RdfFormat.TRIG, graph) is None


def test_the_load_reads_the_store_as_it_was_while_the_file_is_written(tmp_path, monkeypatch):
    """Were the file all in before the load read the store, a load reading the store itself would find its
    positions there already and record no change; it reads the store as it was, and records them added."""
    from graph.report.changes import changes

    add_file = BulkWrite.add_file

    def add_and_wait(self, *arguments, **options):
        add_file(self, *arguments, **options)
        self._parts[-1].result()

    monkeypatch.setattr(BulkWrite, "add_file", add_and_wait)
    path = positions_file(tmp_path, "nq")
    with open_store(tmp_path / "usual") as usual:
        load_documents(usual, [read_document(path)])
        expected = changes(usual, newest_first=True)["orderedItems"][0]
    with open_store(tmp_path / "early") as store:
        phases = loaded(store, path)
        assert any("while writing its file" in phase for phase in phases), phases
        recorded = changes(store, newest_first=True)["orderedItems"][0]
    assert len(recorded["added"]) == len(expected["added"]) == 120
    assert recorded["summary"] == expected["summary"]


@pytest.mark.parametrize("early", [True, False], ids=["written-as-it-is", "usual"])
def test_the_files_bytes_are_let_go_once_parsed(tmp_path, monkeypatch, early):
    """Validation and the index never hold the file's bytes beside the parsed quads (2 GB at 1M positions): once
    parsed, nothing refers to them; the bulk loader reads the file again, a part at a time."""
    if not early:
        monkeypatch.setattr(load, "BULK_WRITE_QUADS", 10**9)
    path = positions_file(tmp_path, "nq")
    content = path.read_bytes()  # the one object the load reads, kept here to count who else holds it
    monkeypatch.setattr(load, "_read", lambda _: content)
    holders: list[int] = []
    load_documents_as_is = load.load_documents

    def counting(store, documents, told, early=None):
        holders.append(sys.getrefcount(content) - 2)  # but the test's and getrefcount's
        return load_documents_as_is(store, documents, told, early=early)

    with open_store(tmp_path / "store") as store:  # seeded before load_documents is watched
        monkeypatch.setattr(load, "load_documents", counting)
        phases = loaded(store, path)
    assert any("while writing its file" in phase for phase in phases) is early
    assert holders == [0]


def _another_graph(text: bytes) -> bytes:
    """A line in the middle moved to the reference graph, which a document may not write."""
    middle = text.index(b"\n", len(text) // 2) + 1
    line = text[middle : text.index(b"\n", middle) + 1]
    return (
        text[:middle] + line.replace(GRAPH.value.encode(), REFERENCE_GRAPH.value.encode()) + text[middle + len(line) :]
    )


CHANGES = {
    "a line moved to another graph": _another_graph,
    "cut short": lambda text: text[: len(text) // 2],
    "a line broken": lambda text: text.replace(b"> .\n", b"> \n", 1),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_file_changed_once_parsed_is_refused_and_none_of_the_change_written(tmp_path, monkeypatch, change):
    """The bulk loader reads the file again: each part must be the one parsed (its SHA-256),
    or nothing is loaded, and the bulk loader is never given the part that changed."""
    path = positions_file(tmp_path, "nq")
    given: list[bytes] = []
    write_bulk = Store._write_bulk

    def writing(self, data, *arguments, **options):
        given.append(data)
        write_bulk(self, data, *arguments, **options)

    parsed = path.read_bytes()
    changed = CHANGES[change](parsed)
    differing = (at for at, (old, new) in enumerate(zip(parsed, changed, strict=False)) if old != new)
    first_change = next(differing, len(changed))
    with open_store(tmp_path / "store") as store:  # seeded first
        monkeypatch.setattr(load, "parse_document", changed_once_parsed(path, rewritten(CHANGES[change])))
        monkeypatch.setattr(Store, "_write_bulk", writing)
        before = snapshot(store)
        store.bulk_part_bytes = 4_096
        with pytest.raises(UnreadableDocument, match="changed while it was loaded") as refused:
            loaded(store, path)
        assert refused.value.document == str(path)
        # The parts before the change were written (and dropped), then nothing: not the load's own part after them.
        cuts = line_parts(parsed, ox.RdfFormat.N_QUADS, 4_096)
        assert given == [parsed[start:end] for start, end in cuts if end <= first_change]
        assert snapshot(store) == before
        assert not store.has_graph(GRAPH) and not store.holds_default_triples()
        assert not bool(store.query("ASK { ?load a parley:PendingLoad }"))


def test_a_file_changed_in_a_part_written_before_validation_is_refused_before_validation(tmp_path, monkeypatch):
    """At 1M positions validation takes minutes: a change the bulk loader has met already is said at once."""
    add_file = BulkWrite.add_file

    def add_and_wait(self, *arguments, **options):
        add_file(self, *arguments, **options)
        with contextlib.suppress(UnreadableDocument):
            self._parts[-1].result()  # the part met the change before the load goes on

    def not_validated(*arguments, **options):
        raise AssertionError("validated a file known to have changed")

    path = positions_file(tmp_path, "nq")
    with open_store(tmp_path / "store") as store:
        monkeypatch.setattr(load, "parse_document", changed_once_parsed(path, rewritten(CHANGES["a line broken"])))
        monkeypatch.setattr(BulkWrite, "add_file", add_and_wait)
        monkeypatch.setattr(load, "validate_documents", not_validated)
        with pytest.raises(UnreadableDocument, match="changed while it was loaded"):
            loaded(store, path)
        assert not store.has_graph(GRAPH) and not bool(store.query("ASK { ?load a parley:PendingLoad }"))


def test_a_file_made_a_pipe_once_parsed_is_refused_without_waiting_for_a_writer(tmp_path, monkeypatch):
    import os

    def made_a_pipe(path):
        path.unlink()
        os.mkfifo(path)  # where the file was: the bulk loader opens a FIFO, which no one writes

    path = positions_file(tmp_path, "nq")
    with open_store(tmp_path / "store") as store:
        monkeypatch.setattr(load, "parse_document", changed_once_parsed(path, made_a_pipe))
        with pytest.raises(UnreadableDocument, match="no longer a file"):
            loaded(store, path)
        assert not store.has_graph(GRAPH) and not bool(store.query("ASK { ?load a parley:PendingLoad }"))


def test_a_file_deleted_once_parsed_is_refused_and_nothing_written(tmp_path, monkeypatch):
    path = positions_file(tmp_path, "nq")
    with open_store(tmp_path / "store") as store:
        monkeypatch.setattr(load, "parse_document", changed_once_parsed(path, Path.unlink))
        before = snapshot(store)
        with pytest.raises(UnreadableDocument, match="cannot read the file again"):
            loaded(store, path)
        assert snapshot(store) == before and not bool(store.query("ASK { ?load a parley:PendingLoad }"))


def test_a_file_added_to_once_parsed_loads_what_was_parsed(tmp_path, monkeypatch):
    """What was parsed and validated is what is written: lines added to the file since are not read."""
    path = positions_file(tmp_path, "nq")
    with open_store(tmp_path / "usual") as usual:
        load_documents(usual, [read_document(path)])
        expected = without_log(usual)
    added = f"<urn:added> <urn:p> <urn:o> <{GRAPH.value}> .\n".encode()
    with open_store(tmp_path / "store") as store:
        monkeypatch.setattr(load, "parse_document", changed_once_parsed(path, rewritten(lambda text: text + added)))
        assert any("while writing its file" in phase for phase in loaded(store, path))
        assert without_log(store) == expected


def test_a_large_file_from_a_pipe_is_loaded_the_usual_way(tmp_path, monkeypatch):
    """A pipe is read once: the bulk loader could not read it again."""
    import os
    import threading

    path = positions_file(tmp_path, "nq")
    with open_store(tmp_path / "usual") as usual:
        load_documents(usual, [read_document(path)])
        expected = without_log(usual)
    pipe = tmp_path / "pipe" / "kill-test.nq"  # the name tells the format and the graph, as the file's does
    pipe.parent.mkdir()
    os.mkfifo(pipe)
    writer = threading.Thread(target=pipe.write_bytes, args=(path.read_bytes(),), daemon=True)
    with open_store(tmp_path / "store") as store:
        writer.start()
        monkeypatch.setattr(BulkWrite, "add_file", never_begun)
        loaded(store, pipe)
        assert without_log(store) == expected
    writer.join(10)


def changed_once_parsed(path, change):
    """In place of load.parse_document: parse, then ``change`` the file at ``path`` (called with the path) before
    the bulk loader reads it again."""
    parse_as_is = load.parse_document

    def parsed_then_changed(content, name, *arguments, **options):
        document = parse_as_is(content, name, *arguments, **options)
        if name == str(path):
            change(path)
        return document

    return parsed_then_changed


def rewritten(change):
    """A change of a file's bytes, as :func:`changed_once_parsed` takes it."""
    return lambda path: path.write_bytes(change(path.read_bytes()))
