// The workbench: one page at /, whose views are chosen by the URL's parameters (?view=compare&a=russia&b=ukraine),
// so that every view's address reproduces it, a reload restores it, and the browser's back button works.
import "./style.css";
import { h, params, viewHref } from "./lib.js";
import { pages } from "./pages/index.js";

const main = document.getElementById("view");
const nav = document.getElementById("nav");

function currentPage() {
  const name = params().view || pages[0].name;
  return pages.find((page) => page.name === name) || pages[0];
}

function drawNav(active) {
  nav.replaceChildren(
    ...pages.map((page) =>
      h("a", { href: viewHref(page.name), "aria-current": page === active ? "page" : false }, page.title),
    ),
  );
}

let rendering = 0;
async function render() {
  const page = currentPage();
  const ticket = ++rendering;
  drawNav(page);
  document.title = `${page.title} · Parley`;
  main.setAttribute("aria-busy", "true");
  const module = await page.load();
  if (ticket !== rendering) return; // a later navigation won
  const container = h("div", { class: `page page-${page.name}` });
  main.replaceChildren(container);
  try {
    await module.default.render(container, params());
  } finally {
    if (ticket === rendering) main.removeAttribute("aria-busy");
  }
}

// Links within the workbench change the view without reloading the page.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[href^='?']");
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  history.pushState(null, "", `${location.pathname}${link.getAttribute("href")}`);
  render();
});
window.addEventListener("popstate", render);
window.addEventListener("parley:navigate", render);
render();
