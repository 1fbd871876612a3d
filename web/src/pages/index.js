// The workbench's views, in the order of its navigation. Each module exports
// { name, title, load: () => import(...) } here, and the imported module's default export is
// { render(container, params) }: it draws the view for the URL's parameters into `container`.
// Pages are loaded when first shown, so the first page does not wait for the others' libraries.
export const pages = [
  { name: "compare", title: "Compare", load: () => import("./compare.js") },
  { name: "matrix", title: "Matrix", load: () => import("./matrix.js") },
  { name: "timeline", title: "Timeline", load: () => import("./timeline.js") },
  { name: "network", title: "Network", load: () => import("./network.js") },
  { name: "sources", title: "Sources", load: () => import("./sources.js") },
  { name: "drafts", title: "Drafts", load: () => import("./drafts.js") },
  { name: "changes", title: "Changes", load: () => import("./changes.js") },
  { name: "sparql", title: "SPARQL", load: () => import("./sparql.js") },
];
