import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ENGINES } from "../../platform/node/create-guest.js";
import { parseDecisionTrace } from "../../sim/decision-trace.js";
import { toPerfetto } from "../../sim/perfetto.js";
import { listScenarios, loadScenario, runScenario, type Scenario, type ScenarioRun } from "../../sim/scenario.js";
import { exitCode } from "../../tools/sim-command.js";
import { perfettoProblems } from "./perfetto-structure.js";

const ROOT = join(import.meta.dirname, "../../sim/scenarios");
const NAMES = listScenarios(ROOT);
const afterHeader = (trace: string) => trace.slice(trace.indexOf("\n") + 1);

it("has the scenarios the issue asks for", () => {
  expect(NAMES).toEqual(
    expect.arrayContaining([
      "two-sleepers",
      "cancel-sleeper",
      "timeout-await-first",
      "packet-service",
      "recv-cancelled-waiting",
      "recv-cancelled-handed",
      "spin-until-timer-livelock",
      "spin-until-timer-poll-tick",
    ]),
  );
});

describe.each(NAMES)("scenario %s", (name) => {
  const scenario: Scenario = loadScenario(join(ROOT, name), name);
  const golden = readFileSync(join(ROOT, name, "trace.jsonl"), "utf8");
  const runs = new Map<string, ScenarioRun>();

  it.each(ENGINES)("on %s: meets the hand-written expectations", async (engine) => {
    const run = await runScenario(scenario, engine);
    runs.set(engine, run);
    const { result, outgoing } = run;
    const want = scenario.expect;
    expect(exitCode(result.end)).toBe(want.exit);
    if (result.end.kind === "ok") {
      expect(result.end.valueJSON === undefined ? undefined : JSON.parse(result.end.valueJSON)).toEqual(want.value);
    } else {
      expect(result.end.error.name).toBe(want.error);
    }
    expect(result.final_ns).toBe(want.final_ns);
    expect(result.delivered).toBe(want.delivered);
    expect(result.left).toBe(want.left);
    if (want.outgoing !== undefined) expect(outgoing).toEqual(want.outgoing);
    if (want.waiting !== undefined) {
      expect(result.end.kind).toBe("deadlock");
      if (result.end.kind === "deadlock") expect(result.end.waiting.map((w) => w.waitsOn)).toEqual(want.waiting);
    }
  });

  it.each(ENGINES)("on %s: the decision trace is the golden one, byte for byte", (engine) => {
    const run = runs.get(engine);
    expect(run, "the expectations test runs first").toBeDefined();
    expect(run!.trace).toBe(golden);
  });

  it("gives the same decision trace on every engine after the header", () => {
    const [first, ...others] = ENGINES.map((engine) => runs.get(engine)?.trace);
    for (const other of others) expect(afterHeader(other!)).toBe(afterHeader(first!));
  });

  it("has a golden trace that reads back and exports to a well-formed Perfetto timeline", () => {
    const trace = parseDecisionTrace(golden, `${name}/trace.jsonl`);
    expect(trace.header.program).toMatch(/^sha256:/);
    expect(trace.records.length).toBeGreaterThan(0);
    expect(perfettoProblems(toPerfetto(trace))).toEqual([]);
  });
});
