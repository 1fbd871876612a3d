// Drafts: paste an article with its publication date, review the positions Parley drafts from it (POST /drafts),
// accept, edit or reject each, and load the accepted ones with the write token.
//
// The accepted positions, edited or not, are written as one JSON document by POST /ingest: the source with the
// article's text (so every quote is checked against it), the new actors and issues they need, and the positions,
// all or nothing. (POST /drafts/accepted drafts the text again and loads positions by number, so it cannot carry
// an analyst's edits.)
//
// The article and its date can be long, so they stay out of the URL: the review (article, date, draft, decisions,
// edits, and what was written) is kept in sessionStorage, so a reload restores it. The write token is kept in
// sessionStorage only, never in the URL or localStorage.
import { ApiError, api, apiOnce, h, notice } from "../lib.js";
import "./drafts.css";

const STATE_KEY = "parley.drafts.review";
const TOKEN_KEY = "parley.token";
const openEditors = new Set(); // the positions whose Edit panel the analyst opened

function loadState() {
  try {
    return JSON.parse(sessionStorage.getItem(STATE_KEY)) || {};
  } catch {
    return {};
  }
}

function saveState(state) {
  sessionStorage.setItem(STATE_KEY, JSON.stringify(state));
}

function rerender() {
  window.dispatchEvent(new Event("parley:navigate"));
}

function busy(on) {
  const main = document.getElementById("view");
  if (on) main.setAttribute("aria-busy", "true");
  else main.removeAttribute("aria-busy");
}

/** The position as the analyst decided it: the draft's values with the edits over them. */
function edited(position, state) {
  const edit = (state.edits || {})[position.number] || {};
  return { ...position, ...edit };
}

function isRange(position) {
  return position.stance === null || position.stance === undefined || position.stance === "range";
}

function describeStance(position, issues) {
  if (!isRange(position)) return position.stance;
  const unit = position.unit || issues.get(position.issue)?.unit || "";
  const low = position.min === null || position.min === undefined ? "…" : Number(position.min).toLocaleString("en");
  const high = position.max === null || position.max === undefined ? "…" : Number(position.max).toLocaleString("en");
  return `range ${low} to ${high}${unit ? ` ${unit}` : ""}`;
}

function describeCondition(condition) {
  if (condition.any_of) return `any of: ${condition.any_of.map(describeCondition).join(" | ")}`;
  const to = condition.addressees?.length ? ` (by ${condition.addressees.join(", ")})` : "";
  return `${condition.issue} ${condition.stance}${to}`;
}

function conditionForIngest(condition) {
  if (condition.any_of) return { any: condition.any_of.map(conditionForIngest) };
  return { issue: condition.issue, stance: condition.stance, addressees: condition.addressees || [] };
}

/**
 * The JSON document POST /ingest writes for the accepted positions: the source with the article's text, the new
 * actors and issues those positions need, and the positions with their edits. Ids follow the draft's rule
 * (holder-issue-date), made again where an edit changed the holder or the issue; links (rejects, supersedes) to a
 * drafted position that was not accepted are dropped, as `parley draft --accept` drops them.
 */
