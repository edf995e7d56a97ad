// Record then replay (issue 5 §5): every scenario of sim/scenarios/ that ends by itself
// (all but the one stopped by its decision budget) is recorded through the recorder that
// `miou run --record` uses, on the simulator's host so that it is fast and exact, on each
// engine; each recording is replayed on every engine. The replay makes the recorded
// decisions byte for byte (which are the golden trace's), answers every call of the log,
// sends the same output and ends with the scenario's exit code. A recording made on the
// real clock with `miou run --events` is in test/realtime/record-replay.test.ts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ENGINES } from "../../platform/node/create-guest.js";
import { listScenarios, loadScenario } from "../../sim/scenario.js";
import { exitCode } from "../../tools/replay-command.js";
import { recordSimulated, replayKept } from "./helpers.js";

const ROOT = join(import.meta.dirname, "../../sim/scenarios");
const SCENARIOS = listScenarios(ROOT)
  .map((name) => loadScenario(join(ROOT, name), name))
  .filter((s) => s.flags["max-decisions"] === 10_000_000);

it("covers every scenario that ends by itself", () => {
  expect(SCENARIOS.map((s) => s.name)).toEqual(listScenarios(ROOT).filter((name) => name !== "spin-until-timer-livelock"));
});

describe.each(SCENARIOS.map((s) => [s.name, s] as const))("scenario %s", (_name, scenario) => {
  const golden = readFileSync(join(scenario.dir, "trace.jsonl"), "utf8").trimEnd().split("\n").slice(1);
  const program = scenario.program.toString("utf8");

  it.each(ENGINES)("recorded on %s, replays to the identical decision trace on every engine", async (recordedOn) => {
    const recording = await recordSimulated({
      engine: recordedOn,
      program,
      events: scenario.events,
      seed: scenario.flags.seed,
      domains: scenario.flags.domains,
      pollTick_ns: scenario.flags["poll-tick"],
    });
    expect(recording.trace).toEqual(golden);
    expect(recording.log.header.engine).toBe(recordedOn);
    expect(recording.log.stop).toBeNull();
    for (const engine of ENGINES) {
      const replayed = await replayKept(recording.log, program, engine);
      expect(replayed.trace, `replayed on ${engine}`).toEqual(recording.trace);
      expect(replayed.answered).toBe(recording.log.calls.length);
      expect(exitCode(replayed.end)).toBe(scenario.expect.exit);
      if (scenario.expect.outgoing !== undefined) expect(replayed.outgoing).toEqual(scenario.expect.outgoing);
    }
  });
});
