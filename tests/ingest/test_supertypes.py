"""Supertypes: the store types each instance of a Parley class by the class's superclasses too.

So ``?p a parley:Position`` finds a ``parley:Demand`` and ``?a a parley:Actor`` a ``parley:State``,
whoever wrote them: a load, a posted position, a SPARQL update, or an earlier version (on open).
"""

from __future__ import annotations

import io
import re
import sys
from datetime import date, datetime
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.analysis.model import Actor, Evidence, Issue, Position, Source
from graph.analysis.read import read_negotiation
from graph.errors import StoreFailed
from graph.export.gephi import generate_gexf
from graph.ingest.batch import Batch, IssueChange
from graph.ingest.load import BULK_WRITE_QUADS, load_documents, load_files, open_store, parse_document, supertype_quads
from graph.store import RemoteStore, Store, nquads, open_dataset, queries
from graph.store.namespaces import GRAPH, ONTOLOGY_DIR, PARLEY, REFERENCE_GRAPH, instance, source_graph
from graph.workspace import Workspace
from tests.conftest import STORES, StoreLocation
from tests.ingest.documents import document
from tests.store.test_store import big_document

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import generate  # noqa: E402

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
VERSION = ox.NamedNode(PARLEY + "version")
SERVER_GRAPH = ox.NamedNode(PARLEY + "serverGraph")
HELD = ox.NamedNode(PARLEY + "holdsSupertypes")
SEED = source_graph("us-may-walk-away-2025-04-18")
POSITIONS = "SELECT ?x WHERE { ?x a parley:Position }"
ACTORS = "SELECT ?x WHERE { ?x a parley:Actor }"


def instances(store, query: str) -> set[str]:
    return {row["x"].value for row in store.query(query)}


def without_supertypes(quads: list[ox.Quad]) -> list[ox.Quad]:
    """The quads as an earlier version wrote them: without the types that follow from others, nor the mark
    of a store that holds them."""
    following = set(supertype_quads(quads))
    return [quad for quad in quads if quad not in following and quad.predicate != HELD]


def all_but_the_version(quads) -> set[tuple]:
    """Every quad but the version counter's, which a write raises, and the record of a server's own graphs; a time
    by its value (a server may spell it otherwise: Virtuoso drops a fraction's trailing zeros)."""
    return {
        (quad.subject, quad.predicate, _by_value(quad.object), quad.graph_name)
        for quad in quads
        if quad.predicate not in (VERSION, SERVER_GRAPH)
    }


def _by_value(term):
    if isinstance(term, ox.Literal) and term.datatype.value.endswith("#dateTime"):
        return datetime.fromisoformat(term.value.replace("Z", "+00:00"))
    return term


@pytest.fixture(params=STORES)
def earlier_store(request, tmp_path) -> tuple[str, list[ox.Quad]]:
    """A store holding the seed graph as an earlier version wrote it (no supertypes), embedded (on disk,
    to be opened again) or remote; and every quad this version writes for the seed graph."""
    with open_store("memory") as current:
        written = list(ox.parse(current.dump(), format=ox.RdfFormat.N_QUADS))
    earlier = without_supertypes(written)
    if request.param == "embedded":
        location = StoreLocation(str(tmp_path / "store"))
        raw = ox.Store(location)
        raw.extend(earlier)
        raw.flush()
        del raw
    else:
        if request.param == "remote":
            location, server = StoreLocation(request.getfixturevalue("remote_store_url")), "oxigraph"
        else:
            location, server = request.getfixturevalue("virtuoso_location"), "virtuoso"
        server = request.getfixturevalue(server)
        server.clear()
        with RemoteStore(location, **location.options) as remote:
            remote.claim_server_graphs()  # as the first open of the server did (Virtuoso holds graphs of its own)
            remote.write(nquads(earlier))
    return location, written


def test_every_seed_position_is_a_parley_position(store):
    positions = instances(store, POSITIONS)
    assert len(positions) == 26
    assert {slug.rsplit("/", 1)[-1] for slug in positions} == set(read_negotiation(store).positions)
    demands = instances(store, "SELECT ?x WHERE { ?x a parley:Demand }")
    assert demands and demands <= positions


def test_every_seed_actor_is_a_parley_actor_and_a_prov_agent(store):
    actors = instances(store, ACTORS)
    assert {iri.rsplit("/", 1)[-1] for iri in actors} == set(read_negotiation(store).actors)
    assert len(actors) == 15
    assert instances(store, "SELECT ?x WHERE { ?x a prov:Agent }") == actors
    issues = instances(store, "SELECT ?x WHERE { ?x a parley:Issue }")
    assert instances(store, "SELECT ?x WHERE { ?x a skos:Concept }") == issues
    evidence_and_sources = instances(store, "SELECT ?x WHERE { { ?x a parley:Evidence } UNION { ?x a parley:Source } }")
    assert instances(store, "SELECT ?x WHERE { ?x a prov:Entity }") == evidence_and_sources


