"""The derived graph: stands as SPARQL sees them, and queries over them that agree with the analysis."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import date

import pyoxigraph as ox
import pytest

from graph.analysis import derived, rules
from graph.analysis.derived import derived_is_current, refresh_derived
from graph.analysis.read import read_negotiation
from graph.ingest.load import load_files, open_store
from graph.store import queries
from graph.store.namespaces import DERIVED_GRAPH, instance, slug_of


def sparql_conflicts(store, a: str, b: str) -> dict[str, set[str]]:
    found = defaultdict(set)
    for row in store.query(queries.STANDS_IN_CONFLICT, {"a": instance("actor", a), "b": instance("actor", b)}):
        found[slug_of(row["issue"].value)].add(row["kind"].value)
    return dict(found)


def sparql_agreements(store, a: str, b: str) -> dict[str, tuple]:
    def end(term):
        return (
            None
            if term is None
            else (date.fromisoformat(term.value) if "date" in term.datatype.value else float(term.value))
        )

    return {
        slug_of(row["issue"].value): (end(row["zoneMin"]), end(row["zoneMax"]))
        for row in store.query(queries.STANDS_IN_AGREEMENT, {"a": instance("actor", a), "b": instance("actor", b)})
    }


def analysis_results(store, a: str, b: str):
    negotiation = read_negotiation(store)
    conflicts = {c.issue: set(c.kinds) for c in rules.find_conflicts(negotiation, a, b)}
    agreements = {g.issue: g.zone or (None, None) for g in rules.find_agreements(negotiation, a, b)}
    return conflicts, agreements


STANDS = "SELECT ?group ?on ?position WHERE { ?group ?on ?position . ?on parley:onIssue ?issue }"


def stands_of(store) -> set[tuple[str, str, str]]:
    """Every stand of the derived graph, as (group, issue, position) slugs."""
    return {
        (slug_of(row["group"].value), slug_of(row["on"].value), slug_of(row["position"].value))
        for row in store.query(STANDS)
    }


GROUPS = ["us", "russia", "ukraine", "eu", "vladimir-putin", "marco-rubio"]
ONE_GROUP = [{"us", "marco-rubio"}, {"russia", "vladimir-putin"}]  # asking about those is an error (rule 10)


@pytest.mark.parametrize(("a", "b"), [pair for pair in itertools.permutations(GROUPS, 2) if set(pair) not in ONE_GROUP])
def test_sparql_over_stands_agrees_with_the_analysis_on_the_seed_graph(store, a, b):
    conflicts, agreements = analysis_results(store, a, b)
    assert sparql_conflicts(store, a, b) == conflicts
    stance_agreements = {issue: zone for issue, zone in sparql_agreements(store, a, b).items()}
    assert stance_agreements == agreements


def test_russia_and_ukraine_conflict_in_sparql_as_in_the_analysis(store):
    assert sparql_conflicts(store, "russia", "ukraine") == {
        "territory": {"explicit", "stance"},
        "ukraine-army-size": {"explicit", "stance"},
        "ukraine-nato-membership": {"explicit", "stance"},
    }


RANGES = """
@prefix parley: <https://w3id.org/parley#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix issue: <https://w3id.org/parley/id/issue/> . @prefix actor: <https://w3id.org/parley/id/actor/> .
@prefix position: <https://w3id.org/parley/id/position/> .
issue:troops a parley:Issue ; skos:prefLabel "Troop cap" ; parley:scale parley:Quantity ; parley:unit "troops" ; skos:broader issue:armed-forces .
issue:troops-east a parley:Issue ; skos:prefLabel "Troop cap, east" ; parley:scale parley:Quantity ; skos:broader issue:troops .
<https://w3id.org/parley/id/source/ranges> a parley:Source ; dcterms:title "Ranges" .
<https://w3id.org/parley/id/evidence/ranges> a parley:Evidence ; parley:quote "numbers" ; parley:source <https://w3id.org/parley/id/source/ranges> .
position:r1 a parley:Position ; parley:holder actor:russia ; parley:issue issue:troops ; parley:maxValue 85000 ; prov:wasDerivedFrom <https://w3id.org/parley/id/evidence/ranges> .
position:u1 a parley:Position ; parley:holder actor:ukraine ; parley:issue issue:troops ; parley:minValue 800000 ; prov:wasDerivedFrom <https://w3id.org/parley/id/evidence/ranges> .
position:f1 a parley:Position ; parley:holder actor:france ; parley:issue issue:troops-east ; parley:minValue 50000 ; parley:maxValue 300000 ; prov:wasDerivedFrom <https://w3id.org/parley/id/evidence/ranges> .
position:g1 a parley:Position ; parley:holder actor:germany ; parley:issue issue:troops ; parley:minValue 60000 ; prov:wasDerivedFrom <https://w3id.org/parley/id/evidence/ranges> .
"""


@pytest.mark.parametrize(("a", "b"), list(itertools.permutations(["russia", "ukraine", "france", "germany"], 2)))
def test_sparql_over_stands_agrees_on_ranges_gaps_and_zones(store, tmp_path, a, b):
    document = tmp_path / "ranges.ttl"
    document.write_text(RANGES)
    load_files(store, [document])
    conflicts, agreements = analysis_results(store, a, b)
    assert sparql_conflicts(store, a, b) == conflicts
    assert sparql_agreements(store, a, b) == agreements


def test_range_conflicts_by_hand(store, tmp_path):
    document = tmp_path / "ranges.ttl"
    document.write_text(RANGES)
    load_files(store, [document])
    rows = store.query(
        queries.STANDS_IN_CONFLICT, {"a": instance("actor", "russia"), "b": instance("actor", "ukraine")}
    )
    gaps = {slug_of(row["issue"].value): float(row["gap"].value) for row in rows if row["gap"] is not None}
    assert gaps == {"troops": 715000.0}
    assert sparql_agreements(store, "france", "germany") == {"troops-east": (60000.0, 300000.0)}
    # Russia's cap, inherited down to the east, overlaps France's range there; Ukraine's floor does not.
    assert sparql_agreements(store, "russia", "france") == {"troops-east": (50000.0, 85000.0)}
    assert sparql_conflicts(store, "ukraine", "france") == {"troops-east": {"inherited"}}
    rows = store.query(
        queries.STANDS_IN_CONFLICT, {"a": instance("actor", "ukraine"), "b": instance("actor", "france")}
    )
    assert [float(row["gap"].value) for row in rows] == [500000.0]


def test_the_derived_graph_grows_with_positions_not_pairs(store):
    stands = len(stands_of(store))
    negotiation = read_negotiation(store)
    assert 0 < stands <= len(negotiation.actors) * len(negotiation.issues)
    assert stands < 3 * len(negotiation.positions)


def test_each_stand_is_one_triple_and_the_derived_graph_is_smaller_than_the_data(store):
    negotiation = read_negotiation(store)
    expected = {
        (found.group, found.issue, found.position.id)
        for group, issue in derived.all_pairs(negotiation)
        if (found := rules.stand(negotiation, group, issue)) is not None
    }
    assert stands_of(store) == expected
    (row,) = store.query("SELECT (COUNT(*) AS ?n) ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", {"g": DERIVED_GRAPH})
    declarations = 2 * len(negotiation.issues)  # each issue's stand predicate: its issue, and parley:stand above it
    assert int(row["n"].value) == len(expected) + declarations + 3  # and the graph's day, load count and shape
    data = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(CONTAINS(STR(?g), '/graph/source/'))}"
    (row,) = store.query(data)
    assert len(expected) + declarations < int(row["n"].value)


OLD_STAND = "<https://w3id.org/parley/id/stand/russia/territory>"


def write_old_shape(store) -> None:
    """Make the derived graph look as an earlier version left it: stands as nodes, no shape in its record."""
    store.write(
        f"{OLD_STAND} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/parley#Stand> {DERIVED_GRAPH} .\n"
        f'{OLD_STAND} <https://w3id.org/parley#inherited> "false"^^<http://www.w3.org/2001/XMLSchema#boolean> {DERIVED_GRAPH} .\n'.encode()
    )
    store.update(f"DELETE WHERE {{ GRAPH {DERIVED_GRAPH} {{ ?graph parley:derivedShape ?shape }} }}")


def test_a_rebuild_replaces_stands_of_another_shape(store):
    before = stands_of(store)
    write_old_shape(store)
    refresh_derived(store, read_negotiation(store))
    assert stands_of(store) == before
    assert not bool(store.query(f"ASK {{ GRAPH ?g {{ {OLD_STAND} ?p ?o }} }}", {"g": DERIVED_GRAPH}))


def test_a_rebuild_keeps_the_stands_that_hold_and_replaces_or_removes_the_others(store):
    """Before a rebuild, the graph holds a stand that is right, one whose position is wrong, one of a second
    position beside the right one, and one of a pair that has none: after it, the stands of a rebuild from
    nothing, and nothing else."""
    before = derived_triples(store)
    (kept, changed, doubled) = [tuple(ox.NamedNode(term) for term in triple) for triple in sorted(before)[:3]]
    wrong = ox.NamedNode("https://w3id.org/parley/id/position/not-this-one")
    nobody = ox.NamedNode("https://w3id.org/parley/id/actor/nobody")
    store.replace(
        {DERIVED_GRAPH: [changed[:2]]},
        [
            ox.Quad(changed[0], changed[1], wrong, DERIVED_GRAPH),
            ox.Quad(doubled[0], doubled[1], wrong, DERIVED_GRAPH),
            ox.Quad(nobody, kept[1], wrong, DERIVED_GRAPH),
        ],
    )
    assert len(derived_triples(store) - before) == 3
    refresh_derived(store, read_negotiation(store))
    assert derived_triples(store) == before


def derived_triples(store) -> set[tuple[str, str, str]]:
    """The derived graph's stands and declarations, as IRIs (its record left out: it names the day)."""
    rows = store.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": DERIVED_GRAPH})
    return {(row["s"].value, row["p"].value, row["o"].value) for row in rows if row["s"] != DERIVED_GRAPH}


