"""The Gephi export: GEXF 1.3 valid against the official schema, readable back, honest about time."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from graph.analysis import rules
from graph.analysis.model import Actor, AnyOf, Condition, Issue, Negotiation, Position
from graph.analysis.read import read_negotiation
from graph.export.gephi import generate_gexf, to_networkx, write_gexf, write_graphml
from graph.export.rdf import dump_rdf
from graph.ingest.load import load_documents, parse_document
from tests.analysis.test_rules import negotiation as hand_built
from tests.analysis.test_rules_properties import AS_OF
from tests.analysis.test_rules_properties import positions as generated_positions

SCHEMA = Path(__file__).resolve().parents[1] / "vendor" / "gexf" / "1.3" / "gexf.rng"
GEXF = "{http://gexf.net/1.3}"
DAY = date(2025, 4, 18)
VARIANTS = [(view, dynamic) for view in ("actors", "full") for dynamic in (False, True)]


@pytest.fixture(scope="module")
def relax_ng() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


@pytest.fixture
def negotiation(store) -> Negotiation:
    return read_negotiation(store)


def _document(negotiation, view, dynamic) -> bytes:
    return "".join(generate_gexf(negotiation, view=view, dynamic=dynamic, as_of=DAY)).encode()


def _check(document: bytes, relax_ng: etree.RelaxNG) -> etree._Element:
    """Valid against gexf.rng, and every attvalue is declared with its type and written in that type."""
    root = etree.fromstring(document)
    assert relax_ng.validate(root), relax_ng.error_log
    declared = {
        (attributes.get("class"), attribute.get("id")): attribute.get("type")
        for attributes in root.iter(f"{GEXF}attributes")
        for attribute in attributes
    }
    for class_ in ("node", "edge"):
        for element in root.iter(f"{GEXF}{class_}"):
            for value in element.iter(f"{GEXF}attvalue"):
                kind = declared[(class_, value.get("for"))]
                text = value.get("value")
                assert text not in ("None", "", "null")
                if kind == "boolean":
                    assert text in ("true", "false")
                elif kind in ("double", "integer"):
                    float(text)
                elif kind == "liststring":
                    assert text.startswith("[") and text.endswith("]")
    return root


@pytest.mark.parametrize("view, dynamic", VARIANTS)
def test_every_variant_of_the_seed_graph_is_valid_gexf_13(negotiation, relax_ng, view, dynamic):
    root = _check(_document(negotiation, view, dynamic), relax_ng)
    graph = root.find(f"{GEXF}graph")
    assert graph.get("mode") == ("dynamic" if dynamic else "static")
    assert (graph.get("timeformat") == "date") == dynamic


@pytest.mark.parametrize("view, dynamic", VARIANTS)
def test_networkx_reads_back_the_same_nodes_and_edges(negotiation, view, dynamic):
    document = _document(negotiation, view, dynamic)
    read = nx.read_gexf(io.BytesIO(document))
    root = etree.fromstring(document)
    assert read.number_of_nodes() == int(root.find(f"{GEXF}graph/{GEXF}nodes").get("count"))
    assert read.number_of_edges() == int(root.find(f"{GEXF}graph/{GEXF}edges").get("count"))
    if not dynamic:
        expected = to_networkx(negotiation, view, DAY)
        assert (read.number_of_nodes(), read.number_of_edges()) == (
            expected.number_of_nodes(),
            expected.number_of_edges(),
        )


def test_the_actors_view_has_the_parties_and_their_conflicts(negotiation):
    graph = to_networkx(negotiation, "actors", DAY)
    assert {"russia", "ukraine", "us"} <= set(graph.nodes)
    conflict = [
        data for a, b, data in graph.edges(data=True) if {a, b} == {"russia", "ukraine"} and data["kind"] == "conflict"
    ]
    assert len(conflict) == 1 and conflict[0]["count"] == 3 and conflict[0]["weight"] > 0
    assert set(conflict[0]["issues"].split("; ")) == {"territory", "ukraine-army-size", "ukraine-nato-membership"}


def test_the_actors_view_shows_every_actor_that_relates_to_another_and_who_speaks_for_each_group(negotiation):
    """The EU, France and Germany hold no position yet but relate (membership); the UK and Saudi Arabia relate
    to nobody in the seed and are left out; each group's speakers hang on it."""
    graph = to_networkx(negotiation, "actors", DAY)
    assert {"eu", "france", "germany", "vladimir-putin", "marco-rubio"} <= set(graph.nodes)
    assert not {"uk", "saudi-arabia"} & set(graph.nodes)
    kinds = {(a, b, kind) for a, b, kind in graph.edges(data="kind")}
    assert {("france", "eu", "member-of"), ("vladimir-putin", "russia", "speaks-for")} <= kinds
    assert {("us", "russia", "leverage-over"), ("us", "ukraine", "leverage-over")} <= kinds
    assert graph.nodes["eu"]["positions"] == 0 and graph.nodes["eu"]["kind"] == "organization"


