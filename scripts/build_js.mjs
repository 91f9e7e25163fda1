// Builds every browser bundle with esbuild into signaling/static/, where `aisle serve` serves
// them. One table of entry points; `--watch` rebuilds on change.
import * as esbuild from "esbuild";
import { cpSync, mkdirSync, existsSync } from "node:fs";

const out = "signaling/static";

// [entry, outfile, extra options]
const bundles = [
  // Added as the front ends land: the widget (aisle.js), the agent console, the demo store.
  // The shopper widget, served at /aisle.js.
  ["cobrowse_js/src/index.ts", "aisle.js"],
  // Co-browsing (rrweb recorder, fflate, control), loaded by aisle.js only when an agent asks.
  ["cobrowse_js/src/cobrowse/entry.ts", "aisle-cobrowse.js"],
  // The call engine (WebRTC connection, devices, negotiation), loaded by aisle.js only when the
  // page takes part in a call.
  ["cobrowse_js/src/call/entry.ts", "aisle-call.js"],
  // The demo store (/demo/): one shared script and one per page.
  ["cobrowse_js/demo/src/site.ts", "demo/js/site.js"],
  ["cobrowse_js/demo/src/pages/catalogue.ts", "demo/js/catalogue.js"],
  ["cobrowse_js/demo/src/pages/product.ts", "demo/js/product.js"],
  ["cobrowse_js/demo/src/pages/cart.ts", "demo/js/cart.js"],
  ["cobrowse_js/demo/src/pages/checkout/main.tsx", "demo/js/checkout.js"],
  ["cobrowse_js/demo/src/pages/account.ts", "demo/js/account.js"],
  ["cobrowse_js/demo/src/pages/help.ts", "demo/js/help.js"],
  ["cobrowse_js/demo/src/pages/size-guide.ts", "demo/js/size-guide.js"],
  ["cobrowse_js/demo/src/pages/payment-frame.ts", "demo/js/payment-frame.js"],
  // The agent console and supervisor view (/agent/).
  ["agent_web/src/main.tsx", "agent/app.js"],
  // The review player for supervisors and trainers (/review/).
  ["agent_web/src/review/main.tsx", "review/app.js"],
];

// Static assets copied as they are: [from, to]
const assets = [
  ["cobrowse_js/demo/static", "demo"], // the demo store's HTML pages, CSS and favicon
  ["agent_web/static", "agent"], // the console's index.html, stylesheet and favicon
  ["agent_web/review_static", "review"], // the review player's index.html and stylesheet
];

const common = {
  bundle: true,
  minify: true,
  sourcemap: true,
  target: ["es2020"],
  jsx: "automatic",
  jsxImportSource: "preact",
  legalComments: "linked",
  logLevel: "warning",
};

mkdirSync(out, { recursive: true });
for (const [from, to] of assets) {
  if (existsSync(from)) cpSync(from, `${out}/${to}`, { recursive: true });
}
const watch = process.argv.includes("--watch");
for (const [entry, outfile, extra] of bundles) {
  const options = { ...common, entryPoints: [entry], outfile: `${out}/${outfile}`, ...(extra ?? {}) };
  if (watch) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  } else {
    await esbuild.build(options);
  }
}