def test_a_derived_graph_of_an_earlier_shape_is_rebuilt_when_the_store_opens(tmp_path):
    with open_store(tmp_path / "store") as store:
        before = stands_of(store)
        write_old_shape(store)
        assert not derived_is_current(store), "its day and load count are today's, its shape is not"
    with open_store(tmp_path / "store") as store:
        assert derived_is_current(store) and stands_of(store) == before
        assert not bool(store.query(f"ASK {{ GRAPH ?g {{ {OLD_STAND} ?p ?o }} }}", {"g": DERIVED_GRAPH}))


def test_a_load_refreshes_the_derived_graph(store, data):
    assert derived_is_current(store)
    load_files(store, [data / "valid-position.ttl"])
    assert derived_is_current(store)
    assert bool(store.query("ASK { actor:france stand:ceasefire ?position }"))


def test_a_stale_derived_graph_is_rebuilt_when_the_store_opens(tmp_path):
    with open_store(tmp_path / "store") as store:
        store.rewrite(DERIVED_GRAPH, [])
        assert not derived_is_current(store)
    with open_store(tmp_path / "store") as store:
        assert derived_is_current(store)


def test_refreshing_some_stands_leaves_the_others(store):
    negotiation = read_negotiation(store)
    before = stands_of(store)
    assert refresh_derived(store, negotiation, pairs={("russia", "territory")}) == 1
    assert stands_of(store) == before


