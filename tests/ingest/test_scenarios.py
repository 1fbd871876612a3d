"""Models of bargaining: KTAB's SMP actor file and decide's input, read by hand-worked mapping, refused by row."""

from __future__ import annotations

import hashlib

import pytest

from graph.analysis.model import QUANTITY
from graph.analysis.read import read_all_evidence, read_negotiation
from graph.errors import InvalidTable
from graph.export.spreadsheets import generate_csv
from graph.ingest.load import open_store
from graph.ingest.spreadsheets import import_file, parse_table
from graph.ingest.tables import Known
from tests.conftest import snapshot
from tests.export.test_spreadsheets import store_with_the_names_of

KTAB = b"""Energy talks,"A small test scenario",3,2,
Actor,Description,Power,Ceasefire line,Sal1,Sanctions relief,Sal2,
Russia, The Kremlin, 80, 90, 60, 100, 30,
UA, Kyiv government, 40, 10, 70, 0, 20,
EUC, European Commission, 20, 30, 40, 20, 50,
"""

DECIDE = b"""'#A'\t'RU'\t'Russia'\t''
'#A'\t'UA'\t'Ukraine'\t''
'#P'\t'Line'\t'Ceasefire line'\t''
'#M'\t'Line'\t0
'#M'\t'Line'\t10
'#D'\t'RU'\t'Line'\t9.0\t0.8\t0.6\t
'#D'\t'UA'\t'Line'\t1.5\t0.9\t0.3\t
"""


@pytest.fixture
def seeded():
    with open_store("memory") as store:
        yield store


def write(tmp_path, content: bytes, name: str):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def stands(store) -> set[tuple]:
    """(holder, issue, min, max, salience) of every position on a Quantity issue."""
    negotiation = read_negotiation(store)
    return {
        (p.holder, p.issue, p.minimum, p.maximum, p.salience)
        for p in negotiation.positions.values()
        if negotiation.issues[p.issue].scale == QUANTITY
    }


def problems(store, content: bytes, format: str) -> list[tuple]:
    with pytest.raises(InvalidTable) as refused:
        parse_table(content, f"model.{format}", Known.from_store(store), format)
    return [(p.row, p.column, p.message) for p in refused.value.problems]


def test_a_ktab_file_gives_actors_with_power_quantity_issues_and_positions_quoting_their_rows(seeded, tmp_path):
    report = import_file(seeded, write(tmp_path, KTAB, "energy.csv"), "ktab")
    assert (report.written, report.table.row_count) == (6, 3)
    negotiation = read_negotiation(seeded)
    # Russia is the seed's actor (by its name); UA and EUC are new, labelled with their names.
    assert {slug: negotiation.actors[slug].power for slug in ("russia", "ua", "euc")} == {
        "russia": 1.0,
        "ua": 0.5,
        "euc": 0.25,
    }
    assert negotiation.actors["ua"].label == "UA"
    line = negotiation.issues["ceasefire-line"]
    assert (line.label, line.scale, line.unit) == ("Ceasefire line", QUANTITY, "0-100")
    assert stands(seeded) == {
        ("russia", "ceasefire-line", 90.0, 90.0, 0.6),
        ("russia", "sanctions-relief", 100.0, 100.0, 0.3),
        ("ua", "ceasefire-line", 10.0, 10.0, 0.7),
        ("ua", "sanctions-relief", 0.0, 0.0, 0.2),
        ("euc", "ceasefire-line", 30.0, 30.0, 0.4),
        ("euc", "sanctions-relief", 20.0, 20.0, 0.5),
    }
    (evidence,) = read_all_evidence(seeded)["energy-talks-ua-ceasefire-line"]
    assert evidence.quote == "UA, Kyiv government, 40, 10, 70, 0, 20,"
    assert (evidence.source.id, evidence.source.title) == ("energy-talks", "Energy talks: A small test scenario")
    sha = seeded.query("SELECT ?sha WHERE { source:energy-talks parley:sha256 ?sha }")
    assert [row["sha"].value for row in sha] == [hashlib.sha256(KTAB).hexdigest()]
    # The file is the source's text, so each row quoted is verified, and placed where it stands in the file.
    assert evidence.verified
    start = KTAB.decode().index("UA, Kyiv government")
    placed = seeded.query(
        "SELECT ?start WHERE { evidence:energy-talks-ua-ceasefire-line-1 prov:wasQuotedFrom/oa:hasSelector/oa:start ?start }"
    )
    assert [int(row["start"].value) for row in placed] == [start]


