// Recording on the real clock (issue 5 §4-§6): `miou run --events` feeds an input trace
// through a producer worker in real time and `--record` writes the boundary log as the
// run goes; replaying that log on other engines makes the same decisions. A killed run
// leaves a valid prefix. And `npm start`'s script passes. Upper bounds only, except that
// an event can never arrive before its time.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { parseBoundaryLog } from "../../sim/boundary-log.js";
import { folder, ROOT } from "../explore/cli-run.js";

const SCENARIO = join(ROOT, "sim/scenarios/packet-service");

test("a run fed by --events and recorded on QuickJS replays to the same decisions on QuickJS-ng and V8", async () => {
  const { miou, file, read, dir } = folder();
  const program = file("program.js", readFileSync(join(SCENARIO, "program.js"), "utf8"));
  const input = file("input.jsonl", readFileSync(join(SCENARIO, "input.jsonl"), "utf8"));
  const run = await miou("run", program, "--events", input, "--record", "run.jsonl", "--trace", "run-trace.jsonl");
  expect(run.code, run.stderr).toBe(0);
  const lines = run.stdout.trimEnd().split("\n");
  expect(lines[0]).toMatch(/^\[net0\] \{"at_ns":\d+,"reply":"HELLO"\}$/);
  expect(lines.slice(1, 4)).toEqual(['[net0] {"base64":"AwIB"}', expect.stringMatching(/"reply":"SAME INSTANT"/), "answered 3 packets"]);

  // Each event reached the guest no earlier than its "t" after the guest's first clock
  // reading, and within a second of it.
  const log = parseBoundaryLog(read("run.jsonl"), "run.jsonl");
  const first = log.calls[0]!;
  expect(first.kind === "now" && "now" in first).toBe(true);
  const start_ns = "now" in first ? first.now : NaN;
  const want = [1_000_000, 2_500_000, 2_500_000, 4_000_000];
  const arrivals = log.calls.flatMap((c) => (c.kind === "select" && "events" in c ? c.events.map(() => c.now - start_ns) : []));
  expect(arrivals.length).toBeGreaterThanOrEqual(4);
  for (let i = 0; i < want.length; i++) {
    expect(arrivals[i]).toBeGreaterThanOrEqual(want[i]!);
    expect(arrivals[i]).toBeLessThan(want[i]! + 1e9);
  }

  for (const engine of ["quickjs-ng", "node"]) {
    const replayed = await miou("replay", program, "run.jsonl", "--engine", engine, "--trace", `${engine}.jsonl`);
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(replayed.stdout.split("\n").slice(0, 4)).toEqual(lines.slice(0, 4));
    expect(read(`${engine}.jsonl`), `replayed on ${engine} (${dir})`).toBe(read("run-trace.jsonl"));
  }
});

test("a killed run leaves a valid log, whose replay stops where it ends (exit 5)", async () => {
  const { miou, file, read, dir } = folder();
  const program = file("p.js", 'function* main() { console.log("going to sleep"); yield* Miou.sleep(1); yield* Miou.sleep(10000); }\n');
  const child = spawn(process.execPath, [join(ROOT, "dist/node/tools/miou.js"), "run", program, "--record", "run.jsonl"], { cwd: dir, stdio: "ignore" });
  const started = performance.now();
  // Killed once the run waits in its 10 s sleep: the log then holds its first select.
  while (!safeRead(() => read("run.jsonl")).includes('"deadline"')) {
    expect(performance.now() - started).toBeLessThan(5000);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
  child.kill("SIGKILL");
  await new Promise((resolve) => child.once("exit", resolve));
  const log = parseBoundaryLog(read("run.jsonl"), "run.jsonl");
  expect(log.stop).toBeNull();
  const replayed = await miou("replay", program, "run.jsonl");
  expect(replayed.stdout.split("\n")[0]).toBe("going to sleep");
  expect(replayed.stderr).toContain(`replay diverged at call ${log.calls.length + 1} (run.jsonl ends before it)`);
  expect(replayed.stderr).toContain(`the log holds:    nothing: the log ends after call ${log.calls.length}`);
  expect(replayed.code).toBe(5);
});

test("npm start's script runs the seed on the real clock, replays it and exits with 0", async () => {
  const started = performance.now();
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, "node_modules/zx/build/cli.js"), join(ROOT, "tools/demo.mjs")], { cwd: ROOT });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.on("exit", (code) => resolve({ code, stdout }));
  });
  expect(stdout).toMatch(/two concurrent sleeps of 1 s and 2 s +\d+\.\d ms \(under 3 s: ok\)/);
  expect(stdout).toMatch(/a 10 s sleep on domain 1, cancelled +\d+\.\d ms \(in milliseconds, not 10 s: ok\)/);
  expect(stdout).toMatch(/decision traces identical +ok/);
  expect(stdout).toContain("out/seed.perfetto.json");
  expect(code).toBe(0);
  // The build is npm test's; the rest of npm start takes a few seconds.
  expect(performance.now() - started).toBeLessThan(20_000);
});

function safeRead(read: () => string): string {
  try {
    return read();
  } catch {
    return "";
  }
}
