// The timeline view: a group's positions over time, one row per issue, drawn in SVG on a date axis.
//
//   ?view=timeline&group=russia&issue=territory
//
// The positions and the days each starts and ends come from GET /actors/{group}/timeline (the library works out
// rule 2's start and the end a supersession or validUntil gives, so the page does not guess them); who rejects
// them from GET /positions?issue=... (paged). A bar runs from a position's first day through its last (open-ended
// ones to today or the last date drawn); stance by colour and words, ranges as bands with their numbers,
// superseded bars hatched, every end, supersession and rejection written beside the bar. Hover or focus a bar
// for its quotes, speakers and sources.
import { api, apiOnce, h, notice, setParams, viewHref } from "../lib.js";

const DAY = 86_400_000;
const BAR = 22;
const NOTE_LINE = 14;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Milliseconds (UTC midnight) of a YYYY-MM-DD day. */
export const dayMs = (day) => Date.parse(`${day}T00:00:00Z`);
/** The YYYY-MM-DD of a UTC millisecond. */
export const dayOf = (ms) => new Date(ms).toISOString().slice(0, 10);

/** A number as people read it (85,000), or a day as given. */
export function formatValue(value) {
  if (value === null || value === undefined) return null;
  return typeof value === "number" ? value.toLocaleString("en-GB", { maximumFractionDigits: 2 }) : String(value);
}

/** A range in words: "85,000–100,000 troops", "at least 250,000 troops", "at most 85,000 troops". */
export function rangeText(range, unit) {
  const [low, high] = [formatValue(range.min), formatValue(range.max)];
  const tail = unit ? ` ${unit}` : "";
  if (low !== null && high !== null) return low === high ? `exactly ${low}${tail}` : `${low}–${high}${tail}`;
  if (low !== null) return `at least ${low}${tail}`;
  if (high !== null) return `at most ${high}${tail}`;
  return `any value${tail}`;
}

/** Ticks for a date axis between two UTC ms, at most `most` of them: [{ms, label}]. */
export function dateTicks(from, to, most) {
  const spanDays = (to - from) / DAY;
  const steps = [
    ["day", 1], ["day", 2], ["day", 7], ["day", 14], ["month", 1], ["month", 2], ["month", 3], ["month", 6],
    ["year", 1], ["year", 2], ["year", 5], ["year", 10], ["year", 25], ["year", 50],
  ];
  const [unit, size] = steps.find(([u, n]) => spanDays / (u === "day" ? n : u === "month" ? n * 30.4 : n * 365.25) <= most)
    || steps[steps.length - 1];
  const ticks = [];
  const start = new Date(from);
  let cursor;
  if (unit === "day") cursor = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
  else if (unit === "month") {
    const month = Math.floor(start.getUTCMonth() / size) * size;
    cursor = Date.UTC(start.getUTCFullYear(), month, 1);
  } else cursor = Date.UTC(Math.floor(start.getUTCFullYear() / size) * size, 0, 1);
  while (cursor <= to) {
    const date = new Date(cursor);
    if (cursor >= from) {
      const label = unit === "day"
        ? `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}`
        : unit === "month" ? `${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}` : `${date.getUTCFullYear()}`;
      ticks.push({ ms: cursor, label });
    }
    if (unit === "day") cursor += size * DAY;
    else if (unit === "month") cursor = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + size, 1);
    else cursor = Date.UTC(date.getUTCFullYear() + size, 0, 1);
  }
  return ticks;
}

/**
 * Put each entry of a row in the first lane whose last occupant, bar and writing, ends left of it; `span(entry)`
 * gives the [left, right] an entry takes up. Returns the entries with `lane` set.
 */
export function lanes(entries, span) {
  const ends = [];
  return entries.map((entry) => {
    const [left, right] = span(entry);
    let lane = ends.findIndex((end) => end + 8 < left);
    if (lane < 0) lane = ends.length;
    ends[lane] = right;
    return { ...entry, lane };
  });
}

/** Page through GET /positions for one issue: every position on it (and narrower ones). */
async function positionsOn(issue) {
  const found = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await api("positions", { issue, offset, limit: 1000 });
    found.push(...page.positions);
    if (found.length >= page.total || page.positions.length === 0) return found;
  }
}

/** Run `step` over `items`, a few at a time. */
async function eachLimited(items, limit, step) {
  const queue = [...items];
  const workers = Array.from({ length: Math.min(limit, queue.length) }, async () => {
    while (queue.length) await step(queue.shift());
  });
  await Promise.all(workers);
}