def superclasses_in_the_vocabulary() -> dict[str, set[str]]:
    """The rdfs:subClassOf closure of ontology/parley.ttl, read by rdflib (not by the code under test)."""
    vocabulary = rdflib.Graph().parse(ONTOLOGY_DIR / "parley.ttl")
    return {
        str(class_): {str(above) for above in vocabulary.transitive_objects(class_, rdflib.RDFS.subClassOf)}
        - {str(class_)}
        for class_ in set(vocabulary.subjects(rdflib.RDFS.subClassOf, None))
        if str(class_).startswith(PARLEY)
    }


def test_each_supertype_is_in_the_graph_of_the_type_it_follows_from(store):
    superclasses = superclasses_in_the_vocabulary()
    assert superclasses[PARLEY + "State"] == {PARLEY + "Actor", "http://www.w3.org/ns/prov#Agent"}
    types = {
        (row["g"].value, row["x"], row["t"].value)
        for row in store.query("SELECT ?g ?x ?t WHERE { GRAPH ?g { ?x a ?t } }")
    }
    missing = {
        (graph, node, above)
        for graph, node, class_ in types
        for above in superclasses.get(class_, ())
        if (graph, node, above) not in types
    }
    assert missing == set()
    graphs = {graph for graph, _, class_ in types if class_ in superclasses}
    assert {SEED.value, "https://w3id.org/parley/graph/reference", "https://w3id.org/parley/graph/log"} <= graphs


def test_a_blank_node_gains_its_supertypes_itself(store):
    evidence = '[ a parley:Evidence ; parley:quote "Said in passing." ; parley:source source:s1 ]'
    load_documents(store, [parse_document(document(prov__wasDerivedFrom=evidence).encode(), "blank.ttl")])
    (row,) = store.query(
        "SELECT ?e WHERE { position:p1 prov:wasDerivedFrom ?e . ?e a parley:Evidence , prov:Entity . FILTER isBlank(?e) }"
    )
    assert isinstance(row["e"], ox.BlankNode)


def test_a_large_load_writes_the_supertypes_beside_the_types_on_the_bulk_path(store, tmp_path):
    positions = BULK_WRITE_QUADS // 8
    big_document(tmp_path / "big.trig", positions)
    report = load_files(store, [tmp_path / "big.trig"])
    assert report.quads >= BULK_WRITE_QUADS, "the bulk path"
    counted = store.query(
        "SELECT ?g (COUNT(?e) AS ?n) WHERE { GRAPH ?g { ?e a parley:Evidence , prov:Entity } } GROUP BY ?g",
        {"g": source_graph("kill-test")},
    )
    assert [int(row["n"].value) for row in counted] == [positions]
    # The source went to the reference graph, which exists: written apart from the new graph, its supertype with it.
    reference = store.query(
        "SELECT ?g ?t WHERE { GRAPH ?g { source:kill-test a ?t } }", {"g": ox.NamedNode(GRAPH + "reference")}
    )
    assert {row["t"].value for row in reference} == {PARLEY + "Source", "http://www.w3.org/ns/prov#Entity"}


def test_a_store_an_earlier_version_wrote_gains_the_supertypes_once_when_opened(earlier_store):
    location, written = earlier_store
    with open_dataset(location, **location.options) as earlier:
        assert len(instances(earlier, POSITIONS)) == 15, "before: only those typed parley:Position itself"
        version = earlier.version()
    with open_store(location, **location.options) as opened:
        assert len(instances(opened, POSITIONS)) == 26
        # Exactly what this version writes for the seed graph, no more.
        assert all_but_the_version(ox.parse(opened.dump(), format=ox.RdfFormat.N_QUADS)) == all_but_the_version(written)
        assert opened.version() == version + 1, "a write like any other: replicas learn of it"
    with open_store(location, **location.options) as again:
        assert again.version() == version + 1, "once: nothing is missing the next time"


def test_a_store_left_by_an_update_cut_short_gains_the_supertypes_when_opened(tmp_path):
    """Workspace.update unmarks the store, applies the client's update, then adds the supertypes and marks it:
    a process that dies between the two leaves a store that the next open looks at."""
    with open_store(tmp_path / "store") as store:
        store.update(queries.FORGET_SUPERTYPES_HELD)
        store.update("INSERT DATA { GRAPH <urn:example:g> { <urn:example:d> a parley:Demand } }")
    with open_store(tmp_path / "store") as store:
        assert bool(store.query("ASK { GRAPH <urn:example:g> { <urn:example:d> a parley:Position } }"))
        assert bool(store.query(queries.SUPERTYPES_HELD))


