// The matrix view: conflicts and agreements between every pair of groups, as a heatmap whose cells open Compare.
//
//   ?view=matrix&as_of=2025-04-18&actors=russia,ukraine,us
//
// Without `actors`, the groups that hold positions (the actors who speak for no one, from GET /actors), the
// DEFAULT_LIMIT of them holding the most positions. Each cell says its counts in text as well as colour.
import { ApiError, api, apiOnce, h, notice, setParams, viewHref } from "../lib.js";

/** How many groups the matrix shows when none are chosen (a large graph has hundreds). */
export const DEFAULT_LIMIT = 30;
/** The most groups drawn at once: 100 groups are 9,900 cells; the browser takes seconds more for every hundred. */
export const MOST = 100;

/** The groups that hold positions: actors who speak for no one, with their group's count, most first. */
export function positionGroups(actors) {
  return actors
    .filter((actor) => actor.speaks_for.length === 0 && actor.positions > 0)
    .sort((x, y) => y.positions - x.positions || x.label.localeCompare(y.label));
}

/** The colour level of a cell: which side dominates, and how strongly (1 to 4) against the largest count. */
export function cellTone(counts, largest) {
  const { conflicts, agreements } = counts;
  if (conflicts === 0 && agreements === 0) return { kind: "none", level: 0 };
  if (conflicts === agreements) return { kind: "tie", level: 1 };
  const kind = conflicts > agreements ? "conflict" : "agreement";
  const count = Math.max(conflicts, agreements);
  return { kind, level: Math.min(4, Math.max(1, Math.ceil((4 * count) / Math.max(largest, 1)))) };
}

const plural = (count, word) => `${count} ${word}${count === 1 ? "" : "s"}`;

function cell(a, b, counts, largest, asOf) {
  const tone = cellTone(counts, largest);
  const name = `${a.label} and ${b.label}: ${plural(counts.conflicts, "conflict")}, ${plural(counts.agreements, "agreement")}`;
  return h(
    "td",
    { class: `mx-cell mx-${tone.kind} mx-level-${tone.level}` },
    h(
      "a",
      { href: viewHref("compare", { a: a.id, b: b.id, as_of: asOf }), "aria-label": name, title: name },
      `✕${counts.conflicts} ✓${counts.agreements}`,
    ),
  );
}

function legend() {
  const swatch = (kind, level, text) =>
    h("li", {}, h("span", { class: `mx-swatch mx-${kind} mx-level-${level}`, "aria-hidden": "true" }), text);
  return h(
    "div",
    { class: "mx-legend" },
    h("p", {}, "Each cell: ", h("strong", {}, "✕ conflicts"), " and ", h("strong", {}, "✓ agreements"),
      " between the row's group and the column's. Select a cell to compare the pair."),
    h(
      "ul",
      { class: "mx-swatches", "aria-label": "Colours" },
      swatch("conflict", 4, "more conflicts (darker: more)"),
      swatch("agreement", 4, "more agreements (darker: more)"),
      swatch("tie", 1, "as many of each"),
      swatch("none", 0, "neither"),
    ),
  );
}

function chooser(groups, chosen, asOf) {
  const picked = new Set(chosen.map((actor) => actor.id));
  const boxes = groups.map((group) =>
    h(
      "label",
      { class: "mx-choice" },
      h("input", { type: "checkbox", name: "actor", value: group.id, checked: picked.has(group.id) }),
      ` ${group.label} `,
      h("span", { class: "muted" }, `(${group.positions})`),
    ),
  );
  const filter = h("input", {
    type: "search", id: "mx-filter", placeholder: "Type to filter the list",
    oninput: () => {
      const wanted = filter.value.trim().toLowerCase();
      for (const box of boxes) box.hidden = Boolean(wanted) && !box.textContent.toLowerCase().includes(wanted);
    },
  });
  const form = h(
    "form",
    {
      class: "mx-chooser",
      onsubmit: (event) => {
        event.preventDefault();
        const ids = [...form.querySelectorAll("input[name=actor]:checked")].map((box) => box.value);
        setParams({ actors: ids.join(","), as_of: asOf }, { push: true });
      },
    },
    h("fieldset", {}, h("legend", {}, "Groups to show (positions held)"),
      groups.length > 12 ? h("div", { class: "field mx-filter" }, h("label", { for: "mx-filter" }, "Filter the groups"), filter) : null,
      h("div", { class: "mx-choices" }, boxes)),
    h(
      "div",
      { class: "mx-buttons" },
      h("button", { type: "submit" }, "Show these groups"),
      h("button", { type: "button", class: "secondary", onclick: () => setParams({ actors: "" }, { push: true }) },
        "Default groups"),
    ),
  );
  return h("details", { class: "mx-details" }, h("summary", {}, `Choose groups (${chosen.length} shown)`), form);
}

