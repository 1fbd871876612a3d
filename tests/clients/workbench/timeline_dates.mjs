// The timeline on hand-built data (written over the API by the test): a superseded position, an ended one,
// a range and a rejection, drawn with their dates and numbers.
import { scenario } from "./harness.mjs";

const ready = (page) => page.waitForSelector("main#view:not([aria-busy])");

await scenario(async ({ page, base, shot, found }) => {
  await page.goto(`${base}/?view=timeline&group=north`);
  await ready(page);
  await page.waitForSelector("svg.tl-svg");
  found.rows = await page.$$eval("g.tl-row", (rows) => rows.map((row) => row.dataset.issue));
  found.bars = await page.$$eval("g.tl-bar", (gs) => Object.fromEntries(gs.map((g) => [g.dataset.position, {
    ...g.dataset,
    label: g.getAttribute("aria-label"),
    texts: [...g.querySelectorAll("text")].map((t) => t.textContent),
    hatched: Boolean(g.querySelector(".tl-hatched")),
    endLine: Boolean(g.querySelector("line.tl-end")),
    rejectMark: Boolean(g.querySelector(".tl-reject-mark")),
  }])));
  // By keyboard: Tab from the issue filter reaches the first bar (Buffer zone's), and its quote shows.
  await page.focus("#tl-issue");
  await page.keyboard.press("Tab");
  found.tabbed = await page.evaluate(() => document.activeElement.dataset.position || document.activeElement.tagName);
  found.tabbedDetails = await page.textContent(".tl-details");
  await page.focus("g.tl-bar[data-position='north-troops']");
  found.details = await page.textContent(".tl-details");
  await shot("timeline-dates-1280");
  found.wide = Number(await page.$eval("svg.tl-svg", (svg) => svg.getAttribute("width")));
  await page.setViewportSize({ width: 390, height: 844 });
  // Drawn again for the narrower window, without a reload.
  await page.waitForFunction(() => Number(document.querySelector("svg.tl-svg").getAttribute("width")) < 400);
  found.narrow = Number(await page.$eval("svg.tl-svg", (svg) => svg.getAttribute("width")));
  await page.reload();
  await ready(page);
  await page.waitForSelector("svg.tl-svg");
  found.phoneBars = await page.$$eval("g.tl-bar", (gs) => gs.length);
  found.phoneOverflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await shot("timeline-dates-390");
});
