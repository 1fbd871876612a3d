// SPARQL: YASGUI over the server's own endpoint. Choose a shipped example, run it, read the results table (prefixed
// names), complete one of Parley's terms, and open a query from the URL (and again after a reload).
import { scenario } from "./harness.mjs";

const idle = (page) => page.waitForSelector("main#view:not([aria-busy])");
// The editor of the tab shown (YASGUI keeps one per tab).
const EDITOR = "() => [...document.querySelectorAll('.yasqe .CodeMirror')].find((element) => element.offsetParent).CodeMirror";
const editorText = (page) => page.evaluate(`(${EDITOR})().getValue()`);
// The rows of the results table shown (without YASR's row number column).
const cells = (page) =>
  page.$$eval(".yasr tbody tr", (rows) =>
    rows
      .filter((row) => row.offsetParent)
      .map((row) => [...row.querySelectorAll("td")].slice(1).map((cell) => cell.textContent.trim())),
  );
const QUERY = "SELECT ?label WHERE { actor:russia rdfs:label ?label }";

await scenario(async ({ page, base, shot, found }) => {
  await page.goto(`${base}/?view=sparql`);
  await idle(page);
  await page.waitForSelector(".yasqe .CodeMirror");
  found.examples = await page.$$eval("#sparql-example option", (options) => options.map((option) => option.textContent));

  // A shipped example, loaded into the editor with the PREFIX lines it needs, run, its cells in prefixed names.
  await page.selectOption("#sparql-example", { label: "Who speaks for whom (as GET /actors)" });
  found.loaded = await editorText(page);
  found.highlighted = await page.$$eval(".yasqe .cm-keyword", (spans) => spans.map((span) => span.textContent));
  await page.click("#sparql-run");
  await page.waitForSelector(".yasr tbody tr >> visible=true");
  found.urlAfterRun = await page.evaluate(() => new URLSearchParams(location.search).get("query"));
  found.editorLabel = await page.$eval(".yasqe textarea", (field) => field.getAttribute("aria-label"));
  found.unlabelled = await page.$$eval(".yasgui input, .yasgui select, .yasgui textarea", (fields) =>
    fields
      .filter((field) => field.type !== "hidden" && !field.getAttribute("aria-label") && !field.labels?.length)
      .map((field) => field.outerHTML.slice(0, 120)),
  );
  found.shareShown = await page.$$eval(".yasqe_share", (buttons) => buttons.some((button) => button.offsetParent));
  found.header = await page.$$eval(".yasr thead th", (cells) => cells.filter((cell) => cell.offsetParent).map((cell) => cell.textContent.trim()));
  found.rows = await cells(page);
  await shot("example");

  // Completion of Parley's terms (from GET sparql/vocabulary, not from prefix.cc or LOV), as one types: the PREFIX
  // line of a predefined prefix is added, and the classes are offered after "a".
  await page.evaluate(`(() => {
    const editor = (${EDITOR})();
    editor.setValue("");
    editor.focus();
  })()`);
  await page.keyboard.type("SELECT * WHERE { ?s a parley:Pos", { delay: 15 });
  await page.waitForSelector(".CodeMirror-hints li");
  found.typed = await editorText(page);
  found.classes = await page.$$eval(".CodeMirror-hints li", (items) => items.map((item) => item.textContent));
  await page.keyboard.press("Escape");
  await page.keyboard.type(" ; parley:speaks");
  await page.keyboard.press("Control+Space");
  await page.waitForSelector(".CodeMirror-hints li");
  found.completions = await page.$$eval(".CodeMirror-hints li", (items) => items.map((item) => item.textContent));
  await shot("completion");
  await page.keyboard.press("Escape");

  // Away and back by the navigation: the editor is drawn again, with the tab as it was.
  await page.click("nav#nav a[href='?view=drafts']");
  await idle(page);
  await page.click("nav#nav a[href='?view=sparql']");
  await idle(page);
  await page.waitForSelector(".yasqe .CodeMirror");
  found.back = { editors: await page.$$eval(".yasgui", (all) => all.length), text: await editorText(page) };

  // A ?query= URL opens that query and runs it; so does a reload of it.
  await page.goto(`${base}/?view=sparql&query=${encodeURIComponent(QUERY)}`);
  await idle(page);
  await page.waitForSelector(".yasr tbody tr >> visible=true");
  found.fromUrl = { editor: await editorText(page), rows: await cells(page) };
  await page.reload();
  await idle(page);
  await page.waitForSelector(".yasr tbody tr >> visible=true");
  found.reloaded = { editor: await editorText(page), rows: await cells(page), url: await page.evaluate(() => location.search) };
  await shot("query-url");

  await page.setViewportSize({ width: 390, height: 844 });
  await shot("phone");
  found.phoneOverflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  found.phoneWide = await page.evaluate(() =>
    [...document.querySelectorAll("body *")]
      .filter((element) => element.offsetParent && element.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(0, 8)
      .map((element) => `${element.tagName}.${element.className}#${element.id} ${Math.round(element.getBoundingClientRect().right)}`),
  );
});