export default {
  async render(container, query) {
    container.replaceChildren(h("h1", {}, "Matrix"), notice("Loading the groups…"));
    let actors;
    try {
      actors = (await apiOnce("actors")).actors;
    } catch (error) {
      container.replaceChildren(h("h1", {}, "Matrix"), notice(String(error.message || error), "error"));
      return;
    }
    const byId = new Map(actors.map((actor) => [actor.id, actor]));
    const groups = positionGroups(actors);
    const asked = (query.actors || "").split(",").map((id) => id.trim()).filter(Boolean);
    const unknown = asked.filter((id) => !byId.has(id));
    const wanted = asked.length
      ? [...new Set(asked)].filter((id) => byId.has(id)).map((id) => byId.get(id))
      : groups.slice(0, DEFAULT_LIMIT);
    const chosen = wanted.slice(0, MOST);
    const asOf = query.as_of || "";

    // The date applies with Show (or Enter), not on every change: typing a year digit by digit is several changes.
    const dateInput = h("input", { type: "date", id: "mx-as-of", value: asOf });
    const controls = h(
      "form",
      {
        class: "controls",
        onsubmit: (event) => {
          event.preventDefault();
          setParams({ as_of: dateInput.value });
        },
      },
      h("div", { class: "field" }, h("label", { for: "mx-as-of" }, "As of"), dateInput),
      h("button", { type: "submit" }, "Show"),
      asOf ? h("button", { type: "button", class: "secondary", onclick: () => setParams({ as_of: "" }) }, "Today") : null,
    );

    const head = [h("h1", {}, "Matrix"), controls, chooser(groups, chosen, asOf)];
    const notes = [];
    if (unknown.length) notes.push(notice(`Unknown actors left out: ${unknown.join(", ")}.`, "error"));
    if (!asked.length && groups.length > DEFAULT_LIMIT) {
      notes.push(notice(`Showing the ${DEFAULT_LIMIT} groups holding the most positions, of ${groups.length}; choose others above.`));
    }
    if (wanted.length > MOST) {
      notes.push(notice(`Showing the first ${MOST} of the ${wanted.length} groups chosen: a larger table takes too long to draw.`));
    }
    if (chosen.length < 2) {
      container.replaceChildren(...head, ...notes, notice("Choose two groups or more to compare."));
      return;
    }
    container.replaceChildren(...head, ...notes, notice("Counting conflicts and agreements…"));
    let answer;
    try {
      answer = await api("matrix", { actors: chosen.map((actor) => actor.id).join(","), as_of: asOf });
    } catch (error) {
      const text = error instanceof ApiError ? error.message : String(error);
      container.replaceChildren(...head, ...notes, notice(text, "error"));
      return;
    }
    const rows = answer.actors.map((id) => byId.get(id) || { id, label: id });
    let largest = 0;
    for (const row of Object.values(answer.matrix)) {
      for (const counts of Object.values(row)) largest = Math.max(largest, counts.conflicts, counts.agreements);
    }
    const table = h(
      "table",
      { class: "mx-table" },
      h("caption", {}, `Conflicts and agreements between ${rows.length} groups as of ${answer.as_of}`),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { class: "mx-corner", scope: "col" }, h("span", { class: "muted" }, "group")),
          rows.map((actor) => h("th", { scope: "col", class: "mx-col", title: actor.label }, h("span", {}, actor.label))),
        ),
      ),
      h(
        "tbody",
        {},
        rows.map((a) =>
          h(
            "tr",
            {},
            h("th", { scope: "row", class: "mx-row" }, a.label),
            rows.map((b) =>
              a.id === b.id
                ? h("td", { class: "mx-cell mx-self" }, h("span", { "aria-label": `${a.label} itself` }, "—"))
                : cell(a, b, answer.matrix[a.id][b.id], largest, asOf),
            ),
          ),
        ),
      ),
    );
    container.replaceChildren(
      ...head,
      ...notes,
      legend(),
      h("div", { class: "mx-scroll", tabindex: "0", role: "region", "aria-label": "Matrix (scrolls)" }, table),
    );
  },
};
