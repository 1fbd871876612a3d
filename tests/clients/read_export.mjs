// Read a GEXF or GraphML file the way Gephi Lite does (graphology, strict: no undeclared attribute,
// no edge to a missing node) and print what came out as JSON, for tests/clients/test_gephi_parsers.py.
import { readFileSync } from "node:fs";
import graphology from "graphology";
import gexf from "graphology-gexf";
import graphml from "graphology-graphml";

const [format, path] = process.argv.slice(2);
const source = readFileSync(path, "utf-8");
const parser = format === "gexf" ? gexf : graphml;
const graph = parser.parse(graphology.MultiDirectedGraph, source);

const types = (attributes) => Object.fromEntries(
  Object.entries(attributes).map(([key, value]) => [key, Array.isArray(value) ? "array" : typeof value]));
const nodeTypes = {};
graph.forEachNode((node, attributes) => Object.assign(nodeTypes, types(attributes)));
const edgeTypes = {};
const kinds = {};
graph.forEachEdge((edge, attributes) => {
  Object.assign(edgeTypes, types(attributes));
  kinds[attributes.kind] = (kinds[attributes.kind] || 0) + 1;
});
process.stdout.write(JSON.stringify({ nodes: graph.order, edges: graph.size, nodeTypes, edgeTypes, kinds }));