export function ingestDocument(state) {
  const draft = state.draft;
  const chosen = draft.positions.filter((position) => (state.decisions || {})[position.number] === "accept");
  const renamed = new Map();
  const taken = new Set();
  const positions = chosen.map((original) => {
    const position = edited(original, state);
    let id = original.id;
    if (position.holder !== original.holder || position.issue !== original.issue) {
      const base = `${position.holder}-${position.issue}-${original.stated_on || draft.source.issued}`;
      id = base;
      for (let n = 2; taken.has(id) || draft.positions.some((p) => p.id === id && p !== original); n += 1) {
        id = `${base}-${n}`;
      }
    }
    taken.add(id);
    renamed.set(original.id, id);
    return { original, position, id };
  });
  const drafted = new Set(draft.positions.map((position) => position.id));
  const linkable = (target) => !drafted.has(target) || renamed.has(target);
  const link = (target) => renamed.get(target) || target;
  const body = positions.map(({ original, position, id }) => {
    const out = {
      id,
      holder: position.holder,
      issue: position.issue,
      kind: position.kind,
      salience: position.salience,
      red_line: position.red_line,
      addressees: position.addressee || [],
      conditions: (position.condition || []).map(conditionForIngest),
      rejects: (position.rejects || []).filter(linkable).map(link),
      supersedes: (position.supersedes || []).filter(linkable).map(link),
      evidence: [
        {
          quote: original.quote,
          ...(original.speaker ? { speaker: original.speaker } : {}),
          ...(original.stated_on ? { date: original.stated_on } : {}),
          reported_by: original.reported_by || [],
        },
      ],
    };
    if (isRange(position)) out.range = { min: position.min ?? null, max: position.max ?? null };
    else out.stance = position.stance;
    if (position.valid_from) out.valid_from = position.valid_from;
    return out;
  });
  const actorsNeeded = new Set();
  const issuesNeeded = new Set();
  const addConditions = (conditions) => {
    for (const condition of conditions) {
      if (condition.any) addConditions(condition.any);
      else {
        issuesNeeded.add(condition.issue);
        for (const actor of condition.addressees) actorsNeeded.add(actor);
      }
    }
  };
  for (const position of body) {
    actorsNeeded.add(position.holder);
    for (const actor of position.addressees) actorsNeeded.add(actor);
    if (position.evidence[0].speaker) actorsNeeded.add(position.evidence[0].speaker);
    issuesNeeded.add(position.issue);
    addConditions(position.conditions);
  }
  const compactObject = (object) =>
    Object.fromEntries(Object.entries(object).filter(([, value]) => value !== null && value !== undefined));
  return {
    source: { ...compactObject(draft.source), text: state.text },
    actors: draft.new_actors
      .filter((actor) => actorsNeeded.has(actor.id))
      .map((actor) => compactObject({ id: actor.id, label: actor.label, kind: actor.kind, speaks_for: actor.speaks_for })),
    issues: draft.new_issues
      .filter((issue) => issuesNeeded.has(issue.id))
      .map((issue) =>
        compactObject({
          id: issue.id,
          label: issue.label,
          definition: issue.definition,
          scale: issue.scale,
          unit: issue.scale === "quantity" ? issue.unit : null,
        }),
      ),
    positions: body,
  };
}

function articleForm(state) {
  const text = h("textarea", { id: "draft-text", name: "text", rows: 8, required: true, spellcheck: "false" });
  text.value = state.text || "";
  const published = h("input", { id: "draft-published", name: "published", type: "date", required: true });
  published.value = state.published || "";
  const title = h("input", { id: "draft-title", name: "title", type: "text", maxlength: 300, placeholder: "the first sentence" });
  title.value = state.title || "";
  const status = h("p", { class: "draft-status", role: "status" });
  const form = h(
    "form",
    {
      class: "draft-form",
      "aria-label": "Article to draft",
      onsubmit: async (event) => {
        event.preventDefault();
        status.replaceChildren();
        busy(true);
        try {
          const draft = await api(
            "drafts",
            { published: published.value, title: title.value.trim() },
            { method: "POST", headers: { Accept: "application/json", "Content-Type": "text/plain; charset=utf-8" }, body: text.value },
          );
          delete draft.trig;
          saveState({ text: text.value, published: published.value, title: title.value, draft, decisions: {}, edits: {} });
          rerender();
        } catch (error) {
          busy(false);
          status.replaceChildren(notice(error instanceof ApiError ? error.message : String(error), "error"));
        }
      },
    },
    h("div", { class: "field field-wide" }, h("label", { for: "draft-text" }, "Article (plain text)"), text),
    h(
      "div",
      { class: "controls" },
      h("div", { class: "field" }, h("label", { for: "draft-published" }, "Published on"), published),
      h("div", { class: "field field-grow" }, h("label", { for: "draft-title" }, "Title (optional)"), title),
      h("button", { type: "submit" }, state.draft ? "Draft again" : "Draft positions"),
    ),
    status,
  );
  return form;
}

/** The article with every drafted quote marked, each mark named by its position's number. */
function articleText(state) {
  const text = state.text || "";
  const parts = [];
  let at = 0;
  const positions = [...state.draft.positions].sort((a, b) => a.start - b.start);
  for (const position of positions) {
    if (position.start < at || position.end > text.length) continue; // overlapping or outside: left unmarked
    parts.push(text.slice(at, position.start));
    const decision = (state.decisions || {})[position.number] || "undecided";
    parts.push(
      h(
        "mark",
        { id: `quote-${position.number}`, class: `quote quote-${decision}`, tabindex: "-1", title: `Position ${position.number}` },
        h("sup", { class: "quote-number" }, String(position.number)),
        text.slice(position.start, position.end),
      ),
    );
    at = position.end;
  }
  parts.push(text.slice(at));
  return h("div", { class: "draft-article", "aria-label": "The article, its quotes marked" }, parts);
}

