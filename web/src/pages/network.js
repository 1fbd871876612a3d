// The network view: Parley's own GEXF export (GET /export/gexf), parsed by graphology-gexf (the parser Gephi Lite
// uses) and drawn by sigma.js (WebGL). Conflict edges red, agreement green, widths by weight; a bounded
// ForceAtlas2 layout from a circle (the export has no positions). Choosing a party (a click on its node, or the
// list beside the graph, for the keyboard) shows its positions as of the same date, with links to Compare and
// Timeline. The URL holds the question: ?view=network&as_of=YYYY-MM-DD&graph=actors|full&actor=ID.
import Graph from "graphology";
import { parse } from "graphology-gexf/browser";
import forceAtlas2 from "graphology-layout-forceatlas2";
import FA2Layout from "graphology-layout-forceatlas2/worker";
import Sigma from "sigma";
import { api, apiUrl, h, notice, readAnswer, setParams, viewHref } from "../lib.js";

/** Colours of the edges by their GEXF `kind` (the page's --conflict and --agreement); the ties between parties grey. */
export const EDGE_COLOURS = { conflict: "#b3261e", agreement: "#1b6e3a" };
/** The edge kinds of each export that are conflict or agreement (the full view joins positions to sides). */
const SIDES = { conflict: "conflict", "conflicts-with": "conflict", agreement: "agreement", "agrees-with": "agreement" };
const TIE_COLOUR = "#8a949e";
const NODE_COLOUR = "#0b5cad";
const LABELS = { actors: "Parties (conflict and agreement)", full: "Full (actors, issues, positions)" };
/** How many conflict and agreement edges the actors view draws (the heaviest): `edges` in the URL. The default
 * is the picture the server works out ahead after each write (api/prefetch.py's NETWORK_EDGES). */
const EDGE_LIMITS = ["1000", "2000", "5000", "20000", "all"];
const DEFAULT_EDGES = "2000";

/** ForceAtlas2 before the first draw: up to MAX_ITERATIONS, in steps, for at most LAYOUT_MS (a large graph is
 * drawn sooner and then goes on settling in a worker for at most SETTLE_MS, without holding the page). */
const MAX_ITERATIONS = 300;
const STEP = 5;
const LAYOUT_MS = 400;
const SETTLE_MS = 4000;

let current = null; // the sigma instance drawn last: killed before the next view draws its own
let settling = null; // the worker still laying out the last graph, if any

