"""Reading positions back from a store: all at once, or some of them, in slices of any size."""

from __future__ import annotations

from graph.analysis.read import read_negotiation, read_positions
from graph.store.namespaces import instance


def test_chosen_positions_read_in_slices_are_those_of_the_whole_read(store):
    every = read_negotiation(store).positions
    chosen = sorted(every)[::2]  # every other one, conditions and kinds among them
    store.batch_subjects = 4  # slices of 4 positions: many slices, one of them short
    found = read_positions(store, [instance("position", slug) for slug in chosen])
    assert len(chosen) > 4 * 3 and len(chosen) % 4, len(chosen)
    assert {position.id: position for position in found} == {slug: every[slug] for slug in chosen}
    assert any(every[slug].conditions for slug in chosen) and any(every[slug].kind != "position" for slug in chosen)


def test_a_position_the_store_lacks_is_not_read(store):
    assert read_positions(store, [instance("position", "no-such-position")]) == []
    assert read_positions(store, []) == []
