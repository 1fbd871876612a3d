// The workbench's frame: every view in the navigation opens, from a link and from its own URL, by keyboard too.
import { scenario } from "./harness.mjs";

await scenario(async ({ page, base, shot, found }) => {
  await page.goto(`${base}/`);
  await page.waitForSelector("nav#nav a[aria-current='page']");
  found.views = await page.$$eval("nav#nav a", (links) => links.map((a) => a.getAttribute("href")));
  found.first = await page.title();
  found.titles = {};
  for (const href of found.views) {
    await page.click(`nav#nav a[href='${href}']`);
    await page.waitForFunction((h) => location.search === h && !document.querySelector("main[aria-busy]"), href);
    found.titles[href] = await page.title();
  }
  // A reload of a view's address shows that view again.
  const last = found.views[found.views.length - 1];
  await page.goto(`${base}/${last}`);
  await page.waitForSelector("nav#nav a[aria-current='page']");
  found.reloaded = await page.$eval("nav#nav a[aria-current='page']", (a) => a.getAttribute("href"));
  // The navigation is reachable by keyboard: the first Tab reaches the skip link, later ones the views.
  await page.goto(`${base}/`);
  await page.waitForSelector("nav#nav a");
  const reached = [];
  for (let i = 0; i < 12; i += 1) {
    await page.keyboard.press("Tab");
    reached.push(await page.evaluate(() => document.activeElement.getAttribute("href")));
  }
  found.tabbed = reached;
  await shot("shell");
});