def read_all(store, day: date) -> tuple:
    """The model, the statistics and the Gephi exports a store gives (exported while the store is open: an
    export asks it which evidence is verified)."""
    negotiation = read_negotiation(store)
    counted = [(graph.graph, graph.counts) for graph in store.statistics()]
    exported = ["".join(generate_gexf(negotiation, view, as_of=day)) for view in ("actors", "full")]
    return negotiation, counted, exported


def test_a_store_an_earlier_version_wrote_reads_once_opened_as_one_this_version_wrote(earlier_store):
    """Parley's queries find a position by its type parley:Position, not through rdfs:subClassOf* (which
    some servers answer wrongly): a store without the supertypes must gain them on open to be read whole."""
    location, written = earlier_store
    day = date(2025, 4, 18)
    with open_dataset(location, **location.options) as earlier:
        assert len(read_negotiation(earlier).positions) == 15, "unopened: only those typed parley:Position itself"
    with open_store(location, **location.options) as store:
        after, counted_after, exported_after = read_all(store, day)
    current = Store("memory")
    current.write(nquads(written))
    expected, counted, exported = read_all(current, day)
    assert after.positions == expected.positions and after.actors == expected.actors
    assert after.issues == expected.issues and len(after.positions) == 26
    assert after.positions["putin-territory"].kind == "demand"
    assert after.positions["putin-territory"].addressees == ("ukraine",), "each link once, not once per type"
    assert after.actors["vladimir-putin"].kind == "person"
    assert counted_after == counted, "no instance counted twice"
    assert exported_after == exported


def test_the_seed_statistics_count_each_instance_once(store):
    counts = {graph.graph: graph.counts for graph in store.statistics()}
    assert counts[SEED.value] == {"position": 26, "evidence": 18}
    assert counts["https://w3id.org/parley/graph/reference"] == {"actor": 15, "issue": 22, "source": 1}


def test_a_position_of_two_kinds_reads_as_the_first_of_them_in_a_fixed_order(store):
    store.update(
        "INSERT DATA { GRAPH <https://w3id.org/parley/graph/source/us-may-walk-away-2025-04-18> {"
        " position:putin-territory a parley:Offer . position:russia-partial-ceasefire a parley:Threat } "
        "GRAPH <https://w3id.org/parley/graph/reference> { actor:eu a parley:Coalition } }"
    )
    negotiation = read_negotiation(store)
    assert negotiation.positions["putin-territory"].kind == "demand"  # Demand before Offer
    assert negotiation.positions["russia-partial-ceasefire"].kind == "threat"  # Threat before Commitment
    assert negotiation.actors["eu"].kind == "organization"  # Organization before Coalition


def test_a_posted_demand_is_a_position(store):
    workspace = Workspace(store)
    source = Source("us-may-walk-away-2025-04-18", "")
    posted = workspace.create_position(
        Position(
            "russia-demands-recognition",
            "russia",
            "territory",
            stance="supports",
            kind="demand",
            addressees=("ukraine",),
            evidence=(
                Evidence("control the entirety of four Ukrainian regions", source, "dmitry-peskov", "2025-04-19"),
            ),
        )
    )
    assert posted.kind == "demand" and posted.addressees == ("ukraine",)
    node = instance("position", "russia-demands-recognition")
    in_graph = store.query("SELECT ?x ?g ?t WHERE { GRAPH ?g { ?x a ?t } }", {"x": node})
    assert {(row["g"], row["t"].value) for row in in_graph} == {(SEED, PARLEY + "Demand"), (SEED, PARLEY + "Position")}
    assert len(instances(store, POSITIONS)) == 27 == len(read_negotiation(store).positions)


def test_an_actor_and_an_issue_sent_as_json_and_an_issue_changed_are_typed_by_their_supertypes(store):
    workspace = Workspace(store)
    seeded = instances(store, "SELECT ?x WHERE { ?x a parley:Load }")
    workspace.ingest(Batch(actors=(Actor("envoy", "Envoy", "person"),), issues=(Issue("truce", "Truce"),)))
    workspace.change_issue("truce", IssueChange(label="Black Sea truce", broader=("ceasefire",)))
    typed = store.query("SELECT ?x ?g ?t WHERE { VALUES ?x { actor:envoy issue:truce } GRAPH ?g { ?x a ?t } }")
    assert {(row["x"].value.rsplit("/", 1)[-1], row["g"], row["t"].value) for row in typed} == {
        ("envoy", REFERENCE_GRAPH, PARLEY + "Person"),
        ("envoy", REFERENCE_GRAPH, PARLEY + "Actor"),
        ("envoy", REFERENCE_GRAPH, "http://www.w3.org/ns/prov#Agent"),
        ("truce", REFERENCE_GRAPH, PARLEY + "Issue"),
        ("truce", REFERENCE_GRAPH, "http://www.w3.org/2004/02/skos/core#Concept"),
    }
    # Each write's record in the log is a prov:Activity too, the change's included.
    loads = instances(store, "SELECT ?x WHERE { ?x a parley:Load }")
    assert len(loads - seeded) == 2 and instances(store, "SELECT ?x WHERE { ?x a prov:Activity }") >= loads


