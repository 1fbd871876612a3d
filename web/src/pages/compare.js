// Compare: two parties and an as-of date (?view=compare&a=russia&b=ukraine&as_of=2025-04-18).
// Conflicts and agreements side by side, each with its issue, kinds, severity, conditions and both positions
// with their quotes (each opening its source's text with the quote highlighted); ranges on quantity issues drawn
// on one number line with the gap or the zone of agreement; below, the deadlocks and blocked conditions between
// the two, the compromise that would settle them (rule 12), and the mediators with their reasons.
//
// Speed: the pickers' lists (actors, issues, dates) are read once per page load; the answer itself is two
// requests sent together (conflicts, overlap), none of which lists every position, sent the moment a control
// changes the question. The sections below it (deadlocks, compromise, mediators) are asked once the answer is
// drawn, and every request of a question is aborted when the next question is asked, so that a new pair never
// waits behind the sections of the pair before it for one of the browser's few connections to the server.
import "./compare.css";
import { api, apiOnce, apiUrl, h, notice, params, setParams, viewHref } from "../lib.js";
import { numberLine, rangeText } from "./numberline.js";

export default {
  async render(container, query) {
    const { a, b, as_of: asOf } = question(query);
    // The conflicts and agreements are asked first, both at once, before anything else is awaited: the view
    // is drawn as soon as they are in. The sections below it (the deadlocks between the two, the compromise,
    // the mediators) are asked once it is drawn, and fill in: each reads what the server works out of the
    // whole graph (rules 7, 9 and 12), and would slow the answer down if asked beside it.
    const asked = a && b && a !== b ? { a, b, as_of: asOf } : null;
    // Asked by a control (go), this question's requests are on their way under its signal; asked by the
    // address (a reload, the back button, a link), it is a new question: the previous one's are aborted.
    if (!asked || !early.has(apiUrl("conflicts", asked))) newQuestion();
    const { signal } = inFlight;
    const pair = asked ? Promise.all([ask("conflicts", asked, signal), ask("overlap", asked, signal)]) : null;
    pair?.catch(() => {}); // reported where it is drawn

    const [actors, issues, dates] = await Promise.all([
      apiOnce("actors").then((answer) => answer.actors),
      apiOnce("issues").then((answer) => answer.issues),
      apiOnce("dates").then((answer) => answer.dates).catch(() => []),
    ]);
    const names = namesFor(actors, issues);
    const answer = h("div", { class: "compare-answer" });
    container.replaceChildren(
      h("h1", {}, "Compare two parties"),
      pickers(names, { a, b, asOf }, dates),
      answer,
    );
    if (!a || !b) {
      answer.append(notice("Choose two parties (type a name, a label or an alias) to see where they conflict and agree."));
      return;
    }
    if (a === b) {
      answer.append(notice("Choose two different parties.", "error"));
      return;
    }
    let conflicts;
    let overlap;
    try {
      [conflicts, overlap] = await pair;
    } catch (error) {
      if (error?.name !== "AbortError") answer.replaceChildren(notice(error.message || String(error), "error"));
      return; // aborted: another question was asked, and is drawn in this one's place
    }
    const ctx = { names, asked };
    // The sections are asked once the answer is drawn (the next task, after <main> is no longer busy).
    const section = (path) => new Promise((resolve) => setTimeout(resolve)).then(() => api(path, asked, { signal }));
    // Mediators are ranked at once on a graph of a few parties; on a larger one, when asked (the URL says so).
    const parties = actors.filter((actor) => !actor.speaks_for.length && actor.positions).length;
    const rankNow = parties <= MEDIATORS_AT_ONCE || query.mediators === "1";
    answer.replaceChildren(
      ...drawAnswer(ctx, conflicts, overlap),
      later("compare-deadlocks", "Deadlocks and blocked conditions", section("deadlocks"), (found) => drawDeadlocks(ctx, found)),
      later("compare-compromise", "Compromise", section("compromise"), (found) => drawCompromise(ctx, found)),
      rankNow
        ? later("compare-mediators", "Mediators", section("mediators"), (found) => drawMediators(ctx, found))
        : h("section", { class: "compare-mediators", "aria-labelledby": "compare-mediators-title" },
          h("h2", { id: "compare-mediators-title" }, "Mediators"),
          h("p", {}, `Ranking the mediators weighs every one of the ${parties.toLocaleString("en")} parties, and takes a while. `,
            h("button", { type: "button", onclick: () => setParams({ mediators: "1" }, { push: true }) }, "Rank the mediators"))),
    );
  },
};

