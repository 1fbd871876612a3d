// YASGUI's ES module build, in a chunk of its own that only the SPARQL page loads. Its style sheet is copied
// beside the bundle by `make` (static/workbench/yasgui.css) and linked by the page when it opens: imported here,
// esbuild would fold it into app.css, which every page loads.
import Yasgui from "@zazuko/yasgui/build/yasgui.esm.js";

export default Yasgui;
