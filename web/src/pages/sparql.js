// SPARQL: the editor SPARQL users know (YASGUI, bundled with the page, so it works offline), over the server's own
// endpoint (`sparql`, relative). Parley's prefixes and terms come from GET sparql/vocabulary: the editor completes
// them instead of asking prefix.cc or LOV (YASGUI's default completers, which ask other hosts: removed here), and
// the results name terms by those prefixes. The shipped example queries are offered in a picker.
//
// YASGUI keeps its tabs in localStorage; a `?query=` URL opens that query (in a tab of its own, or the tab that
// holds it already) and runs it.
import { apiOnce, h, setParams } from "../lib.js";
import "./sparql.css";

let library; // YASGUI, imported once, when this page is first shown (the other pages never load it)

/** YASGUI's style sheet (static/workbench/yasgui.css, beside app.css), linked once; resolves when it has loaded. */
function loadStyle() {
  const href = new URL("yasgui.css", document.querySelector("link[href$='app.css']")?.href || location.href).href;
  const present = document.querySelector("link[data-yasgui]");
  if (present) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const link = h("link", { rel: "stylesheet", href, "data-yasgui": "" });
    link.addEventListener("load", resolve);
    link.addEventListener("error", () => reject(new Error("YASGUI's style sheet did not load: run `make`")));
    document.head.append(link);
  });
}

async function loadYasgui() {
  if (!library) {
    library = Promise.all([import("./yasgui-bundle.js"), loadStyle()]).then(([module]) => module.default);
  }
  return library;
}

/** The PREFIX lines a query needs for the prefixes it uses and does not declare (the endpoint predefines them). */
export function withPrefixes(query, prefixes) {
  const declared = new Set([...query.matchAll(/PREFIX\s+([A-Za-z][\w-]*)?:/gi)].map((match) => match[1] || ""));
  const used = Object.keys(prefixes).filter(
    (name) => !declared.has(name) && new RegExp(`(^|[\\s(/^|,;{])${name}:`, "m").test(query),
  );
  if (!used.length) return query;
  return `${used.map((name) => `PREFIX ${name}: <${prefixes[name]}>`).join("\n")}\n${query}`;
}

/** Replace YASGUI's completers that ask other hosts (prefix.cc, LOV) with Parley's own prefixes and terms. */
function parleyCompleters(Yasgui, vocabulary) {
  const Yasqe = Yasgui.Yasqe;
  const prefixLines = Object.entries(vocabulary.prefixes).map(([name, iri]) => `${name}: <${iri}>`).sort();
  const startingWith = (list) => (yasqe, token) => {
    const typed = token?.autocompletionString ?? token?.string ?? "";
    return list.filter((term) => term.startsWith(typed));
  };
  Yasqe.forkAutocompleter("prefixes", { name: "parleyPrefixes", get: () => prefixLines, persistenceId: null }, false);
  Yasqe.forkAutocompleter(
    "property",
    { name: "parleyProperties", get: startingWith(vocabulary.properties), postProcessSuggestion: (y, t, s) => s, preProcessToken: (y, t) => t, bulk: false },
    false,
  );
  Yasqe.forkAutocompleter(
    "class",
    { name: "parleyClasses", get: startingWith(vocabulary.classes), postProcessSuggestion: (y, t, s) => s, preProcessToken: (y, t) => t, bulk: false },
    false,
  );
  // The default completers that would ask prefix.cc and LOV are gone, whatever a stored tab asks for.
  for (const name of ["prefixes", "property", "class"]) delete Yasqe.Autocompleters[name];
  Yasqe.defaults.autocompleters = ["variables", "parleyPrefixes", "parleyProperties", "parleyClasses"];
}

let configured = false;
let shown; // the YASGUI instance on the page

