// Compare on hand-built ranges (tests/data/workbench-ranges.json): the army ceiling's gap and the prisoners'
// zone of agreement drawn on number lines with their numbers, the deadlock between the two parties, and the
// Sources view of a source without text listing every quote as unverified.
import { scenario } from "./harness.mjs";

// The view is drawn (main not busy), and so are the sections that fill in after it (deadlocks, mediators).
const idle = async (page) => {
  await page.waitForSelector("main:not([aria-busy])");
  await page.waitForFunction(() => !document.querySelector("main [aria-busy]"));
};

await scenario(async ({ page, base, shot, found }) => {
  await page.goto(`${base}/?view=compare&a=northland&b=southland&as_of=2025-05-02`);
  await idle(page);
  await page.waitForSelector(".compare-summary");
  const line = (kind) => page.evaluate((kind) => [...document.querySelectorAll(`.numberline-${kind}`)].map((figure) => ({
    caption: figure.querySelector("figcaption").textContent,
    labels: [...figure.querySelectorAll("svg text")].map((t) => t.textContent),
    svgLabel: figure.querySelector("svg").getAttribute("aria-label"),
    marked: figure.querySelectorAll(kind === "conflict" ? "rect.nl-gap" : "rect.nl-zone").length,
    bands: figure.querySelectorAll("rect.nl-band").length,
  })), kind);
  found.gaps = await line("conflict");
  found.zones = await line("agreement");
  found.facts = await page.$$eval(".compare-conflicts .item-facts", (facts) => facts.map((p) => p.textContent));
  found.stances = await page.$$eval(".compare-conflicts .stance", (s) => s.map((x) => x.textContent));
  found.deadlocks = await page.$$eval(".compare-deadlocks li", (items) => items.map((li) => li.textContent));
  await shot("ranges-1280");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await idle(page);
  await page.waitForSelector(".numberline");
  await page.locator(".numberline").first().scrollIntoViewIfNeeded();
  found.phoneOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await shot("ranges-390");

  // The source holds no text: its quotes are listed, each marked unverified, the one named in the URL emphasised.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${base}/?view=sources&source=border-talks-2025-05-02&position=southland-army-ceiling`);
  await idle(page);
  found.unverified = await page.$$eval(".unverified li", (items) => items.map((li) => ({
    badge: li.querySelector(".badge-unverified").textContent,
    quote: li.querySelector("q").textContent,
    current: li.classList.contains("current"),
  })));
  found.marks = await page.locator(".source-text mark").count();
  await shot("unverified-1280");
});