/** The question a URL's parameters ask: two parties and a date (empty: today). */
function question(query) {
  const asOf = /^\d{4}-\d{2}-\d{2}$/.test(query.as_of || "") ? query.as_of : "";
  return { a: query.a || "", b: query.b || "", as_of: asOf };
}

// Requests sent the moment a control changes the question, before the URL changes and the view is drawn
// again; the drawing takes them from here (by URL) rather than asking again.
const early = new Map();

// The requests of the question asked last: a new question aborts them (the server may still be working on
// them, but the browser's connections are free for the new one, and no late answer is drawn).
let inFlight = new AbortController();

function newQuestion() {
  inFlight.abort();
  inFlight = new AbortController();
  early.clear();
}

/** Change the question: send its conflicts and agreements requests at once, then say so in the URL. */
function go(changes, options = { push: true }) {
  const next = question({ ...params(), ...changes });
  if (next.a && next.b && next.a !== next.b && !early.has(apiUrl("conflicts", next))) {
    newQuestion();
    for (const path of ["conflicts", "overlap"]) {
      const request = api(path, next, { signal: inFlight.signal });
      request.catch(() => {}); // reported where it is drawn
      early.set(apiUrl(path, next), request);
    }
  }
  setParams(changes, options);
}

/** GET, or take the request a control sent already. */
function ask(path, asked, signal) {
  const url = apiUrl(path, asked);
  const sent = early.get(url);
  early.delete(url);
  return sent || api(path, asked, { signal });
}

/** Up to this many parties (groups holding positions), the mediators are ranked without being asked. */
const MEDIATORS_AT_ONCE = 200;

/** A section drawn when its answer arrives: busy (aria-busy) until then, or saying what went wrong. */
function later(kind, title, promise, draw) {
  const section = h("section", { class: kind, "aria-busy": "true", "aria-labelledby": `${kind}-title` },
    h("h2", { id: `${kind}-title` }, title), notice("Loading…"));
  promise.then(
    (found) => { section.replaceWith(draw(found)); },
    (error) => {
      if (error?.name === "AbortError") return; // another question was asked: this view is gone
      section.replaceChildren(h("h2", { id: `${kind}-title` }, title), notice(error.message || String(error), "error"));
      section.removeAttribute("aria-busy");
    },
  );
  return section;
}

const known = new WeakMap();
/** The names of these lists (read once per page load), built once. */
function namesFor(actors, issues) {
  if (known.get(actors)?.issues !== issues) known.set(actors, { issues, names: new Names(actors, issues) });
  return known.get(actors).names;
}

/** Labels of actors and issues, and a typed name (slug, label or alias) resolved to an actor's id. */
class Names {
  constructor(actors, issues) {
    this.actors = new Map(actors.map((actor) => [actor.id, actor]));
    this.issues = new Map(issues.map((issue) => [issue.id, issue]));
    this.typed = new Map();
    for (const actor of actors) {
      for (const name of [actor.id, actor.label, ...actor.aliases]) {
        const key = name.trim().toLowerCase();
        if (!this.typed.has(key)) this.typed.set(key, actor.id);
      }
    }
  }
  actor(id) { return this.actors.get(id); }
  resolve(text) { return this.typed.get(text.trim().toLowerCase()) || null; }
  actorLabel(id) { return this.actors.get(id)?.label || id; }
  issueLabel(id) { return this.issues.get(id)?.label || id; }
  unit(id) { return this.issues.get(id)?.unit || ""; }
}