def test_weights_are_written_without_float_noise(negotiation, relax_ng):
    root = _check(_document(negotiation, "actors", False), relax_ng)
    weights = {
        (edge.get("source"), edge.get("target"), edge.get("kind")): edge.get("weight")
        for edge in root.iter(f"{GEXF}edge")
    }
    assert weights[("russia", "ukraine", "conflict")] == "2.1"  # 0.7 + 0.7 + 0.7, not 2.0999999999999996
    assert all(len(weight) <= 12 for weight in weights.values()), weights


def test_the_dynamic_export_shows_a_superseded_position_and_its_successor_one_after_the_other(negotiation, relax_ng):
    root = _check(_document(negotiation, "full", True), relax_ng)
    spells = {node.get("id"): node.find(f"{GEXF}spells/{GEXF}spell") for node in root.iter(f"{GEXF}node")}
    campaign = spells["position:trump-war-ended-within-24-hours-campaign"]
    moderated = spells["position:trump-war-ended-within-24-hours-moderated"]
    assert campaign.get("end") == "2025-01-19" and moderated.get("start") == "2025-01-20"
    assert campaign.get("end") < moderated.get("start") and moderated.get("end") is None


def test_a_static_export_is_a_snapshot_of_its_date(negotiation):
    before, after = (to_networkx(negotiation, "full", day) for day in (date(2024, 6, 1), date(2025, 4, 18)))
    assert "position:trump-war-ended-within-24-hours-campaign" in before
    assert "position:trump-war-ended-within-24-hours-campaign" not in after
    assert "position:trump-war-ended-within-24-hours-moderated" in after


HOSTILE = "<b>Smith & Sons</b> \"quoted\" 'single' 🕊️ \x00\x01\x1b tab\tnew\nline ]]> [list, item]" + "x" * 100_000


def test_hostile_labels_stay_valid(relax_ng):
    negotiation = Negotiation(
        actors={"a": Actor("a", HOSTILE), "b&c": Actor("b&c", "B\x0b<")},
        issues={"i<j": Issue("i<j", HOSTILE, definition=HOSTILE, unit="€\x07")},
        positions={
            "p": Position("p", "a", "i<j", "supports", red_line=True, addressees=("b&c",)),
            "q": Position("q", "b&c", "i<j", "opposes", salience=1),
        },
    )
    for view, dynamic in VARIANTS:
        document = _document(negotiation, view, dynamic)
        root = _check(document, relax_ng)
        assert nx.read_gexf(io.BytesIO(document)).number_of_nodes() == len(list(root.iter(f"{GEXF}node")))
    labels = [node.get("label") for node in etree.fromstring(_document(negotiation, "full", False)).iter(f"{GEXF}node")]
    assert any("Smith & Sons" in label and "🕊" in label for label in labels)


def test_write_gexf_to_a_path_and_to_a_file(negotiation, tmp_path):
    write_gexf(negotiation, tmp_path / "seed.gexf", view="full", as_of=DAY)
    buffer = io.BytesIO()
    write_gexf(negotiation, buffer, view="full", as_of=DAY)
    assert (tmp_path / "seed.gexf").read_bytes() == buffer.getvalue() == _document(negotiation, "full", False)


