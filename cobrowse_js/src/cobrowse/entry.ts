// aisle-cobrowse.js: co-browsing, loaded by aisle.js only when an agent asks to see the page
// (or this tab is already sharing). Leaves its factory where the widget looks for it.

import { RUNTIME_KEY } from "./host";
import { createRuntime } from "./runtime";

(window as unknown as Record<symbol, unknown>)[RUNTIME_KEY] = createRuntime;
