// Changes: every write through Parley, newest first, with the shifts it caused in words; new writes arrive live.
//
//   ?view=changes&party=russia&since=2025-04-18
//
// The writes come from GET /changes (the newest 1,000, order=newest), the new ones from the
// server-sent events of GET /changes/stream, started after the last write read so none is missed or shown twice
// (EventSource resumes by itself with Last-Event-ID after a drop). `party` keeps the writes that shifted that
// party, with its shifts alone; `since` (a date) the writes made that day or later. A party opens its Timeline;
// a position opens its source's text with its quote highlighted.
import "./changes.css";
import { api, apiOnce, apiUrl, h, notice, params, setParams, viewHref } from "../lib.js";

const PAGE = 1000;
const SHOWN = 200; // writes drawn; GET /changes holds the rest
const SHIFTS_OPEN = 12; // a write's shifts shown at once; a load's hundreds more fold away

export default {
  async render(container, query) {
    const { actors } = await apiOnce("actors");
    const names = new Map(actors.map((actor) => [actor.id, actor]));
    // A spokesperson stands for their party (Peskov: Russia), as the party's feed takes them.
    const party = names.get(query.party)?.speaks_for[0] || query.party || "";
    const since = query.since || "";
    const label = (id) => names.get(id)?.label || id;
    const heading = h("h1", {}, party ? `Changes: ${label(party)}` : "Changes");
    const controls = filters(actors, party, since);
    const feeds = h("p", { class: "ch-feeds" }, "Subscribe in a feed reader: ",
      h("a", { href: apiUrl("changes.atom"), type: "application/atom+xml" }, "every write (Atom)"),
      party ? [" · ", h("a", { href: apiUrl(`actors/${encodeURIComponent(party)}/changes.atom`), type: "application/atom+xml" },
        `${label(party)}'s shifts (Atom)`)] : null);
    let read;
    try {
      read = await readChanges(since);
    } catch (error) {
      container.replaceChildren(heading, controls, notice(error.message || String(error), "error"));
      return;
    }
    const status = h("p", { class: "ch-status", role: "status", "aria-live": "polite" }, "Connecting for new writes…");
    const list = h("ol", { class: "ch-list" });
    // The stream sends every new write: those before a date the URL names (a future one) are kept out too.
    const dated = /^\d{4}-\d\d-\d\d/.test(since) ? since : "";
    const keep = (change) => (!dated || change.published.slice(0, 10) >= dated ? narrowed(change, party) : null);
    const kept = read.items.map(keep).filter(Boolean).reverse();
    for (const change of kept.slice(0, SHOWN)) list.append(entry(change, label, false));
    const summary = h("p", { class: "muted ch-count" }, counted(kept.length, party, since, label));
    container.replaceChildren(...[heading, controls, feeds, status, summary,
      kept.length ? null : notice(`No write ${party ? `has shifted ${label(party)}` : "has been made"}${since ? ` since ${since}` : " yet"}.`),
      list,
      kept.length > SHOWN ? h("p", { class: "muted" }, `${kept.length - SHOWN} older writes not drawn (GET /changes lists them all).`) : null,
    ].filter(Boolean));
    listen(container, read.last, { keep, list, status, label, summary, counts: { shown: kept.length, party, since } });
  },
};

/**
 * The newest writes since `since` (a date, or all), at most PAGE of them, oldest first, and the number of the last
 * one read: the stream starts after it. When none was read the stream starts at the store's latest write, as it
 * connects.
 */
async function readChanges(since) {
  const page = await api("changes", { since, limit: PAGE, order: "newest" });
  const items = [...page.orderedItems].reverse();
  return { items, last: items.length ? page.last_sequence : null };
}

/** The write as the filter shows it: with the party's shifts alone, or null when it shifted none of them. */
function narrowed(change, party) {
  if (!party) return change;
  const shifts = change.shifts.filter((shift) => shift.party === party);
  return shifts.length ? { ...change, shifts, shift_count: shifts.length } : null;
}

function counted(count, party, since, label) {
  const writes = `${count} write${count === 1 ? "" : "s"}`;
  return `${writes}${party ? ` that shifted ${label(party)}` : ""}${since ? ` since ${since}` : ""}, newest first.`;
}