function resolveActor(text, actors) {
  const wanted = text.trim().toLowerCase();
  if (!wanted) return null;
  return actors.find((actor) => actor.id === wanted || actor.label.toLowerCase() === wanted)
    || actors.find((actor) => actor.aliases.some((alias) => alias.toLowerCase() === wanted))
    || null;
}

function picker(actors, group, issueOptions, issue) {
  const current = actors.find((actor) => actor.id === group);
  const input = h("input", {
    type: "text", id: "tl-group", list: "tl-groups", autocomplete: "off", value: current ? current.label : group || "",
    placeholder: "Russia, Moscow, …",
  });
  const list = h("datalist", { id: "tl-groups" },
    actors.flatMap((actor) => [actor.label, ...actor.aliases].map((name) =>
      h("option", { value: name }, name === actor.label ? `${actor.positions} positions` : `alias of ${actor.label}`))));
  const problem = h("p", { class: "tl-problem", role: "status" });
  const choose = () => {
    const actor = resolveActor(input.value, actors);
    if (!actor) {
      problem.textContent = input.value.trim() ? `No actor is called “${input.value.trim()}”.` : "";
      return;
    }
    if (actor.id !== group) setParams({ group: actor.id, issue: "" }, { push: true });
  };
  input.addEventListener("change", choose);
  const select = h("select", {
    id: "tl-issue",
    onchange: () => setParams({ issue: select.value }),
    disabled: !issueOptions.length,
  },
  h("option", { value: "" }, "All issues"),
  issueOptions.map((option) => h("option", { value: option.id, selected: option.id === issue }, option.label)));
  return h("form", {
    class: "controls",
    onsubmit: (event) => { event.preventDefault(); choose(); },
  },
  h("div", { class: "field" }, h("label", { for: "tl-group" }, "Group"), input, list),
  h("button", { type: "submit" }, "Show"),
  h("div", { class: "field" }, h("label", { for: "tl-issue" }, "Issue"), select),
  problem);
}

function details(entry, context) {
  const { position } = entry;
  const holder = context.label(position.holder);
  return [
    h("h2", {}, `${context.issueLabel(position.issue)}: ${describe(entry, context)}`),
    h("p", {}, `${holder} · ${position.kind} · from ${entry.starts}${entry.ends ? ` until ${entry.ends}` : ", open-ended"} · ${entry.status} as of ${context.asOf}`),
    entry.notes.length ? h("p", {}, entry.notes.join(" · ")) : null,
    h("ul", { class: "tl-evidence" }, position.evidence.map((evidence) =>
      h("li", {},
        h("blockquote", {}, `“${evidence.quote}”`),
        h("p", { class: "muted" },
          evidence.speaker ? `${context.label(evidence.speaker)}, ` : "speaker not named, ",
          evidence.date || evidence.source.issued || "undated", " — ",
          h("a", { href: viewHref("sources", { source: evidence.source.id, position: position.id }) },
            evidence.source.title || evidence.source.id),
          evidence.verified ? null : " (quote not verified)")))),
  ];
}

function describe(entry, context) {
  const { position } = entry;
  if (position.range) return rangeText(position.range, context.unit(position.issue));
  return position.stance || "no stance";
}

