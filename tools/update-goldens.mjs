#!/usr/bin/env zx
// Regenerates the golden decision traces of sim/scenarios/ with the built CLI
// (`npm run build` first), on QuickJS. Read every diff before committing it: a golden
// trace is only as good as the review that checked it against the reference.
// Usage: zx tools/update-goldens.mjs [SCENARIO...]
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { $, argv, echo } from "zx";

const root = "sim/scenarios";
const names = argv._.length > 0 ? argv._ : readdirSync(root).filter((n) => existsSync(join(root, n, "program.js")));
for (const name of names) {
  const dir = join(root, name);
  const { flags = {} } = JSON.parse(readFileSync(join(dir, "scenario.json"), "utf8"));
  const args = Object.entries(flags).flatMap(([flag, value]) => [`--${flag}`, String(value)]);
  if (existsSync(join(dir, "input.jsonl"))) args.push("--input", join(dir, "input.jsonl"));
  const run = await $`node dist/node/tools/miou.js sim ${join(dir, "program.js")} ${args} --engine quickjs --trace ${join(dir, "trace.jsonl")}`.nothrow().quiet();
  echo(`${name}: exit ${run.exitCode}`);
}
