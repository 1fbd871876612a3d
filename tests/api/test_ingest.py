"""Actors, issues and whole JSON documents over HTTP: POST /actors, POST /issues, PATCH /issues/{id}, POST /ingest.

The answers are worked out by hand from the seed graph and tests/data/istanbul-talks.json.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from tests.api.conftest import AUTH

pytestmark = pytest.mark.anyio

ISTANBUL = json.loads((Path(__file__).parent.parent / "data" / "istanbul-talks.json").read_text(encoding="utf-8"))
DAY = "2025-05-16"


def _dump(client) -> set[bytes]:
    return set(client.app.state.workspace.store.dump().splitlines())


async def _refused(client, method: str, path: str, body: dict, status: int) -> dict:
    """Send a write that must be refused with ``status``; nothing may change."""
    before = _dump(client)
    generation = (await client.get("/health")).json()["generation"]
    response = await client.request(method, path, json=body, headers=AUTH)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert _dump(client) == before and (await client.get("/health")).json()["generation"] == generation
    return response.json()


async def test_an_actor_is_added_with_a_slug_made_of_its_label(writer):
    body = {
        "label": "Türkiye",
        "kind": "state",
        "aliases": ["Turkey", "Ankara"],
        "same_as": ["Q43"],
        "leverage_over": ["russia", "ukraine"],
        "power": 0.4,
    }
    response = await writer.post("/actors", json=body, headers=AUTH)
    assert response.status_code == 201, response.text
    assert response.headers["location"] == "/actors/turkiye"
    assert response.json() == {
        "id": "turkiye",
        "label": "Türkiye",
        "aliases": ["Ankara", "Turkey"],
        "kind": "state",
        "power": 0.4,
        "speaks_for": [],
        "member_of": [],
        "leverage_over": ["russia", "ukraine"],
        "same_as": ["http://www.wikidata.org/entity/Q43"],
        "group": ["turkiye"],
        "positions": 0,
    }
    assert (await writer.get("/actors/turkiye")).json() == response.json()
    nearest = (await writer.get("/actors/ankara")).json()["nearest"]
    assert nearest == ["turkiye"], "its aliases are names the next request knows"


async def test_a_person_who_speaks_for_a_state_joins_its_group_at_once(writer):
    body = {"label": "Vladimir Medinsky", "kind": "person", "speaks_for": ["russia"]}
    assert (await writer.post("/actors", json=body, headers=AUTH)).status_code == 201
    group = (await writer.get("/actors/russia")).json()["group"]
    assert group == ["dmitry-peskov", "russia", "vladimir-medinsky", "vladimir-putin"]


@pytest.mark.parametrize(
    ("body", "where", "name", "existing", "existing_name"),
    [
        ({"label": "UKRAINE", "kind": "state", "id": "ukraina"}, "body.label", "UKRAINE", "ukraine", "Ukraine"),
        (
            {"label": "Kremlin staff", "kind": "organization", "aliases": ["THE KRÉMLIN"]},
            "body.aliases[0]",
            "THE KRÉMLIN",
            "russia",
            "the Kremlin",
        ),
        ({"label": "USA again", "kind": "state", "id": "us"}, "body.id", "us", "us", "us"),
    ],
)
async def test_an_actor_named_as_another_is_a_409_naming_the_other(writer, body, where, name, existing, existing_name):
    problem = await _refused(writer, "POST", "/actors", body, 409)
    assert problem["title"] == "Duplicate name"
    assert problem["duplicates"] == [
        {"where": where, "kind": "actor", "name": name, "existing": existing, "existing_name": existing_name}
    ]


@pytest.mark.parametrize(
    ("body", "where", "said"),
    [
        (
            {"label": "Envoy", "kind": "person", "speaks_for": ["rusia"]},
            "body.speaks_for[0]",
            "unknown actor 'rusia'; did you mean russia?",
        ),
        ({"label": "Envoy", "kind": "person", "power": 1.5}, "body.power", "less than or equal to 1"),
        ({"label": "Envoy", "kind": "envoy"}, "body.kind", "'state', 'organization', 'coalition' or 'person'"),
        ({"label": "Ελλάδα", "kind": "state"}, "body", "give an id"),
        ({"label": "Envoy", "kind": "person", "same_as": ["not an iri"]}, "body.same_as[0]", "not an IRI"),
    ],
)
async def test_an_invalid_actor_is_a_422_naming_the_field(writer, body, where, said):
    problem = await _refused(writer, "POST", "/actors", body, 422)
    (error,) = problem["errors"]
    assert error["where"] == where and said in error["message"]


async def test_an_issue_is_added_under_its_broader_one(writer):
    body = {
        "label": "Prisoner exchange",
        "definition": "Russia and Ukraine exchange prisoners of war.",
        "aliases": ["prisoner swap"],
        "broader": ["humanitarian-measures"],
    }
    response = await writer.post("/issues", json=body, headers=AUTH)
    assert response.status_code == 201 and response.headers["location"] == "/issues/prisoner-exchange"
    assert response.json() == {
        "id": "prisoner-exchange",
        "label": "Prisoner exchange",
        "aliases": ["prisoner swap"],
        "definition": "Russia and Ukraine exchange prisoners of war.",
        "scale": "binary",
        "unit": None,
        "broader": ["humanitarian-measures"],
        "ancestors": ["humanitarian-measures"],
        "narrower": [],
    }
    assert (await writer.get("/issues/humanitarian-measures")).json()["narrower"] == ["prisoner-exchange"]


@pytest.mark.parametrize(
    ("body", "status", "member", "value"),
    [
        (
            {"label": "Peace DEAL"},
            409,
            "duplicates",
            [
                {
                    "where": "body.label",
                    "kind": "issue",
                    "name": "Peace DEAL",
                    "existing": "peace-settlement",
                    "existing_name": "Peace deal",
                }
            ],
        ),
        ({"id": "truce", "label": "Truce", "broader": ["truce"]}, 422, "cycle", ["truce", "truce"]),
        (
            {"label": "Truce", "unit": "days"},
            422,
            "errors",
            [
                {
                    "where": "body",
                    "message": "Value error, a unit is for a quantity issue: give scale quantity, or no unit",
                }
            ],
        ),
        (
            {"label": "Truce", "broader": ["cesefire"]},
            422,
            "errors",
            [
                {
                    "where": "body.broader[0]",
                    "message": "unknown issue 'cesefire'; did you mean ceasefire, partial-ceasefire?",
                    "value": "cesefire",
                    "nearest": ["ceasefire", "partial-ceasefire"],
                }
            ],
        ),
    ],
)
async def test_an_invalid_issue_is_refused_saying_why(writer, body, status, member, value):
    problem = await _refused(writer, "POST", "/issues", body, status)
    assert problem[member] == value


async def _us_stand_on_partial_ceasefire(client) -> tuple[str, str]:
    overlap = await client.get("/overlap", params={"a": "us", "b": "ukraine", "as_of": "2025-04-18"})
    (found,) = [a["a_position"] for a in overlap.json()["agreements"] if a["issue"] == "partial-ceasefire"]
    return found["id"], found["inherited_from"]


async def test_patch_moves_an_issue_and_the_analysis_follows(writer):
    # The US holds no position on the partial ceasefire: it inherits one from the nearest broader issue it holds
    # one on (rule 3), the ceasefire; moved under "the US stays in the talks", from there.
    assert await _us_stand_on_partial_ceasefire(writer) == ("trump-ceasefire-2025-03", "ceasefire")
    response = await writer.patch("/issues/partial-ceasefire", json={"broader": ["us-mediation"]}, headers=AUTH)
    assert response.status_code == 200, response.text
    assert response.json()["ancestors"] == ["us-mediation", "mediation"]
    assert await _us_stand_on_partial_ceasefire(writer) == ("trump-us-mediation-2025-04-18", "us-mediation")
    assert (await writer.get("/issues/ceasefire")).json()["narrower"] == []
    assert (await writer.get("/health")).json()["generation"] == 1


async def test_patch_renames_an_issue_keeping_its_place(writer):
    body = {"label": "Ceasefire now", "aliases": ["Truce"], "definition": "The fighting stops."}
    response = await writer.patch("/issues/ceasefire", json=body, headers=AUTH)
    assert response.status_code == 200, response.text
    found = response.json()
    assert (found["label"], found["aliases"], found["definition"], found["broader"]) == (
        "Ceasefire now",
        ["Truce"],
        "The fighting stops.",
        ["ending-hostilities"],
    )


@pytest.mark.parametrize(
    ("issue", "body", "status", "member", "value"),
    [
        (
            "territory",
            {"broader": ["territory-donetsk"]},
            422,
            "cycle",
            ["territory", "territory-donetsk", "territory"],
        ),
        (
            "ceasefire",
            {"aliases": ["Peace deal"]},
            409,
            "duplicates",
            [
                {
                    "where": "body.aliases[0]",
                    "kind": "issue",
                    "name": "Peace deal",
                    "existing": "peace-settlement",
                    "existing_name": "Peace deal",
                }
            ],
        ),
        ("ceasfire", {"broader": []}, 404, "nearest", ["ceasefire", "partial-ceasefire"]),
        ("alliances", {"broader": ["mediation"]}, 422, "parameter", "issue"),
        (
            "ceasefire",
            {"broader": ["mediation"], "scale": "quantity"},
            422,
            "errors",
            [{"where": "body.scale", "message": "Extra inputs are not permitted"}],
        ),
    ],
)
async def test_a_refused_patch_says_why_and_changes_nothing(writer, issue, body, status, member, value):
    problem = await _refused(writer, "PATCH", f"/issues/{issue}", body, status)
    assert problem[member] == value


async def test_the_istanbul_talks_in_one_document_answer_conflicts_at_once(writer):
    response = await writer.post("/ingest", json=ISTANBUL, headers=AUTH)
    assert response.status_code == 201, response.text
    assert response.json() == {
        "source": "istanbul-talks-2025-05-16",
        "actors": ["turkiye", "vladimir-medinsky", "rustem-umerov"],
        "issues": [
            "thirty-day-ceasefire",
            "withdrawal-from-four-regions",
            "prisoner-exchange",
            "prisoners-exchanged",
            "leaders-meeting",
        ],
        "positions": [position["id"] for position in ISTANBUL["positions"]],
        "generation": 1,
    }
    conflicts = (await writer.get("/conflicts", params={"a": "russia", "b": "ukraine", "as_of": DAY})).json()
    found = {
        c["issue"]: (c["kinds"], c["severity"], c["a_position"]["id"], c["b_position"]["id"])
        for c in conflicts["conflicts"]
    }
    # Severity is the mean of the two saliences, a red line counting 1 (rule 5): (0.9 + 0.5) / 2, (0.5 + 1) / 2,
    # (0.5 + 0.8) / 2. Each side speaks through its new negotiator, whose positions count as its state's (rule 1).
    assert found["thirty-day-ceasefire"] == (
        ["stance"],
        0.7,
        "medinsky-ceasefire-2025-05-16",
        "umerov-ceasefire-2025-05-16",
    )
    assert found["withdrawal-from-four-regions"] == (
        ["stance"],
        0.75,
        "medinsky-withdrawal-2025-05-16",
        "umerov-withdrawal-2025-05-16",
    )
    assert found["leaders-meeting"] == (["stance"], 0.65, "peskov-meeting-2025-05-16", "zelensky-meeting-2025-05-16")
    overlap = (
        await writer.get(
            "/overlap", params={"a": "russia", "b": "ukraine", "as_of": DAY, "issue": "humanitarian-measures"}
        )
    ).json()
    (agreement,) = overlap["agreements"]
    assert (agreement["issue"], agreement["zone"]) == ("prisoners-exchanged", {"min": 1000.0, "max": 1000.0})
    # Türkiye has leverage over both (+1 each), conflicts with Russia and agrees with Ukraine on the meeting (-1, +1).
    mediators = (await writer.get("/mediators", params={"a": "russia", "b": "ukraine", "as_of": DAY})).json()
    assert {m["actor"]: m["score"] for m in mediators["mediators"]}["turkiye"] == 2.0
    evidence = (await writer.get("/positions/turkiye-meeting-2025-05-16")).json()["evidence"]
    assert [e["source"]["id"] for e in evidence] == ["istanbul-talks-2025-05-16"], "the document's source by default"


async def test_a_position_of_a_document_may_wait_for_either_of_two_conditions(writer):
    document = copy.deepcopy(ISTANBUL)
    either = {
        "any": [
            {"issue": "prisoner-exchange", "stance": "supports", "addressees": ["russia", "ukraine"]},
            {"issue": "thirty-day-ceasefire", "stance": "supports", "addressees": ["russia"]},
        ],
        "note": "a truce, or a first exchange",
    }
    document["positions"][8]["conditions"] = [either]
    response = await writer.post("/ingest", json=document, headers=AUTH)
    assert response.status_code == 201, response.text
    position = (await writer.get(f"/positions/{document['positions'][8]['id']}")).json()
    assert position["conditions"] == [
        {"any": [{**alternative, "note": None} for alternative in either["any"]], "note": either["note"]}
    ]


async def test_an_unknown_issue_in_an_either_or_condition_writes_nothing_and_names_the_nearest(writer):
    document = copy.deepcopy(ISTANBUL)
    either = [{"issue": "prisoner-exchnage", "stance": "supports"}, {"issue": "ceasefire", "stance": "supports"}]
    document["positions"][8]["conditions"] = [{"any": either}]
    problem = await _refused(writer, "POST", "/ingest", document, 422)
    assert problem["errors"] == [
        {
            # Both are the document's own issues; the alternatives are sorted, so named together: any[*].
            "where": "body.positions[8].conditions[0].any[*].issue",
            "message": "unknown issue 'prisoner-exchnage'; did you mean prisoner-exchange, prisoners-exchanged?",
            "value": "prisoner-exchnage",
            "nearest": ["prisoner-exchange", "prisoners-exchanged"],
        }
    ]


async def test_an_unknown_issue_in_the_third_position_writes_nothing_and_names_the_nearest(writer):
    document = copy.deepcopy(ISTANBUL)
    document["positions"][2]["issue"] = "withdrawal-from-regions"
    problem = await _refused(writer, "POST", "/ingest", document, 422)
    assert problem["errors"] == [
        {
            "where": "body.positions[2].issue",
            "message": "unknown issue 'withdrawal-from-regions'; did you mean withdrawal-from-four-regions?",
            "value": "withdrawal-from-regions",
            "nearest": ["withdrawal-from-four-regions"],
        }
    ]
    assert (await writer.get("/actors/turkiye")).status_code == 404, "the document's actors are not written either"


async def test_a_quote_not_in_the_text_of_the_seed_source_writes_nothing_and_names_the_closest_passage(writer):
    document = {
        "positions": [
            {
                "holder": "russia",
                "issue": "us-russia-dialogue",
                "stance": "opposes",
                "evidence": [
                    {
                        "quote": "Moscow has rejected any dialogue with Washington.",
                        "source": "us-may-walk-away-2025-04-18",
                    }
                ],
            }
        ]
    }
    problem = await _refused(writer, "POST", "/ingest", document, 422)
    assert problem["errors"] == [
        {
            "where": "body.positions[0].evidence[0].quote",
            "message": "“Moscow has rejected any dialogue with Washington.” is not in the text of source "
            "us-may-walk-away-2025-04-18; the closest passage is “that Moscow remained open to dialogue with "
            "Washington”",
            "value": "Moscow has rejected any dialogue with Washington.",
            "nearest": ["that Moscow remained open to dialogue with Washington"],
        }
    ]


async def test_a_new_actor_named_as_a_known_one_in_another_case_and_accent_is_a_409(writer):
    document = copy.deepcopy(ISTANBUL)
    document["actors"][1]["aliases"] = ["DMÍTRY PESKOV"]
    problem = await _refused(writer, "POST", "/ingest", document, 409)
    assert problem["detail"] == (
        "body.actors[1].aliases[0]: 'DMÍTRY PESKOV' is already a name of the actor dmitry-peskov ('Dmitry Peskov')"
    )


async def test_a_document_sent_twice_is_refused_the_second_time(writer):
    assert (await writer.post("/ingest", json=ISTANBUL, headers=AUTH)).status_code == 201
    problem = await _refused(writer, "POST", "/ingest", ISTANBUL, 409)
    assert len(problem["duplicates"]) == 3 + 5 + 9 + 1  # every actor, issue and position, and the source
    assert problem["duplicates"][-1] == {
        "where": "body.source.id",
        "kind": "source",
        "name": "istanbul-talks-2025-05-16",
        "existing": "istanbul-talks-2025-05-16",
        "existing_name": "istanbul-talks-2025-05-16",
    }


@pytest.mark.parametrize(
    ("change", "where", "said"),
    [
        (
            lambda d: d["positions"][1]["evidence"][0].update(date="2025-02-30"),
            "body.positions[1].evidence[0].date",
            "'2025-02-30' is not a real date",
        ),
        (lambda d: d["positions"][4].update(stance="supports"), "body.positions[4]", "not both"),
        (
            lambda d: d["source"].update(text=""),  # a source's text is taken now, but not an empty one
            "body.source.text",
            "at least 1 character",
        ),
        (lambda d: d["positions"][3].update(salience=1.5), "body.positions[3].salience", "less than or equal to 1"),
    ],
)
async def test_a_malformed_document_is_a_422_naming_the_json_path(writer, change, where, said):
    document = copy.deepcopy(ISTANBUL)
    change(document)
    problem = await _refused(writer, "POST", "/ingest", document, 422)
    assert [(e["where"], said in e["message"]) for e in problem["errors"]] == [(where, True)]


async def test_evidence_without_a_source_in_a_document_without_one_is_a_422(writer):
    document = {
        "positions": [{"holder": "russia", "issue": "ceasefire", "stance": "opposes", "evidence": [{"quote": "No."}]}]
    }
    problem = await _refused(writer, "POST", "/ingest", document, 422)
    assert problem["errors"][0]["where"] == "body.positions[0].evidence[0].source"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/actors", {"label": "X", "kind": "state"}),
        ("POST", "/issues", {"label": "X"}),
        ("PATCH", "/issues/ceasefire", {"broader": []}),
        ("POST", "/ingest", {}),
    ],
)
async def test_these_writes_need_the_token(writer, method, path, body):
    before = _dump(writer)
    assert (await writer.request(method, path, json=body)).status_code == 401
    malformed = await writer.request(method, path, content=b"{not json", headers={"Content-Type": "application/json"})
    assert malformed.status_code == 401, "the token is checked before the body is read"
    assert _dump(writer) == before


async def test_these_writes_are_a_403_where_writes_are_off(client):
    for method, path in (("POST", "/actors"), ("POST", "/issues"), ("PATCH", "/issues/ceasefire"), ("POST", "/ingest")):
        assert (await client.request(method, path, json={}, headers=AUTH)).status_code == 403
