// The compare view (to be built).
import { h } from "../lib.js";

export default {
  render(container) {
    container.replaceChildren(h("h1", {}, "compare"));
  },
};
