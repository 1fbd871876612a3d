// Open a page in Debian's Chromium (driven by playwright-core) and report what it shows and what it asked for.
//
//   node browse.mjs URL SELECTOR [SCREENSHOT]
//
// Prints one JSON object: {"count": elements matching SELECTOR once the page has settled,
// "texts": their first 200 texts, "requests": every URL the page requested, "errors": page errors}.
import { chromium } from "playwright-core";

const [url, selector, screenshot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.PARLEY_CHROMIUM || "/usr/bin/chromium",
  // No background traffic of the browser's own: every request seen is the page's.
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage();
  const requests = [];
  const errors = [];
  page.on("request", (request) => requests.push(request.url()));
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(url, { waitUntil: "networkidle", timeout: 30000 });
  await page.waitForSelector(selector, { timeout: 30000 });
  await page.waitForLoadState("networkidle");
  const elements = await page.$$(selector);
  const texts = [];
  for (const element of elements.slice(0, 200)) texts.push((await element.innerText()).trim());
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: false });
  console.log(JSON.stringify({ count: elements.length, texts, requests, errors }));
} finally {
  await browser.close();
}
