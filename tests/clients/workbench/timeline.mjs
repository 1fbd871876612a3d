// The timeline view on the seed graph: one row per issue of a group, a bar per position with its quote on focus;
// the group picker (by alias) and the issue filter live in the URL, so a reload shows the same timeline.
import { scenario } from "./harness.mjs";

const ready = (page) => page.waitForSelector("main#view:not([aria-busy])");
const bars = (page) => page.$$eval("g.tl-bar", (gs) => gs.map((g) => ({ ...g.dataset, label: g.getAttribute("aria-label") })));

await scenario(async ({ page, base, shot, found }) => {
  await page.goto(`${base}/?view=timeline`);
  await ready(page);
  // Choosing by an alias: Moscow is Russia.
  await page.fill("#tl-group", "Moscow");
  await page.press("#tl-group", "Enter");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("group") === "russia");
  await ready(page);
  await page.waitForSelector("svg.tl-svg");
  found.rows = await page.$$eval("g.tl-row", (rows) => rows.map((row) => row.dataset.issue));
  found.bars = await bars(page);
  found.ticks = await page.$$eval(".tl-axis text", (texts) => texts.map((t) => t.textContent));
  // Focus (Tab) on a bar shows its quote, speaker and source.
  await page.focus("g.tl-bar[data-position='putin-territory']");
  found.details = await page.textContent(".tl-details");
  await shot("timeline-1280");

  await page.selectOption("#tl-issue", "territory");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("issue") === "territory");
  await ready(page);
  await page.reload();
  await ready(page);
  await page.waitForSelector("svg.tl-svg");
  found.reloaded = {
    search: await page.evaluate(() => location.search),
    issue: await page.inputValue("#tl-issue"),
    group: await page.inputValue("#tl-group"),
    rows: await page.$$eval("g.tl-row", (rows) => rows.map((row) => row.dataset.issue)),
  };

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/?view=timeline&group=ukraine`);
  await ready(page);
  await page.waitForSelector("svg.tl-svg");
  found.phoneOverflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  found.phoneRows = await page.$$eval("g.tl-row", (rows) => rows.length);
  await shot("timeline-390");
});
