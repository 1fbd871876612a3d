"""Writes over HTTP: the token, positions as JSON, deletions and document uploads, all or nothing."""

from __future__ import annotations

import pytest

from tests.api.conftest import AUTH
from tests.ingest.documents import BRIEFING

pytestmark = pytest.mark.anyio

SOURCE = "us-may-walk-away-2025-04-18"
CEASEFIRE = {
    "id": "russia-rejects-ceasefire",
    "holder": "russia",
    "issue": "ceasefire",
    "stance": "opposes",
    "valid_from": "2025-04-19",
    "evidence": [
        {
            "quote": "Moscow remained open to dialogue with Washington but that contacts were difficult",
            "source": SOURCE,
            "date": "2025-04-19",
            "speaker": "dmitry-peskov",
        }
    ],
}


def _dump(client) -> set[bytes]:
    return set(client.app.state.workspace.store.dump().splitlines())


async def _conflict_issues(client, a="russia", b="us", as_of="2025-04-20") -> set[str]:
    body = (await client.get("/conflicts", params={"a": a, "b": b, "as_of": as_of})).json()
    return {c["issue"] for c in body["conflicts"]}


async def test_writes_are_refused_with_403_when_no_token_is_configured(client):
    before = _dump(client)
    response = await client.post("/positions", json=CEASEFIRE, headers=AUTH)
    assert response.status_code == 403 and "PARLEY_TOKEN" in response.json()["detail"]
    assert (await client.delete("/positions/ukraine-territory", headers=AUTH)).status_code == 403
    assert (
        await client.post("/sources", content=b"x", headers={**AUTH, "Content-Type": "text/turtle"})
    ).status_code == 403
    assert _dump(client) == before


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic dGVzdA=="}])
async def test_writes_need_the_right_bearer_token(writer, headers):
    before = _dump(writer)
    response = await writer.post("/positions", json=CEASEFIRE, headers=headers)
    assert response.status_code == 401 and response.headers["www-authenticate"].startswith("Bearer")
    assert _dump(writer) == before


async def test_a_posted_position_is_in_the_analysis_at_once(writer):
    assert "ceasefire" not in await _conflict_issues(writer)
    generation = (await writer.get("/health")).json()["generation"]
    response = await writer.post("/positions", json=CEASEFIRE, headers=AUTH)
    assert response.status_code == 201, response.text
    assert response.headers["location"] == "/positions/russia-rejects-ceasefire"
    body = response.json()
    assert (
        body["evidence"][0]["quote"]
        == "Moscow remained open to dialogue with Washington but that contacts were difficult"
        and body["evidence"][0]["source"]["id"] == SOURCE
    )
    assert "ceasefire" in await _conflict_issues(writer)  # Trump supports a ceasefire
    assert (await writer.get("/health")).json()["generation"] == generation + 1
    stands = await writer.get(
        "/sparql",
        params={
            "query": "ASK { GRAPH <https://w3id.org/parley/graph/derived> "
            "{ actor:russia stand:ceasefire position:russia-rejects-ceasefire } }"
        },
    )
    assert stands.json()["boolean"] is True, "the derived graph holds the new stand"


async def test_a_demand_posted_or_inserted_by_sparql_is_found_as_a_position(writer):
    demand = {**CEASEFIRE, "id": "russia-demands-a-ceasefire-deal", "kind": "demand", "addressees": ["ukraine"]}
    assert (await writer.post("/positions", json=demand, headers=AUTH)).status_code == 201
    update = (
        "INSERT DATA { GRAPH <https://w3id.org/parley/graph/source/us-may-walk-away-2025-04-18> {"
        " position:inserted-demand a parley:Demand ; parley:holder actor:russia ; parley:issue issue:ceasefire ;"
        " parley:stance parley:Opposes ; parley:addressee actor:us ; prov:wasDerivedFrom evidence:kyiv-capitulation } }"
    )
    assert (await writer.post("/sparql", data={"update": update}, headers=AUTH)).status_code == 204
    query = "SELECT ?p WHERE { ?p a parley:Position ; parley:holder actor:russia ; parley:issue issue:ceasefire }"
    found = (await writer.get("/sparql", params={"query": query})).json()["results"]["bindings"]
    assert sorted(row["p"]["value"].rsplit("/", 1)[-1] for row in found) == [
        "inserted-demand",
        "russia-demands-a-ceasefire-deal",
    ]
    listed = (await writer.get("/positions", params={"actor": "russia", "issue": "ceasefire"})).json()
    assert {(p["id"], p["kind"]) for p in listed["positions"]} >= {
        ("inserted-demand", "demand"),
        ("russia-demands-a-ceasefire-deal", "demand"),
    }


