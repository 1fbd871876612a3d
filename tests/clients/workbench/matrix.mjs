// The matrix view: a cell for Russia and Ukraine says its counts and opens Compare for the pair; the chosen
// groups and the as-of date live in the URL, so a reload shows the same matrix.
import { scenario } from "./harness.mjs";

const ready = (page) => page.waitForSelector("main#view:not([aria-busy])");

await scenario(async ({ page, base, shot, found }) => {
  await page.goto(`${base}/?view=matrix`);
  await ready(page);
  await page.waitForSelector("table.mx-table");
  found.rows = await page.$$eval("table.mx-table tbody th[scope=row]", (cells) => cells.map((th) => th.textContent));
  found.columns = await page.$$eval("table.mx-table thead th.mx-col", (cells) => cells.map((th) => th.textContent));
  const cell = page.locator("table.mx-table a[aria-label^='Russia and Ukraine:']");
  found.cell = {
    label: await cell.getAttribute("aria-label"),
    text: (await cell.textContent()).trim(),
    href: await cell.getAttribute("href"),
    classes: await cell.evaluate((a) => a.parentElement.className),
  };
  found.legend = await page.textContent(".mx-legend");
  await shot("matrix-1280");
  // Keyboard: the cell is a link that Enter follows.
  await cell.focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("view") === "compare");
  await ready(page);
  found.opened = await page.evaluate(() => location.search);

  // A chosen set and a date: chosen with the checkboxes, kept in the URL, restored by a reload.
  await page.goto(`${base}/?view=matrix&as_of=2025-04-18`);
  await ready(page);
  await page.click(".mx-details summary");
  await page.uncheck("input[name=actor][value=us]");
  await page.click("text=Show these groups");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("actors") === "russia,ukraine");
  await ready(page);
  found.chosen = await page.evaluate(() => location.search);
  await page.reload();
  await ready(page);
  await page.waitForSelector("table.mx-table");
  found.reloaded = {
    search: await page.evaluate(() => location.search),
    date: await page.inputValue("#mx-as-of"),
    rows: await page.$$eval("table.mx-table tbody th[scope=row]", (cells) => cells.map((th) => th.textContent)),
    caption: await page.textContent("table.mx-table caption"),
    cells: await page.$$eval("table.mx-table td.mx-cell a", (links) => links.map((a) => a.getAttribute("aria-label"))),
  };
  // The date input moves the question too.
  await page.fill("#mx-as-of", "2024-01-01");
  await page.click(".controls button[type=submit]");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("as_of") === "2024-01-01");
  await ready(page);
  found.earlier = await page.$$eval("table.mx-table td.mx-cell a", (links) => links.map((a) => a.getAttribute("aria-label")));

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/?view=matrix`);
  await ready(page);
  found.phoneOverflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await shot("matrix-390");
});
