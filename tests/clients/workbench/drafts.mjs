// Drafts: paste an article, review the drafted positions (reject one, edit one, accept one), reload (the review is
// restored from sessionStorage), load with a wrong token (refused, nothing written), then with the right one.
import { scenario } from "./harness.mjs";

const ARTICLE =
  "Kremlin spokesman Dmitry Peskov said on Thursday that Russia would accept a ceasefire only if Ukraine drops its " +
  "ambitions to join NATO. Kyiv says those terms are unacceptable. Ukrainian President Volodymyr Zelensky said " +
  "Ukraine wants security guarantees from the United States. Russian Deputy Foreign Minister Sergei Ryabkov said " +
  "Moscow wants sanctions relief before any ceasefire.";
const token = process.env.PARLEY_TEST_TOKEN; // the server's write token, which the Python test passes

const idle = (page) => page.waitForSelector("main#view:not([aria-busy])");
const cards = (page) => page.$$eval(".draft-card h3", (titles) => titles.map((title) => title.textContent));

await scenario(async ({ page, base, shot, found }) => {
  await page.goto(`${base}/?view=drafts`);
  await idle(page);
  await page.fill("#draft-text", ARTICLE);
  await page.fill("#draft-published", "2025-04-18");
  await page.fill("#draft-title", "Workbench review test");
  await page.click("form.draft-form button[type=submit]");
  await page.waitForSelector(".draft-card");
  await idle(page);
  found.url = await page.evaluate(() => location.search);
  found.cards = await cards(page);
  found.marks = await page.$$eval(".draft-article mark", (marks) => marks.map((mark) => mark.id));
  found.facts = await page.$$eval(".draft-card", (all) =>
    all.map((card) => Object.fromEntries([...card.querySelectorAll("dt")].map((dt) => [dt.textContent, dt.nextElementSibling.textContent]))),
  );
  await shot("review");

  // Reject the second, accept the first, edit the third (holder and issue), by keyboard-reachable controls.
  await page.check("#draft-2-reject");
  await page.check("#draft-1-accept");
  await page.check("#draft-4-accept"); // the one that brings a new actor
  // An edit of a rejected position (a range in place of the stance) shows, and leaves it rejected.
  await page.click("#position-2 .draft-edit summary");
  await page.selectOption("#draft-2-stance", "range");
  await page.fill("#draft-2-min", "0");
  await page.press("#draft-2-min", "Tab");
  await page.fill("#draft-2-max", "85000");
  await page.press("#draft-2-max", "Tab");
  found.ranged = await page.$eval("#position-2", (card) => ({
    stance: card.querySelector(".fact-stance").textContent,
    rejected: card.querySelector("#draft-2-reject").checked,
  }));
  await page.click("#position-3 .draft-edit summary");
  await page.selectOption("#draft-3-holder", "ukraine");
  await page.focus("#draft-3-issue");
  await page.selectOption("#draft-3-issue", "ukraine-nato-membership");
  found.edited = await page.$eval("#position-3", (card) => ({
    title: card.querySelector("h3").textContent,
    holder: card.querySelector(".fact-holder").textContent,
    issue: card.querySelector(".fact-issue").textContent,
    accepted: card.querySelector("#draft-3-accept").checked,
  }));
  found.focusAfterEdit = await page.evaluate(() => document.activeElement.id);

  // A reload restores the review: the article, the decisions and the edit.
  await page.reload();
  await page.waitForSelector(".draft-card");
  await idle(page);
  found.restored = {
    text: await page.inputValue("#draft-text"),
    published: await page.inputValue("#draft-published"),
    decisions: await page.$$eval(".draft-decision input:checked", (inputs) => inputs.map((input) => input.id)),
    edited: await page.$eval("#position-3 .fact-holder", (dd) => dd.textContent),
    tally: await page.$eval(".draft-tally", (p) => p.textContent),
  };

  // A wrong token: the API's error in words, and nothing written.
  await page.fill("#draft-token", "not-the-token");
  await page.click("form.draft-load button[type=submit]");
  await page.waitForSelector(".draft-load-status .notice-error");
  await idle(page);
  found.wrong = await page.$eval(".draft-load-status", (status) => status.textContent);
  found.afterWrong = (await (await page.request.get(`${base}/positions/dmitry-peskov-ceasefire-2025-04-17`)).status());
  await page.$eval(".draft-load-status", (status) => status.scrollIntoView({ block: "center" }));
  await shot("wrong-token");

  // The right token: what was written, as the API answered.
  await page.fill("#draft-token", token);
  await page.click("form.draft-load button[type=submit]");
  await page.waitForSelector(".draft-written");
  await idle(page);
  found.written = await page.$eval(".written-positions", (dd) => dd.textContent);
  found.writtenSource = await page.$eval(".written-source", (dd) => dd.textContent);
  found.writtenActors = await page.$eval(".written-actors", (dd) => dd.textContent);
  found.tokenInUrl = await page.evaluate((t) => location.href.includes(t), token);
  found.tokenStored = await page.evaluate(() => ({ session: sessionStorage.getItem("parley.token"), local: Object.keys(localStorage) }));
  await page.$eval(".draft-written", (section) => section.scrollIntoView({ block: "center" }));
  await shot("written");

  await page.setViewportSize({ width: 390, height: 844 });
  await page.evaluate(() => document.querySelector(".draft-card").scrollIntoView());
  await shot("phone");
  found.phoneOverflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  found.phoneWide = await page.evaluate(() =>
    [...document.querySelectorAll("body *")]
      .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(0, 5)
      .map((element) => `${element.tagName}.${element.className}#${element.id}`),
  );
});