// The controls: two typed-ahead parties and a slider over the dates the data holds, with "today".
function pickers(names, chosen, dates) {
  const listId = "compare-actors";
  // The suggestions: every actor by its label, and by each alias (shown with the label it stands for). Built
  // once per page load and moved into each new drawing of the view.
  if (!names.datalist) {
    const options = [];
    for (const actor of [...names.actors.values()].sort((x, y) => x.label.localeCompare(y.label))) {
      options.push(h("option", { value: actor.label }, `${actor.kind}${actor.positions ? `, ${actor.positions} positions` : ""}`));
      for (const alias of actor.aliases) options.push(h("option", { value: alias }, `${actor.label}`));
    }
    names.datalist = h("datalist", { id: listId }, options);
  }
  const datalist = names.datalist;
  const message = h("p", { class: "compare-message", role: "status" });

  const partyField = (side, title) => {
    const input = h("input", {
      type: "text", id: `compare-${side}`, name: side, list: listId, autocomplete: "off", spellcheck: "false",
      value: chosen[side] ? names.actorLabel(chosen[side]) : "", placeholder: "a party, e.g. Russia or Kyiv",
      "aria-describedby": "compare-message",
    });
    const commit = () => {
      const text = input.value;
      // Enter, then the change event it brings, commit once: against the URL as it now stands.
      const current = params()[side] || "";
      if (!text.trim()) { if (current) go({ [side]: "" }); return; }
      const id = names.resolve(text);
      if (!id) {
        message.textContent = `No party is called “${text}”: choose one of the list.`;
        input.setAttribute("aria-invalid", "true");
        return;
      }
      input.removeAttribute("aria-invalid");
      if (id !== current) go({ [side]: id });
    };
    input.addEventListener("change", commit);
    input.addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); commit(); } });
    return h("div", { class: "field" }, h("label", { for: input.id }, title), input);
  };

  const swap = h("button", {
    type: "button", class: "secondary", disabled: !(chosen.a && chosen.b),
    onclick: () => go({ a: chosen.b, b: chosen.a }),
  }, "Swap");

  message.id = "compare-message";
  for (const side of ["a", "b"]) if (chosen[side] && !names.actor(chosen[side])) message.textContent = `Unknown party “${chosen[side]}”.`;

  return h("form", { class: "controls compare-controls", onsubmit: (event) => event.preventDefault() },
    datalist,
    partyField("a", "First party"),
    swap,
    partyField("b", "Second party"),
    dateField(dates, chosen.asOf),
    message,
  );
}

function dateField(dates, asOf) {
  const shown = h("output", { id: "compare-date-shown", for: "compare-date" }, asOf || "today");
  const today = h("button", {
    type: "button", class: "secondary", "aria-pressed": asOf ? "false" : "true",
    onclick: () => go({ as_of: "" }),
  }, "Today");
  if (!dates.length) return h("div", { class: "field" }, h("span", { class: "label" }, "As of"), h("div", {}, shown, today));
  // The slider's stops are the dates the data holds; an as-of date between two stands at the earlier one.
  let at = dates.length - 1;
  if (asOf) {
    at = 0;
    dates.forEach((day, index) => { if (day <= asOf) at = index; });
  }
  const slider = h("input", {
    type: "range", id: "compare-date", min: 0, max: dates.length - 1, step: 1, value: at,
    "aria-valuetext": asOf || `today (the last date in the data is ${dates[dates.length - 1]})`,
  });
  slider.addEventListener("input", () => {
    shown.textContent = dates[Number(slider.value)];
    slider.setAttribute("aria-valuetext", dates[Number(slider.value)]);
  });
  // A control moved: the URL says where it stands now (no new history entry for each step of the slider).
  slider.addEventListener("change", () => go({ as_of: dates[Number(slider.value)] }, { push: false }));
  return h("div", { class: "field compare-date" },
    h("label", { for: "compare-date" }, "As of"),
    h("div", { class: "compare-date-row" },
      h("span", { class: "muted compare-date-end" }, dates[0]),
      slider,
      h("span", { class: "muted compare-date-end" }, dates[dates.length - 1]),
    ),
    h("div", { class: "compare-date-row" }, shown, today),
  );
}