function today() {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

/** Read the GEXF the API exports, as text (a problem answer is thrown as an ApiError). The actors view comes
 * without each edge's list of issues, which the page does not show: half the document for the parser to read. */
async function readGexf(view, asOf, strongest) {
  const edgeIssues = view === "actors" ? "false" : undefined;
  const response = await fetch(apiUrl("export/gexf", { view, as_of: asOf, strongest, edge_issues: edgeIssues }), {
    headers: { Accept: "application/gexf+xml, application/problem+json" },
  });
  return readAnswer(response);
}

/** Sizes, colours and widths for sigma from the export's attributes (viz:size, kind, weight). */
function style(graph) {
  let largest = 1;
  graph.forEachNode((_, attributes) => { largest = Math.max(largest, attributes.size || 1); });
  graph.updateEachNodeAttributes((_, attributes) => ({
    ...attributes,
    // sigma reads `type` as its node program: the full view's node type (actor, issue...) moves aside.
    type: "circle",
    nodeType: attributes.type,
    size: 3 + 9 * Math.sqrt((attributes.size || 1) / largest),
    color: attributes.color || NODE_COLOUR,
  }));
  const heaviest = {};
  graph.forEachEdge((_, attributes) => {
    const side = SIDES[attributes.kind];
    if (side) heaviest[side] = Math.max(heaviest[side] || 0, attributes.weight || 1);
  });
  graph.updateEachEdgeAttributes((_, attributes) => {
    const side = SIDES[attributes.kind];
    return {
      ...attributes,
      // sigma reads `type` as its edge program; the GEXF label (the kind) is not drawn on edges.
      type: "line",
      color: EDGE_COLOURS[side] || TIE_COLOUR,
      // The actors view weighs conflict and agreement; the full view's position-to-side edges are all alike.
      size: side ? (attributes.kind.endsWith("-with") ? 3 : 3 + 10 * ((attributes.weight || 1) / heaviest[side])) : 1.5,
      zIndex: 0,
    };
  });
  // Two parties can both conflict and agree (on different issues): the edges between them lie on one line, so
  // the wider is drawn first and each next one narrower on top of it, and both colours show.
  graph.forEachNode((node) => {
    graph.forEachNeighbor(node, (other) => {
      if (node >= other) return;
      const between = [...new Set([...graph.edges(node, other), ...graph.edges(other, node)])];
      if (between.length < 2) return;
      between.sort((one, two) => graph.getEdgeAttribute(two, "size") - graph.getEdgeAttribute(one, "size"));
      let below = Infinity;
      between.forEach((edge, rank) => {
        const size = Math.min(graph.getEdgeAttribute(edge, "size"), below * 0.45);
        graph.mergeEdgeAttributes(edge, { size, zIndex: rank });
        below = size;
      });
    });
  });
}

function layoutSettings(graph) {
  // Strong gravity keeps the parts of the graph that share no edge on the screen with the rest.
  return {
    ...forceAtlas2.inferSettings(graph),
    strongGravityMode: true,
    gravity: 0.5,
    barnesHutOptimize: graph.order > 500,
  };
}

/** A circle, then ForceAtlas2 until MAX_ITERATIONS or LAYOUT_MS; the iterations run are returned. */
function layout(graph) {
  const order = graph.order || 1;
  let index = 0;
  graph.updateEachNodeAttributes((_, attributes) => {
    const angle = (2 * Math.PI * index++) / order;
    return { ...attributes, x: 100 * Math.cos(angle), y: 100 * Math.sin(angle) };
  });
  let iterations = 0;
  if (graph.order > 1) {
    const settings = layoutSettings(graph);
    const started = performance.now();
    while (iterations < MAX_ITERATIONS && performance.now() - started < LAYOUT_MS) {
      forceAtlas2.assign(graph, { iterations: STEP, settings });
      iterations += STEP;
    }
  }
  return iterations;
}

/** Go on with ForceAtlas2 in a worker for a while, the drawing following it (a graph the first layout cut short). */
function settle(graph) {
  const worker = new FA2Layout(graph, { settings: layoutSettings(graph) });
  worker.start();
  settling = worker;
  setTimeout(() => {
    if (settling === worker) settling = null;
    worker.kill();
  }, SETTLE_MS);
}

function legend(graphKind) {
  const swatch = (colour, text, width = 4) =>
    h("li", {}, h("span", { class: "network-swatch", style: { background: colour, height: `${width}px` } }), text);
  return h(
    "div",
    { class: "network-legend", "aria-label": "Legend" },
    h("h2", {}, "Legend"),
    h(
      "ul",
      {},
      swatch(EDGE_COLOURS.conflict, "conflict between two parties"),
      swatch(EDGE_COLOURS.agreement, "agreement between two parties"),
      swatch(TIE_COLOUR, graphKind === "full" ? "holds, on issue, takes a side, and other ties" : "speaks for, member of, leverage over", 2),
      h("li", {}, h("span", { class: "network-dot", style: { background: NODE_COLOUR } }), "a party; larger: more edges"),
    ),
    h(
      "p",
      { class: "muted" },
      "Wider edges weigh more (severity of the conflicts, weight of the agreements). Two parties that both " +
        "conflict and agree: the narrower edge is drawn along the middle of the wider.",
    ),
  );
}

/** The side panel: a party's positions as of the date, with links to Compare and Timeline. */
async function showParty(panel, actor, label, asOf) {
  panel.replaceChildren(h("h2", {}, label), notice("Loading positions…"));
  let answer;
  try {
    answer = await api("positions", { actor, as_of: asOf, limit: 1000 });
  } catch (error) {
    panel.replaceChildren(h("h2", {}, label), notice(error.message, "error"));
    return;
  }
  const rows = answer.positions.map((position) =>
    h(
      "li",
      {},
      h("strong", {}, position.issue),
      ` — ${position.stance}`,
      position.kind ? h("span", { class: "muted" }, ` (${position.kind})`) : null,
      position.holder !== actor ? h("span", { class: "muted" }, ` · held by ${position.holder}`) : null,
    ),
  );
  panel.replaceChildren(
    h("h2", { id: "network-party" }, label),
    h(
      "p",
      { class: "network-links" },
      h("a", { href: viewHref("compare", { a: actor, as_of: asOf }) }, "Compare with…"),
      " · ",
      h("a", { href: viewHref("timeline", { group: actor }) }, "Timeline"),
    ),
    h(
      "p",
      { class: "muted", dataset: { total: answer.total } },
      `${answer.total} position${answer.total === 1 ? "" : "s"} as of ${asOf}` +
        (answer.total > answer.positions.length ? ` (the first ${answer.positions.length} listed)` : ""),
    ),
    rows.length ? h("ul", { class: "network-positions", "aria-labelledby": "network-party" }, rows) : null,
  );
  panel.dataset.actor = actor;
}

export default {
  async render(container, params) {
    if (settling) {
      settling.kill();
      settling = null;
    }
    if (current) {
      current.kill();
      current = null;
    }
    const asOf = params.as_of || today();
    const graphKind = params.graph === "full" ? "full" : "actors";
    const edgeLimit = EDGE_LIMITS.includes(params.edges) ? params.edges : DEFAULT_EDGES;
    const strongest = graphKind === "actors" && edgeLimit !== "all" ? edgeLimit : undefined;
    const timings = {};
    let started = performance.now();

    const dateInput = h("input", {
      type: "date",
      id: "network-as-of",
      value: asOf,
      onchange: (event) => event.target.value && setParams({ as_of: event.target.value, actor: null }),
    });
    const graphSelect = h(
      "select",
      { id: "network-graph", onchange: (event) => setParams({ graph: event.target.value === "actors" ? null : event.target.value, actor: null }) },
      Object.entries(LABELS).map(([value, text]) => h("option", { value, selected: value === graphKind }, text)),
    );
    const edgeSelect = h(
      "select",
      {
        id: "network-edges",
        disabled: graphKind !== "actors",
        onchange: (event) => setParams({ edges: event.target.value === DEFAULT_EDGES ? null : event.target.value }),
      },
      EDGE_LIMITS.map((value) =>
        h("option", { value, selected: value === edgeLimit }, value === "all" ? "all" : `the ${Number(value).toLocaleString("en")} heaviest`),
      ),
    );
    const partySelect = h("select", { id: "network-party-select" }, h("option", { value: "" }, "—"));
    const canvas = h("div", { class: "network-canvas", role: "img", "aria-label": "The network of the parties" });
    // Scrolls when a party has many positions: a Tab stop, so the keyboard can scroll it too.
    const panel = h("aside", { class: "network-panel", "aria-live": "polite", "aria-label": "The chosen party", tabindex: "0" }, h("p", { class: "muted" }, "Choose a party (a node, or the list above) to see its positions."));
    const summary = h("p", { class: "muted network-summary" }, "Drawing…");
    container.replaceChildren(
      h("h1", {}, "Network"),
      h(
        "div",
        { class: "controls" },
        h("div", { class: "field" }, h("label", { for: "network-as-of" }, "As of"), dateInput),
        h("div", { class: "field" }, h("label", { for: "network-graph" }, "Graph"), graphSelect),
        h("div", { class: "field" }, h("label", { for: "network-edges" }, "Conflict and agreement edges"), edgeSelect),
        h("div", { class: "field" }, h("label", { for: "network-party-select" }, "Show a party's positions"), partySelect),
      ),
      summary,
      h("div", { class: "network-layout" }, canvas, h("div", { class: "network-side" }, panel, legend(graphKind))),
    );

    let graph;
    try {
      const text = await readGexf(graphKind, asOf, strongest);
      timings.export = performance.now() - started;
      started = performance.now();
      graph = parse(Graph, text);
      timings.parse = performance.now() - started;
    } catch (error) {
      container.replaceChildren(h("h1", {}, "Network"), notice(error.message || String(error), "error"));
      return;
    }
    let sigma;
    let iterations;
    try {
      started = performance.now();
      style(graph);
      iterations = layout(graph);
      timings.layout = performance.now() - started;
      started = performance.now();
      sigma = new Sigma(graph, canvas, {
        renderEdgeLabels: false,
        // Every label on a small graph; on a large one, those of the larger nodes, as room allows.
        labelRenderedSizeThreshold: graph.order > 300 ? 10 : graph.order > 60 ? 6 : 0,
        labelDensity: graph.order > 60 ? 1 : 100,
        labelGridCellSize: graph.order > 60 ? 100 : 20,
        labelFont: "system-ui, sans-serif",
        zIndex: true,
      });
      current = sigma;
      timings.draw = performance.now() - started;
    } catch (error) {
      summary.replaceWith(notice(`The graph could not be drawn: ${error.message || error}`, "error"));
      return;
    }

    // The parties, for the keyboard and for the click: group nodes in the actors view, actor: nodes in the full one.
    const parties = [];
    graph.forEachNode((node, attributes) => {
      if (graphKind === "actors") parties.push([node, attributes.label || node]);
      else if (node.startsWith("actor:")) parties.push([node.slice("actor:".length), attributes.label || node]);
    });
    parties.sort((one, other) => one[1].localeCompare(other[1]));
    const labelOf = new Map(parties);
    partySelect.append(...parties.map(([id, label]) => h("option", { value: id }, label)));
    const choose = (actor) => {
      if (!labelOf.has(actor)) return;
      partySelect.value = actor;
      setParams({ actor }, { render: false });
      showParty(panel, actor, labelOf.get(actor), asOf);
    };
    partySelect.addEventListener("change", () => {
      if (partySelect.value) choose(partySelect.value);
    });
    sigma.on("clickNode", ({ node }) => choose(graphKind === "actors" ? node : node.replace(/^actor:/, "")));
    sigma.on("enterNode", () => { canvas.style.cursor = "pointer"; });
    sigma.on("leaveNode", () => { canvas.style.cursor = ""; });

    const conflicts = graph.filterEdges((_, attributes) => SIDES[attributes.kind] === "conflict").length;
    const agreements = graph.filterEdges((_, attributes) => SIDES[attributes.kind] === "agreement").length;
    summary.textContent =
      `${graph.order} nodes, ${graph.size} edges (${conflicts} conflict, ${agreements} agreement) as of ${asOf}` +
      (strongest !== undefined && conflicts + agreements >= Number(strongest) ? ` (the ${Number(strongest).toLocaleString("en")} heaviest)` : "") +
      ` · layout: ForceAtlas2, ${iterations} iterations` +
      (iterations < MAX_ITERATIONS ? `, then settling for ${SETTLE_MS / 1000} s` : "");
    Object.assign(container.dataset, {
      nodes: graph.order,
      edges: graph.size,
      asOf,
      graph: graphKind,
      timings: JSON.stringify(Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)]))),
    });
    // For tests and benchmarks: the graph and its renderer.
    window.parleyNetwork = { graph, sigma, timings, iterations };
    if (iterations < MAX_ITERATIONS && graph.order > 1) settle(graph);
    if (params.actor && labelOf.has(params.actor)) {
      partySelect.value = params.actor;
      await showParty(panel, params.actor, labelOf.get(params.actor), asOf);
    }
  },
};
