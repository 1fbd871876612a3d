"""GET /sparql/vocabulary: what the workbench's SPARQL editor completes, and the examples it offers."""

from __future__ import annotations

import pytest

from graph.store.namespaces import PREFIXES
from graph.store.queries import EXAMPLE_QUERIES

pytestmark = pytest.mark.anyio


async def test_the_vocabulary_gives_the_prefixes_terms_and_examples(client):
    response = await client.get("/sparql/vocabulary")
    assert response.status_code == 200
    body = response.json()
    assert body["prefixes"] == PREFIXES
    assert body["prefixes"]["parley"] == "https://w3id.org/parley#"
    assert body["prefixes"]["actor"] == "https://w3id.org/parley/id/actor/"
    # ontology/parley.ttl declares 24 classes and 56 properties (counted with grep "^parley:... a owl:...").
    assert len(body["classes"]) == 24 and len(body["properties"]) == 56
    assert {"parley:Position", "parley:Actor", "parley:Demand"} <= set(body["classes"])
    assert {"parley:holder", "parley:speaksFor", "parley:stance"} <= set(body["properties"])
    assert body["classes"] == sorted(body["classes"])
    assert [example["title"] for example in body["examples"]] == list(EXAMPLE_QUERIES)
    assert body["examples"][3]["query"] == EXAMPLE_QUERIES["Who speaks for whom (as GET /actors)"]