def test_a_live_index_is_updated_in_place_and_only_touched_stands_are_rewritten(store, data):
    from graph.ingest.load import load_documents, read_document

    negotiation = read_negotiation(store)
    report = load_documents(store, [read_document(data / "valid-position.ttl")], negotiation=negotiation)
    assert report.negotiation is negotiation and "test-france-ceasefire" in negotiation.positions
    assert derived_is_current(store)
    fresh = read_negotiation(store)
    assert negotiation.positions == fresh.positions
    assert rules.find_agreements(negotiation, "france", "us") == rules.find_agreements(fresh, "france", "us")
    stands = stands_of(store)
    refresh_derived(store, fresh)
    assert stands == stands_of(store)


def test_a_document_that_changes_groups_makes_a_live_index_read_again(store, tmp_path):
    from graph.ingest.load import load_documents, read_document

    negotiation = read_negotiation(store)
    document = tmp_path / "joins.ttl"
    document.write_text(
        "@prefix parley: <https://w3id.org/parley#> . @prefix actor: <https://w3id.org/parley/id/actor/> .\n"
        "actor:france parley:speaksFor actor:eu .\n"
    )
    report = load_documents(store, [read_document(document)], negotiation=negotiation)
    assert derived_is_current(store)
    assert report.negotiation is not negotiation
    assert report.negotiation.actors["france"].speaks_for == ("eu",)