function draw(rows, context, width, panel) {
  const narrow = width < 600;
  const labelWidth = narrow ? 0 : Math.min(240, Math.round(width * 0.22));
  const rowLabel = narrow ? 20 : 0; // on a phone the issue's name sits above its bars
  const left = labelWidth + 8;
  const right = width - 16;
  const axis = 50;
  const all = rows.flatMap((row) => row.entries);
  const first = Math.min(...all.map((entry) => dayMs(entry.starts)));
  const today = dayMs(context.asOf);
  const last = Math.max(today, ...all.map((entry) => dayMs(entry.ends || entry.starts) + DAY));
  const pad = Math.max((last - first) * 0.03, 10 * DAY);
  const from = first - pad;
  const to = last + pad;
  const x = (ms) => left + ((ms - from) / (to - from)) * (right - left);
  for (const row of rows) row.entries = lanes(row.entries, (entry) => geometry(entry, x, last, right, context).span);
  // Each lane is as tall as its bar and its longest note (notes wrap to the width).
  for (const row of rows) {
    row.laneTops = [];
    const tall = [];
    for (const entry of row.entries) {
      const lines = geometry(entry, x, last, right, context).lines.length;
      tall[entry.lane] = Math.max(tall[entry.lane] || 0, BAR + 8 + NOTE_LINE * lines);
    }
    let offset = rowLabel + 6;
    for (const one of tall) { row.laneTops.push(offset); offset += one; }
    row.height = offset;
  }
  const heights = rows.map((row) => row.height);
  const height = axis + heights.reduce((sum, one) => sum + one, 0) + 4;
  const svg = h("svg:svg", {
    class: "tl-svg", width, height, viewBox: `0 0 ${width} ${height}`, role: "group",
    "aria-label": `Timeline of ${context.label(context.group)}: ${rows.length} issues, ${all.length} positions`,
  });
  svg.append(h("svg:defs", {},
    h("svg:pattern", { id: "tl-hatch", width: 8, height: 8, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" },
      h("svg:rect", { width: 4, height: 8, class: "tl-hatch-line" }))));
  let stripeTop = axis;
  rows.forEach((row, index) => {
    if (index % 2 === 0) svg.append(h("svg:rect", { x: 0, y: stripeTop, width, height: heights[index], class: "tl-stripe" }));
    stripeTop += heights[index];
  });
  const axisGroup = h("svg:g", { class: "tl-axis", "aria-hidden": "true" });
  for (const tick of dateTicks(from, to, Math.max(3, Math.floor((right - left) / (narrow ? 70 : 90))))) {
    if (x(tick.ms) < left + 20 || x(tick.ms) > right - 24) continue;
    axisGroup.append(
      h("svg:line", { x1: x(tick.ms), x2: x(tick.ms), y1: axis - 6, y2: height, class: "tl-grid" }),
      h("svg:text", { x: x(tick.ms), y: axis - 10, "text-anchor": "middle" }, tick.label),
    );
  }
  axisGroup.append(
    h("svg:line", { x1: x(today), x2: x(today), y1: axis - 4, y2: height, class: "tl-today" }),
    h("svg:text", { x: x(today) - 4, y: 16, "text-anchor": "end", class: "tl-today-label" },
      `${context.asOf === dayOf(Date.now()) ? "today" : "as of"} ${context.asOf}`),
  );
  svg.append(axisGroup);
  let top = axis;
  rows.forEach((row, index) => {
    const group = h("svg:g", { class: "tl-row", dataset: { issue: row.issue } });
    const label = context.issueLabel(row.issue);
    group.append(narrow
      ? h("svg:text", { x: 4, y: top + 15, class: "tl-issue" }, label)
      : h("svg:text", { x: 4, y: top + 6 + BAR / 2 + 5, class: "tl-issue" },
        label.length > labelWidth / 7.5 ? `${label.slice(0, Math.floor(labelWidth / 7.5) - 1)}…` : label,
        h("svg:title", {}, label)));
    for (const entry of row.entries) group.append(bar(entry, top + row.laneTops[entry.lane], x, last, right, context, panel));
    svg.append(group);
    top += heights[index];
  });
  return svg;
}

/** Join the parts of a note with " · " into lines of at most `width` characters (a part longer stays whole). */
export function wrap(parts, width) {
  const lines = [];
  for (const part of parts) {
    const last = lines.length ? lines[lines.length - 1] : null;
    if (last !== null && last.length + 3 + part.length <= width) lines[lines.length - 1] = `${last} · ${part}`;
    else lines.push(part);
  }
  return lines;
}

/** Where a bar and its writing go: its ends, its label (inside or after it), its note, and the span they take. */
function geometry(entry, x, last, right, context) {
  const { position } = entry;
  const x1 = x(dayMs(entry.starts));
  const x2 = Math.max(x1 + 4, x(entry.ends ? dayMs(entry.ends) + DAY : last));
  const text = `${describe(entry, context)}${position.kind !== "position" ? ` (${position.kind})` : ""}`;
  const inside = text.length * 7.2 + 12 < x2 - x1;
  const dates = entry.ends ? `${entry.starts} to ${entry.ends}` : `since ${entry.starts}`;
  const note = [dates, ...entry.notes].join(" · ");
  const lines = wrap([dates, ...entry.notes], Math.max(20, Math.floor((right - 4) / 6.4)));
  const labelX = inside || x2 + 6 + text.length * 7.2 > right ? Math.min(x1 + 6, right - 40) : x2 + 6;
  const labelEnd = labelX + text.length * 7.2;
  const noteEnd = x1 + Math.max(...lines.map((line) => line.length)) * 6.4;
  return { x1, x2, text, inside, note, lines, labelX, noteEnd, span: [x1, Math.max(x2, labelEnd, Math.min(noteEnd, right))] };
}

function bar(entry, y, x, last, right, context, panel) {
  const { position } = entry;
  const kind = position.range ? "range" : position.stance || "none";
  const { x1, x2, text, inside, note, lines, labelX, noteEnd } = geometry(entry, x, last, right, context);
  const name = `${context.issueLabel(position.issue)}: ${text}, ${context.label(position.holder)}, ${note}, ${entry.status}`;
  const g = h("svg:g", {
    class: `tl-bar tl-${kind} tl-status-${entry.status.replace(" ", "-")}`,
    tabindex: "0", role: "img", "aria-label": name,
    dataset: { position: position.id, starts: entry.starts, ends: entry.ends || "", status: entry.status,
      x1: x1.toFixed(1), x2: x2.toFixed(1) },
  }, h("svg:title", {}, name));
  g.append(h("svg:rect", { x: x1, y, width: x2 - x1, height: BAR, rx: 3, class: "tl-fill" }));
  if (entry.status === "superseded") {
    g.append(h("svg:rect", { x: x1, y, width: x2 - x1, height: BAR, rx: 3, class: "tl-hatched", fill: "url(#tl-hatch)" }));
  }
  if (entry.ends) g.append(h("svg:line", { x1: x2, x2, y1: y - 3, y2: y + BAR + 3, class: "tl-end" }));
  const plain = inside && entry.status !== "superseded";
  g.append(h("svg:text", { x: labelX, y: y + BAR / 2 + 5, class: plain ? "tl-label-in" : "tl-label-out" }, text));
  // A note that would run past the right edge moves left, never past the left edge.
  const noteX = noteEnd > right ? Math.max(4, right - (noteEnd - x1)) : x1;
  g.append(h("svg:text", { x: noteX, y: y + BAR + 14, class: "tl-note" },
    lines.map((line, index) => h("svg:tspan", { x: noteX, dy: index ? NOTE_LINE : 0 }, line))));
  if (entry.rejectedBy.length) {
    g.append(h("svg:text", { x: x1 - 2, y: y + BAR / 2 + 5, class: "tl-reject-mark", "text-anchor": "end" }, "✕"));
  }
  const show = () => panel.replaceChildren(...details(entry, context).filter(Boolean));
  g.addEventListener("mouseenter", show);
  g.addEventListener("focus", show);
  return g;
}

function legend() {
  const item = (cls, text) => h("li", {}, h("span", { class: `tl-swatch ${cls}`, "aria-hidden": "true" }), text);
  return h("ul", { class: "tl-legend", "aria-label": "Legend" },
    item("tl-sw-supports", "supports"), item("tl-sw-opposes", "opposes"), item("tl-sw-neutral", "neutral"),
    item("tl-sw-range", "a range (its numbers on the bar)"), item("tl-sw-superseded", "superseded (hatched)"),
    h("li", {}, h("span", { class: "tl-end-mark", "aria-hidden": "true" }, "|"), "last day"),
    h("li", {}, h("span", { class: "tl-reject-key", "aria-hidden": "true" }, "✕"), "rejected by another group"));
}

export default {
  async render(container, query) {
    const title = h("h1", {}, "Timeline");
    container.replaceChildren(title, notice("Loading…"));
    let actors;
    let issues;
    try {
      [actors, issues] = await Promise.all([apiOnce("actors"), apiOnce("issues")]);
    } catch (error) {
      container.replaceChildren(title, notice(String(error.message || error), "error"));
      return;
    }
    actors = actors.actors;
    issues = issues.issues;
    const actorById = new Map(actors.map((actor) => [actor.id, actor]));
    const issueById = new Map(issues.map((issue) => [issue.id, issue]));
    const group = query.group || "";
    const issue = query.issue || "";
    if (!group) {
      const heads = actors.filter((actor) => actor.speaks_for.length === 0 && actor.positions > 0)
        .sort((a, b) => b.positions - a.positions).slice(0, 12);
      container.replaceChildren(title, picker(actors, "", [], ""),
        notice("Choose a group to see its positions over time."),
        h("ul", { class: "tl-starts" }, heads.map((actor) =>
          h("li", {}, h("a", { href: viewHref("timeline", { group: actor.id }) }, actor.label),
            h("span", { class: "muted" }, ` (${actor.positions} positions)`)))));
      return;
    }
    let answer;
    try {
      answer = await api(`actors/${encodeURIComponent(group)}/timeline`);
    } catch (error) {
      container.replaceChildren(title, picker(actors, group, [], ""), notice(String(error.message || error), "error"));
      return;
    }
    const context = {
      group,
      asOf: answer.as_of,
      label: (id) => (actorById.get(id) ? actorById.get(id).label : id),
      issueLabel: (id) => (issueById.get(id) ? issueById.get(id).label : id),
      unit: (id) => (issueById.get(id) ? issueById.get(id).unit : null),
    };
    // The issue filter lists the group's issues and those broader than them.
    const touched = new Set();
    for (const entry of answer.timeline) {
      touched.add(entry.position.issue);
      for (const broader of issueById.get(entry.position.issue)?.ancestors || []) touched.add(broader);
    }
    const issueOptions = [...touched].map((id) => ({ id, label: context.issueLabel(id) }))
      .sort((a, b) => a.label.localeCompare(b.label));
    const within = (id) => id === issue || (issueById.get(id)?.ancestors || []).includes(issue);
    const shown = answer.timeline.filter((entry) => !issue || within(entry.position.issue));
    const heading = h("h1", {}, `Timeline: ${context.label(group)}`);
    const controls = picker(actors, group, issueOptions, issue);
    if (!shown.length) {
      container.replaceChildren(heading, controls,
        notice(issue ? `${context.label(group)} holds no position on ${context.issueLabel(issue)}.` : `${context.label(group)} holds no positions.`));
      return;
    }
    // Who rejects these positions: every position on their issues, read page by page.
    const ours = new Map(shown.map((entry) => [entry.position.id, entry]));
    const byId = new Map(shown.map((entry) => [entry.position.id, entry.position]));
    const rejectedBy = new Map();
    let unread = null;
    await eachLimited([...new Set(shown.map((entry) => entry.position.issue))], 4, async (id) => {
      for (const other of await positionsOn(id)) {
        byId.set(other.id, byId.get(other.id) || other);
        for (const target of other.rejects) {
          if (ours.has(target)) rejectedBy.set(target, [...(rejectedBy.get(target) || []), other]);
        }
      }
    }).catch((error) => { unread = notice(`Who rejects these positions could not be read: ${error.message || error}`, "error"); });
    const supersededBy = new Map();
    for (const entry of answer.timeline) {
      for (const old of entry.position.supersedes) supersededBy.set(old, [...(supersededBy.get(old) || []), entry.position]);
    }
    const who = (position) => `${context.label(position.holder)} (${position.id})`;
    const entries = shown.map((entry) => {
      const notes = [];
      if (entry.status === "ended") notes.push("ended");
      const successors = supersededBy.get(entry.position.id) || [];
      if (successors.length) notes.push(`superseded by ${successors.map((p) => p.id).join(", ")}`);
      if (entry.position.supersedes.length) notes.push(`supersedes ${entry.position.supersedes.join(", ")}`);
      if (entry.position.rejects.length) {
        notes.push(`rejects ${entry.position.rejects.map((id) => (byId.get(id) ? who(byId.get(id)) : id)).join(", ")}`);
      }
      const rejecters = rejectedBy.get(entry.position.id) || [];
      if (rejecters.length) notes.push(`rejected by ${rejecters.map(who).join(", ")}`);
      return { ...entry, notes, rejectedBy: rejecters };
    });
    const byIssue = new Map();
    for (const entry of entries) byIssue.set(entry.position.issue, [...(byIssue.get(entry.position.issue) || []), entry]);
    const rows = [...byIssue.entries()]
      .map(([id, list]) => {
        const sorted = [...list].sort((a, b) => a.starts.localeCompare(b.starts) || a.position.id.localeCompare(b.position.id));
        return { issue: id, entries: sorted };
      })
      .sort((a, b) => context.issueLabel(a.issue).localeCompare(context.issueLabel(b.issue)));
    const panel = h("div", { class: "tl-details", "aria-live": "polite" },
      h("p", { class: "muted" }, "Hover over a bar, or move to it with Tab, for its quotes, speakers and sources."));
    const figure = h("div", { class: "tl-scroll" });
    container.replaceChildren(heading, controls, ...(unread ? [unread] : []),
      h("p", { class: "muted" }, `${entries.length} positions on ${rows.length} issues, statuses as of ${answer.as_of}.`),
      legend(), figure, panel);
    let drawnWidth = Math.max(340, figure.clientWidth || container.clientWidth || 900);
    figure.append(draw(rows, context, drawnWidth, panel));
    // Drawn again when the window's width changes (a phone turned, a window resized), until the view is left.
    const watcher = new ResizeObserver(() => {
      if (!figure.isConnected) return watcher.disconnect();
      const width = Math.max(340, figure.clientWidth);
      if (Math.abs(width - drawnWidth) < 24) return undefined;
      drawnWidth = width;
      figure.replaceChildren(draw(rows, context, width, panel));
      return undefined;
    });
    watcher.observe(figure);
  },
};
