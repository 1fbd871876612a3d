// Drive one workbench scenario in Debian's Chromium (playwright-core) and print what it found as JSON.
//
//   node SCENARIO.mjs BASE_URL OUTPUT_DIR
//
// A scenario module calls `scenario(async ({ page, base, shot, found }) => { ... })`: it opens views under
// `base`, records what it checks in `found`, and saves screenshots with `shot(name)`. The harness adds
// every URL the page requested (`requests`), the page's errors and console errors (`errors`), and the
// screenshots' paths (`screenshots`); the Python test asserts on all of it.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

export async function scenario(steps, { width = 1280, height = 900 } = {}) {
  const [base, output] = process.argv.slice(2);
  mkdirSync(output, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.PARLEY_CHROMIUM || "/usr/bin/chromium",
    // No background traffic of the browser's own: every request seen is the page's.
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--use-gl=angle", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"],
  });
  const requests = [];
  const errors = [];
  const screenshots = [];
  const found = {};
  try {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    page.setDefaultTimeout(20000);
    page.on("request", (request) => requests.push(request.url()));
    page.on("pageerror", (error) => errors.push(`page error: ${error}`));
    page.on("console", (message) => { if (message.type() === "error") errors.push(`console: ${message.text()}`); });
    const shot = async (name) => {
      const path = join(output, `${name}.png`);
      await page.screenshot({ path, fullPage: false });
      screenshots.push(path);
    };
    await steps({ page, context, base: base.replace(/\/$/, ""), shot, found });
  } catch (error) {
    errors.push(`scenario: ${error && error.stack ? error.stack : error}`);
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify({ found, requests, errors, screenshots }));
}
