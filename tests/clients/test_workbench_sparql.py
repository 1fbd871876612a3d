"""The workbench's SPARQL page in a real browser: YASGUI over the server's own endpoint, with Parley's prefixes and
terms, the shipped examples, results in prefixed names, a ?query= URL that opens its query, and no other host asked
(run_scenario fails on any request that leaves the origin: prefix.cc and LOV are never asked)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from graph.store.queries import EXAMPLE_QUERIES
from tests.clients.workbench import run_scenario, workbench_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from workbench_server(tmp_path_factory)


def test_an_example_runs_with_prefixed_names_and_a_query_url_opens_its_query(server):
    seen = run_scenario("sparql", server)
    found = seen["found"]
    assert found["examples"] == ["Choose an example…", *EXAMPLE_QUERIES]

    # The example, with the PREFIX line it needs (the editor checks prefixes; the endpoint predefines them).
    assert found["loaded"] == (
        "PREFIX parley: <https://w3id.org/parley#>\n" + EXAMPLE_QUERIES["Who speaks for whom (as GET /actors)"]
    )
    assert found["urlAfterRun"] == found["loaded"], "the address follows the query run"
    assert found["editorLabel"] == "SPARQL query"
    assert found["unlabelled"] == [], "every control of the editor and its results is labelled"
    assert found["shareShown"] is False, "YASQE's share link (a fragment the workbench does not read) is hidden"
    assert {"SELECT", "WHERE", "ORDER", "BY", "PREFIX"} <= {word.upper() for word in found["highlighted"]}
    # The seed's seven spokespeople (docs/http.md, "SPARQL"), ordered by group then person, in prefixed names.
    assert found["header"][1:] == ["person", "group"]
    assert found["rows"] == [
        ["actor:dmitry-peskov", "actor:russia"],
        ["actor:vladimir-putin", "actor:russia"],
        ["actor:ukraine-economy-minister", "actor:ukraine"],
        ["actor:volodymyr-zelensky", "actor:ukraine"],
        ["actor:donald-trump", "actor:us"],
        ["actor:jd-vance", "actor:us"],
        ["actor:marco-rubio", "actor:us"],
    ]
    typed = "PREFIX parley: <https://w3id.org/parley#>\nSELECT * WHERE { ?s a parley:Pos"
    assert found["typed"] == typed
    assert found["classes"] == ["parley:Position"]
    assert found["completions"] == ["parley:speaksFor"]
    assert found["back"] == {"editors": 1, "text": typed + " ; parley:speaks"}

    query = "SELECT ?label WHERE { actor:russia rdfs:label ?label }"
    # The PREFIX lines in the order of the server's PREFIXES.
    prefixed = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nPREFIX actor: <https://w3id.org/parley/id/actor/>\n"
    )
    for opened in (found["fromUrl"], found["reloaded"]):
        assert opened["editor"] == prefixed + query
        assert opened["rows"] == [['"Russia"@en']] or opened["rows"] == [["Russia"]], opened["rows"]
    assert found["reloaded"]["url"].startswith("?view=sparql&query=")

    # Every request stayed on the server (run_scenario checked it); the endpoint was asked, LOV and prefix.cc never.
    own = urlsplit(server).netloc
    assert all(urlsplit(url).netloc == own for url in seen["requests"] if url.startswith("http"))
    assert any(urlsplit(url).path == "/sparql" for url in seen["requests"])
    assert found["phoneOverflow"] is False, found["phoneWide"]