@pytest.mark.parametrize("graph", [SEED.value, None], ids=["in a source graph", "outside any named graph"])
def test_a_demand_inserted_by_a_sparql_update_is_a_position(store, graph):
    triples = (
        "position:inserted a parley:Demand ; parley:holder actor:russia ; parley:issue issue:territory ;"
        " parley:stance parley:Supports ; parley:addressee actor:ukraine ; prov:wasDerivedFrom evidence:inserted ."
        ' evidence:inserted a parley:Evidence ; parley:quote "Inserted." ;'
        " parley:source source:us-may-walk-away-2025-04-18 ."
    )
    workspace = Workspace(store)
    if graph is None and not store.default_graph_of_its_own:
        # A server whose default graph is only the union of its graphs (Virtuoso) has none to write: it says so.
        with pytest.raises(StoreFailed, match="default graph"):
            workspace.update(f"INSERT DATA {{ {triples} }}")
        return
    workspace.update(f"INSERT DATA {{ GRAPH <{graph}> {{ {triples} }} }}" if graph else f"INSERT DATA {{ {triples} }}")
    assert instance("position", "inserted").value in instances(store, POSITIONS)
    assert instance("evidence", "inserted").value in instances(store, "SELECT ?x WHERE { ?x a prov:Entity }")
    if graph is not None:
        in_graph = store.query("SELECT ?g ?x WHERE { GRAPH ?g { ?x a parley:Position } }", {"g": SEED})
        assert instance("position", "inserted") in {row["x"] for row in in_graph}, "beside its type"
    assert bool(store.query(queries.SUPERTYPES_HELD)), "marked again once the supertypes are added"
    with workspace.reading() as negotiation:
        assert negotiation.positions["inserted"].kind == "demand"
        assert negotiation.positions["inserted"].addressees == ("ukraine",)


KINDS = ["Position", "Demand", "Offer", "Threat", "Commitment"]
PRECEDENCE = ["demand", "offer", "threat", "commitment", "position"]


@cache
def seed_quads() -> bytes:
    with open_store("memory") as seeded:
        return seeded.dump()


def retyped(text: str, kinds: list[set[str]]) -> str:
    """The generated N-Quads with position ``pN`` typed by the classes ``kinds[N]`` (a demand names an addressee)."""

    def types(found: re.Match) -> str:
        subject, number, graph = found.groups()
        chosen = kinds[int(number)]
        lines = [f"{subject} <{RDF_TYPE.value}> <{PARLEY}{kind}> {graph} .\n" for kind in sorted(chosen)]
        if "Demand" in chosen:
            lines.append(f"{subject} <{PARLEY}addressee> <https://w3id.org/parley/id/actor/probe-a> {graph} .\n")
        return "".join(lines)

    pattern = rf"(<[^>]*/position/p(\d+)>) <{re.escape(RDF_TYPE.value)}> <{re.escape(PARLEY)}Position> (<[^>]*>) \.\n"
    return re.sub(pattern, types, text)


@st.composite
def generated_graphs(draw) -> tuple[str, list[set[str]]]:
    """A small generated graph (benchmarks/generate.py) whose positions are each typed by one or two kinds."""
    positions = draw(st.integers(1, 24))
    out = io.StringIO()
    generate.generate(
        out,
        positions=positions,
        actors=draw(st.integers(2, 5)),
        issues=draw(st.integers(1, 8)),
        seed=draw(st.integers(0, 10_000)),
        probe_positions=0,
    )
    kinds = draw(
        st.lists(st.sets(st.sampled_from(KINDS), min_size=1, max_size=2), min_size=positions, max_size=positions)
    )
    return retyped(out.getvalue(), kinds), kinds


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graph=generated_graphs())
def test_the_positions_sparql_finds_are_the_positions_of_the_model(graph):
    text, kinds = graph
    store = Store("memory")
    store.write(seed_quads())
    load_documents(store, [parse_document(text.encode(), "generated.nq")])
    negotiation = read_negotiation(store)
    (row,) = store.query("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a parley:Position }")
    assert int(row["n"].value) == len(negotiation.positions) == 26 + len(kinds)
    for number, chosen in enumerate(kinds):
        expected = min((kind.lower() for kind in chosen), key=PRECEDENCE.index)
        assert negotiation.positions[f"p{number}"].kind == expected