// The answer.
function drawAnswer(ctx, conflicts, overlap) {
  const { names, asked } = ctx;
  const day = asked.as_of || conflicts.as_of;
  const partyA = names.actorLabel(asked.a);
  const partyB = names.actorLabel(asked.b);
  const summary = h("p", { class: "compare-summary" },
    h("strong", { class: "party-a" }, partyA), " and ", h("strong", { class: "party-b" }, partyB),
    `, as of ${day}${asked.as_of ? "" : " (today)"}: `,
    plural(conflicts.conflicts.length, "conflict"), ", ", plural(overlap.agreements.length, "agreement"), ".");

  const column = (title, kind, items, draw, empty) => h("section", { class: `compare-column compare-${kind}`, "aria-labelledby": `compare-${kind}-title` },
    h("h2", { id: `compare-${kind}-title` }, `${title} (${items.length})`),
    items.length ? h("ol", { class: "compare-items" }, items.map((item) => h("li", {}, draw(item)))) : notice(empty),
  );
  const side = h("div", { class: "compare-columns" },
    column("Conflicts", "conflicts", conflicts.conflicts, (item) => drawItem(ctx, item, "conflict"), "No conflict on that day."),
    column("Agreements", "agreements", overlap.agreements, (item) => drawItem(ctx, item, "agreement"), "No agreement on that day."),
  );
  return [summary, side];
}

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function drawItem(ctx, item, kind) {
  const { names } = ctx;
  const issue = names.issues.get(item.issue);
  const head = h("header", { class: "item-head" },
    h("h3", {}, names.issueLabel(item.issue)),
    item.issue_ancestors.length
      ? h("p", { class: "item-broader muted" }, "within ", item.issue_ancestors.map((id, i) => [i ? " › " : "", names.issueLabel(id)]))
      : null,
    issue?.definition ? h("p", { class: "item-definition" }, issue.definition) : null,
  );
  const facts = h("p", { class: "item-facts" });
  if (kind === "conflict") {
    for (const one of item.kinds || [item.kind]) facts.append(h("span", { class: "badge badge-conflict" }, one), " ");
    facts.append(
      h("span", { class: "severity" }, "severity ",
        h("span", { class: "severity-bar", "aria-hidden": "true" }, h("span", { style: { width: `${Math.round(Math.min(1, item.severity) * 100)}%` } })),
        ` ${item.severity.toFixed(2)}`),
    );
    if (item.gap !== null && item.gap !== undefined) facts.append(" · gap ", formatNumber(item.gap), names.unit(item.issue) ? ` ${names.unit(item.issue)}` : "");
  } else {
    facts.append(h("span", { class: "badge badge-agreement" }, item.zone ? "zone of agreement" : "same stance"));
  }
  if (item.inconsistent) facts.append(" ", h("span", { class: "badge badge-warning" }, "inconsistent"));

  const a = item.a_position;
  const b = item.b_position;
  const ranged = a.range && b.range;
  return h("article", { class: `item item-${kind}` },
    head,
    facts,
    item.conditions.length ? drawConditions(names, item.conditions) : null,
    ranged ? numberLine({ kind, a: { label: names.actorLabel(ctx.asked.a), range: a.range }, b: { label: names.actorLabel(ctx.asked.b), range: b.range }, zone: item.zone, unit: names.unit(item.issue) }) : null,
    h("div", { class: "item-sides" }, drawPosition(ctx, a, "a"), drawPosition(ctx, b, "b")),
  );
}

function drawConditions(names, conditions) {
  const one = (condition) => {
    if (condition.any) return ["either ", condition.any.map((alternative, i) => [i ? " or " : "", one(alternative)]), condition.note ? ` (${condition.note})` : ""];
    return [
      `${names.issueLabel(condition.issue)}: ${condition.stance}`,
      condition.addressees?.length ? ` (by ${condition.addressees.map((id) => names.actorLabel(id)).join(", ")})` : "",
      condition.note ? ` — ${condition.note}` : "",
    ];
  };
  return h("div", { class: "item-conditions" },
    h("p", { class: "label" }, "Only if:"),
    h("ul", {}, conditions.map((condition) => h("li", {}, one(condition)))));
}

function drawPosition(ctx, position, side) {
  const { names, asked } = ctx;
  const party = asked[side];
  const holder = position.holder === party ? "" : ` (${names.actorLabel(position.holder)})`;
  const stance = position.stance
    ? h("span", { class: `stance stance-${position.stance}` }, position.stance)
    : h("span", { class: "stance stance-range" }, rangeText(position.range, names.unit(position.issue)));
  const details = [position.kind, `salience ${position.salience}`];
  if (position.red_line) details.push("red line");
  if (position.valid_from || position.valid_until) details.push(`valid ${position.valid_from || "…"} to ${position.valid_until || "…"}`);
  return h("section", { class: `position side-${side}`, "aria-label": `${names.actorLabel(party)}'s position` },
    h("h4", {}, h("span", { class: `party-${side}` }, names.actorLabel(party)), holder),
    h("p", { class: "position-stance" }, stance,
      position.inherited_from ? h("span", { class: "muted" }, ` (inherited from ${names.issueLabel(position.inherited_from)})`) : null),
    h("p", { class: "position-details muted" }, details.join(" · ")),
    position.conditions.length ? drawConditions(names, position.conditions) : null,
    position.evidence.map((evidence) => drawEvidence(names, position, evidence)),
  );
}

function drawEvidence(names, position, evidence) {
  const source = evidence.source;
  const quote = `“${evidence.quote}”`;
  const said = [evidence.speaker ? names.actorLabel(evidence.speaker) : null, evidence.date || source?.issued].filter(Boolean).join(", ");
  return h("figure", { class: "evidence" },
    h("blockquote", {},
      source
        ? h("a", { class: "quote-link", href: viewHref("sources", { source: source.id, position: position.id }), title: "Read this quote in its source" }, quote)
        : quote),
    h("figcaption", {},
      said ? `— ${said}` : "",
      evidence.reported_by?.length ? `, reported by ${evidence.reported_by.join(", ")}` : "",
      source ? [said ? " · " : "", h("cite", {}, source.title || source.id)] : "",
      evidence.verified ? "" : h("span", { class: "badge badge-warning" }, " unverified"),
    ),
  );
}

