// Runs the front ends' unit tests: every `*.test.ts(x)` under cobrowse_js/src and agent_web/src,
// bundled for Node by esbuild and run with Node's own test runner (`node --test`).
import * as esbuild from "esbuild";
import { readdirSync, statSync, rmSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

const roots = ["cobrowse_js/src", "agent_web/src"];
const out = ".stamps/js-tests";

function find(dir) {
  let found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found = found.concat(find(path));
    else if (/\.test\.tsx?$/.test(name)) found.push(path);
  }
  return found;
}

const tests = roots.flatMap((root) => {
  try {
    return find(root);
  } catch {
    return [];
  }
});
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
if (tests.length === 0) {
  console.log("no JS unit tests");
  process.exit(0);
}
const outfiles = [];
for (const entry of tests) {
  const outfile = join(out, entry.replace(/[\\/]/g, "_").replace(/\.tsx?$/, ".mjs"));
  await esbuild.build({
    entryPoints: [entry], outfile, bundle: true, platform: "node", format: "esm",
    target: "node18", jsx: "automatic", jsxImportSource: "preact", logLevel: "warning",
    sourcemap: "inline",
  });
  outfiles.push(outfile);
}
const run = spawnSync(process.execPath, ["--test", "--enable-source-maps", ...outfiles],
  { stdio: "inherit" });
process.exit(run.status ?? 1);