@pytest.mark.parametrize("view", ["actors", "full"])
def test_graphml_reads_back_with_named_keys(negotiation, tmp_path, view):
    write_graphml(negotiation, tmp_path / "seed.graphml", view=view, as_of=DAY)
    read = nx.read_graphml(tmp_path / "seed.graphml")
    expected = to_networkx(negotiation, view, DAY)
    assert (read.number_of_nodes(), read.number_of_edges()) == (expected.number_of_nodes(), expected.number_of_edges())
    keys = {
        key.get("id")
        for key in etree.parse(str(tmp_path / "seed.graphml"))
        .getroot()
        .iter("{http://graphml.graphdrawing.org/xmlns}key")
    }
    assert "label" in keys and "kind" in keys and not any(key.startswith("d") and key[1:].isdigit() for key in keys)


@pytest.mark.parametrize(
    "format, rdf_format",
    [("trig", ox.RdfFormat.TRIG), ("n-quads", ox.RdfFormat.N_QUADS), ("json-ld", ox.RdfFormat.JSON_LD)],
)
def test_rdf_dumps_parse_back_to_the_same_dataset(store, format, rdf_format):
    dumped = ox.Dataset(ox.parse(dump_rdf(store, format), format=rdf_format))
    original = ox.Dataset(ox.parse(store.dump(), format=ox.RdfFormat.N_QUADS))
    dumped.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    original.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    assert dumped == original and len(original) > 700


def test_a_one_graph_dump_and_the_formats_that_need_one(store):
    ontology = "https://w3id.org/parley/graph/ontology"
    triples = list(ox.parse(dump_rdf(store, "turtle", ontology), format=ox.RdfFormat.TURTLE))
    assert len(triples) == sum(1 for _ in store.query(f"SELECT * WHERE {{ GRAPH <{ontology}> {{ ?s ?p ?o }} }}"))
    with pytest.raises(ValueError, match="one graph"):
        dump_rdf(store, "turtle")


def test_range_ends_are_written_as_numbers_or_as_dates(relax_ng):
    negotiation = Negotiation(
        actors={"a": Actor("a", "A"), "b": Actor("b", "B")},
        issues={"size": Issue("size", "Size", scale="quantity"), "when": Issue("when", "When", scale="quantity")},
        positions={
            "p": Position("p", "a", "size", minimum=10.0, maximum=20.0),
            "q": Position("q", "b", "when", minimum=date(2025, 5, 1)),
        },
    )
    root = _check(_document(negotiation, "full", False), relax_ng)
    values = {
        node.get("id"): {v.get("for"): v.get("value") for v in node.iter(f"{GEXF}attvalue")}
        for node in root.iter(f"{GEXF}node")
    }
    assert values["position:p"]["min"] == "10.0" and values["position:p"]["max"] == "20.0"
    assert values["position:q"]["min_date"] == "2025-05-01" and "min" not in values["position:q"]


def _edges(graph, kind: str) -> set[tuple[str, str]]:
    return {(a, b) for a, b, edge_kind in graph.edges(data="kind") if edge_kind == kind}


