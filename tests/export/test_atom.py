"""The change feed as Atom 1.0: valid (feedparser, RFC 4287's schema), one entry per write and per shift, in words."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from graph.export.atom import Feed, atom_feed, changes_atom, party_changes_atom
from graph.ingest.load import open_store, parse_document
from graph.report.changes import ChangeRecord, ShiftRecord, read_changes
from graph.store.namespaces import SEEDS_DIR
from graph.workspace import Workspace
from tests.export.atom_schema import ATOM, schema_errors, valid_feed

FEED = Feed(
    "urn:uuid:00000000-0000-4000-8000-000000000001",
    "Parley: what changed",
    "http://p.test/changes.atom",
    "http://p.test/",
)
CHANGE = "https://w3id.org/parley/id/change/6f1c2a3b4d5e4f60a1b2c3d4e5f60718"
OWN = uuid.UUID("6f1c2a3b4d5e4f60a1b2c3d4e5f60718")
SEED_SOURCE = "us-may-walk-away-2025-04-18"
# A source of Peskov's and his position against a ceasefire, in its source's graph: a load of one position.
BRIEFING = """
@prefix parley: <https://w3id.org/parley#> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix actor: <https://w3id.org/parley/id/actor/> . @prefix issue: <https://w3id.org/parley/id/issue/> .
@prefix position: <https://w3id.org/parley/id/position/> . @prefix evidence: <https://w3id.org/parley/id/evidence/> .
@prefix source: <https://w3id.org/parley/id/source/> .
<https://w3id.org/parley/graph/source/kremlin-briefing> {
    source:kremlin-briefing a parley:Source ; dcterms:title "Kremlin briefing" .
    position:peskov-ceasefire a parley:Position ; parley:holder actor:dmitry-peskov ; parley:issue issue:ceasefire ;
        parley:stance parley:Opposes ; prov:wasDerivedFrom evidence:peskov-briefing .
    evidence:peskov-briefing a parley:Evidence ; parley:quote "There will be no ceasefire for now." ;
        parley:source source:kremlin-briefing .
}
"""


def shift(index: int, party: str, summary: str, before: str | None, after: str | None, **read) -> ShiftRecord:
    return ShiftRecord(7, index, party, "ceasefire", before, after, summary, **read)


def delete_with_shifts() -> ChangeRecord:
    """Change 7, a delete that ended Russia's stand on the ceasefire and made Peskov's its new one."""
    return ChangeRecord(
        CHANGE, 7, "2026-12-02T10:00:00Z", "delete", "deleted position r: 1 position removed, 2 shifts", 2,
        {"removed": ("r",)},
        (
            shift(1, "russia", "Russia: Ceasefire, from supports to opposes, on the word of Dmitry Peskov", "r", "p"),
            shift(2, "ukraine", "Ukraine: Ceasefire, no longer supporting", "u", None),
        ),
    )  # fmt: skip


def titles(parsed) -> list[str]:
    return [entry.title for entry in parsed.entries]


def test_a_write_is_an_entry_and_each_shift_it_caused_another_in_words():
    parsed = valid_feed(atom_feed(FEED, [delete_with_shifts()]))
    assert titles(parsed) == [
        "deleted position r: 1 position removed, 2 shifts",
        "Russia: Ceasefire, from supports to opposes, on the word of Dmitry Peskov",
        "Ukraine: Ceasefire, no longer supporting",
    ]
    assert [entry.id for entry in parsed.entries] == [
        f"urn:uuid:{OWN}",
        f"urn:uuid:{uuid.uuid5(OWN, 'shift/1')}",
        f"urn:uuid:{uuid.uuid5(OWN, 'shift/2')}",
    ]
    assert [entry.tags[0].term for entry in parsed.entries] == ["delete", "shift", "shift"]
    assert [entry.link for entry in parsed.entries] == [
        "http://p.test/changes?after=6&limit=1",
        "http://p.test/actors/russia/timeline",
        "http://p.test/actors/ukraine/timeline",
    ]
    assert parsed.entries[0].content[0].value == "Change 7 (delete). Removed: r."
    assert parsed.entries[1].content[0].value == (
        "Russia: Ceasefire, from supports to opposes, on the word of Dmitry Peskov. "
        "Change 7; from position: r, to position: p."
    )
    assert parsed.entries[2].content[0].value.endswith("Change 7; from position: u.")
    assert {entry.updated for entry in parsed.entries} == {"2026-12-02T10:00:00Z"} == {parsed.feed.updated}
    assert (parsed.feed.id, parsed.feed.title, parsed.feed.author) == (FEED.id, FEED.title, "Parley")
    assert [(link.rel, link.href) for link in parsed.feed.links] == [("self", FEED.self_url)]


def test_a_write_with_more_shifts_than_it_lists_says_how_many():
    change = delete_with_shifts()
    many = ChangeRecord(change.id, 7, change.time, "load", "loaded a.trig", 1500, {"added": ("a", "b")}, change.shifts)
    parsed = valid_feed(atom_feed(FEED, [many]))
    assert parsed.entries[0].content[0].value == (
        "Change 7 (load). Added: a, b. 1,500 shifts, the first 2 listed as entries."
    )


def test_a_partys_feed_holds_its_shifts_alone_with_their_writes_times():
    shifts = [
        shift(2, "russia", "Russia: Ceasefire, now opposing", None, "p", time="2026-12-02T11:00:00+00:00",
              change=CHANGE),
        ShiftRecord(3, 1, "russia", "territory", "t", None, "Russia: Territory, no longer held",
                    "2026-12-01T09:00:00+00:00", "https://w3id.org/parley/id/change/" + "a" * 32),
    ]  # fmt: skip
    parsed = valid_feed(atom_feed(FEED, [], shifts))
    assert titles(parsed) == ["Russia: Ceasefire, now opposing", "Russia: Territory, no longer held"]
    assert [entry.id for entry in parsed.entries] == [
        f"urn:uuid:{uuid.uuid5(OWN, 'shift/2')}",
        f"urn:uuid:{uuid.uuid5(uuid.UUID('a' * 32), 'shift/1')}",
    ]
    assert parsed.feed.updated == "2026-12-02T11:00:00+00:00"
    assert parsed.entries[1].content[0].value == "Russia: Territory, no longer held. Change 3; from position: t."


@pytest.mark.parametrize("shifts", [None, []], ids=["writes", "shifts"])
def test_a_feed_of_nothing_is_valid_and_says_so(shifts):
    parsed = valid_feed(atom_feed(FEED, [], shifts))
    assert (parsed.entries, parsed.feed.updated) == ([], "1970-01-01T00:00:00Z")


def test_hostile_text_is_kept_as_text_and_what_xml_cannot_hold_is_left_out():
    hostile = "Army ]]> <b>&amp; \x00\x01\x0b\x1f\ud800 \U0001f600 end\r"
    change = ChangeRecord(CHANGE, 1, "2026-12-02T10:00:00Z", "update", hostile, 0)
    body = atom_feed(Feed(FEED.id, hostile, "http://p.test/changes.atom?a=1&b=<2>", FEED.root_url), [change])
    parsed = valid_feed(body)
    kept = "Army ]]> <b>&amp;  \U0001f600 end\r"
    document = etree.fromstring(body)
    assert document.findtext("atom:title", namespaces=ATOM) == kept
    assert document.findtext("atom:entry/atom:title", namespaces=ATOM) == kept
    assert parsed.feed.links[0].href == "http://p.test/changes.atom?a=1&b=<2>"


@given(st.text(max_size=40))
def test_any_text_leaves_the_feed_valid_and_reads_back_as_what_xml_can_hold(text):
    change = ChangeRecord(CHANGE, 1, "2026-12-02T10:00:00Z", text or "update", text, 0)
    body = atom_feed(FEED, [change])
    assert schema_errors(body) == []
    held = "".join(
        c for c in text if c in "\t\n\r" or " " <= c <= "\ud7ff" or "\ue000" <= c <= "\ufffd" or c > "\uffff"
    )
    assert etree.fromstring(body).findtext("atom:entry/atom:title", namespaces=ATOM) == held


def test_the_schema_refuses_what_rfc_4287_refuses():
    good = atom_feed(FEED, [delete_with_shifts()])
    assert schema_errors(good) == []
    for broken in (
        good.replace(b"<id>urn:uuid:00000000", b"<nid>urn:uuid:00000000").replace(b"0001</id>", b"0001</nid>", 1),
        good.replace(b"2026-12-02T10:00:00Z", b"yesterday", 1),
        good.replace(b"<author><name>Parley</name></author>", b""),
        good.replace(b'rel="alternate" ', b'rel="alternate" kind="x" ', 1),
        good.replace(b'<content type="text">Change 7 (delete). Removed: r.</content>', b"").replace(
            b'<link rel="alternate" href="http://p.test/changes?after=6&amp;limit=1"/>', b""
        ),
    ):
        assert schema_errors(broken), broken


@pytest.fixture
def written():
    """A memory store after five writes: the seed's load, a load, a delete, a SPARQL update and a source's text."""
    workspace = Workspace(open_store("memory"))
    workspace.load([parse_document(BRIEFING.encode(), "briefing.trig")])
    workspace.delete_position("ukraine-army-size")
    workspace.update('INSERT DATA { GRAPH <urn:example:notes> { <urn:example:n> <urn:example:says> "hello" } }')
    text = (SEEDS_DIR / f"{SEED_SOURCE}.txt").read_text(encoding="utf-8")
    workspace.set_source_text(SEED_SOURCE, "Preface.\n" + text)
    return workspace


def test_each_write_is_an_entry_followed_by_its_shifts_newest_first(written):
    changes = read_changes(written.store)
    assert [(change.operation, change.shift_count, len(change.shifts)) for change in changes] == [
        ("load", 24, 24),
        ("load", 1, 1),
        ("delete", 1, 1),
        ("update", 0, 0),
        ("text", 0, 0),
    ]
    parsed = valid_feed(changes_atom(written.store, FEED))
    terms = [entry.tags[0].term for entry in parsed.entries]
    assert terms == ["text", "update", "delete", "shift", "load", "shift", "load"] + ["shift"] * 24
    assert titles(parsed)[1:6] == [
        "SPARQL update",
        "deleted position ukraine-army-size: 1 position removed, 1 shift",
        "Ukraine: Limit on the size of Ukraine's army, no longer opposing",
        "loaded briefing.trig: 1 position added, 1 shift",
        "Russia: Ceasefire, now opposing, on the word of Dmitry Peskov (Kremlin briefing)",
    ]
    assert [entry.updated for entry in parsed.entries] == sorted((e.updated for e in parsed.entries), reverse=True)
    assert [entry.link for entry in parsed.entries if entry.tags[0].term != "shift"] == [
        f"http://p.test/changes?after={number}&limit=1" for number in (4, 3, 2, 1, 0)
    ]


def test_entries_keep_their_ids_and_limit_counts_writes(written):
    first, again = (valid_feed(changes_atom(written.store, FEED)) for _ in range(2))
    ids = [entry.id for entry in first.entries]
    assert ids == [entry.id for entry in again.entries] and len(set(ids)) == len(ids) == 5 + 26
    three = valid_feed(changes_atom(written.store, FEED, limit=3))
    assert [entry.id for entry in three.entries] == ids[:4]  # text, update, delete and the delete's shift
    assert [entry.tags[0].term for entry in valid_feed(changes_atom(written.store, FEED, limit=1)).entries] == ["text"]


def test_a_members_feed_is_its_partys_shifts(written):
    with written.reading() as negotiation:
        peskov = valid_feed(party_changes_atom(written.store, negotiation, "dmitry-peskov", FEED))
        russia = valid_feed(party_changes_atom(written.store, negotiation, "russia", FEED))
        ukraine = valid_feed(party_changes_atom(written.store, negotiation, "ukraine", FEED, limit=1))
    assert [entry.id for entry in peskov.entries] == [entry.id for entry in russia.entries]
    assert peskov.feed.title == "Parley: what changed: how Russia shifted"
    assert titles(peskov)[0] == "Russia: Ceasefire, now opposing, on the word of Dmitry Peskov (Kremlin briefing)"
    assert {entry.link for entry in peskov.entries} == {"http://p.test/actors/russia/timeline"}
    assert all(entry.title.startswith("Russia: ") for entry in peskov.entries)
    everything = valid_feed(changes_atom(written.store, FEED))
    russias = [entry.id for entry in everything.entries if entry.link == "http://p.test/actors/russia/timeline"]
    assert sorted(entry.id for entry in peskov.entries) == sorted(russias) and len(russias) == 9
    numbers = [int(entry.content[0].value.rsplit("Change ", 1)[1].split(";")[0]) for entry in peskov.entries]
    assert numbers == sorted(numbers, reverse=True) and numbers[0] == 2
    assert titles(ukraine) == ["Ukraine: Limit on the size of Ukraine's army, no longer opposing"]
