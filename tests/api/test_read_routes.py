"""Read routes over the seed graph: the JSON of the HTTP API (docs/http.md), and its errors."""

from __future__ import annotations

from datetime import date

import pytest

from graph.analysis.read import read_negotiation
from graph.report import answers

pytestmark = pytest.mark.anyio


async def test_conflicts_between_russia_and_ukraine_carry_both_sides_quotes(client):
    response = await client.get("/conflicts", params={"a": "russia", "b": "ukraine", "as_of": "2025-04-18"})
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    body = response.json()
    assert (body["a"], body["b"], body["as_of"]) == ("russia", "ukraine", "2025-04-18")
    assert {c["issue"] for c in body["conflicts"]} == {"ukraine-nato-membership", "territory", "ukraine-army-size"}
    for conflict in body["conflicts"]:
        assert conflict["a_position"]["holder"] == "vladimir-putin"  # speaks for Russia, so counts as Russia
        assert conflict["b_position"]["holder"] == "ukraine"
        for side in ("a_position", "b_position"):
            assert conflict[side]["evidence"] and all(e["quote"] for e in conflict[side]["evidence"])
    nato = next(c for c in body["conflicts"] if c["issue"] == "ukraine-nato-membership")
    assert nato["kind"] == "explicit" and "stance" in nato["kinds"]
    assert any("join NATO" in e["quote"] for e in nato["a_position"]["evidence"])


async def test_conflicts_filtered_by_issue_keep_the_issue_and_narrower_ones(client):
    body = (await client.get("/conflicts", params={"a": "russia", "b": "ukraine", "issue": "armed-forces"})).json()
    assert [c["issue"] for c in body["conflicts"]] == ["ukraine-army-size"]


async def test_conflicts_are_the_mirror_of_each_other(client):
    forward = (await client.get("/conflicts", params={"a": "russia", "b": "ukraine"})).json()["conflicts"]
    backward = (await client.get("/conflicts", params={"a": "ukraine", "b": "russia"})).json()["conflicts"]
    assert [(c["issue"], c["a_position"]["id"]) for c in forward] == [
        (c["issue"], c["b_position"]["id"]) for c in backward
    ]


async def test_overlap_lists_agreements(client):
    body = (await client.get("/overlap", params={"a": "us", "b": "ukraine"})).json()
    assert body["agreements"], "the US and Ukraine agree on something in the seed graph"
    for agreement in body["agreements"]:
        assert set(agreement) >= {"issue", "issue_ancestors", "zone", "conditions", "a_position", "b_position"}


@pytest.mark.parametrize("path", ["/conflicts", "/overlap", "/mediators"])
async def test_an_unknown_actor_is_a_404_naming_the_nearest(client, path):
    response = await client.get(path, params={"a": "rusia", "b": "ukraine"})
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 404 and problem["name"] == "rusia"
    assert "russia" in problem["nearest"] and "russia" in problem["detail"]


async def test_an_unknown_issue_is_a_404_naming_the_nearest(client):
    response = await client.get("/issues/teritory")
    assert response.status_code == 404 and "territory" in response.json()["nearest"]
    response = await client.get("/conflicts", params={"a": "russia", "b": "ukraine", "issue": "teritory"})
    assert response.status_code == 404 and "territory" in response.json()["nearest"]


async def test_an_actor_named_by_its_label_is_a_404_suggesting_its_slug_first(client):
    response = await client.get("/conflicts", params={"a": "united-states", "b": "ukraine"})
    assert response.status_code == 404 and response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["name"] == "united-states" and problem["nearest"][0] == "us"
    assert problem["detail"].startswith("unknown actor 'united-states'; did you mean us")


async def test_an_issue_named_by_one_of_its_words_is_a_404_suggesting_it(client):
    response = await client.get("/issues/nato")
    assert response.status_code == 404 and "ukraine-nato-membership" in response.json()["nearest"]


async def test_an_actor_named_by_an_alias_is_a_404_suggesting_whose_alias_it_is(client):
    response = await client.get("/actors/the-kremlin")
    assert response.status_code == 404 and response.json()["nearest"] == ["russia"]


async def test_actors_and_issues_carry_their_aliases(client):
    russia = (await client.get("/actors/russia")).json()
    assert russia["aliases"] == ["Moscow", "Russian Federation", "the Kremlin"]
    assert (await client.get("/actors/marco-rubio")).json()["aliases"] == []
    issues = {issue["id"]: issue for issue in (await client.get("/issues")).json()["issues"]}
    assert issues["ukraine-nato-membership"]["aliases"] == ["Ukraine joining NATO"]
    assert issues["ceasefire"]["aliases"] == []


@pytest.mark.parametrize("bad", ["2025-13-01", "18/04/2025", "2025-W16-5", "yesterday", "20250418"])
@pytest.mark.parametrize(
    "path", ["/conflicts?a=russia&b=ukraine", "/deadlocks", "/actors/russia/timeline", "/positions"]
)
async def test_a_bad_date_is_a_422_that_says_the_expected_form(client, path, bad):
    response = await client.get(path, params={"as_of": bad})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert "YYYY-MM-DD" in response.json()["detail"]


