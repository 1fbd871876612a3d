"""Bad values: refused before they are written, and a store that holds one anyway still opens and says so."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from api.cli import app
from graph.analysis import rules
from graph.analysis.read import read_ill_formed_values, read_negotiation
from graph.errors import InvalidDocument
from graph.ingest.load import load_documents, open_store, parse_document
from tests.conftest import snapshot
from tests.store.test_store import big_document, count_kill_test_positions, load_and_kill

PREFIXES = """@prefix parley: <https://w3id.org/parley#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix actor: <https://w3id.org/parley/id/actor/> .
@prefix issue: <https://w3id.org/parley/id/issue/> . @prefix position: <https://w3id.org/parley/id/position/> .
@prefix evidence: <https://w3id.org/parley/id/evidence/> . @prefix source: <https://w3id.org/parley/id/source/> .
"""


def position(extra: str = "", evidence: str = "") -> str:
    return (
        PREFIXES
        + f"""
position:bad a parley:Position ; parley:holder actor:france ; parley:issue issue:ceasefire ;
    parley:stance parley:Supports ; prov:wasDerivedFrom evidence:bad {extra} .
evidence:bad a parley:Evidence ; parley:quote "contacts were difficult" ; parley:source source:us-may-walk-away-2025-04-18 {evidence} .
"""
    )


@pytest.mark.parametrize(
    "extra, evidence, prop, value",
    [
        ('; parley:validFrom "2025-13-01"^^xsd:date', "", "parley:validFrom", "2025-13-01"),
        ('; parley:validUntil "2025-02-29"^^xsd:date', "", "parley:validUntil", "2025-02-29"),
        ('; parley:validFrom "2025-13"^^xsd:gYearMonth', "", "parley:validFrom", "2025-13"),
        ('; parley:validFrom "20x5"^^xsd:gYear', "", "parley:validFrom", "20x5"),
        ('; parley:salience "high"^^xsd:decimal', "", "parley:salience", "high"),
        ('; parley:salience "0,5"^^xsd:double', "", "parley:salience", "0,5"),
        ('; parley:redLine "yes"^^xsd:boolean', "", "parley:redLine", "yes"),
        ("", '; parley:statedOn "2025-04-31"^^xsd:date', "parley:statedOn", "2025-04-31"),
    ],
)
def test_an_ill_formed_value_is_refused_naming_node_property_and_value(store, extra, evidence, prop, value):
    before = snapshot(store)
    document = parse_document(position(extra, evidence).encode(), "bad.ttl")
    with pytest.raises(InvalidDocument) as refused:
        load_documents(store, [document])
    ill_formed = [v for v in refused.value.violations if "ill-formed" in v.constraint]
    assert [(v.path, v.value) for v in ill_formed] == [(prop, value)], refused.value.violations
    assert ill_formed[0].focus in ("position:bad", "evidence:bad")
    assert "bad.ttl" in str(refused.value) and repr(value) in str(refused.value)
    assert snapshot(store) == before


def test_well_formed_values_of_every_datatype_pass(store):
    document = parse_document(
        position(
            '; parley:validFrom "2025-04"^^xsd:gYearMonth ; parley:validUntil "2026"^^xsd:gYear ; '
            'parley:salience "0.5"^^xsd:double ; parley:redLine "1"^^xsd:boolean',
            '; parley:statedOn "2024-02-29"^^xsd:date',
        ).encode(),
        "good.ttl",
    )
    assert load_documents(store, [document]).loaded


FORCED = """
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
DELETE { GRAPH ?g { position:ukraine-territory parley:salience ?s } }
INSERT { GRAPH ?g { position:ukraine-territory parley:salience "very"^^xsd:decimal .
                    position:putin-territory parley:validFrom "2025-13-01"^^xsd:date } }
WHERE { GRAPH ?g { position:ukraine-territory parley:salience ?s } }
"""


@pytest.fixture
def forced(tmp_path) -> str:
    """An on-disk store into which a SPARQL update (not a load) forced two bad values."""
    path = tmp_path / "store"
    with open_store(path) as store:
        store.update(FORCED)
    return str(path)


def test_a_store_holding_bad_values_opens_answers_and_reports_them(forced):
    with open_store(forced) as store:
        negotiation = read_negotiation(store)
        left = {(left.node, left.property, left.value) for left in negotiation.left_out}
        assert left == {
            ("position:ukraine-territory", "parley:salience", "very"),
            ("position:putin-territory", "parley:validFrom", "2025-13-01"),
        }
        assert "ukraine-territory" not in negotiation.positions and "putin-territory" not in negotiation.positions
        conflicts = rules.find_conflicts(negotiation, "russia", "ukraine")
        assert {c.issue for c in conflicts} == {"ukraine-nato-membership", "ukraine-army-size"}, "territory is left out"
        assert {(v.node, v.value) for v in read_ill_formed_values(store)} == {
            ("position:ukraine-territory", "very"),
            ("position:putin-territory", "2025-13-01"),
        }


def test_parley_stats_and_sparql_work_on_it_and_say_what_is_left_out(forced):
    runner = CliRunner()
    stats = runner.invoke(app, ["stats", "--store", forced])
    assert stats.exit_code == 0, stats.output
    assert "left out of the analysis: 2 value(s)" in stats.output and "'2025-13-01'" in stats.output
    query = runner.invoke(app, ["sparql", "--store", forced, "SELECT ?s WHERE { ?p parley:salience ?s } LIMIT 1"])
    assert query.exit_code == 0, query.output


def test_the_bad_value_can_be_removed_and_the_position_comes_back(forced):
    with open_store(forced) as store:
        store.update("DELETE WHERE { GRAPH ?g { position:putin-territory parley:validFrom ?bad } }")
        negotiation = read_negotiation(store)
        assert "putin-territory" in negotiation.positions
        assert [left.node for left in negotiation.left_out] == ["position:ukraine-territory"]


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.0, 0.3, 1.0])
def test_a_refused_large_load_killed_mid_way_leaves_the_store_whole(tmp_path, delay):
    """The bulk path validates while it writes: a kill then, of a load that would be refused, leaves nothing."""
    document = tmp_path / "big.trig"
    big_document(document, 20_000)
    text = document.read_text().replace(
        "parley:salience 0.3 ;", 'parley:salience "0,3"^^<http://www.w3.org/2001/XMLSchema#decimal> ;', 1
    )
    document.write_text(text)
    store_path = tmp_path / "store"
    load_and_kill(store_path, document, delay)
    assert count_kill_test_positions(store_path) == 0
    with open_store(store_path) as store:
        assert len(read_negotiation(store).positions) == 26 and read_ill_formed_values(store) == []


def test_a_refused_large_load_changes_nothing(tmp_path):
    """20,000 positions take the bulk path, which validates while it writes: one bad value drops it all."""
    document = tmp_path / "big.trig"
    big_document(document, 20_000)
    bad = 'parley:salience "x"^^<http://www.w3.org/2001/XMLSchema#double> ;'
    document.write_text(document.read_text().replace("parley:salience 0.3 ;", bad, 1))
    with open_store(tmp_path / "store") as store:
        before = snapshot(store)
        with pytest.raises(InvalidDocument, match="is not a valid xsd:double"):
            load_documents(store, [parse_document(document.read_bytes(), "big.trig")])
        assert snapshot(store) == before