async def test_a_generated_id_is_given_when_none_is_sent(writer):
    body = {key: value for key, value in CEASEFIRE.items() if key != "id"}
    created = (await writer.post("/positions", json=body, headers=AUTH)).json()
    assert created["id"].startswith("russia-ceasefire-")


async def test_a_range_position_round_trips(writer):
    body = {
        "holder": "ukraine",
        "issue": "ukraine-army-size",
        "range": {"min": 800000, "max": None},
        "evidence": [{"quote": "the size of the Ukrainian army to be limited", "source": SOURCE}],
    }
    response = await writer.post("/positions", json=body, headers=AUTH)
    assert response.status_code == 201, response.text
    assert response.json()["range"] == {"min": 800000.0, "max": None} and response.json()["stance"] is None


@pytest.mark.parametrize(
    "change, where",
    [
        ({"holder": "rusia"}, "actor:russia"),  # unknown actor: the nearest is named
        ({"issue": "ceasfire"}, "issue:ceasefire"),
        ({"evidence": [{"quote": " ", "source": SOURCE}]}, "quote"),
        ({"evidence": [{"quote": "x", "source": "no-such-source"}]}, "parley:Source"),
        ({"rejects": ["no-such-position"]}, "parley:rejects"),
    ],
)
async def test_an_invalid_position_is_a_422_naming_the_problem_and_changes_nothing(writer, change, where):
    before = _dump(writer)
    response = await writer.post("/positions", json={**CEASEFIRE, **change}, headers=AUTH)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["violations"] and where in problem["detail"]
    assert _dump(writer) == before
    assert (await writer.get("/health")).json()["generation"] == 0


@pytest.mark.parametrize(
    "body",
    [
        {**CEASEFIRE, "stance": "maybe"},
        {**CEASEFIRE, "range": {"min": 1}},  # a stance and a range
        {key: value for key, value in CEASEFIRE.items() if key != "stance"},  # neither
        {**CEASEFIRE, "evidence": []},
        {**CEASEFIRE, "salience": 2},
        {**CEASEFIRE, "holder": "russia> <http://evil"},
        {**CEASEFIRE, "id": "Not A Slug"},
        {**CEASEFIRE, "colour": "red"},
        {**CEASEFIRE, "valid_from": "19 April"},
        {**CEASEFIRE, "valid_from": "2025-02-30"},
        {**CEASEFIRE, "evidence": [{"quote": "x", "source": SOURCE, "date": "April"}]},
    ],
)
async def test_a_malformed_body_is_a_422_before_anything_is_parsed(writer, body):
    before = _dump(writer)
    response = await writer.post("/positions", json=body, headers=AUTH)
    assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"
    assert _dump(writer) == before


async def test_an_existing_id_is_a_409(writer):
    assert (await writer.post("/positions", json=CEASEFIRE, headers=AUTH)).status_code == 201
    response = await writer.post("/positions", json=CEASEFIRE, headers=AUTH)
    assert response.status_code == 409 and response.json()["id"] == "russia-rejects-ceasefire"


async def test_delete_takes_a_position_out_of_the_analysis_at_once(writer):
    assert "territory" in await _conflict_issues(writer, "russia", "ukraine")
    refused = await writer.delete("/positions/putin-territory", headers=AUTH)
    assert refused.status_code == 409 and refused.json()["referrers"] == ["ukraine-territory"]
    assert (await writer.delete("/positions/ukraine-territory", headers=AUTH)).status_code == 204
    assert "territory" not in await _conflict_issues(writer, "russia", "ukraine")
    assert (await writer.get("/positions/ukraine-territory")).status_code == 404
    left = await writer.get("/sparql", params={"query": "ASK { position:ukraine-territory ?p ?o }"})
    assert left.json()["boolean"] is False
    shared = await writer.get("/sparql", params={"query": "ASK { evidence:kyiv-capitulation ?p ?o }"})
    assert shared.json()["boolean"] is True, "evidence other positions still cite stays"
    missing = await writer.delete("/positions/ukraine-teritory", headers=AUTH)
    assert missing.status_code == 404 and "ukraine-territory" not in missing.json()["nearest"]


