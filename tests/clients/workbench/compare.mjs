// Compare on the seed graph: two parties typed by alias, the answer drawn, the URL reproducing it, the as-of
// slider, and a quote followed into the Sources view with that quote highlighted; at 1280 and 390 wide.
import { scenario } from "./harness.mjs";

// The view is drawn (main not busy), and so are the sections that fill in after it (deadlocks, mediators).
const idle = async (page) => {
  await page.waitForSelector("main:not([aria-busy])");
  await page.waitForFunction(() => !document.querySelector("main [aria-busy]"));
};

async function readAnswer(page) {
  return page.evaluate(() => {
    const items = (kind) => [...document.querySelectorAll(`.compare-${kind} .item`)].map((item) => ({
      issue: item.querySelector("h3").textContent,
      sides: [...item.querySelectorAll(".position")].map((side) => ({
        party: side.querySelector("h4").textContent,
        quotes: [...side.querySelectorAll(".quote-link")].map((a) => a.textContent),
        links: [...side.querySelectorAll(".quote-link")].map((a) => a.getAttribute("href")),
      })),
    }));
    return {
      conflicts: items("conflicts"),
      agreements: items("agreements"),
      summary: document.querySelector(".compare-summary")?.textContent || "",
      mediators: [...document.querySelectorAll(".mediators > li > strong")].map((x) => x.textContent),
      compromise: {
        title: document.querySelector("#compare-compromise-title")?.textContent || "",
        concessions: [...document.querySelectorAll(".concessions > li")].map((li) => ({
          text: li.firstChild ? [...li.childNodes].slice(0, 5).map((n) => n.textContent).join("") : "",
          quotes: [...li.querySelectorAll(".quote-link")].map((a) => a.textContent),
        })),
      },
      inputs: [document.querySelector("#compare-a").value, document.querySelector("#compare-b").value],
    };
  });
}

await scenario(async ({ page, base, shot, found }) => {
  await page.goto(`${base}/?view=compare`);
  await idle(page);
  // Parties typed by an alias each: "Moscow" is Russia, "Kyiv" is Ukraine.
  await page.fill("#compare-a", "Moscow");
  await page.press("#compare-a", "Enter");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("a") === "russia");
  await idle(page);
  await page.fill("#compare-b", "Kyiv");
  // Time from choosing the second party (Enter) to the answer drawn, measured in the page.
  await page.evaluate(() => {
    document.querySelector("#compare-b").addEventListener("keydown", () => { window.chosenAt = performance.now(); }, { capture: true, once: true });
  });
  await page.press("#compare-b", "Enter");
  await page.waitForFunction(() => {
    const drawn = document.querySelector(".compare-summary") && !document.querySelector("main[aria-busy]");
    if (drawn && !window.drawnAt) window.drawnAt = performance.now();
    return drawn;
  }, null, { polling: "raf" });
  found.drawnWithinMs = await page.evaluate(() => window.drawnAt - window.chosenAt);
  await idle(page); // and the deadlocks and mediators below it
  found.url = await page.evaluate(() => location.search);
  found.answer = await readAnswer(page);
  await shot("compare-1280");
  await page.screenshot({ path: `${process.argv[3]}/compare-1280-full.png`, fullPage: true });

  // The URL reproduces the view after a reload.
  await page.reload();
  await idle(page);
  await page.waitForSelector(".compare-summary");
  found.reloaded = await readAnswer(page);

  // The slider: its first stop is the earliest date the data holds, written into the URL.
  await page.focus("#compare-date");
  await page.keyboard.press("Home");
  await page.waitForFunction(() => new URLSearchParams(location.search).has("as_of"));
  await idle(page);
  found.earliest = { url: await page.evaluate(() => location.search), answer: await readAnswer(page) };
  await page.click("button:has-text('Today')");
  await page.waitForFunction(() => !new URLSearchParams(location.search).has("as_of"));
  await idle(page);
  found.today = await page.evaluate(() => location.search);

  // Following a quote opens Sources with that quote highlighted and in view.
  const link = page.locator(".compare-conflicts .item", { hasText: "The four regions" }).locator(".side-b .quote-link").first();
  found.followed = (await link.textContent()).replace(/^“|”$/g, "");
  await link.click();
  await page.waitForFunction(() => new URLSearchParams(location.search).get("view") === "sources");
  await idle(page);
  found.sourcesUrl = await page.evaluate(() => location.search);
  found.current = await page.evaluate(() => ({
    text: [...document.querySelectorAll(".source-text mark.current")].map((m) => m.textContent).join(""),
    marks: document.querySelectorAll(".source-text mark").length,
    inView: (() => {
      const mark = document.querySelector(".source-text mark.current");
      const box = mark.getBoundingClientRect();
      return box.top >= 0 && box.bottom <= window.innerHeight;
    })(),
    focused: document.activeElement?.tagName,
  }));
  await shot("sources-1280");
  // The browser's back button returns to Compare.
  await page.goBack();
  await idle(page);
  await page.waitForSelector(".compare-summary");
  found.back = await page.evaluate(() => location.search);

  // The view the README shows (docs/images/compare.png): Russia and Ukraine on the day of the seed's report.
  await page.goto(`${base}/?view=compare&a=russia&b=ukraine&as_of=2025-04-18`);
  await idle(page);
  await shot("compare-as-of-1280");

  // The list of sources.
  await page.goto(`${base}/?view=sources`);
  await idle(page);
  found.sources = await page.$$eval(".sources-table tbody tr", (rows) => rows.map((row) => [...row.cells].map((c) => c.textContent)));
  await shot("sources-list-1280");

  // A phone-sized screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/?view=compare&a=russia&b=ukraine&as_of=2025-04-18`);
  await idle(page);
  await page.waitForSelector(".compare-summary");
  found.phone = {
    conflicts: await page.locator(".compare-conflicts .item").count(),
    overflow: await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
  };
  await shot("compare-390");
  await page.goto(`${base}/${found.sourcesUrl}`);
  await idle(page);
  found.phoneSourceOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await shot("sources-390");
});