/** The party (typed ahead: a name, an alias or a spokesperson, who stands for their party) and the date. */
function filters(actors, party, since) {
  const parties = actors.filter((actor) => actor.speaks_for.length === 0).sort((a, b) => a.label.localeCompare(b.label));
  const typed = new Map();
  for (const actor of actors) {
    const stands = actor.speaks_for[0] || actor.id;
    for (const name of [actor.id, actor.label, ...actor.aliases]) {
      if (!typed.has(name.toLowerCase())) typed.set(name.toLowerCase(), stands);
    }
  }
  const current = actors.find((actor) => actor.id === party);
  const input = h("input", {
    type: "text", id: "ch-party", list: "ch-parties", autocomplete: "off", spellcheck: "false",
    value: current ? current.label : party, placeholder: "all parties", "aria-describedby": "ch-problem",
  });
  const date = h("input", { type: "date", id: "ch-since", value: since });
  const problem = h("p", { class: "ch-problem", id: "ch-problem", role: "status" });
  const choose = () => {
    const text = input.value.trim();
    const chosen = text ? typed.get(text.toLowerCase()) : "";
    if (chosen === undefined) {
      problem.textContent = `No party is called “${text}”: choose one of the list.`;
      input.setAttribute("aria-invalid", "true");
      return;
    }
    const now = params();
    if (chosen !== (now.party || "") || date.value !== (now.since || "")) setParams({ party: chosen, since: date.value }, { push: true });
  };
  input.addEventListener("change", choose);
  date.addEventListener("change", choose);
  return h("form", { class: "controls", onsubmit: (event) => { event.preventDefault(); choose(); } },
    h("datalist", { id: "ch-parties" }, parties.flatMap((actor) => [actor.label, ...actor.aliases].map((name) =>
      h("option", { value: name }, name === actor.label ? `${actor.positions} positions` : `alias of ${actor.label}`)))),
    h("div", { class: "field" }, h("label", { for: "ch-party" }, "Party"), input),
    h("div", { class: "field" }, h("label", { for: "ch-since" }, "Made since"), date),
    h("button", { type: "submit" }, "Show"),
    party || since ? h("a", { href: viewHref("changes"), class: "ch-clear" }, "All writes") : null,
    problem);
}

/** One write: when, what was done, and each shift in words with its party and positions linked. */
function entry(change, label, fresh) {
  const when = new Date(change.published);
  const shifts = change.shifts.map((shift) => shiftItem(shift, change, label));
  const more = change.shift_count - change.shifts.length;
  return h("li", { class: fresh ? "ch-write ch-new" : "ch-write", dataset: { sequence: change.sequence } },
    h("p", { class: "ch-head" },
      fresh ? h("span", { class: "ch-badge" }, "new") : null,
      h("time", { datetime: change.published, title: change.published },
        Number.isNaN(when.getTime()) ? change.published : when.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "medium" })),
      h("span", { class: "muted" }, ` · change ${change.sequence} · ${change.operation}`)),
    h("p", { class: "ch-summary" }, change.summary),
    shifts.length ? h("ul", { class: "ch-shifts" }, shifts.slice(0, SHIFTS_OPEN)) : null,
    shifts.length > SHIFTS_OPEN ? h("details", {},
      h("summary", {}, `${shifts.length - SHIFTS_OPEN} more shifts`),
      h("ul", { class: "ch-shifts" }, shifts.slice(SHIFTS_OPEN))) : null,
    more > 0 ? h("p", { class: "muted" }, `and ${more} more shifts, not listed (the party's Atom feed holds them).`) : null);
}

/** "Ukraine: Limit on …, no longer opposing", the party's name a link to its Timeline, then the positions it moved between. */
function shiftItem(shift, change, label) {
  const name = label(shift.party);
  const words = shift.summary.startsWith(`${name}: `) ? shift.summary.slice(name.length + 2) : shift.summary;
  const position = (id) => (change.removed.includes(id)
    ? h("span", {}, id, ", deleted")
    : h("a", { href: viewHref("sources", { position: id }) }, id));
  const moved = [shift.from ? ["from ", position(shift.from)] : null, shift.to ? [shift.from ? " to " : "now ", position(shift.to)] : null];
  return h("li", { dataset: { party: shift.party, issue: shift.issue } },
    h("span", { class: "ch-shift" },
      h("a", { href: viewHref("timeline", { group: shift.party }) }, name), `: ${words}`),
    h("span", { class: "muted ch-positions" }, " (", moved, ")"));
}

/** Listen for new writes until the view is left; each one that passes the filter goes on top, marked new. */
function listen(container, last, view) {
  const source = new EventSource(apiUrl("changes/stream", { since: last }));
  let fresh = 0;
  const say = (text, live) => {
    view.status.textContent = text;
    view.status.className = `ch-status ${live ? "ch-live" : "ch-offline"}`;
  };
  source.addEventListener("open", () => say("Live: new writes appear at the top as they are made.", true));
  source.addEventListener("error", () => say(source.readyState === EventSource.CLOSED
    ? "Offline: new writes will not appear; reload the page to try again."
    : "Offline: reconnecting…", false));
  source.addEventListener("change", (event) => {
    const change = view.keep(JSON.parse(event.data));
    const sequence = Number(event.lastEventId);
    if (!change || view.list.querySelector(`[data-sequence="${sequence}"]`)) return;
    fresh += 1;
    view.counts.shown += 1;
    view.list.prepend(entry(change, view.label, true));
    view.summary.textContent = counted(view.counts.shown, view.counts.party, view.counts.since, view.label);
    container.querySelector(":scope > .notice")?.remove();
    say(`Live: ${fresh} new write${fresh === 1 ? "" : "s"} since the page opened; the latest: ${change.summary}.`, true);
  });
  // The view is left when the workbench draws another in its place: the stream ends with it.
  const left = new MutationObserver(() => {
    if (!container.isConnected) { source.close(); left.disconnect(); }
  });
  left.observe(container.parentNode, { childList: true });
}