def test_a_position_superseding_one_on_another_issue_refreshes_both_issues(store, tmp_path):
    from graph.ingest.load import load_documents, read_document

    negotiation = read_negotiation(store)
    document = tmp_path / "revision.ttl"
    document.write_text("""
@prefix parley: <https://w3id.org/parley#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/parley/id/position/putin-revised> a parley:Position ;
    parley:holder <https://w3id.org/parley/id/actor/vladimir-putin> ; parley:issue <https://w3id.org/parley/id/issue/ceasefire> ;
    parley:stance parley:Supports ; parley:validFrom "2025-04-19"^^xsd:date ;
    parley:supersedes <https://w3id.org/parley/id/position/putin-territory> ;
    prov:wasDerivedFrom <https://w3id.org/parley/id/evidence/putin-revised> .
<https://w3id.org/parley/id/evidence/putin-revised> a parley:Evidence ; parley:quote "some progress on a peace settlement had already been made" ;
    parley:source <https://w3id.org/parley/id/source/us-may-walk-away-2025-04-18> .
""")
    load_documents(store, [read_document(document)], negotiation=negotiation)
    assert not bool(store.query("ASK { actor:russia stand:territory ?position }"))
    stands = stands_of(store)
    refresh_derived(store, read_negotiation(store))
    assert stands == stands_of(store)


def test_a_rebuild_written_in_slices_writes_every_stand_once(store, monkeypatch):
    import graph.analysis.derived

    def derived_triples():
        return {
            (row["s"], row["p"], row["o"])
            for row in store.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": DERIVED_GRAPH})
        }

    whole = derived_triples()
    store.rewrite(DERIVED_GRAPH, [])
    assert not derived_is_current(store)
    monkeypatch.setattr(graph.analysis.derived, "STANDS_PER_WRITE", 2)
    written = refresh_derived(store, read_negotiation(store))
    assert written > 2 * 2  # several slices
    assert derived_triples() == whole and derived_is_current(store)


def test_a_small_load_after_a_failed_refresh_rebuilds_the_derived_graph_whole(store, data):
    from graph.ingest.load import load_documents, read_document

    negotiation = read_negotiation(store)
    whole = stands_of(store)
    store.rewrite(DERIVED_GRAPH, [])  # as a refresh that died after removing the stands would leave it
    assert not derived_is_current(store)
    load_documents(store, [read_document(data / "valid-position.ttl")], negotiation=negotiation)
    assert derived_is_current(store)
    added = {stand for stand in stands_of(store) if stand[2] == "test-france-ceasefire"}
    assert added and stands_of(store) == whole | added


def test_changing_some_stands_of_a_stale_derived_graph_leaves_it_marked_stale(store):
    store.rewrite(DERIVED_GRAPH, [])
    removals, quads = derived.stand_changes(store, read_negotiation(store), {("russia", "territory")})
    store.replace({DERIVED_GRAPH: removals}, quads)
    assert stands_of(store) == {("russia", "territory", "putin-territory")}
    assert not derived_is_current(store), "the other stands are still missing"
