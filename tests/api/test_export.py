"""Exports over HTTP and from the command line: the right content type, file name and content."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ElementTree

import networkx as nx
import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from api.cli import app as cli

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    "query, name",
    [
        ({}, "parley-actors-2025-04-18.gexf"),
        ({"view": "full", "dynamic": "true"}, "parley-full-dynamic.gexf"),
    ],
)
async def test_gexf_is_streamed_as_an_attachment(client, query, name):
    response = await client.get("/export/gexf", params={"as_of": "2025-04-18", **query})
    assert response.status_code == 200 and response.headers["content-type"] == "application/gexf+xml"
    assert response.headers["content-disposition"] == f'attachment; filename="{name}"'
    assert nx.read_gexf(io.BytesIO(response.content)).number_of_nodes() > 2


async def test_gexf_strongest_keeps_the_heaviest_conflict_and_agreement_edges_and_every_party(client):
    def read(content: bytes):
        root = ElementTree.fromstring(content)
        edges = list(root.iter("{http://gexf.net/1.3}edge"))
        between = sorted(float(edge.get("weight")) for edge in edges if edge.get("kind") in ("conflict", "agreement"))
        nodes = {node.get("id") for node in root.iter("{http://gexf.net/1.3}node")}
        return nodes, between, len(edges) - len(between)

    params = {"as_of": "2025-05-01"}
    nodes, between, ties = read((await client.get("/export/gexf", params=params)).content)
    assert len(between) > 2
    fewer = await client.get("/export/gexf", params={**params, "strongest": 2})
    kept_nodes, kept, kept_ties = read(fewer.content)
    assert kept_nodes == nodes and kept_ties == ties
    assert kept == between[-2:]
    again = await client.get("/export/gexf", params={**params, "strongest": 2})  # from the answer cache
    assert again.content == fewer.content and again.headers["content-type"] == "application/gexf+xml"
    assert (await client.get("/export/gexf", params={**params, "strongest": -1})).status_code == 422
    light = await client.get("/export/gexf", params={**params, "strongest": 2, "edge_issues": "false"})
    assert read(light.content) == (kept_nodes, kept, kept_ties)
    assert b'for="issues"' in fewer.content and b'for="issues"' not in light.content
    assert len(light.content) < len(fewer.content)
    assert (await client.get("/export/gexf", params={"edge_issues": "sometimes"})).status_code == 422


async def test_graphml_and_rdf(client):
    graphml = await client.get("/export/graphml", params={"view": "full"})
    assert graphml.status_code == 200 and graphml.headers["content-type"] == "application/graphml+xml"
    assert nx.read_graphml(io.BytesIO(graphml.content)).number_of_nodes() > 50
    trig = await client.get("/export/rdf")
    assert (
        trig.headers["content-type"] == "application/trig"
        and 'filename="parley.trig"' in trig.headers["content-disposition"]
    )
    assert len(list(ox.parse(trig.content, format=ox.RdfFormat.TRIG))) > 700
    one = await client.get(
        "/export/rdf", params={"format": "turtle", "graph": "https://w3id.org/parley/graph/ontology"}
    )
    assert one.status_code == 200 and one.headers["content-type"].startswith("text/turtle")


@pytest.mark.parametrize("query", [{"format": "turtle"}, {"format": "trig", "graph": "not an iri"}])
async def test_bad_rdf_requests_are_400_problems(client, query):
    response = await client.get("/export/rdf", params=query)
    assert response.status_code == 400 and response.headers["content-type"] == "application/problem+json"


async def test_an_unknown_view_is_a_422(client):
    assert (await client.get("/export/gexf", params={"view": "everything"})).status_code == 422


def test_the_cli_writes_each_export(tmp_path):
    runner = CliRunner()
    for arguments in (["gexf", "--view", "full", "--dynamic"], ["graphml"], ["rdf", "--format", "n-quads"]):
        output = tmp_path / f"out-{arguments[0]}"
        result = runner.invoke(cli, ["export", *arguments, "-o", str(output), "--store", "memory"])
        assert result.exit_code == 0, result.output
        assert output.stat().st_size > 1000 and "wrote" in result.output
    refused = runner.invoke(
        cli, ["export", "rdf", "--format", "turtle", "-o", str(tmp_path / "x"), "--store", "memory"]
    )
    assert refused.exit_code == 1 and "one graph" in refused.output