function option(value, label, selected) {
  return h("option", { value, selected: value === selected }, label);
}

function card(position, state, known) {
  const { actors, issues } = known;
  const current = edited(position, state);
  const edits = (state.edits || {})[position.number] || {};
  const decision = (state.decisions || {})[position.number] || "";
  const name = (map, id) => (map.get(id)?.label ? `${map.get(id).label} (${id})` : id);
  const was = (field, show = (v) => v) =>
    field in edits && edits[field] !== position[field] ? h("span", { class: "was" }, ` was ${show(position[field]) ?? "none"}`) : null;

  const decide = (value) => {
    const next = loadState();
    next.decisions = { ...(next.decisions || {}), [position.number]: value };
    saveState(next);
    known.redraw();
  };
  const change = (field, value) => {
    const next = loadState();
    const mine = { ...((next.edits || {})[position.number] || {}) };
    if (value === position[field]) delete mine[field];
    else mine[field] = value;
    next.edits = { ...(next.edits || {}), [position.number]: mine };
    if (!(next.decisions || {})[position.number]) next.decisions = { ...(next.decisions || {}), [position.number]: "accept" };
    saveState(next);
    known.redraw();
  };
  const id = (suffix) => `draft-${position.number}-${suffix}`;
  const numberInput = (field, label) => {
    const input = h("input", {
      id: id(field),
      type: "number",
      step: "any",
      inputmode: "decimal",
      onchange: (event) => change(field, event.target.value === "" ? null : Number(event.target.value)),
    });
    input.value = current[field] ?? "";
    return h("div", { class: "field" }, h("label", { for: id(field) }, label), input);
  };
  const stanceValue = isRange(current) ? "range" : current.stance;
  const editing = Object.keys(edits).length > 0;
  const editor = h(
    "details",
    {
      class: "draft-edit",
      open: editing || openEditors.has(position.number),
      ontoggle: (event) => (event.target.open ? openEditors.add(position.number) : openEditors.delete(position.number)),
    },
    h("summary", {}, "Edit"),
    h(
      "div",
      { class: "controls" },
      h(
        "div",
        { class: "field" },
        h("label", { for: id("holder") }, "Holder"),
        h(
          "select",
          { id: id("holder"), onchange: (event) => change("holder", event.target.value) },
          [...actors.values()].map((actor) => option(actor.id, `${actor.label} (${actor.id})`, current.holder)),
        ),
      ),
      h(
        "div",
        { class: "field" },
        h("label", { for: id("issue") }, "Issue"),
        h(
          "select",
          { id: id("issue"), onchange: (event) => change("issue", event.target.value) },
          [...issues.values()].map((issue) => option(issue.id, `${issue.label} (${issue.id})`, current.issue)),
        ),
      ),
      h(
        "div",
        { class: "field" },
        h("label", { for: id("stance") }, "Stance"),
        h(
          "select",
          {
            id: id("stance"),
            onchange: (event) => change("stance", event.target.value === "range" ? null : event.target.value),
          },
          option("supports", "supports", stanceValue),
          option("opposes", "opposes", stanceValue),
          option("range", "a range (min, max)", stanceValue),
        ),
      ),
      stanceValue === "range" ? [numberInput("min", "Min"), numberInput("max", "Max")] : null,
    ),
  );

  const quoteButton = h(
    "button",
    {
      type: "button",
      class: "secondary small",
      onclick: () => {
        const mark = document.getElementById(`quote-${position.number}`);
        if (mark) {
          mark.scrollIntoView({ block: "center" });
          mark.focus();
        }
      },
    },
    "Show in the article",
  );

  const proposed = [
    ...position.new_actors.map((actor) => `new actor ${actor.label} (${actor.id}, ${actor.kind}${actor.speaks_for.length ? `, speaks for ${actor.speaks_for.join(", ")}` : ""})`),
    ...position.new_issues.map((issue) => `new issue ${issue.label} (${issue.id}${issue.definition ? `: ${issue.definition}` : ""})`),
  ];
  const date = position.stated_on || position.valid_from;

  return h(
    "article",
    { class: `draft-card draft-${decision || "undecided"}`, id: `position-${position.number}`, "aria-labelledby": id("title") },
    h(
      "h3",
      { id: id("title") },
      `${position.number}. ${name(actors, current.holder)} · ${name(issues, current.issue)}`,
      editing ? h("span", { class: "badge" }, "edited") : null,
    ),
    h(
      "dl",
      { class: "draft-facts" },
      h("dt", {}, "Holder"), h("dd", { class: "fact-holder" }, current.holder, was("holder")),
      h("dt", {}, "Group"), h("dd", {}, position.group || "—"),
      h("dt", {}, "Issue"), h("dd", { class: "fact-issue" }, current.issue, was("issue")),
      h("dt", {}, "Stance"),
      h("dd", { class: "fact-stance" }, describeStance(current, issues),
        "stance" in edits || "min" in edits || "max" in edits ? h("span", { class: "was" }, ` was ${describeStance(position, issues)}`) : null),
      h("dt", {}, "Conditions"), h("dd", {}, position.condition.length ? position.condition.map(describeCondition).join("; ") : "none"),
      h("dt", {}, "Red line"), h("dd", {}, position.red_line ? "yes" : "no"),
      h("dt", {}, "Kind"), h("dd", {}, position.kind + (position.addressee.length ? ` to ${position.addressee.join(", ")}` : "")),
      h("dt", {}, "Date"), h("dd", {}, date || `not said (published ${state.draft.source.issued})`),
      position.rejects.length ? [h("dt", {}, "Rejects"), h("dd", {}, position.rejects.join(", "))] : null,
      position.supersedes.length ? [h("dt", {}, "Replaces"), h("dd", {}, position.supersedes.join(", "))] : null,
      h("dt", {}, "Found by"), h("dd", {}, `rule “${position.rule}”, confidence ${position.confidence}`),
      proposed.length ? [h("dt", {}, "Proposes"), h("dd", { class: "fact-new" }, proposed.join("; "))] : null,
    ),
    h("blockquote", { class: "draft-quote" }, `“${position.quote}”`, " ", quoteButton),
    h(
      "fieldset",
      { class: "draft-decision" },
      h("legend", {}, `Position ${position.number}`),
      ["accept", "reject"].map((value) =>
        h(
          "label",
          { class: `choice choice-${value}` },
          h("input", {
            type: "radio",
            id: id(value),
            name: `decision-${position.number}`,
            value,
            checked: decision === value,
            onchange: () => decide(value),
          }),
          value === "accept" ? " Accept" : " Reject",
        ),
      ),
    ),
    editor,
  );
}

