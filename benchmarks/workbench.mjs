// The workbench's timings in Debian's Chromium (playwright-core), run by bench_workbench.py:
//
//   node benchmarks/workbench.mjs BASE_URL TASK JSON_OPTIONS
//
// TASK first: navigation start to the default view's `main:not([aria-busy])`, each in a fresh context (no cache).
// TASK compare: from pushing `?view=compare&a=A&b=B` (the page's own navigation: history.pushState, then the
//   router's parley:navigate event) to `main:not([aria-busy])`, for each B after A's page is open.
// TASK network: navigation start to `main:not([aria-busy])` of ?view=network&as_of=..., with the page's own
//   split of the time (export, parse, layout, draw) and the counts drawn.
// Prints one JSON line: { task, runs: [...] }.
import { chromium } from "../tests/clients/node_modules/playwright-core/index.mjs";

const [base, task, optionsText] = process.argv.slice(2);
const options = JSON.parse(optionsText || "{}");

// Set before any of the page's scripts: the moment the view's page is in <main> and <main> is no longer busy.
function watchReady() {
  new MutationObserver(() => {
    const main = document.querySelector("main#view");
    if (window.__ready === undefined && main && main.querySelector(".page") && !main.hasAttribute("aria-busy")) {
      window.__ready = performance.now();
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["aria-busy"] });
}

async function open(browser, path) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(watchReady);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  page.setDefaultTimeout(options.timeout || 600_000);
  await page.goto(`${base}${path}`);
  await page.waitForFunction(() => window.__ready !== undefined, null, { polling: 50 });
  const ready = await page.evaluate(() => window.__ready);
  if (errors.length) throw new Error(errors.join("\n"));
  return { context, page, ready };
}

const browser = await chromium.launch({
  executablePath: process.env.PARLEY_CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--use-gl=angle", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"],
});
const runs = [];
try {
  if (task === "first") {
    for (let i = 0; i < (options.repeat || 5); i += 1) {
      const { context, ready } = await open(browser, "/");
      runs.push({ ms: ready });
      await context.close();
    }
  } else if (task === "compare") {
    const { context, page } = await open(browser, `/?view=compare&a=${options.a}${options.as_of ? `&as_of=${options.as_of}` : ""}`);
    for (const b of options.b) {
      const query = new URLSearchParams({ view: "compare", a: options.a, b });
      if (options.as_of) query.set("as_of", options.as_of);
      const ms = await page.evaluate(async (search) => {
        const main = document.querySelector("main#view");
        const started = performance.now();
        history.pushState(null, "", `${location.pathname}?${search}`);
        window.dispatchEvent(new Event("parley:navigate")); // the router marks <main> busy at once
        await new Promise((resolve) => {
          const done = () => !main.hasAttribute("aria-busy") && (observer.disconnect(), resolve());
          const observer = new MutationObserver(done);
          observer.observe(main, { attributes: true, attributeFilter: ["aria-busy"] });
          done();
        });
        return performance.now() - started;
      }, query.toString());
      runs.push({ b, ms });
    }
    await context.close();
  } else if (task === "network") {
    for (let i = 0; i < (options.repeat || 1); i += 1) {
      const query = new URLSearchParams({ view: "network", ...(options.params || {}) });
      const { context, page, ready } = await open(browser, `/?${query}`);
      const drawn = await page.evaluate(() => {
        const container = document.querySelector(".page-network");
        return {
          nodes: Number(container.dataset.nodes),
          edges: Number(container.dataset.edges),
          timings: JSON.parse(container.dataset.timings || "{}"),
          iterations: window.parleyNetwork ? window.parleyNetwork.iterations : null,
          error: container.querySelector(".notice-error")?.textContent || null,
        };
      });
      runs.push({ ms: ready, ...drawn });
      await context.close();
    }
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify({ task, runs }));