async def test_a_missing_parameter_is_a_422_problem(client):
    response = await client.get("/conflicts", params={"a": "russia"})
    assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"
    assert "b" in response.json()["detail"]


async def test_as_of_changes_the_answer(client):
    campaign = (await client.get("/actors/donald-trump/timeline", params={"as_of": "2024-06-01"})).json()
    later = (await client.get("/actors/donald-trump/timeline", params={"as_of": "2025-04-18"})).json()
    statuses = lambda body: {e["position"]["id"]: e["status"] for e in body["timeline"]}  # noqa: E731
    changed = {pid for pid, status in statuses(campaign).items() if statuses(later)[pid] != status}
    assert changed, "the campaign promise is current in 2024 and superseded by 2025"


async def test_actors_and_issues(client):
    actors = (await client.get("/actors")).json()["actors"]
    assert [a["id"] for a in actors] == sorted(a["id"] for a in actors)
    russia = (await client.get("/actors/russia")).json()
    assert "vladimir-putin" in russia["group"] and russia["kind"] == "state" and russia["positions"] > 0
    territory = (await client.get("/issues/territory")).json()
    assert territory["narrower"] and "territorial-control" in territory["ancestors"]
    assert len((await client.get("/issues")).json()["issues"]) > 20


async def test_positions_filter_and_page(client):
    everything = (await client.get("/positions", params={"limit": 1000})).json()
    assert everything["total"] == len(everything["positions"]) > 20
    russian = (await client.get("/positions", params={"actor": "russia", "limit": 1000})).json()
    holders = {p["holder"] for p in russian["positions"]}
    assert holders <= {"russia", "vladimir-putin", "dmitry-peskov"} and russian["total"] < everything["total"]
    first, second = [
        (await client.get("/positions", params={"actor": "russia", "limit": 2, "offset": offset})).json()
        for offset in (0, 2)
    ]
    assert [p["id"] for p in first["positions"] + second["positions"]] == [p["id"] for p in russian["positions"][:4]]
    single = (await client.get(f"/positions/{russian['positions'][0]['id']}")).json()
    assert single == russian["positions"][0]
    assert (await client.get("/positions/no-such-position")).status_code == 404
    assert (await client.get("/positions", params={"limit": 0})).status_code == 422


async def test_positions_as_of_keep_only_those_holding_then(client):
    before_talks = (await client.get("/positions", params={"as_of": "2024-06-01", "limit": 1000})).json()
    now = (await client.get("/positions", params={"as_of": "2025-04-18", "limit": 1000})).json()
    assert 0 < before_talks["total"] < now["total"]


async def test_matrix_deadlocks_coalitions_mediators_inconsistencies(client):
    matrix = (await client.get("/matrix", params={"actors": "russia,ukraine,us"})).json()
    assert matrix["matrix"]["russia"]["ukraine"] == matrix["matrix"]["ukraine"]["russia"]
    assert matrix["matrix"]["russia"]["ukraine"]["conflicts"] == 3
    assert (await client.get("/matrix", params={"actors": "russia"})).status_code == 422
    assert (await client.get("/matrix", params={"actors": "russia,nobody"})).status_code == 404
    deadlocks = (await client.get("/deadlocks")).json()
    assert set(deadlocks) == {"as_of", "deadlocks", "blocked_conditions"}
    mediators = (await client.get("/mediators", params={"a": "russia", "b": "ukraine"})).json()["mediators"]
    assert mediators and all(m["reasons"] for m in mediators)
    assert mediators[0]["actor"] == "us"
    assert mediators[0]["score"] == sum(reason["effect"] for reason in mediators[0]["reasons"])
    assert "inconsistencies" in (await client.get("/inconsistencies")).json()


async def test_the_seed_coalitions_keep_russia_and_ukraine_apart_with_the_us_between_them(client):
    """Russia and Ukraine conflict on three issues and agree on one: net 1.0 - 2.1 < 0. The US agrees with both,
    more with Ukraine (+1.0) than with Russia (+1.0 - 0.5), so it joins Ukraine and bridges the two."""
    answer = (await client.get("/coalitions", params={"as_of": "2025-04-18"})).json()
    assert [c["members"] for c in answer["coalitions"]] == [["ukraine", "us"], ["russia"]]
    assert answer["coalitions"][0]["pairs"] == [
        {"a": "ukraine", "b": "us", "weight": 1.0, "agreements": 2, "conflicts": 0}
    ]
    assert answer["bridges"] == [
        {"group": "us", "between": [["ukraine", "us"], ["russia"]], "member_of": ["ukraine", "us"]}
    ]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/conflicts", {"a": "russia", "b": "russia"}),
        ("/overlap", {"a": "vladimir-putin", "b": "russia"}),
        ("/mediators", {"a": "dmitry-peskov", "b": "vladimir-putin"}),
        ("/matrix", {"actors": "ukraine,russia,vladimir-putin"}),
    ],
)
async def test_asking_about_one_group_against_itself_is_a_422_that_says_so(client, path, params):
    answered = await client.get(path, params=params)
    assert answered.status_code == 422 and answered.headers["content-type"] == "application/problem+json"
    assert "the group russia: ask about different groups" in answered.json()["detail"]