function written(answer) {
  return h(
    "section",
    { class: "draft-written", "aria-labelledby": "written-title" },
    h("h2", { id: "written-title" }, "Written"),
    h(
      "dl",
      { class: "draft-facts" },
      h("dt", {}, "Source"), h("dd", { class: "written-source" }, answer.source || "—"),
      h("dt", {}, "New actors"), h("dd", { class: "written-actors" }, answer.actors.length ? answer.actors.join(", ") : "none"),
      h("dt", {}, "New issues"), h("dd", {}, answer.issues.length ? answer.issues.join(", ") : "none"),
      h("dt", {}, "Positions"), h("dd", { class: "written-positions" }, answer.positions.join(", ")),
      h("dt", {}, "Generation"), h("dd", {}, String(answer.generation)),
    ),
    answer.source ? h("p", {}, h("a", { href: `?view=sources&source=${encodeURIComponent(answer.source)}` }, "Open the source")) : null,
  );
}

function loadPanel(state) {
  const accepted = state.draft.positions.filter((p) => (state.decisions || {})[p.number] === "accept");
  const rejected = state.draft.positions.filter((p) => (state.decisions || {})[p.number] === "reject");
  const undecided = state.draft.positions.length - accepted.length - rejected.length;
  const token = h("input", { id: "draft-token", type: "password", autocomplete: "off", required: true });
  token.value = sessionStorage.getItem(TOKEN_KEY) || "";
  const status = h("div", { class: "draft-load-status", role: "status" });
  const button = h(
    "button",
    { type: "submit", disabled: accepted.length === 0 || Boolean(state.written) },
    state.written ? `Loaded ${accepted.length}` : `Load ${accepted.length} accepted`,
  );
  const form = h(
    "form",
    {
      class: "draft-load",
      "aria-label": "Load the accepted positions",
      onsubmit: async (event) => {
        event.preventDefault();
        sessionStorage.setItem(TOKEN_KEY, token.value);
        status.replaceChildren();
        button.disabled = true;
        busy(true);
        try {
          const answer = await api("ingest", {}, {
            method: "POST",
            headers: { Accept: "application/json", "Content-Type": "application/json", Authorization: `Bearer ${token.value}` },
            body: JSON.stringify(ingestDocument(loadState())),
          });
          const next = loadState();
          next.written = answer;
          saveState(next);
          rerender();
        } catch (error) {
          busy(false);
          button.disabled = false;
          const words = error instanceof ApiError ? error.message : String(error);
          status.replaceChildren(notice(`Nothing was written. ${words}`, "error"));
        }
      },
    },
    h("h2", {}, "Load"),
    h("p", { class: "draft-tally" }, `${accepted.length} accepted, ${rejected.length} rejected, ${undecided} undecided.`),
    state.written
      ? h("p", { class: "muted" }, "This draft's source is written: to load more of the article, start a new draft with another title.")
      : null,
    h(
      "div",
      { class: "controls" },
      h("div", { class: "field" }, h("label", { for: "draft-token" }, "Write token"), token),
      button,
    ),
    status,
  );
  return form;
}