def test_the_full_view_joins_the_two_sides_of_an_issue_once():
    # Worked by hand: a and b support i, c opposes it, d is neutral, e holds a range on q and waits for i opposed.
    negotiation = Negotiation(
        actors={name: Actor(name, name.upper()) for name in "abcde"},
        issues={"i": Issue("i", "I"), "q": Issue("q", "Q", scale="quantity")},
        positions={
            "pa": Position("pa", "a", "i", "supports", salience=0.4),
            "pb": Position("pb", "b", "i", "supports", red_line=True),
            "pc": Position("pc", "c", "i", "opposes"),
            "pd": Position("pd", "d", "i", "neutral"),
            "pe": Position("pe", "e", "q", minimum=1.0, maximum=2.0, conditions=(Condition("i", "opposes"),)),
        },
    )
    graph = to_networkx(negotiation, "full", DAY)
    supports, opposes = "proposition:i:supports", "proposition:i:opposes"
    assert graph.nodes[supports]["type"] == "proposition" and graph.nodes[supports]["label"] == "supports: I"
    assert _edges(graph, "conflicts-with") == {(supports, opposes)}
    assert _edges(graph, "agrees-with") == {
        ("position:pa", supports),
        ("position:pb", supports),
        ("position:pc", opposes),
    }
    assert _edges(graph, "conditional-on") == {("position:pe", opposes)}
    weights = {a: data["weight"] for a, _, data in graph.edges(data=True) if data["kind"] == "agrees-with"}
    assert weights == {"position:pa": 0.4, "position:pb": 1.0, "position:pc": 0.5}
    assert ("position:pd", "issue:i") in _edges(graph, "on-issue") and graph.out_degree("position:pd") == 1


def test_the_alternatives_of_an_either_or_condition_are_edges_that_name_each_other(relax_ng):
    # Worked by hand: a takes i once j is opposed, and once k or l is supported.
    either = AnyOf((Condition("k", "supports"), Condition("l", "supports")))
    negotiation = Negotiation(
        actors={"a": Actor("a", "A")},
        issues={name: Issue(name, name.upper()) for name in "ijkl"},
        positions={"pa": Position("pa", "a", "i", "supports", conditions=(Condition("j", "opposes"), either))},
    )
    graph = to_networkx(negotiation, "full", DAY)
    waits = {b: data.get("any_of") for a, b, data in graph.edges(data=True) if data["kind"] == "conditional-on"}
    alternatives = "k:supports; l:supports"  # a list, as GraphML carries one
    assert waits == {
        "proposition:j:opposes": None,
        "proposition:k:supports": alternatives,
        "proposition:l:supports": alternatives,
    }
    root = _check(_document(negotiation, "full", False), relax_ng)
    written = [value.get("value") for value in root.iter(f"{GEXF}attvalue") if value.get("for") == "any_of"]
    assert written == ["[k:supports, l:supports]"] * 2


def test_the_seed_full_view_shows_russia_and_ukraine_on_opposite_sides_of_nato(negotiation):
    graph = to_networkx(negotiation, "full", DAY)
    sides = {position: side for position, side in _edges(graph, "agrees-with")}
    russia = [
        p
        for p in sides
        if graph.nodes[p]["holder"] in negotiation.members("russia")
        and graph.nodes[p]["issue"] == "ukraine-nato-membership"
    ]
    ukraine = [
        p
        for p in sides
        if graph.nodes[p]["holder"] in negotiation.members("ukraine")
        and graph.nodes[p]["issue"] == "ukraine-nato-membership"
    ]
    assert russia and ukraine
    assert {sides[p] for p in russia} == {"proposition:ukraine-nato-membership:opposes"}
    assert {sides[p] for p in ukraine} == {"proposition:ukraine-nato-membership:supports"}
    assert ("proposition:ukraine-nato-membership:supports", "proposition:ukraine-nato-membership:opposes") in _edges(
        graph, "conflicts-with"
    )


@settings(max_examples=200, deadline=None)
@given(made=generated_positions(), as_of=st.sampled_from(AS_OF))
def test_the_full_view_says_what_the_analysis_says_about_sides_taken(made, as_of):
    """Every stance conflict or agreement between two groups' own positions can be read off the full view."""
    negotiation = hand_built(*made)
    graph = to_networkx(negotiation, "full", as_of)
    side = dict(_edges(graph, "agrees-with"))
    joined = _edges(graph, "conflicts-with")
    for _, _, conflicts, agreements in rules.all_relations(negotiation, rules.top_groups(negotiation), as_of):
        related = [(c, True) for c in conflicts if c.kind == "stance"] + [
            (g, False) for g in agreements if g.zone is None
        ]
        for relation, in_conflict in related:
            if relation.a_stand.inherited or relation.b_stand.inherited:
                continue
            ours, theirs = (side[f"position:{stand.position.id}"] for stand in (relation.a_stand, relation.b_stand))
            if in_conflict:
                assert (ours, theirs) in joined or (theirs, ours) in joined
            else:
                assert ours == theirs
    taking_sides = [p for p in rules.find_positions(negotiation, as_of=as_of) if p.stance in ("supports", "opposes")]
    assert len(side) == len(taking_sides)


