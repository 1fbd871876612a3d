"""A large file written by the bulk loader as it is, while the load parses and validates it (EarlyWrite).

The store it leaves is the one the usual load leaves; an invalid file, a syntax error or a duplicate leaves
the store as it was. The threshold is lowered so that small files take the path (a test of the real size
is in tests/store/test_store.py, with the kill test).
"""

from __future__ import annotations

import sys
import time

import pyoxigraph as ox
import pytest

from graph.errors import DocumentSyntaxError, InvalidDocument
from graph.ingest import load
from graph.ingest.load import graphs_before_parsing, load_documents, load_files, open_store, read_document
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


def loaded(store, path, **options) -> list[str]:
    """Load ``path`` with load_files; return the phases it went through."""
    phases: list[str] = []
    load_files(store, [path], progress=phases.append, **options)
    return phases


def without_log(store) -> set[bytes]:
    """The store's quads but the log graph's (whose records name the time of the load)."""
    return {line for line in snapshot(store) if f"<{LOG_GRAPH.value}>".encode() not in line}


@pytest.mark.parametrize("extension", sorted(FORMATS))
def test_a_file_written_as_it_is_parsed_leaves_the_store_the_usual_load_leaves(tmp_path, extension):
    path = positions_file(tmp_path, extension)
    with open_store(tmp_path / "usual") as usual:
        load_documents(usual, [read_document(path)])
        expected = without_log(usual)
    with open_store(tmp_path / "early") as store:
        phases = loaded(store, path)
        assert any("while writing it" in phase for phase in phases), phases
        assert without_log(store) == expected
        assert not bool(store.query("ASK { ?load a parley:PendingLoad }"))
        # The source the file describes is in the reference graph, not in the file's graph.
        title = ox.NamedNode("http://purl.org/dc/terms/title")
        assert {quad.graph_name for quad in store.descriptions([ox.NamedNode(SOURCE)]) if quad.predicate == title} == {
            REFERENCE_GRAPH
        }
        assert not store.holds_default_triples()


def test_a_triple_outside_the_named_graphs_is_told_apart_and_placed_as_usual(tmp_path):
    """A triple ending with the graph's IRI looks like a quad in it until parsed; the load then writes it the
    usual way, and empties the default graph the bulk loader put it in."""
    line = f"<{SOURCE}> <http://purl.org/dc/terms/source> <{GRAPH.value}> .\n".encode()
    path = positions_file(tmp_path, "nq", extra=line)
    assert graphs_before_parsing(path.read_bytes(), ox.RdfFormat.N_QUADS, source_graph("x")) == [GRAPH]
    with open_store(tmp_path / "usual") as usual:
        load_documents(usual, [read_document(path)])
        expected = without_log(usual)
    with open_store(tmp_path / "early") as store:
        loaded(store, path)
        assert without_log(store) == expected
        assert not store.holds_default_triples()
        assert not bool(store.query("ASK { ?load a parley:PendingLoad }"))


def test_an_invalid_file_written_as_it_is_parsed_changes_nothing_and_the_corrected_file_is_written_so_too(tmp_path):
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
        assert any("while writing it" in phase for phase in loaded(store, path))


@pytest.mark.parametrize("extension", ["nq", "ttl"])
def test_a_syntax_error_in_a_file_written_as_it_is_parsed_changes_nothing(tmp_path, extension):
    path = positions_file(tmp_path, extension)
    text = path.read_bytes()
    middle = text.index(b"\n", len(text) // 2) + 1
    path.write_bytes(text[:middle] + b"<urn:broken> <urn:p> .\n" + text[middle:])
    with open_store(tmp_path / "store") as store:
        before = snapshot(store)
        with pytest.raises(DocumentSyntaxError, match=f"kill-test.{extension}"):
            loaded(store, path)
        assert snapshot(store) == before
        assert not store.holds_default_triples()


def test_a_file_loaded_before_is_skipped_and_what_was_written_of_it_dropped(tmp_path):
    path = positions_file(tmp_path, "ttl")
    with open_store(tmp_path / "store") as store:
        loaded(store, path)
        before = snapshot(store)
        elsewhere = source_graph("elsewhere")
        phases = loaded(store, path, graph=elsewhere)
        assert any("while writing it" in phase for phase in phases), phases
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
    from graph.store.dataset import BulkWrite

    add = BulkWrite.add

    def add_and_wait(self, *arguments, **options):
        add(self, *arguments, **options)
        self._parts[-1].result()

    monkeypatch.setattr(BulkWrite, "add", add_and_wait)
    path = positions_file(tmp_path, "nq")
    with open_store(tmp_path / "usual") as usual:
        load_documents(usual, [read_document(path)])
        expected = changes(usual, newest_first=True)["orderedItems"][0]
    with open_store(tmp_path / "early") as store:
        phases = loaded(store, path)
        assert any("while writing it" in phase for phase in phases), phases
        recorded = changes(store, newest_first=True)["orderedItems"][0]
    assert len(recorded["added"]) == len(expected["added"]) == 120
    assert recorded["summary"] == expected["summary"]


@pytest.mark.parametrize("early", [True, False], ids=["written-as-parsed", "usual"])
def test_the_files_bytes_are_let_go_once_parsed(tmp_path, monkeypatch, early):
    """Validation and the index never hold the file's bytes beside the parsed quads (2 GB at 1M positions):
    once parsed, and once the bulk loader has written its parts, nothing refers to them."""
    if not early:
        monkeypatch.setattr(load, "BULK_WRITE_QUADS", 10**9)
    path = positions_file(tmp_path, "nq")
    content = path.read_bytes()  # the one object the load reads, kept here to count who else holds it
    monkeypatch.setattr(load, "_read", lambda _: content)
    holders: list[int] = []
    load_documents_as_is = load.load_documents

    def counting(store, documents, told, early=None):
        for part in early.writing._parts if early is not None else ():
            part.result()  # the bulk loader's own hold ends with its last part
        # Its thread lets go of its task a moment after the part's result is set: give it that moment.
        deadline = time.monotonic() + 5
        while sys.getrefcount(content) - 2 > 0 and time.monotonic() < deadline:  # but the test's and getrefcount's
            time.sleep(0.01)
        holders.append(sys.getrefcount(content) - 2)
        return load_documents_as_is(store, documents, told, early=early)

    with open_store(tmp_path / "store") as store:  # seeded before load_documents is watched
        monkeypatch.setattr(load, "load_documents", counting)
        phases = loaded(store, path)
    assert any("while writing it" in phase for phase in phases) is early
    assert holders == [0]
