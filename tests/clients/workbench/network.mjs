// The network view: Parley's GEXF drawn by sigma.js; its counts, its edge colours, a party's positions chosen
// from the list (keyboard) and by a click on its node, the as-of date in the URL (changed, then reloaded), a phone.
import { scenario } from "./harness.mjs";

const LATER = "2025-05-01";
const EARLIER = "2025-04-17";
const idle = "main#view:not([aria-busy])";

async function drawn(page) {
  await page.waitForSelector(`${idle} .page-network[data-nodes]`);
  return page.evaluate(() => {
    const { graph, sigma } = window.parleyNetwork;
    const container = document.querySelector(".page-network");
    const colours = {};
    graph.forEachEdge((edge, attributes) => {
      const shown = sigma.getEdgeDisplayData(edge).color;
      (colours[attributes.kind] ||= new Set()).add(shown);
    });
    return {
      nodes: Number(container.dataset.nodes),
      edges: Number(container.dataset.edges),
      graphNodes: graph.order,
      graphEdges: graph.size,
      colours: Object.fromEntries(Object.entries(colours).map(([kind, set]) => [kind, [...set]])),
      labels: graph.mapNodes((_, attributes) => attributes.label),
      asOf: document.querySelector("#network-as-of").value,
      canvases: container.querySelectorAll("canvas").length,
      url: location.search,
    };
  });
}

async function panel(page, actor) {
  await page.waitForSelector(`.network-panel[data-actor='${actor}'] [data-total]`);
  return page.evaluate(() => {
    const side = document.querySelector(".network-panel");
    return {
      heading: side.querySelector("h2").textContent,
      total: Number(side.querySelector("[data-total]").dataset.total),
      items: side.querySelectorAll(".network-positions li").length,
      links: [...side.querySelectorAll("a")].map((a) => a.getAttribute("href")),
      url: location.search,
    };
  });
}

await scenario(async ({ page, base, shot, found }) => {
  await page.goto(`${base}/?view=network&as_of=${LATER}`);
  found.later = await drawn(page);

  // The keyboard's way to a party: the list beside the graph (focused by Tab from the controls before it).
  await page.focus("#network-edges");
  await page.keyboard.press("Tab");
  found.focused = await page.evaluate(() => document.activeElement.id);
  await page.selectOption("#network-party-select", "russia");
  found.russia = await panel(page, "russia");
  await shot("network-1280");

  // A click on a node shows that party: ukraine's node, found where sigma drew it.
  const point = await page.evaluate(() => {
    const { graph, sigma } = window.parleyNetwork;
    const at = sigma.graphToViewport(graph.getNodeAttributes("ukraine"));
    const box = document.querySelector(".network-canvas").getBoundingClientRect();
    return { x: box.left + at.x, y: box.top + at.y };
  });
  await page.mouse.click(point.x, point.y);
  found.clicked = await panel(page, "ukraine");

  // Another date, from the date control: the URL says it, the graph changes, a reload restores it.
  await page.fill("#network-as-of", EARLIER);
  await page.waitForFunction((day) => location.search.includes(`as_of=${day}`), EARLIER);
  await page.waitForSelector(`${idle} .page-network[data-as-of='${EARLIER}'][data-nodes]`);
  found.earlier = await drawn(page);
  await page.reload();
  found.reloaded = await drawn(page);

  // The actor chosen is in the URL too: a reload shows its positions again.
  await page.goto(`${base}/?view=network&as_of=${LATER}&actor=russia`);
  await drawn(page);
  found.restored = await panel(page, "russia");

  // The full view on demand, from the graph control.
  await page.selectOption("#network-graph", "full");
  await page.waitForFunction(() => location.search.includes("graph=full"));
  await page.waitForSelector(`${idle} .page-network[data-graph='full'][data-nodes]`);
  found.full = await drawn(page);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/?view=network&as_of=${LATER}&actor=russia`);
  found.phone = await drawn(page);
  await panel(page, "russia");
  found.phoneOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await shot("network-390");
  await page.evaluate(() => document.querySelector(".network-panel").scrollIntoView());
  await shot("network-390-panel");
});