async def test_a_deleted_position_can_be_posted_again(writer):
    assert (await writer.post("/positions", json=CEASEFIRE, headers=AUTH)).status_code == 201
    assert (await writer.delete(f"/positions/{CEASEFIRE['id']}", headers=AUTH)).status_code == 204
    assert "ceasefire" not in await _conflict_issues(writer)
    assert (await writer.post("/positions", json=CEASEFIRE, headers=AUTH)).status_code == 201
    assert "ceasefire" in await _conflict_issues(writer)


async def test_a_turtle_document_loads_into_its_sources_graph(writer):
    response = await writer.post("/sources", content=BRIEFING.encode(), headers={**AUTH, "Content-Type": "text/turtle"})
    assert response.status_code == 201, response.text
    # The source record goes to the reference graph, shared by all; the positions to the source's own graph.
    assert response.json()["loaded"] == [
        "https://w3id.org/parley/graph/reference",
        "https://w3id.org/parley/graph/source/kremlin-briefing",
    ]
    assert "ceasefire" in await _conflict_issues(writer, as_of="2025-04-22")
    assert "kremlin-briefing" in {s["id"] for s in (await writer.get("/sources")).json()["sources"]}
    again = await writer.post("/sources", content=BRIEFING.encode(), headers={**AUTH, "Content-Type": "text/turtle"})
    assert again.status_code == 200 and again.json()["skipped"] is True


async def test_a_document_with_an_error_changes_nothing(writer):
    before = _dump(writer)
    broken = BRIEFING.replace("parley:Opposes", "parley:Opposes ; parley:salience 7")
    response = await writer.post("/sources", content=broken.encode(), headers={**AUTH, "Content-Type": "text/turtle"})
    assert response.status_code == 422 and "salience" in response.json()["detail"]
    syntax = await writer.post("/sources", content=b"<a> <b> .\n", headers={**AUTH, "Content-Type": "text/turtle"})
    assert syntax.status_code == 400 and syntax.json()["line"] == 1
    remote = b'{"@context": "https://example.org/context.jsonld", "@id": "x"}'
    unsafe = await writer.post("/sources", content=remote, headers={**AUTH, "Content-Type": "application/ld+json"})
    assert unsafe.status_code == 400 and "remote" in unsafe.json()["detail"]
    xml = await writer.post("/sources", content=b"<rdf:RDF/>", headers={**AUTH, "Content-Type": "application/rdf+xml"})
    assert xml.status_code == 415
    assert _dump(writer) == before


async def test_a_body_over_the_limit_is_a_413():
    from tests.api.conftest import running

    async with running(token="t", max_body_bytes=1000) as http:
        response = await http.post(
            "/sources", content=b"#" * 5000, headers={"Authorization": "Bearer t", "Content-Type": "text/turtle"}
        )
        assert response.status_code == 413 and response.headers["content-type"] == "application/problem+json"
        query = await http.post(
            "/sparql", content=("#" * 5000).encode(), headers={"Content-Type": "application/sparql-query"}
        )
        assert query.status_code == 413


@pytest.mark.parametrize(
    "graph",
    [
        "https://w3id.org/parley/graph/log",
        "https://w3id.org/parley/graph/ontology",
        "https://w3id.org/parley/graph/reference",
        "urn:somewhere",
    ],
)
async def test_a_document_naming_a_graph_other_than_a_source_graph_is_a_422_naming_it(writer, graph):
    trig = f"<{graph}> {{ <https://w3id.org/parley/id/load/x> a <https://w3id.org/parley#Load> . }}"
    before = set(writer.app.state.workspace.store.dump().splitlines())
    response = await writer.post(
        "/sources", content=trig.encode(), headers={**AUTH, "Content-Type": "application/trig"}
    )
    assert response.status_code == 422 and f"<{graph}>" in response.json()["detail"]
    assert set(writer.app.state.workspace.store.dump().splitlines()) == before


