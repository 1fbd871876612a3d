"""The query page's examples answer as the REST routes they mirror, over HTTP, on the seed and on a generated graph.

The derived graph holds each group's stand as of today, so the routes are asked as of today too.
"""

from __future__ import annotations

import io
import sys
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.ingest.load import load_documents, open_store, parse_document
from graph.store.namespaces import slug_of
from graph.store.queries import EXAMPLE_QUERIES
from tests.analysis.test_derived import RANGES
from tests.api.conftest import running
from tests.conftest import StoreLocation

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import generate  # noqa: E402

pytestmark = pytest.mark.anyio

CONFLICTS = "Where Russia and Ukraine conflict (as GET /conflicts, from the derived stands)"
AGREEMENTS = "Where Russia and Ukraine agree (as GET /overlap)"
POSITIONS = "Positions with their quotes (as GET /positions)"
SPEAKERS = "Who speaks for whom (as GET /actors)"
PAIR = "(actor:russia actor:ukraine)"
SEED_PAIRS = [("russia", "ukraine"), ("ukraine", "russia"), ("us", "russia"), ("eu", "us"), ("russia", "eu")]
# Pairs of the generated graph with every kind of conflict it holds (explicit ones between states 0
# and 7, 3 and 4), range gaps, zones closed and open, none at all (probes a and b conflict nowhere,
# states 11 and 12 agree nowhere); the test checks they do.
GENERATED_GROUPS = ["probe-a", "probe-b", "state-0", "state-7", "state-3", "state-4", "state-11", "state-12"]
GENERATED_PAIRS = [(a, b) for i, a in enumerate(GENERATED_GROUPS) for b in GENERATED_GROUPS[i + 1 :]]


