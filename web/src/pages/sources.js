// Sources: every source with its record and how many positions quote it (?view=sources), and one source's text
// with every quote of its positions highlighted (?view=sources&source=ID), each mark labelled with its positions;
// quotes not found in the text are listed as unverified. `&position=PID` emphasises that position's quotes and
// scrolls to them (Compare links each quote here); `?view=sources&position=PID` alone opens the source of its first
// quote (Changes links positions so).
import "./sources.css";
import { api, apiOnce, h, notice, setParams, viewHref } from "../lib.js";

export default {
  async render(container, query) {
    if (query.source) return renderSource(container, query.source, query.position || "");
    if (query.position) return renderPosition(container, query.position);
    return renderList(container);
  },
};

/** A position alone: the view of its first quote's source, or why there is none. */
async function renderPosition(container, id) {
  const position = await api(`positions/${encodeURIComponent(id)}`).catch((error) => ({ error }));
  const source = position.evidence?.[0]?.source.id;
  if (source) return setParams({ source });
  const why = position.error ? position.error.message : `Position “${id}” quotes no source.`;
  return container.replaceChildren(h("p", {}, h("a", { href: viewHref("sources") }, "← All sources")), notice(why, "error"));
}

async function renderList(container) {
  const { sources } = await api("sources");
  container.replaceChildren(
    h("h1", {}, "Sources"),
    sources.length === 0 ? notice("No source yet.") : h("table", { class: "sources-table" },
      h("caption", { class: "muted" }, `${sources.length} source${sources.length === 1 ? "" : "s"}; each opens its text with its quotes highlighted.`),
      h("thead", {}, h("tr", {}, ["Title", "Issued", "Publisher", "Positions", "Text"].map((title) => h("th", { scope: "col" }, title)))),
      h("tbody", {}, sources.map((source) => h("tr", {},
        h("td", {}, h("a", { href: viewHref("sources", { source: source.id }) }, source.title || source.id)),
        h("td", {}, source.issued || "—"),
        h("td", {}, source.publisher || "—"),
        h("td", { class: "number" }, String(source.positions ?? "")),
        h("td", {}, source.has_text ? "held" : h("span", { class: "muted" }, "none (quotes unverified)")),
      ))),
    ),
  );
}

async function renderSource(container, id, chosen) {
  const [answer, actors, issues] = await Promise.all([
    api(`sources/${encodeURIComponent(id)}/quotes`).catch((error) => ({ error })),
    apiOnce("actors").then((a) => new Map(a.actors.map((x) => [x.id, x.label]))),
    apiOnce("issues").then((i) => new Map(i.issues.map((x) => [x.id, x]))),
  ]);
  const back = h("p", {}, h("a", { href: viewHref("sources") }, "← All sources"));
  if (answer.error) {
    container.replaceChildren(back, notice(answer.error.message, "error"));
    return;
  }
  const { source, quotes } = answer;
  const text = source.has_text ? await api(`sources/${encodeURIComponent(id)}/text`) : null;
  const names = {
    actor: (x) => actors.get(x) || x,
    issue: (x) => issues.get(x)?.label || x,
    unit: (x) => issues.get(x)?.unit || "",
  };

  // One passage per place in the text (several positions may share a quote), numbered in the text's order.
  const passages = [];
  const byPlace = new Map();
  for (const quote of quotes.filter((q) => q.verified && text !== null)) {
    const key = `${quote.start}-${quote.end}`;
    if (!byPlace.has(key)) {
      const passage = { number: passages.length + 1, start: quote.start, end: quote.end, quotes: [] };
      byPlace.set(key, passage);
      passages.push(passage);
    }
    byPlace.get(key).quotes.push(quote);
  }
  const unplaced = quotes.filter((q) => !q.verified || text === null);
  const isChosen = (quote) => chosen && quote.position === chosen;

  const record = h("p", { class: "source-record muted" },
    [source.issued, source.publisher].filter(Boolean).join(" · "),
    source.url ? [" · ", h("a", { href: source.url, rel: "noreferrer" }, "original")] : "",
    ` · ${answer.positions} position${answer.positions === 1 ? "" : "s"} quote it`);

  const body = h("div", { class: "source-body" });
  if (text !== null) body.append(drawText(text, passages, names, isChosen));
  else body.append(notice("This source holds no text, so its quotes cannot be placed: every one is unverified."));

  const list = h("aside", { class: "source-quotes", "aria-labelledby": "source-quotes-title" },
    h("h2", { id: "source-quotes-title" }, `Quotes (${passages.length + unplaced.length})`),
    passages.length ? h("ol", { class: "passages" }, passages.map((passage) => h("li", {
      id: `passage-${passage.number}`, value: passage.number, class: passage.quotes.some(isChosen) ? "current" : false,
    }, passage.quotes.map((quote) => drawQuoteEntry(quote, names, source.id, isChosen(quote))),
    h("a", { class: "to-text", href: `#mark-${passage.number}` }, `show in the text (${passage.number})`)))) : null,
    unplaced.length ? [
      h("h3", {}, text === null ? `Unverified: the source holds no text (${unplaced.length})` : `Not found in the text: unverified (${unplaced.length})`),
      h("ul", { class: "unverified" }, unplaced.map((quote) => h("li", { class: isChosen(quote) ? "current" : false, dataset: { position: quote.position } },
        h("span", { class: "badge-unverified" }, "unverified"), " ",
        h("q", {}, quote.quote),
        drawQuoteEntry(quote, names, source.id, isChosen(quote))))),
    ] : null,
  );

  container.replaceChildren(
    back,
    h("h1", {}, source.title || source.id),
    record,
    h("div", { class: "source-layout" }, body, list),
  );

  // The quote the URL names: emphasised (class "current") and brought into view.
  const target = container.querySelector("mark.current, .unverified li.current");
  if (target) {
    target.setAttribute("tabindex", "-1");
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
    const entry = container.querySelector(".source-quotes li.current");
    const aside = container.querySelector(".source-quotes");
    if (entry && aside.scrollHeight > aside.clientHeight) {
      aside.scrollTop += entry.getBoundingClientRect().top - aside.getBoundingClientRect().top - 48;
    }
  } else if (chosen) {
    body.prepend(notice(`Position “${chosen}” quotes nothing from this source.`, "error"));
  }
}