def test_a_position_says_whether_its_quotes_were_found_in_their_sources_text(store):
    """The seed's quotes are in the article its source holds; a quote from a source without text is not checked."""
    briefing = b"""
@prefix parley: <https://w3id.org/parley#> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
<source/kremlin-briefing> a parley:Source ; dcterms:title "Kremlin briefing" .
<position/peskov-ceasefire> a parley:Position ; parley:holder <actor/dmitry-peskov> ; parley:issue <issue/ceasefire> ;
    parley:stance parley:Opposes ; prov:wasDerivedFrom <evidence/peskov-briefing> .
<evidence/peskov-briefing> a parley:Evidence ; parley:quote "There will be no ceasefire for now." ;
    parley:source <source/kremlin-briefing> .
"""
    load_documents(store, [parse_document(briefing, "briefing.ttl")])
    graph = to_networkx(read_negotiation(store), view="full", as_of=DAY)
    verified = {node: values["verified"] for node, values in graph.nodes(data=True) if values["type"] == "position"}
    assert verified["position:peskov-ceasefire"] is False
    assert verified["position:putin-territory"] is True
    assert sum(1 for value in verified.values() if not value) == 1


def _between(document: bytes) -> list[tuple]:
    """The conflict and agreement edges of an actors view, in order: ends, kind, weight and attribute values."""
    root = etree.fromstring(document)
    return [
        (
            edge.get("source"),
            edge.get("target"),
            edge.get("kind"),
            float(edge.get("weight")),
            {value.get("for"): value.get("value") for value in edge.iter(f"{GEXF}attvalue")},
        )
        for edge in root.iter(f"{GEXF}edge")
        if edge.get("kind") in ("conflict", "agreement")
    ]


@settings(max_examples=150, deadline=None)
@given(made=generated_positions(), as_of=st.sampled_from(AS_OF), strongest=st.integers(0, 8))
def test_the_strongest_edges_are_the_heaviest_of_the_whole_view_in_its_order(made, as_of, strongest):
    """Cut to its ``strongest`` edges, the actors view keeps edges of the whole view, as they are there and in
    the same order, and none it leaves out weighs more than one it keeps (ties: see test_strongest_relations)."""
    negotiation = hand_built(*made)
    whole = _between("".join(generate_gexf(negotiation, as_of=as_of)).encode())
    cut = _between("".join(generate_gexf(negotiation, as_of=as_of, strongest=strongest)).encode())
    assert len(cut) == min(strongest, len(whole))
    kept = iter(whole)
    assert all(edge in kept for edge in cut), "a subsequence of the whole view's edges"
    left_out = [edge for edge in whole if edge not in cut]
    assert not cut or not left_out or max(edge[3] for edge in left_out) <= min(edge[3] for edge in cut)


def test_edges_without_their_issues_keep_their_count_and_weight(negotiation, relax_ng):
    with_issues = _between(_document(negotiation, "actors", False))
    light = "".join(generate_gexf(negotiation, as_of=DAY, edge_issues=False)).encode()
    _check(light, relax_ng)
    assert b'id="issues"' not in light
    without = _between(light)
    assert [(*edge[:4], edge[4]["count"]) for edge in with_issues] == [
        (*edge[:4], edge[4]["count"]) for edge in without
    ]
    assert all(set(edge[4]) == {"count"} for edge in without)
    russia_ukraine = next(edge for edge in without if edge[:3] == ("russia", "ukraine", "conflict"))
    assert russia_ukraine[4]["count"] == "3"
