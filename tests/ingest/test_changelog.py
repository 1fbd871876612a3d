"""Every write through Parley is recorded, numbered by the store's version, with the shifts it caused (rule 11)."""

from __future__ import annotations

import pytest

from graph.analysis.model import Evidence, Position, Source
from graph.errors import InvalidDocument
from graph.ingest import load
from graph.ingest.load import load_documents, open_store, parse_document
from graph.report.changes import read_changes, read_party_shifts
from graph.workspace import Workspace

SOURCE = Source("us-may-walk-away-2025-04-18", "")
QUOTE = "contacts were difficult"


@pytest.fixture
def workspace():
    return Workspace(open_store("memory"))


def _only_change(workspace: Workspace, after: int):
    (change,) = read_changes(workspace.store, after)
    assert change.sequence == workspace.store.version() == after + 1
    return change


def test_the_seed_load_is_the_first_change_with_a_shift_for_each_current_position_of_each_party(workspace):
    (change,) = read_changes(workspace.store)
    assert (change.sequence, change.operation) == (1, "load")
    assert len(change.positions["added"]) == 26
    # The campaign promise was superseded by the moderated one on the seed's own date.
    assert change.positions["superseded"] == ("trump-war-ended-within-24-hours-campaign",)
    assert change.shift_count == len(change.shifts) == 24
    assert {shift.party for shift in change.shifts} == {"russia", "ukraine", "us"}


def test_a_deletion_ends_the_party_s_current_position_in_words(workspace):
    workspace.delete_position("ukraine-army-size")
    change = _only_change(workspace, 1)
    assert (change.operation, change.positions["removed"]) == ("delete", ("ukraine-army-size",))
    (shift,) = change.shifts
    assert (shift.party, shift.issue, shift.before, shift.after) == (
        "ukraine",
        "ukraine-army-size",
        "ukraine-army-size",
        None,
    )
    assert shift.summary == "Ukraine: Limit on the size of Ukraine's army, no longer opposing"
    assert read_party_shifts(workspace.store, "ukraine")[0].summary == shift.summary


def test_a_posted_position_is_added_and_shifts_its_party_on_the_word_of_its_speaker(workspace):
    position = Position(
        "peskov-ceasefire",
        "dmitry-peskov",
        "ceasefire",
        "opposes",
        valid_from="2025-04-19",
        evidence=(Evidence(QUOTE, SOURCE, speaker="dmitry-peskov", stated_on="2025-04-19"),),
    )
    workspace.create_position(position)
    change = _only_change(workspace, 1)
    assert (change.operation, change.positions["added"]) == ("post", ("peskov-ceasefire",))
    (shift,) = change.shifts
    assert shift.party == "russia" and shift.before is None and shift.after == "peskov-ceasefire"
    assert shift.summary.startswith("Russia: Ceasefire, now opposing, on the word of Dmitry Peskov (")


def test_a_sparql_update_that_ends_a_position_is_one_change_with_the_position_changed(workspace):
    graph = "<https://w3id.org/parley/graph/source/us-may-walk-away-2025-04-18>"
    position = "<https://w3id.org/parley/id/position/putin-ukraine-army-size>"
    workspace.update(f'INSERT DATA {{ GRAPH {graph} {{ {position} parley:validUntil "2025-04-30"^^xsd:date }} }}')
    change = _only_change(workspace, 1)
    assert (change.operation, change.positions["changed"]) == ("update", ("putin-ukraine-army-size",))
    assert [(shift.party, shift.after) for shift in change.shifts] == [("russia", None)]


def test_a_source_text_is_a_change_of_no_position_and_a_refused_write_records_nothing(workspace):
    source = workspace.store.query("SELECT ?t { ?s parley:text ?t }")
    text = next(iter(source))["t"].value
    workspace.set_source_text("us-may-walk-away-2025-04-18", text + "\nA line added.")
    change = _only_change(workspace, 1)
    assert (change.operation, change.shift_count) == ("text", 0)
    assert not any(change.positions.values())
    with pytest.raises(InvalidDocument):
        workspace.create_position(
            Position("bad", "nobody", "ceasefire", "opposes", evidence=(Evidence(QUOTE, SOURCE),))
        )
    assert read_changes(workspace.store, 2) == []
    assert workspace.store.version() == 2


RESTATED = b"""
@prefix parley: <https://w3id.org/parley#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/parley/graph/source/us-may-walk-away-2025-04-18> {
    <https://w3id.org/parley/id/position/ukraine-army-size> a parley:Position ;
        parley:validUntil "2025-05-01"^^xsd:date .
}
"""


def test_a_load_without_an_index_that_restates_a_position_records_it_changed_and_its_shift():
    store = open_store("memory")
    load_documents(store, [parse_document(RESTATED, "end.trig")])  # as `parley load` does: no index at hand
    (change,) = read_changes(store, 1)
    assert (change.positions["added"], change.positions["changed"]) == ((), ("ukraine-army-size",))
    assert [shift.summary for shift in change.shifts] == [
        "Ukraine: Limit on the size of Ukraine's army, no longer opposing"
    ]


def test_a_write_whose_derived_graph_fails_is_recorded_all_the_same(workspace, monkeypatch):
    def fails(*arguments, **options):
        raise RuntimeError("the derived graph could not be written")

    monkeypatch.setattr(load, "refresh_derived", fails)
    position = Position(
        "peskov-ceasefire", "dmitry-peskov", "ceasefire", "opposes", evidence=(Evidence(QUOTE, SOURCE),)
    )
    with pytest.raises(RuntimeError, match="could not be written") as raised:
        workspace.create_position(position)
    assert "the documents were loaded" in " ".join(raised.value.__notes__)
    change = _only_change(workspace, 1)
    assert change.positions["added"] == ("peskov-ceasefire",)
