// Logs that end in a `stop` record (issue 5 §4, §5): when the embedder stops a recorded
// guest (its CPU budget, a stack overflow), the log says so; replaying it runs up to the
// stop, makes the recorded decisions, says how the recorded run was stopped, and exits
// with 4 as the run did.
import { describe, expect, it } from "vitest";
import { ENGINES } from "../../platform/node/create-guest.js";
import { exitCode } from "../../tools/replay-command.js";
import { folder } from "../explore/cli-run.js";
import { recordSimulated, replayKept } from "./helpers.js";

// Sends a line, sleeps, then spins with no operation: the budget stops it after call 3.
const RUNAWAY = `function* main() { console.log("start"); yield* Miou.sleep(10); Miou.send("net0", { lost: true }); for (;;) {} }\n`;
const DEEP = `
  function deep(n) { return deep(n + 1) + 1; }
  function* child() { yield* Miou.sleep(5); return deep(0); }
  function* main() {
    const p = yield* Miou.async(child);
    try { yield* Miou.awaitExn(p); } catch (e) { console.log("parent caught " + e.name); }
    return "parent went on";
  }
`;

describe("a recorded run the embedder stopped", () => {
  it("ends its log with a stop record after its last call", async () => {
    const r = await recordSimulated({ engine: "quickjs", program: RUNAWAY, cpuBudgetMs: 200 });
    expect(r.result.exitCode).toBe(4);
    expect(r.log.calls.map((c) => c.kind)).toEqual(["now", "now", "select"]);
    expect(r.log.stop).toEqual({ call: 3, line: 5, reason: "cpu-budget", message: "guest exceeded its CPU budget of 200 ms" });
    expect(r.log.header.cpu_budget_ms).toBe(200);
    // The record sent after the last call never went out.
    expect(r.text).not.toContain("lost");
  });

  it.each([
    ["a runaway loop", RUNAWAY, "cpu-budget", "guest exceeded its CPU budget of 200 ms"],
    ["a stack overflow", DEEP, "stack-overflow", "guest overflowed its stack"],
  ])("%s replays up to the stop on every engine, with the recorded decisions", async (_case, program, reason, message) => {
    const recording = await recordSimulated({ engine: "quickjs", program, cpuBudgetMs: 200 });
    expect(recording.log.stop).toMatchObject({ reason, message });
    for (const engine of ENGINES) {
      const r = await replayKept(recording.log, program, engine);
      expect(r.end, engine).toEqual({ kind: "stopped", stop: recording.log.stop, error: { name: "GuestStopped", message } });
      expect(exitCode(r.end)).toBe(4);
      expect(r.trace, engine).toEqual(recording.trace);
      expect(r.answered).toBe(recording.log.calls.length);
    }
  });

  it("replays to the stop even when the replaying guest would go on (a guest past the log is stopped there)", async () => {
    const recording = await recordSimulated({ engine: "quickjs", program: RUNAWAY, cpuBudgetMs: 200 });
    // This program does not spin: it asks for a fourth call, which the recorded run never made.
    const tame = RUNAWAY.replace("for (;;) {}", "yield* Miou.sleep(1);");
    const r = await replayKept(recording.log, tame, "quickjs");
    expect(r.end.kind).toBe("stopped");
    expect(r.answered).toBe(3);
  });
});

describe.concurrent("miou replay of a stopped run", () => {
  it("says how the recorded run was stopped and exits with 4", async () => {
    const recording = await recordSimulated({ engine: "quickjs-ng", program: RUNAWAY, cpuBudgetMs: 200 });
    const { miou, file } = folder();
    const program = file("runaway.js", RUNAWAY);
    const log = file("stopped.jsonl", recording.text);
    const { code, stdout, stderr } = await miou("replay", program, log, "--engine", "quickjs");
    expect(stderr).toBe(
      "GuestStopped: guest exceeded its CPU budget of 200 ms\n" +
        "replayed to the stop (stopped.jsonl:5): the recorded run was stopped there after call 3 (cpu-budget)\n",
    );
    expect(stdout).toBe(`start\nreplayed 3 of 3 calls from stopped.jsonl (recorded on quickjs-ng, replayed on quickjs), ${recording.trace.length} decisions\n`);
    expect(code).toBe(4);
  });
});