async def test_a_condition_shared_by_two_positions_names_each_addressee_once(client):
    answered = (await client.get("/positions", params={"actor": "us", "limit": 1000})).json()["positions"]
    shared = [p for p in answered if p["id"] in ("trump-us-mediation-2025-04-18", "rubio-us-mediation-2025-04-18")]
    assert len(shared) == 2
    for position in shared:
        assert [c["addressees"] for c in position["conditions"]] == [["russia", "ukraine"]]


QUESTIONS = [
    ("/conflicts", {"a": "russia", "b": "ukraine"}, lambda n, day: answers.conflicts(n, "russia", "ukraine", day)),
    (
        "/conflicts",
        {"a": "russia", "b": "ukraine", "issue": "territory"},
        lambda n, day: answers.conflicts(n, "russia", "ukraine", day, "territory"),
    ),
    ("/overlap", {"a": "us", "b": "ukraine"}, lambda n, day: answers.overlap(n, "us", "ukraine", day)),
    ("/matrix", {"actors": "russia, ukraine,us"}, lambda n, day: answers.matrix(n, ["russia", "ukraine", "us"], day)),
    ("/deadlocks", {}, answers.deadlocks),
    ("/coalitions", {}, answers.coalitions),
    ("/mediators", {"a": "russia", "b": "ukraine"}, lambda n, day: answers.mediators(n, "russia", "ukraine", day)),
    ("/actors/us/timeline", {}, lambda n, day: answers.timeline(n, "us", day)),
    ("/inconsistencies", {}, answers.inconsistencies),
]


@pytest.mark.parametrize(("path", "params", "question"), QUESTIONS)
async def test_each_route_answers_what_the_library_answers(client, store, path, params, question):
    """One JSON for the routes and the CLI's --json: the question's function in graph.report.answers."""
    day = date(2025, 4, 18)
    answered = await client.get(path, params={**params, "as_of": day.isoformat()})
    assert answered.status_code == 200, answered.text
    assert answered.json() == question(read_negotiation(store), day)


async def test_the_issue_filter_keeps_the_issue_and_those_narrower(client):
    every = (await client.get("/conflicts", params={"a": "russia", "b": "ukraine", "as_of": "2025-04-18"})).json()
    one = (
        await client.get(
            "/conflicts", params={"a": "russia", "b": "ukraine", "as_of": "2025-04-18", "issue": "territory"}
        )
    ).json()
    assert {c["issue"] for c in one["conflicts"]} == {"territory"} < {c["issue"] for c in every["conflicts"]}
    unknown = await client.get("/overlap", params={"a": "us", "b": "ukraine", "issue": "teritory"})
    assert unknown.status_code == 404 and "territory" in unknown.json()["nearest"]


async def test_a_matrix_of_one_actor_is_refused_naming_the_parameter(client):
    answered = await client.get("/matrix", params={"actors": "russia"})
    assert answered.status_code == 422
    assert answered.json()["parameter"] == "actors" and "from 2 to 1,000 actors, not 1" in answered.json()["detail"]


async def test_answers_carry_an_etag_and_a_held_answer_is_a_304(writer):
    from tests.api.conftest import AUTH

    first = await writer.get("/conflicts", params={"a": "russia", "b": "us", "as_of": "2025-04-20"})
    etag = first.headers["etag"]
    held = await writer.get(
        "/conflicts", params={"a": "russia", "b": "us", "as_of": "2025-04-20"}, headers={"If-None-Match": etag}
    )
    assert held.status_code == 304 and held.headers["etag"] == etag
    other_day = await writer.get("/conflicts", params={"a": "russia", "b": "us", "as_of": "2025-01-01"})
    assert other_day.headers["etag"] != etag
    position = {
        "holder": "russia",
        "issue": "ceasefire",
        "stance": "opposes",
        "valid_from": "2025-04-19",
        "evidence": [{"quote": "contacts were difficult", "source": "us-may-walk-away-2025-04-18"}],
    }
    assert (await writer.post("/positions", json=position, headers=AUTH)).status_code == 201
    changed = await writer.get(
        "/conflicts", params={"a": "russia", "b": "us", "as_of": "2025-04-20"}, headers={"If-None-Match": etag}
    )
    assert changed.status_code == 200 and changed.headers["etag"] != etag, "a write makes the held answer stale"
    assert "ceasefire" in {c["issue"] for c in changed.json()["conflicts"]}