/** The text, with a <mark> over each passage (split where passages overlap), each followed by its number. */
function drawText(text, passages, names, isChosen) {
  // Offsets count characters (code points); JavaScript strings count UTF-16 units.
  const units = codePointOffsets(text);
  const cuts = new Set([0, text.length]);
  const spans = passages.map((p) => ({ ...p, from: units(p.start), to: units(p.end) }));
  for (const span of spans) { cuts.add(span.from); cuts.add(span.to); }
  const points = [...cuts].sort((x, y) => x - y);
  const out = h("div", { class: "source-text", lang: "en" });
  for (let i = 0; i + 1 < points.length; i += 1) {
    const [from, to] = [points[i], points[i + 1]];
    const piece = text.slice(from, to);
    const covering = spans.filter((s) => s.from <= from && to <= s.to);
    if (!covering.length) { out.append(piece); continue; }
    const quotes = covering.flatMap((s) => s.quotes);
    const labels = quotes.map((q) => describe(q, names));
    const mark = h("mark", {
      class: quotes.some(isChosen) ? "current" : false,
      title: labels.join("\n"),
      dataset: { positions: [...new Set(quotes.map((q) => q.position))].join(" "), passage: covering.map((s) => s.number).join(" ") },
    }, piece);
    const first = covering.find((s) => s.from === from);
    if (first) mark.id = `mark-${first.number}`;
    out.append(mark);
    for (const span of covering.filter((s) => s.to === to)) {
      out.append(h("a", { class: "ref", href: `#passage-${span.number}`, "aria-label": `quote ${span.number}: ${span.quotes.map((q) => describe(q, names)).join("; ")}` }, h("sup", {}, String(span.number))));
    }
  }
  return out;
}

/** A function from a code point offset to a UTF-16 offset in `text` (the identity for most texts). */
function codePointOffsets(text) {
  if (!/[\uD800-\uDFFF]/.test(text)) return (offset) => offset;
  const starts = [];
  let unit = 0;
  for (const character of text) { starts.push(unit); unit += character.length; }
  starts.push(unit);
  return (offset) => starts[Math.min(offset, starts.length - 1)];
}

function describe(quote, names) {
  const holder = quote.holder ? names.actor(quote.holder) : quote.position;
  const issue = quote.issue ? names.issue(quote.issue) : "";
  const stance = quote.stance || (quote.range ? rangeWords(quote.range, names.unit(quote.issue)) : "");
  return `${holder} — ${issue}: ${stance}`;
}

function rangeWords(range, unit) {
  const fmt = (v) => (typeof v === "number" ? v.toLocaleString("en") : v);
  const tail = unit ? ` ${unit}` : "";
  if (range.min !== null && range.max !== null) return `${fmt(range.min)}–${fmt(range.max)}${tail}`;
  if (range.max !== null) return `at most ${fmt(range.max)}${tail}`;
  if (range.min !== null) return `at least ${fmt(range.min)}${tail}`;
  return "any value";
}

function drawQuoteEntry(quote, names, source, current) {
  return h("div", { class: "quote-entry", dataset: { position: quote.position } },
    h("a", { href: viewHref("sources", { source, position: quote.position }), "aria-current": current ? "true" : false },
      describe(quote, names)),
    h("span", { class: "muted" }, ` (${quote.kind || "position"} ${quote.position}${quote.speaker ? `, said by ${names.actor(quote.speaker)}` : ""}${quote.date ? `, ${quote.date}` : ""})`),
  );
}
