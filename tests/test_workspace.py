"""The workspace: the store, the analysis index and the derived graph change together."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from graph.analysis import rules
from graph.analysis.derived import refresh_derived
from graph.analysis.model import Evidence, Position, Source
from graph.analysis.read import read_negotiation
from graph.errors import InvalidDocument, UnknownActor, UnknownPosition
from graph.ingest.load import parse_document
from graph.store.namespaces import DERIVED_GRAPH
from graph.workspace import PositionExists, PositionInUse, ReadWriteLock, Workspace
from tests.conftest import snapshot

DAY = date(2025, 4, 20)
SOURCE = Source("us-may-walk-away-2025-04-18", "")


def _position(position_id: str = "peskov-ceasefire", holder: str = "dmitry-peskov") -> Position:
    return Position(
        position_id,
        holder,
        "ceasefire",
        "opposes",
        valid_from="2025-04-19",
        evidence=(Evidence("contacts were difficult", SOURCE),),
    )


def _derived(store) -> set[bytes]:
    return set(store.dump(graph=DERIVED_GRAPH).splitlines())


@pytest.fixture
def workspace(store):
    """A workspace over a fresh store holding the seed graph, embedded and remote."""
    yield Workspace(store)


def _issues(workspace: Workspace, a: str = "russia", b: str = "us") -> tuple[str, ...]:
    with workspace.reading() as negotiation:
        return tuple(sorted((c.issue, c.a_stand.position.id) for c in rules.find_conflicts(negotiation, a, b, DAY)))


def test_create_and_delete_keep_index_and_derived_graph_equal_to_a_fresh_read(workspace):
    workspace.create_position(_position())
    assert ("ceasefire", "peskov-ceasefire") in _issues(workspace)
    with pytest.raises(PositionExists):
        workspace.create_position(_position())
    fresh = read_negotiation(workspace.store)
    with workspace.reading() as negotiation:
        assert negotiation.positions == fresh.positions
    derived = _derived(workspace.store)
    refresh_derived(workspace.store, fresh)
    assert _derived(workspace.store) == derived, "the incremental refresh equals a rebuild"

    workspace.delete_position("peskov-ceasefire")
    assert ("ceasefire", "peskov-ceasefire") not in _issues(workspace)
    derived = _derived(workspace.store)
    refresh_derived(workspace.store, read_negotiation(workspace.store))
    assert _derived(workspace.store) == derived
    assert workspace.generation == 2


def test_a_failed_write_changes_nothing(workspace):
    before, generation = snapshot(workspace.store), workspace.generation
    with pytest.raises(InvalidDocument):
        workspace.create_position(_position(holder="nobody"))
    with pytest.raises(PositionInUse):
        workspace.delete_position("putin-territory")
    with pytest.raises(UnknownPosition):
        workspace.delete_position("no-such-position")
    assert snapshot(workspace.store) == before and workspace.generation == generation


def test_an_alias_loaded_later_is_matched_at_once(workspace):
    with workspace.reading() as negotiation, pytest.raises(UnknownActor) as before:
        rules.require_actor(negotiation, "rossiya")
    assert before.value.nearest == []
    document = b'<https://w3id.org/parley/id/actor/russia> <http://www.w3.org/2004/02/skos/core#altLabel> "Rossiya" .'
    workspace.load([parse_document(document, "alias.nt")])
    with workspace.reading() as negotiation, pytest.raises(UnknownActor) as after:
        rules.require_actor(negotiation, "rossiya")
    assert after.value.nearest == ["russia"] and "Rossiya" in negotiation.actors["russia"].aliases


def test_a_reader_during_writes_sees_the_state_before_or_after_never_half(workspace):
    before = _issues(workspace)
    workspace.create_position(_position())
    after = _issues(workspace)
    workspace.delete_position("peskov-ceasefire")
    assert before != after
    seen, stop = [], threading.Event()

    def read() -> None:
        while not stop.is_set():
            seen.append(_issues(workspace))

    readers = [threading.Thread(target=read) for _ in range(3)]
    for reader in readers:
        reader.start()
    for number in range(15):
        workspace.create_position(_position(f"peskov-ceasefire-{number}"))
        workspace.delete_position(f"peskov-ceasefire-{number}")
    stop.set()
    for reader in readers:
        reader.join()
    expected_after = {
        tuple(sorted(set(after) - {("ceasefire", "peskov-ceasefire")} | {("ceasefire", f"peskov-ceasefire-{n}")}))
        for n in range(15)
    }
    assert seen and set(seen) <= {before} | expected_after


def test_a_waiting_writer_goes_before_new_readers():
    lock, order = ReadWriteLock(), []
    reading = threading.Event()

    def first_reader() -> None:
        with lock.shared():
            reading.set()
            threading.Event().wait(0.2)
            order.append("reader 1")

    def writer() -> None:
        with lock.exclusive():
            order.append("writer")

    def second_reader() -> None:
        with lock.shared():
            order.append("reader 2")

    threads = [threading.Thread(target=first_reader)]
    threads[0].start()
    reading.wait()
    threads.append(threading.Thread(target=writer))
    threads[1].start()
    threading.Event().wait(0.05)
    threads.append(threading.Thread(target=second_reader))
    threads[2].start()
    for thread in threads:
        thread.join()
    assert order == ["reader 1", "writer", "reader 2"]


def test_an_update_is_read_back_into_the_index(workspace):
    assert "ukraine-nato-membership" in {issue for issue, _ in _issues(workspace, "russia", "ukraine")}
    workspace.update(
        "DELETE WHERE { GRAPH <https://w3id.org/parley/graph/reference> { actor:vladimir-putin parley:speaksFor actor:russia } }"
    )
    assert "ukraine-nato-membership" not in {issue for issue, _ in _issues(workspace, "russia", "ukraine")}
