#!/usr/bin/env zx
// `npm start` (after `npm run build`): the seed's program (tools/demo-seed.js) inside
// QuickJS on the real clock, recorded at the host boundary; the recording replayed in the
// simulator; the two decision traces compared; a Perfetto timeline written; a short
// report. It only drives the built `miou` command line, as a user would.
// Options: --engine quickjs|quickjs-ng|node for the real run (default quickjs).
import { performance } from "node:perf_hooks";
import { $, argv, echo, fs, path } from "zx";

const root = path.join(import.meta.dirname, "..");
process.chdir(root);
const miou = ["node", "dist/node/tools/miou.js"];
const program = "tools/demo-seed.js";
const engine = argv.engine ?? "quickjs";
// Replayed on another engine than the one that recorded: any engine replays any recording.
const replayEngine = engine === "quickjs-ng" ? "quickjs" : "quickjs-ng";
const out = {
  log: "out/seed.boundary.jsonl",
  trace: "out/seed.trace.jsonl",
  result: "out/seed.result.json",
  replay: "out/seed.replay.jsonl",
  perfetto: "out/seed.perfetto.json",
};
await fs.mkdirp("out");

/** Runs a miou command, prints its output indented, and returns it with its time. */
async function step(args) {
  const started = performance.now();
  const p = await $`${miou} ${args}`.nothrow().quiet();
  const ms = performance.now() - started;
  for (const line of (p.stdout + p.stderr).trimEnd().split("\n")) if (line !== "") echo(`    ${line}`);
  return { code: p.exitCode, ms };
}

const failures = [];
const check = (ok, what) => {
  if (!ok) failures.push(what);
  return ok ? "ok" : "FAILED";
};

echo(`miou-js: the seed's program in ${engine}, on the real clock (no event loop, no timers: the host blocks in select)`);
echo(`  $ miou run ${program} --engine ${engine} --domains 1 --record ${out.log} --trace ${out.trace} --result ${out.result}`);
const run = await step(["run", program, "--engine", engine, "--domains", "1", "--record", out.log, "--trace", out.trace, "--result", out.result]);
check(run.code === 0, `miou run exited with ${run.code}`);
const result = run.code === 0 ? JSON.parse(await fs.readFile(out.result, "utf8")) : null;
const measured = result?.ok ? result.value : { sleeps_ms: NaN, cancel_ms: NaN };

echo(`\nthe recording, replayed in the simulator on ${replayEngine}: every now() and select() answered from the log, at once`);
echo(`  $ miou replay ${program} ${out.log} --engine ${replayEngine} --trace ${out.replay} --perfetto ${out.perfetto}`);
const replay = await step(["replay", program, out.log, "--engine", replayEngine, "--trace", out.replay, "--perfetto", out.perfetto]);
check(replay.code === 0, `miou replay exited with ${replay.code}`);

echo(`\nthe decision traces of the run and of its replay`);
echo(`  $ miou diff ${out.trace} ${out.replay}`);
const diff = await step(["diff", out.trace, out.replay]);

const calls = (await fs.readFile(out.log, "utf8")).trimEnd().split("\n").length - 1;
echo(`
report
  two concurrent sleeps of 1 s and 2 s      ${measured.sleeps_ms.toFixed(1)} ms (under 3 s: ${check(measured.sleeps_ms < 3000, "the sleeps took 3 s or more")})
  a 10 s sleep on domain 1, cancelled       ${measured.cancel_ms.toFixed(1)} ms (in milliseconds, not 10 s: ${check(measured.cancel_ms < 1000, "the cancellation took 1 s or more")})
  the real run (bundle load included)       ${(run.ms / 1000).toFixed(2)} s
  its replay in the simulator               ${(replay.ms / 1000).toFixed(2)} s, ${calls} host calls from the log
  decision traces identical                 ${check(diff.code === 0, "the replay's decision trace differs from the run's")}
  written
    ${out.log.padEnd(28)} the boundary log (docs/formats.md)
    ${out.trace.padEnd(28)} the run's decision trace
    ${out.replay.padEnd(28)} the replay's decision trace
    ${out.perfetto.padEnd(28)} the timeline: open it at https://ui.perfetto.dev
    ${out.result.padEnd(28)} main's value`);
if (failures.length > 0) {
  echo(`\nnpm start failed: ${failures.join("; ")}`);
  process.exitCode = 1;
}