// Deadlocks and blocked conditions between the two parties' sides (the server keeps those: GET /deadlocks?a=&b=).
function drawDeadlocks(ctx, answer) {
  const { names } = ctx;
  const cycles = answer.deadlocks;
  const blocked = answer.blocked_conditions;
  const proposition = (p) => `${names.issueLabel(p.issue)}: ${p.stance}`;
  return h("section", { class: "compare-deadlocks", "aria-labelledby": "compare-deadlocks-title" },
    h("h2", { id: "compare-deadlocks-title" }, `Deadlocks and blocked conditions (${cycles.length + blocked.length})`),
    cycles.length + blocked.length === 0 ? notice("No deadlock and no blocked condition between them.") : null,
    cycles.length ? h("ul", { class: "deadlocks" }, cycles.map((d) => h("li", {},
      h("strong", {}, "Deadlock: "), d.cycle.map(proposition).join(" → "), " → ", proposition(d.cycle[0]),
      h("span", { class: "muted" }, ` (between ${d.groups.map((id) => names.actorLabel(id)).join(", ")}; positions ${d.positions.map((p) => p.id).join(", ")})`),
    ))) : null,
    blocked.length ? h("ul", { class: "blocked" }, blocked.map((found) => h("li", {},
      h("strong", {}, "Blocked: "),
      `${names.actorLabel(found.position.holder)} holds ${names.issueLabel(found.position.issue)} only if `,
      proposition(found.condition.any ? found.condition.any[0] : found.condition),
      "; a red line of ", found.blocked_by.map((x) => names.actorLabel(x.group)).join(", "), " opposes it.",
    ))) : null,
  );
}

function drawMediators(ctx, answer) {
  const { names } = ctx;
  return h("section", { class: "compare-mediators", "aria-labelledby": "compare-mediators-title" },
    h("h2", { id: "compare-mediators-title" }, `Mediators (${answer.mediators.length})`),
    answer.mediators.length === 0 ? notice("No third party stands between them.") : h("ol", { class: "mediators" },
      answer.mediators.map((m) => h("li", {},
        h("strong", {}, names.actorLabel(m.actor)), ` score ${formatNumber(m.score)}`,
        h("ul", {}, m.reasons.map((r) => h("li", { class: r.effect >= 0 ? "raises" : "lowers" },
          h("span", { class: "effect" }, `${r.effect >= 0 ? "+" : "−"}${formatNumber(Math.abs(r.effect))}`), " ", r.reason))),
      ))),
  );
}

// The compromise (rule 12, GET /compromise): the cheapest concessions that settle the two, each with its quote.
function drawCompromise(ctx, answer) {
  const { names } = ctx;
  const moved = (move) => (move.stance ? move.stance : rangeText(move.range));
  const title = answer.settled
    ? `Compromise: ${plural(answer.concessions.length, "concession")}, cost ${formatNumber(answer.cost)}`
    : "Compromise: cannot settle them";
  return h("section", { class: "compare-compromise", "aria-labelledby": "compare-compromise-title" },
    h("h2", { id: "compare-compromise-title" }, title),
    answer.concessions.length === 0 && answer.settled ? notice("Nothing to settle: they have no conflict and no deadlock.") : null,
    answer.concessions.length ? h("ol", { class: "concessions" }, answer.concessions.map((c) => h("li", {},
      h("strong", {}, names.actorLabel(c.group)), " concedes ", h("strong", {}, names.issueLabel(c.issue)), ": ",
      `${moved(c.from)} → ${moved(c.to)}`, h("span", { class: "muted" }, ` (cost ${formatNumber(c.cost)})`),
      c.position.evidence.map((e) => drawEvidence(names, c.position, e)),
    ))) : null,
    answer.zones.length ? h("p", {}, "Zones of agreement they open: ",
      answer.zones.map((z) => `${names.issueLabel(z.issue)} ${rangeText(z.zone)}`).join("; ")) : null,
    answer.unsettled.length ? h("p", { class: "notice notice-error" }, "Unsettled: ", answer.unsettled.join("; "),
      answer.blocked_by.length ? `. Blocked by ${answer.blocked_by.map((p) =>
        `${names.actorLabel(p.holder)}'s ${p.red_line ? "red line" : "position"} on ${names.issueLabel(p.issue)}`).join(", ")}` : "") : null,
  );
}

function formatNumber(value) {
  return typeof value === "number" ? value.toLocaleString("en", { maximumFractionDigits: 2 }) : String(value);
}

