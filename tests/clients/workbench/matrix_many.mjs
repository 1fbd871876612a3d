// The matrix with more groups than it shows by default: the 30 holding the most positions, a note saying so,
// a filter over the groups to choose from, and headers that stay in view while the table scrolls.
import { scenario } from "./harness.mjs";

const ready = (page) => page.waitForSelector("main#view:not([aria-busy])");

await scenario(async ({ page, base, shot, found }) => {
  await page.goto(`${base}/?view=matrix`);
  await ready(page);
  await page.waitForSelector("table.mx-table");
  found.rows = await page.$$eval("table.mx-table tbody th[scope=row]", (cells) => cells.map((th) => th.textContent));
  found.notes = await page.$$eval("main .notice", (notes) => notes.map((note) => note.textContent));
  await page.click(".mx-details summary");
  await page.fill("#mx-filter", "group 0");
  found.filtered = await page.$$eval(".mx-choice", (labels) => labels.filter((label) => !label.hidden).map((label) => label.textContent.trim()));
  await page.fill("#mx-filter", "");
  await page.click(".mx-details summary");
  // Scroll the table's box: the column headers stay at its top, the row headers at its left.
  found.sticky = await page.evaluate(() => {
    const box = document.querySelector(".mx-scroll");
    box.scrollTop = 400;
    box.scrollLeft = 400;
    const top = box.getBoundingClientRect();
    const column = document.querySelector("thead th.mx-col").getBoundingClientRect();
    const row = [...document.querySelectorAll("tbody th.mx-row")].find((th) => th.getBoundingClientRect().bottom > top.top + 150)
      .getBoundingClientRect();
    return { scrolled: [box.scrollTop, box.scrollLeft], columnTop: column.top - top.top, rowLeft: row.left - top.left };
  });
  await shot("matrix-many-1280");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await ready(page);
  found.phoneOverflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await shot("matrix-many-390");
});