@pytest.mark.parametrize(
    "method, path, body, content_type",
    [
        ("POST", "/positions", b"{not json", "application/json"),
        ("POST", "/positions", b"[]", "application/json"),
        ("POST", "/sources", b"@@@ not turtle", "text/turtle"),
        ("POST", "/sparql", b"update=a&update=b", "application/x-www-form-urlencoded"),
    ],
)
async def test_without_the_token_a_malformed_body_is_a_401_that_says_nothing_of_it(
    writer, method, path, body, content_type
):
    response = await writer.request(method, path, content=body, headers={"Content-Type": content_type})
    assert response.status_code == 401, response.text
    assert "body" not in response.json()["detail"].lower()


EITHER_OR = {
    "any": [
        {"issue": "territory", "stance": "opposes", "addressees": ["russia"]},
        {"issue": "ceasefire", "stance": "supports", "addressees": ["russia"], "note": "a full ceasefire"},
    ],
    "note": "withdraw, or accept the package",
}
UKRAINE_SANCTIONS = {
    "id": "ukraine-sanctions-either-or",
    "holder": "ukraine",
    "issue": "sanctions-on-russia",
    "stance": "supports",
    "conditions": [{"issue": "ukraine-nato-membership", "stance": "supports"}, EITHER_OR],
    "evidence": [{"quote": "their Russia sanctions over which Washington has no control", "source": SOURCE}],
}


async def test_a_position_with_an_either_or_condition_is_posted_and_answered_as_any(writer):
    response = await writer.post("/positions", json=UKRAINE_SANCTIONS, headers=AUTH)
    assert response.status_code == 201, response.text
    plain = {"issue": "ukraine-nato-membership", "stance": "supports", "addressees": [], "note": None}
    either = {
        "any": [  # alternatives sorted by issue
            {"issue": "ceasefire", "stance": "supports", "addressees": ["russia"], "note": "a full ceasefire"},
            {"issue": "territory", "stance": "opposes", "addressees": ["russia"], "note": None},
        ],
        "note": "withdraw, or accept the package",
    }
    assert response.json()["conditions"] == [plain, either]
    read = (await writer.get(f"/positions/{UKRAINE_SANCTIONS['id']}")).json()
    assert read["conditions"] == [plain, either]
    stored = await writer.get(
        "/sparql",
        params={
            "query": "SELECT ?issue WHERE { position:ukraine-sanctions-either-or parley:condition/parley:anyOf "
            "?alternative . ?alternative parley:issue ?issue } ORDER BY ?issue",
            "format": "json",
        },
    )
    assert [row["issue"]["value"].rsplit("/", 1)[1] for row in stored.json()["results"]["bindings"]] == [
        "ceasefire",
        "territory",
    ]


async def test_deleting_a_position_deletes_its_either_or_condition_and_the_alternatives(writer):
    assert (await writer.post("/positions", json=UKRAINE_SANCTIONS, headers=AUTH)).status_code == 201
    assert (await writer.delete(f"/positions/{UKRAINE_SANCTIONS['id']}", headers=AUTH)).status_code == 204
    left = await writer.get(
        "/sparql",
        params={"query": "ASK { ?condition a parley:Condition FILTER(CONTAINS(STR(?condition), 'either-or')) }"},
    )
    assert left.json()["boolean"] is False


@pytest.mark.parametrize(
    "conditions",
    [
        [{"any": [{"issue": "ceasefire", "stance": "supports"}]}],  # one alternative
        [{"any": [{"any": EITHER_OR["any"]}, {"issue": "ceasefire", "stance": "supports"}]}],  # nested
        [{"any": EITHER_OR["any"], "issue": "ceasefire"}],  # an issue beside the alternatives
    ],
)
async def test_a_malformed_either_or_condition_is_a_422_and_changes_nothing(writer, conditions):
    before = _dump(writer)
    response = await writer.post("/positions", json={**UKRAINE_SANCTIONS, "conditions": conditions}, headers=AUTH)
    assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"
    assert _dump(writer) == before


async def test_an_either_or_condition_on_an_unknown_issue_is_a_422_naming_the_nearest(writer):
    unknown = {"any": [{"issue": "ceasfire", "stance": "supports"}, EITHER_OR["any"][0]]}
    response = await writer.post("/positions", json={**UKRAINE_SANCTIONS, "conditions": [unknown]}, headers=AUTH)
    assert response.status_code == 422, response.text
    assert "issue:ceasefire" in response.json()["detail"]