def test_a_ktab_file_imported_twice_changes_nothing_the_second_time(seeded, tmp_path):
    path = write(tmp_path, KTAB, "energy.csv")
    import_file(seeded, path, "ktab")
    before = snapshot(seeded)
    again = import_file(seeded, path, "ktab")
    assert (again.written, len(again.table.unchanged)) == (0, 6)
    assert snapshot(seeded) == before


def test_ktab_refusals_name_their_row_and_column(seeded):
    bad = KTAB.replace(b"UA, Kyiv government, 40, 10, 70", b"UA, Kyiv government, 40, 120, 90").replace(
        b",3,2,", b",4,2,"
    )
    assert problems(seeded, bad, "ktab") == [
        (4, "Ceasefire line", "position 120 is outside 0 to 100"),
        (4, None, "the saliences add up to 110: KTAB allows 100 at most"),
        (1, "actors", "the scenario announces 4 actors; 3 follow"),
    ]


def test_a_ktab_dimension_that_names_a_binary_issue_is_refused(seeded):
    bad = KTAB.replace(b"Ceasefire line", b"Ceasefire")
    assert problems(seeded, bad, "ktab") == [(2, None, "dimension 'Ceasefire' is issue ceasefire, which is binary")]


def test_an_actor_given_another_power_before_is_refused_not_overwritten(seeded, tmp_path):
    import_file(seeded, write(tmp_path, KTAB, "energy.csv"), "ktab")
    other = KTAB.replace(b"UA, Kyiv government, 40", b"UA, Kyiv government, 60").replace(b"Energy talks", b"Round two")
    assert problems(seeded, other, "ktab") == [(4, "Power", "ua has power 0.5 already; this file gives it 0.75")]


def test_a_decide_file_gives_bounds_power_and_salience_as_they_are(seeded, tmp_path):
    report = import_file(seeded, write(tmp_path, DECIDE, "line.csv"), "decide")
    assert report.written == 2
    negotiation = read_negotiation(seeded)
    assert (negotiation.actors["russia"].power, negotiation.actors["ukraine"].power) == (0.6, 0.3)
    assert negotiation.issues["ceasefire-line"].unit == "0-10"
    assert stands(seeded) == {("russia", "ceasefire-line", 9.0, 9.0, 0.8), ("ukraine", "ceasefire-line", 1.5, 1.5, 0.9)}
    (evidence,) = read_all_evidence(seeded)["line-russia-ceasefire-line"]
    assert evidence.quote == "'#D'\t'RU'\t'Line'\t9.0\t0.8\t0.6\t"


def test_decide_refusals_name_their_row_and_column(seeded):
    bad = (
        DECIDE.replace(b"'UA'\t'Line'\t1.5\t0.9\t0.3", b"'UK'\t'Line'\t11\t0.9\t0.3")
        + b"'#D'\t'RU'\t'Line'\t2\t0.5\t0.7\n#X\n"
    )
    assert problems(seeded, bad, "decide") == [
        (9, "record", "'#X' is not a decide record (#A, #P, #M or #D)"),
        (7, "actor", "no #A record declares the actor 'UK'"),
        (8, "power", "RU has power 0.6 on an earlier row"),
    ]


@pytest.mark.parametrize("format", ["ktab", "decide"])
def test_a_scenario_exported_and_imported_into_a_store_with_the_same_names_gives_the_same_stands(tmp_path, format):
    with open_store("memory") as store:
        import_file(store, write(tmp_path, KTAB, "energy.csv"), "ktab")
        exported = "".join(generate_csv(read_negotiation(store), read_all_evidence(store), format, "energy-talks"))
        copy = store_with_the_names_of(store)
        # The exported file is a text of its own: the source energy-talks holds the file first imported.
        import_file(copy, write(tmp_path, exported.encode(), f"again.{format}"), format, source="energy-talks-again")
        assert stands(copy) == stands(store)
        assert {a.id: a.power for a in read_negotiation(copy).actors.values()} == {
            a.id: a.power for a in read_negotiation(store).actors.values()
        }
