// Compare, one pair after another: the sections of a pair (deadlocks, compromise, mediators) are asked only
// once its answer is drawn, and when another pair is chosen before they are in, they are aborted, so the new
// pair never waits behind them; none of the old pair's late answers is drawn in the new pair's view.
import { scenario } from "./harness.mjs";

// Records every request the page sends with fetch, and whether its signal aborted it.
function watchFetches() {
  window.fetches = [];
  const fetch = window.fetch.bind(window);
  window.fetch = (url, init = {}) => {
    const seen = { url: String(url), aborted: false, sentAt: performance.now() };
    window.fetches.push(seen);
    const request = fetch(url, init);
    request.then(() => { seen.answered = true; }, () => {});
    init.signal?.addEventListener("abort", () => { seen.aborted = !seen.answered; });
    return request;
  };
}

const idle = async (page) => {
  await page.waitForSelector("main:not([aria-busy])");
  await page.waitForFunction(() => !document.querySelector("main [aria-busy]"));
};

await scenario(async ({ page, context, base, shot, found }) => {
  await context.addInitScript(watchFetches);
  // The server is slow to answer Russia and Ukraine's sections (held until the end), as on a large graph.
  const held = [];
  await context.route(/\/(deadlocks|compromise|mediators)\?.*b=ukraine/, (route) => { held.push(route); });

  await page.goto(`${base}/?view=compare&a=russia&b=ukraine`);
  await page.waitForSelector("main:not([aria-busy]) .compare-summary");
  found.first = await page.evaluate(() => ({
    summary: document.querySelector(".compare-summary").textContent,
    loading: [...document.querySelectorAll("main [aria-busy] h2")].map((h2) => h2.textContent),
  }));
  await page.waitForFunction((count) => window.fetches.filter((f) => f.url.includes("b=ukraine")).length >= count, 5);

  // Another second party, typed while Russia and Ukraine's sections are still on their way.
  await page.fill("#compare-b", "United States");
  await page.press("#compare-b", "Enter");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("b") === "us");
  await idle(page);
  found.second = await page.evaluate(() => ({
    summary: document.querySelector(".compare-summary").textContent,
    sections: [...document.querySelectorAll("main section h2")].map((h2) => h2.textContent),
    errors: [...document.querySelectorAll("main .notice-error")].map((p) => p.textContent),
  }));
  await shot("compare-next-1280");

  // What was asked, in order (the question and the second party), and what was aborted.
  found.fetches = await page.evaluate(() => window.fetches
    .filter((f) => /(conflicts|overlap|deadlocks|compromise|mediators)\?/.test(f.url))
    .map((f) => {
      const url = new URL(f.url, location.href);
      return { asked: `${url.pathname.replace(/^\//, "")} ${url.searchParams.get("b")}`, aborted: f.aborted };
    }));
  found.held = held.length;
  for (const route of held) await route.abort().catch(() => {}); // already gone with the page's abort
  // A late answer of the old pair (were one to come) must not be drawn: the view still shows the new pair.
  await page.waitForTimeout(200);
  found.after = await page.evaluate(() => document.querySelector(".compare-summary").textContent);
});
