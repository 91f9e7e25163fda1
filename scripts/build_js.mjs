// Builds every browser bundle with esbuild into signaling/static/, where `aisle serve` serves
// them. One table of entry points; `--watch` rebuilds on change.
import * as esbuild from "esbuild";
import { cpSync, mkdirSync, existsSync } from "node:fs";

const out = "signaling/static";

// [entry, outfile, extra options]
const bundles = [
  // Added as the front ends land: the widget (aisle.js), the agent console, the demo store.
];

// Static assets copied as they are: [from, to]
const assets = [];

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