export default {
  async render(container, params) {
    container.append(h("h1", {}, "SPARQL"));
    const [Yasgui, vocabulary] = await Promise.all([loadYasgui(), apiOnce("sparql/vocabulary")]);
    if (!configured) {
      parleyCompleters(Yasgui, vocabulary);
      // A new tab starts with Parley's first example rather than YASGUI's query of everything.
      Yasgui.Yasqe.defaults.value = withPrefixes(vocabulary.examples[0]?.query || "SELECT * WHERE { ?s ?p ?o } LIMIT 10", vocabulary.prefixes);
      configured = true;
    }
    const picker = h(
      "select",
      { id: "sparql-example" },
      h("option", { value: "" }, "Choose an example…"),
      vocabulary.examples.map((example, index) => h("option", { value: String(index) }, example.title)),
    );
    const run = h("button", { type: "button", class: "secondary", id: "sparql-run" }, "Run");
    container.append(
      h(
        "div",
        { class: "controls" },
        h("div", { class: "field" }, h("label", { for: "sparql-example" }, "Example queries"), picker),
        run,
        h(
          "p",
          { class: "muted sparql-help" },
          "Ctrl+Enter runs the query; Ctrl+Space completes Parley's prefixes, classes and properties. Parley's prefixes are predefined.",
        ),
      ),
    );
    const host = h("div", { id: "parley-yasgui", class: "sparql-editor" });
    container.append(host);
    const endpoint = "sparql";
    shown?.destroy(); // the instance of the last visit, whose elements are gone
    const yasgui = new Yasgui(host, {
      requestConfig: { endpoint, method: "POST" },
      copyEndpointOnNewTab: true,
      populateFromUrl: false,
      autofocus: false,
      endpointCatalogueOptions: { getData: () => [{ endpoint }] },
      yasqe: { autocompleters: ["variables", "parleyPrefixes", "parleyProperties", "parleyClasses"] },
      yasr: { prefixes: vocabulary.prefixes },
    });
    shown = yasgui;
    const tab = () => yasgui.getTab();
    // Every tab asks this server, whatever a stored tab asked before.
    for (const id of yasgui.persistentConfig.getTabs()) {
      const config = yasgui.persistentConfig.getTab(id);
      if (config?.requestConfig) config.requestConfig.endpoint = endpoint;
    }
    tab()?.setEndpoint(endpoint);

    // A ?query= URL: the tab that holds that query already, or a new one.
    const openInTab = (query) => {
      const text = withPrefixes(query, vocabulary.prefixes);
      const existing = yasgui.persistentConfig.getTabs().find((id) => yasgui.persistentConfig.getTab(id)?.yasqe?.value === text);
      if (existing) yasgui.selectTabId(existing);
      else yasgui.addTab(true, { yasqe: { value: text }, requestConfig: { endpoint } });
      if (tab().getQuery() !== text) tab().setQuery(text);
      return tab().query();
    };

    // An example goes into the editor of the current tab.
    picker.addEventListener("change", () => {
      const example = vocabulary.examples[Number(picker.value)];
      if (!example) return;
      tab().setQuery(withPrefixes(example.query, vocabulary.prefixes));
      tab().getYasqe()?.focus();
    });
    run.addEventListener("click", () => tab()?.query().catch(() => {}));
    // The address follows the query run, so that a reload (or the link, sent on) opens it again.
    yasgui.on("query", (instance, ran) => setParams({ query: ran.getQuery() }, { render: false }));
    // Every control YASGUI draws is labelled for assistive technology: the editor's text area (CodeMirror's has no
    // label of its own), the endpoint field, and the results' filter and page size (by their placeholder or title).
    const label = () => {
      for (const field of host.querySelectorAll("input, select, textarea")) {
        if (field.hasAttribute("aria-label") || field.labels?.length || field.type === "hidden") continue;
        const named = field.closest(".yasqe") && field.tagName === "TEXTAREA" ? "SPARQL query" : field.placeholder || field.title;
        field.setAttribute("aria-label", named || (field.closest(".controlbar") ? "Endpoint" : "Results setting"));
      }
    };
    label();
    for (const event of ["tabSelect", "tabAdd", "queryResponse"]) yasgui.on(event, () => setTimeout(label));

    // The view is drawn once the query of the URL has its answer (or error); a query the editor will not send
    // (or one that never returns) does not hold the page busy past the server's own time limits.
    if (params.query) {
      await new Promise((resolve) => {
        const timer = setTimeout(() => done(), 30000);
        const done = () => {
          clearTimeout(timer);
          yasgui.off("queryResponse", done);
          yasgui.off("queryAbort", done);
          resolve();
        };
        yasgui.on("queryResponse", done);
        yasgui.on("queryAbort", done);
        Promise.resolve(openInTab(params.query)).catch(done);
      });
    }
  },
};
