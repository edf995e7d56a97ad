// The example programs with known bugs (sim/scenarios/explore-*): for each, exploration
// finds the bug within the seeds its scenario states, the printed command reproduces it
// the same way, the shrunk input is smaller and still fails the same way, the corrected
// version passes every seed, and the control flags show which kind of choice the bug needs.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { explore } from "../../sim/explore/explore.js";
import { exploreArgs, listExploreScenarios, loadExploreScenario, type ExploreFlags, type ExploreScenario } from "../../sim/explore/explore-scenario.js";
import { parseFaultSpec } from "../../sim/explore/fault-spec.js";
import { parsePolicy } from "../../sim/explore/policies.js";
import { pctHorizon } from "../../sim/explore/trial.js";
import { readInputTrace } from "../../sim/input-trace.js";
import { DEFAULT_MAX_DECISIONS } from "../../sim/simulate.js";
import { commandLines, eventCount, folder, ROOT, type Ran } from "./cli-run.js";

const SCENARIOS = join(ROOT, "sim/scenarios");
const NAMES = listExploreScenarios(SCENARIOS);

/** Explores `file` with `flags` in this process on V8 (the fixed and control runs: no artifacts needed). */
async function failingSeeds(s: ExploreScenario, file: string, flags: ExploreFlags): Promise<number[]> {
  const partial = {
    program: { kind: "script" as const, source: readFileSync(file, "utf8"), file, engine: "node" as const },
    events: s.input === null ? [] : readInputTrace(s.input),
    domains: flags.domains,
    policy: parsePolicy(flags.policy),
    faults: parseFaultSpec(flags.faults),
    maxDecisions: DEFAULT_MAX_DECISIONS,
    pollTick_ns: 0,
  };
  const setup = { ...partial, horizon: await pctHorizon(partial) };
  const seeds = Array.from({ length: s.foundWithin }, (_, i) => i);
  const report = await explore({ setup, seeds, workers: 1, keepGoing: true });
  expect(report.ran).toBe(s.foundWithin);
  return report.failures.map((f) => f.seed);
}

it("has a bug of each kind the issue asks for", () => {
  const bugs = NAMES.map((name) => loadExploreScenario(join(SCENARIOS, name), name).bug);
  expect(bugs).toEqual(expect.arrayContaining(["domain interleaving", "input fault", "timing"]));
});

describe.concurrent.each(NAMES)("%s", (name) => {
  const s: ExploreScenario = loadExploreScenario(join(SCENARIOS, name), name);
  const input = s.input === null ? [] : ["--input", s.input];
  const seeds = ["--seeds", String(s.foundWithin)];
  const explored = (async () => {
    const f = folder();
    const ran = await f.miou("explore", s.buggy, ...input, ...exploreArgs(s.flags), ...seeds, "--engine", "node", "--out", "found", "--shrink");
    return { f, ran };
  })();
  const errorLine = `${s.expect.error}: ${s.expect.message ?? ""}`;
  const sameFailure = (ran: Ran, message: string) => {
    expect(ran.code, ran.stderr).toBe(s.expect.exit);
    expect(ran.stderr).toContain(`${s.expect.error}: ${message}`);
  };

  it(`explore finds the bug within the seeds stated (${s.foundWithin})`, async () => {
    const { f, ran } = await explored;
    expect(ran.code, ran.stdout + ran.stderr).toBe(s.expect.exit);
    expect(ran.stdout).toMatch(/^seed \d+ fails: /m);
    const record = JSON.parse(f.read("found/failure.json"));
    expect(record.seed).toBeLessThan(s.foundWithin);
    expect([record.kind, record.error.name]).toEqual([s.expect.kind, s.expect.error]);
    if (s.expect.message !== undefined) expect(record.error.message).toBe(s.expect.message);
    expect(ran.stdout).toContain(errorLine);
  });

  it("the printed command reproduces the failure exactly: same error, same decision trace, on V8 and QuickJS", async () => {
    const { f, ran } = await explored;
    const [line] = commandLines(ran.stdout);
    expect(line).toMatch(/^miou sim \S+ --domains \d+ --input found\/input\.jsonl --schedule found\/schedule\.txt --engine node$/);
    const message = JSON.parse(f.read("found/failure.json")).error.message;
    const again = await f.command(line!, "--trace", "again.jsonl");
    sameFailure(again, message);
    expect(f.read("again.jsonl")).toBe(f.read("found/trace.jsonl"));
    // The schedule holds choices, not engine state: QuickJS makes the same run.
    sameFailure(await f.command(line!, "--engine", "quickjs", "--trace", "quickjs.jsonl"), message);
    expect(f.read("quickjs.jsonl")).toBe(f.read("found/trace.jsonl"));
  });

  it("the shrunk input is smaller and its command still fails the same way", async () => {
    const { f, ran } = await explored;
    const lines = commandLines(ran.stdout);
    expect(lines).toHaveLength(2);
    expect(ran.stdout).toMatch(/shrunk in \d+ runs: events \d+ -> \d+/);
    expect(eventCount(f.read("found/shrunk/input.jsonl"))).toBeLessThan(eventCount(f.read("found/input.jsonl")));
    const message = JSON.parse(f.read("found/failure.json")).error.message;
    expect(JSON.parse(f.read("found/shrunk/failure.json")).error.message).toBe(message);
    sameFailure(await f.command(lines[1]!), message);
  });

  it("the corrected version passes every seed", async () => {
    expect(await failingSeeds(s, s.fixed, s.flags)).toEqual([]);
  });

  it(`needs ${s.bug}: with the control flags, the buggy version passes every seed`, async () => {
    expect(await failingSeeds(s, s.buggy, s.control)).toEqual([]);
  });
});