def _plain(term):
    """A term as the REST answer writes it: a slug for an IRI, a number or text for a literal, None if unbound."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return slug_of(term.value).lower() if term.value.startswith("https://w3id.org/parley#") else slug_of(term.value)
    numeric = term.datatype.value.rsplit("#", 1)[-1] in ("integer", "decimal", "double", "float")
    return float(term.value) if numeric else term.value


def _number(value):
    return float(value) if isinstance(value, int | float) else value


async def sparql(http, text: str) -> list[dict]:
    response = await http.post(
        "/sparql",
        content=text.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200, response.text
    results = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
    assert isinstance(results, ox.QuerySolutions)
    names = [variable.value for variable in results.variables]
    return [{name: _plain(row[name]) for name in names} for row in results]


async def rest(http, path: str, **params) -> dict:
    response = await http.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def conflicts_both_ways(http, a: str, b: str) -> tuple[list, list]:
    """(what GET /conflicts answers, what the example answers) for the pair: issue, kinds, gap, positions."""
    answer = await rest(http, "/conflicts", a=a, b=b, as_of=date.today().isoformat())
    expected = [
        (c["issue"], c["kind"], " ".join(c["kinds"]), _number(c["gap"]), c["a_position"]["id"], c["b_position"]["id"])
        for c in answer["conflicts"]
    ]
    rows = await sparql(http, EXAMPLE_QUERIES[CONFLICTS].replace(PAIR, f"(actor:{a} actor:{b})"))
    found = [(r["issue"], r["kind"], r["kinds"], r["gap"], r["aPosition"], r["bPosition"]) for r in rows]
    return expected, found


async def agreements_both_ways(http, a: str, b: str) -> tuple[list, list]:
    """(what GET /overlap answers, what the example answers) for the pair: issue, zone, positions."""
    answer = await rest(http, "/overlap", a=a, b=b, as_of=date.today().isoformat())
    expected = [
        (
            g["issue"],
            *((None, None) if g["zone"] is None else (_number(g["zone"]["min"]), _number(g["zone"]["max"]))),
            g["a_position"]["id"],
            g["b_position"]["id"],
        )
        for g in answer["agreements"]
    ]
    rows = await sparql(http, EXAMPLE_QUERIES[AGREEMENTS].replace(PAIR, f"(actor:{a} actor:{b})"))
    found = [(r["issue"], r["zoneMin"], r["zoneMax"], r["aPosition"], r["bPosition"]) for r in rows]
    return expected, found


async def positions_both_ways(http) -> tuple[list, list]:
    """(every position of GET /positions as one row per quote, in the example's order and limit; the example's rows)."""
    every, offset = [], 0
    while True:
        page = await rest(http, "/positions", limit=1000, offset=offset)
        every += page["positions"]
        offset += page["limit"]
        if offset >= page["total"]:
            break
    expected = sorted(
        ((p["id"], p["holder"], p["issue"], p["stance"], e["quote"]) for p in every for e in p["evidence"]),
        key=lambda row: (row[2], row[1], row[0], row[4]),
    )[:100]
    rows = await sparql(http, EXAMPLE_QUERIES[POSITIONS])
    return expected, [(r["position"], r["holder"], r["issue"], r["stance"], r["quote"]) for r in rows]


async def speakers_both_ways(http) -> tuple[list, list]:
    """(who speaks for whom by GET /actors, by group then person; the example's rows)."""
    actors = (await rest(http, "/actors"))["actors"]
    expected = sorted(((a["id"], group) for a in actors for group in a["speaks_for"]), key=lambda row: row[::-1])
    rows = await sparql(http, EXAMPLE_QUERIES[SPEAKERS])
    return expected, [(r["person"], r["group"]) for r in rows]


def test_every_example_that_says_it_mirrors_a_route_is_compared_here():
    mirrors = {name for name in EXAMPLE_QUERIES if "(as GET /" in name}
    assert mirrors == {CONFLICTS, AGREEMENTS, POSITIONS, SPEAKERS}
    assert all(PAIR in EXAMPLE_QUERIES[name] for name in (CONFLICTS, AGREEMENTS))


async def test_every_example_runs_on_the_seed(client):
    for name, text in EXAMPLE_QUERIES.items():
        assert await sparql(client, text), name


async def test_russia_and_ukraine_conflict_on_three_issues_one_row_each_as_get_conflicts_says(client):
    expected, found = await conflicts_both_ways(client, "russia", "ukraine")
    assert found == expected
    assert [(issue, kinds) for issue, _, kinds, *_ in found] == [
        ("territory", "explicit stance"),
        ("ukraine-army-size", "explicit stance"),
        ("ukraine-nato-membership", "explicit stance"),
    ]


@pytest.mark.parametrize(("a", "b"), SEED_PAIRS)
async def test_the_examples_answer_as_the_routes_on_the_seed(client, a, b):
    expected, found = await conflicts_both_ways(client, a, b)
    assert found == expected
    expected, found = await agreements_both_ways(client, a, b)
    assert found == expected


async def test_positions_and_speakers_answer_as_the_routes_on_the_seed(client):
    expected, found = await positions_both_ways(client)
    assert found == expected and len(found) > 20
    expected, found = await speakers_both_ways(client)
    assert found == expected and ("vladimir-putin", "russia") in found


@pytest.fixture(params=["embedded", "remote"])
async def generated(request, tmp_path):
    """The application over the seed and a generated graph of 600 positions (embedded on disk, and over
    `oxigraph serve`). Not over Virtuoso: asked through Parley, which names the store's own graphs to it as the
    dataset, the conflicts and agreements examples run past the 10 s limit there (0.4 s for the same query
    without the list of graphs; docs/stores.md says so). The seed's answers over it are checked above."""
    remote = request.param == "remote"
    location = StoreLocation(request.getfixturevalue("remote_store_url") if remote else str(tmp_path / "store"))
    text = io.StringIO()
    generate.generate(text, positions=600, actors=20, issues=60, probe_positions=10)
    with open_store(location, **location.options) as store:
        load_documents(store, [parse_document(text.getvalue().encode(), "generated.nq")])
    async with running(store=location) as http:
        yield http


async def test_the_examples_answer_as_the_routes_on_a_generated_graph(generated):
    seen_kinds, seen_gaps, seen_zones = set(), 0, set()
    for a, b in GENERATED_PAIRS:
        expected, found = await conflicts_both_ways(generated, a, b)
        assert found == expected, (a, b)
        seen_kinds |= {kinds for _, _, kinds, *_ in found}
        seen_gaps += sum(1 for row in found if row[3] is not None)
        expected, found = await agreements_both_ways(generated, a, b)
        assert found == expected, (a, b)
        seen_zones |= {(low is None, high is None) for _, low, high, *_ in found}
    assert seen_kinds >= {"explicit", "stance", "range", "inherited"}
    assert seen_gaps and {(False, False), (True, True)} <= seen_zones and len(seen_zones) >= 3
    expected, found = await positions_both_ways(generated)
    assert found == expected and len(found) == 100, "the example's LIMIT cuts the generated positions"
    expected, found = await speakers_both_ways(generated)
    assert found == expected and ("person-0", "state-6") in found


# Russia rejects Ukraine's troop floor, on which their ranges also conflict (RANGES): two kinds on one issue.
REJECTION = """
@prefix parley: <https://w3id.org/parley#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix issue: <https://w3id.org/parley/id/issue/> .
issue:buffer-zone a parley:Issue ; skos:prefLabel "Buffer zone" .
<https://w3id.org/parley/id/position/r2> a parley:Position ; parley:holder <https://w3id.org/parley/id/actor/russia> ;
    parley:issue issue:buffer-zone ; parley:stance parley:Supports ;
    parley:rejects <https://w3id.org/parley/id/position/u1> ;
    prov:wasDerivedFrom <https://w3id.org/parley/id/evidence/ranges> .
"""


async def test_a_gap_beside_an_explicit_rejection_is_kept(store_location, tmp_path):
    location = StoreLocation(str(tmp_path / "store")) if store_location == "memory" else store_location
    with open_store(location, **location.options) as store:
        load_documents(store, [parse_document(RANGES.encode(), "ranges.ttl")])
        load_documents(store, [parse_document(REJECTION.encode(), "rejection.ttl")])
    async with running(store=location) as http:
        expected, found = await conflicts_both_ways(http, "russia", "ukraine")
        assert found == expected
        assert ("troops", "explicit", "explicit range", 715000.0) in [row[:4] for row in found]


# On the corridor, Ukraine's reply rejects Russia's stand, and Russia's z-ports (on another issue) rejects the
# reply: two Russian positions in the corridor's rejections, the one on the corridor speaks for Russia.
REJECTIONS_MEET = """
@prefix parley: <https://w3id.org/parley#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix issue: <https://w3id.org/parley/id/issue/> .
@prefix actor: <https://w3id.org/parley/id/actor/> . @prefix position: <https://w3id.org/parley/id/position/> .
issue:corridor a parley:Issue ; skos:prefLabel "Grain corridor" .
issue:ports a parley:Issue ; skos:prefLabel "Ports" .
position:a-corridor a parley:Position ; parley:holder actor:russia ; parley:issue issue:corridor ;
    parley:stance parley:Supports ; prov:wasDerivedFrom <https://w3id.org/parley/id/evidence/ranges> .
position:b-corridor a parley:Position ; parley:holder actor:ukraine ; parley:issue issue:corridor ;
    parley:stance parley:Supports ; parley:rejects position:a-corridor ;
    prov:wasDerivedFrom <https://w3id.org/parley/id/evidence/ranges> .
position:z-ports a parley:Position ; parley:holder actor:russia ; parley:issue issue:ports ;
    parley:stance parley:Opposes ; parley:rejects position:b-corridor ;
    prov:wasDerivedFrom <https://w3id.org/parley/id/evidence/ranges> .
"""


async def test_where_rejections_meet_on_an_issue_the_example_shows_the_positions_the_route_does(tmp_path):
    location = StoreLocation(str(tmp_path / "store"))
    with open_store(location) as store:
        load_documents(store, [parse_document(RANGES.encode(), "ranges.ttl")])
        load_documents(store, [parse_document(REJECTIONS_MEET.encode(), "rejections.ttl")])
    async with running(store=location) as http:
        for a, b in (("russia", "ukraine"), ("ukraine", "russia")):
            expected, found = await conflicts_both_ways(http, a, b)
            assert found == expected
            (corridor,) = [row for row in found if row[0] == "corridor"]
            assert corridor[1:3] == ("explicit", "explicit")
            assert {corridor[4], corridor[5]} == {"a-corridor", "b-corridor"}