export default {
  async render(container) {
    const state = loadState();
    container.append(h("h1", {}, "Drafts"));
    container.append(
      h("p", { class: "muted" }, "Paste an article with its date: Parley drafts the positions it states. Review each one, accept, edit or reject it, then load the accepted ones with the write token."),
    );
    container.append(articleForm(state));
    if (!state.draft) return;
    const [actorList, issueList] = await Promise.all([apiOnce("actors"), apiOnce("issues")]);
    const actors = new Map(actorList.actors.map((actor) => [actor.id, actor]));
    for (const actor of state.draft.new_actors) if (!actors.has(actor.id)) actors.set(actor.id, { ...actor, label: `${actor.label} (new)` });
    const issues = new Map(issueList.issues.map((issue) => [issue.id, issue]));
    for (const issue of state.draft.new_issues) if (!issues.has(issue.id)) issues.set(issue.id, { ...issue, label: `${issue.label} (new)` });
    const sortByLabel = (map) => new Map([...map.entries()].sort((a, b) => a[1].label.localeCompare(b[1].label)));
    const known = { actors: sortByLabel(actors), issues: sortByLabel(issues) };
    let review = drawReview(loadState(), known);
    // A decision or an edit redraws the review in place, keeping the focus where it was.
    known.redraw = () => {
      const focused = document.activeElement?.id;
      const next = drawReview(loadState(), known);
      review.replaceWith(next);
      review = next;
      if (focused) document.getElementById(focused)?.focus();
    };
    container.append(review);
  },
};

function drawReview(state, known) {
  const positions = state.draft.positions;
  return h(
        "section",
        { class: "draft-review", "aria-labelledby": "review-title" },
        h(
          "h2",
          { id: "review-title" },
          `${positions.length} position${positions.length === 1 ? "" : "s"} drafted from “${state.draft.source.title}” (source ${state.draft.source.id}, ${state.draft.source.issued})`,
        ),
        positions.length === 0
          ? notice("No position was drafted: the rules found no one stating one. Try another article, or record positions by hand.")
          : h(
              "div",
              { class: "draft-columns" },
              h("div", { class: "draft-article-column" }, h("h3", {}, "Article"), articleText(state)),
              h("div", { class: "draft-cards" }, positions.map((position) => card(position, state, known))),
            ),
        positions.length ? loadPanel(state) : null,
        state.written ? written(state.written) : null,
        h(
          "p",
          {},
          h(
            "button",
            {
              type: "button",
              class: "secondary",
              onclick: () => {
                sessionStorage.removeItem(STATE_KEY);
                rerender();
              },
            },
            "Start a new draft",
          ),
        ),
      );
}
