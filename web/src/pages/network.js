// The network view (to be built).
import { h } from "../lib.js";

export default {
  render(container) {
    container.replaceChildren(h("h1", {}, "network"));
  },
};
