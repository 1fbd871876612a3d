// The Changes view on the seed graph: the seed's load with its shifts; a write made while the page is open appears
// at the top without a reload, marked new; the party filter lives in the URL, so a reload shows the same list.
import { scenario } from "./harness.mjs";

const token = process.env.PARLEY_TEST_TOKEN; // the server's write token, which the Python test passes
const ready = (page) => page.waitForSelector("main#view:not([aria-busy])");
const writes = (page) => page.$$eval("li.ch-write", (items) => items.map((item) => ({
  sequence: Number(item.dataset.sequence),
  fresh: item.classList.contains("ch-new"),
  head: item.querySelector(".ch-head").textContent,
  summary: item.querySelector(".ch-summary").textContent,
  shifts: [...item.querySelectorAll(".ch-shifts li")].map((li) => ({
    party: li.dataset.party,
    text: li.querySelector(".ch-shift").textContent,
    timeline: li.querySelector(".ch-shift a").getAttribute("href"),
    positions: [...li.querySelectorAll(".ch-positions a")].map((a) => a.getAttribute("href")),
  })),
})));

await scenario(async ({ page, base, shot, found }) => {
  await page.goto(`${base}/?view=changes`);
  await ready(page);
  await page.waitForSelector(".ch-status.ch-live");
  found.status = await page.textContent(".ch-status");
  found.statusLive = await page.getAttribute(".ch-status", "aria-live");
  found.before = await writes(page);
  found.feeds = await page.$$eval(".ch-feeds a", (links) => links.map((a) => a.getAttribute("href")));
  found.unlabelled = await page.$$eval("main input, main select", (controls) =>
    controls.filter((control) => !control.labels || control.labels.length === 0).map((control) => control.id));
  await shot("changes-1280");

  // A write made elsewhere while the page is open: it comes in on the stream, no reload.
  await page.evaluate(() => { window.notReloaded = true; });
  const deleted = await fetch(`${base}/positions/ukraine-army-size`, {
    method: "DELETE", headers: { Authorization: `Bearer ${token}` },
  });
  found.deleteStatus = deleted.status;
  await page.waitForSelector("li.ch-new");
  found.after = await writes(page);
  found.statusAfter = await page.textContent(".ch-status");
  found.notReloaded = await page.evaluate(() => window.notReloaded === true);
  await shot("changes-live");

  // A position opens its source's text with its quote highlighted; a party opens its timeline.
  await page.click("li.ch-write a[href='?view=sources&position=putin-territory']");
  await page.waitForSelector(".source-text mark.current");
  await ready(page);
  found.source = { search: await page.evaluate(() => location.search), mark: await page.textContent(".source-text mark.current") };
  await page.goBack();
  await ready(page);
  await page.click("li.ch-write[data-sequence='2'] .ch-shift a");
  await page.waitForSelector("svg.tl-svg");
  found.timeline = await page.evaluate(() => location.search);
  await page.goto(`${base}/?view=changes`);
  await ready(page);

  // A party's shifts, typed by name: the URL holds it, and a reload restores the same view.
  await page.fill("#ch-party", "Ukraine");
  await page.press("#ch-party", "Enter");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("party") === "ukraine");
  await ready(page);
  found.filtered = await writes(page);
  await page.reload();
  await ready(page);
  await page.waitForSelector(".ch-status.ch-live");
  found.reloaded = {
    search: await page.evaluate(() => location.search),
    party: await page.inputValue("#ch-party"),
    heading: await page.textContent("main h1"),
    writes: await writes(page),
    feeds: await page.$$eval(".ch-feeds a", (links) => links.map((a) => a.getAttribute("href"))),
  };
  // The party's feed answers as Atom, from the page's own origin.
  found.partyFeed = await page.evaluate(async () => {
    const response = await fetch(document.querySelectorAll(".ch-feeds a")[1].getAttribute("href"));
    return { status: response.status, type: response.headers.get("Content-Type") };
  });

  // Since a date: a day after every write shows none, and says so; the date field holds it after a reload.
  await page.goto(`${base}/?view=changes&since=2999-01-01`);
  await ready(page);
  found.future = { since: await page.inputValue("#ch-since"), writes: (await writes(page)).length, notice: await page.textContent("main .notice") };

  // The controls by keyboard: Tab from the party field reaches the date, then the button.
  await page.focus("#ch-party");
  await page.keyboard.press("Tab");
  found.tabbed = [await page.evaluate(() => document.activeElement.id)];

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/?view=changes`);
  await ready(page);
  await page.waitForSelector("li.ch-write");
  found.phoneOverflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await shot("changes-390");
});
