// What every page of the workbench shares: reading the API, building elements, and the view's URL.
//
// Every URL is relative to the page's own, so the workbench works under any root path a proxy gives it,
// and never asks another host for anything.

/** An error the API answered (application/problem+json), with its title and detail. */
export class ApiError extends Error {
  constructor(status, title, detail) {
    super(detail ? `${title}: ${detail}` : title);
    this.status = status;
    this.title = title;
    this.detail = detail;
  }
}

/** Build an API URL from a path and parameters (empty values left out). */
export function apiUrl(path, params = {}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue;
    for (const one of Array.isArray(value) ? value : [value]) query.append(name, String(one));
  }
  const search = query.toString();
  return `${path.replace(/^\//, "")}${search ? `?${search}` : ""}`;
}

/** GET (or send) to the API and read its JSON; a problem answer is thrown as an ApiError. */
export async function api(path, params = {}, init = {}) {
  const response = await fetch(apiUrl(path, params), { headers: { Accept: "application/json" }, ...init });
  return readAnswer(response);
}

/** Read a response as the API answers: JSON, or a problem thrown as an ApiError. */
export async function readAnswer(response) {
  const type = response.headers.get("Content-Type") || "";
  if (!response.ok) {
    if (type.includes("json")) {
      const problem = await response.json();
      throw new ApiError(response.status, problem.title || response.statusText, problem.detail || "");
    }
    throw new ApiError(response.status, response.statusText, (await response.text()).slice(0, 300));
  }
  return type.includes("json") ? response.json() : response.text();
}

const cached = new Map();
/** GET once per page load (the actors, the issues, the sources: what a view's pickers list). */
export function apiOnce(path, params = {}) {
  const url = apiUrl(path, params);
  if (!cached.has(url)) cached.set(url, api(path, params).catch((error) => { cached.delete(url); throw error; }));
  return cached.get(url);
}

/**
 * Make an element: h("a", {href: "?view=matrix", class: "cell"}, "text", child, ...).
 * Attributes named on* take a listener; `dataset`/`style` take objects; false/null attributes are left out.
 * Children are text (escaped, never parsed as HTML), elements, arrays of them, or null (skipped).
 */
export function h(tag, attributes = {}, ...children) {
  const element = tag.includes(":")
    ? document.createElementNS("http://www.w3.org/2000/svg", tag.split(":")[1])
    : document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (name === "dataset") Object.assign(element.dataset, value);
    else if (name === "style" && typeof value === "object") Object.assign(element.style, value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** The current view's parameters (view, a, b, as_of, issue, ...), read from the address bar. */
export function params() {
  return Object.fromEntries(new URLSearchParams(location.search));
}

/**
 * Change the view's parameters and say so in the URL, so that the address reproduces the view.
 * `push` adds a history entry (a new question); without it the entry is replaced (a control moved).
 */
export function setParams(changes, { push = false, render = true } = {}) {
  const query = new URLSearchParams(location.search);
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined || value === null || value === "") query.delete(name);
    else query.set(name, String(value));
  }
  const url = `${location.pathname}?${query}`;
  if (push) history.pushState(null, "", url);
  else history.replaceState(null, "", url);
  if (render) window.dispatchEvent(new Event("parley:navigate"));
}

/** A link to another view of the workbench, with its parameters. */
export function viewHref(view, extra = {}) {
  const query = new URLSearchParams({ view });
  for (const [name, value] of Object.entries(extra)) if (value !== undefined && value !== null && value !== "") query.set(name, String(value));
  return `?${query}`;
}

/** A message in place of an answer: loading, nothing found, or what went wrong. */
export function notice(text, kind = "info") {
  return h("p", { class: `notice notice-${kind}`, role: kind === "error" ? "alert" : "status" }, text);
}

/** Run an async render step and show its error in `container` rather than leaving the view blank. */
export async function guarded(container, step) {
  try {
    return await step();
  } catch (error) {
    container.replaceChildren(notice(error instanceof ApiError ? error.message : String(error), "error"));
    return undefined;
  }
}
