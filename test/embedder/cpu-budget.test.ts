// The CPU budget (issue 5 §1): the longest a guest may run between two host calls. A
// runaway guest is stopped with exit 4 and the process goes on; a cooperative one, or one
// blocked in select, is never stopped.
import { describe, expect, test } from "vitest";
import { createVmGuest } from "../../platform/node/vm-guest.js";
import { GuestStopped } from "../../platform/quickjs/embedder.js";
import { runInGuest } from "../../platform/quickjs/guest-run.js";
import { readBundle } from "../../platform/quickjs/loader.js";
import { EMBEDDER_ENGINES, keptHost, runKept } from "./helpers.js";

const RUNAWAY = `function* main() { console.log("before"); yield* Miou.yield(); while (true) {} }`;

describe.each(EMBEDDER_ENGINES)("the CPU budget on %s", (engine) => {
  test("stops a while(true) guest with exit 4 and the message; a later guest runs", async () => {
    const { host } = keptHost();
    const stopped = await runKept({ engine, host, program: RUNAWAY, cpuBudgetMs: 200 });
    expect(stopped.exitCode).toBe(4);
    expect(stopped.end.kind).toBe("stopped");
    const error = stopped.end.kind === "stopped" ? stopped.end.error : null;
    expect(error).toBeInstanceOf(GuestStopped);
    expect(error?.message).toBe("guest exceeded its CPU budget of 200 ms");
    expect(error?.reason).toBe("cpu-budget");
    expect(error?.exitCode).toBe(4);
    expect(stopped.disposeError).toBeUndefined();

    const later = await runKept({ engine, host, program: `function* main() { yield* Miou.yield(); return 6 * 7; }` });
    expect(later.end).toEqual({ kind: "ok", valueJSON: "42" });
    expect(later.exitCode).toBe(0);
  });

  test("stops a guest that loops at the program's top level", async () => {
    const { host } = keptHost();
    const r = await runKept({ engine, host, program: `for (;;) {}`, cpuBudgetMs: 200 });
    expect(r.exitCode).toBe(4);
    expect(r.end.kind === "stopped" && r.end.error.message).toBe("guest exceeded its CPU budget of 200 ms");
  });

  test("never counts time blocked in select: a 600 ms sleep under a 250 ms budget", async () => {
    const { host } = keptHost();
    const r = await runKept({ engine, host, program: `function* main() { yield* Miou.sleep(600); return "slept"; }`, cpuBudgetMs: 250 });
    expect(r.end).toEqual({ kind: "ok", valueJSON: '"slept"' });
  });
});

// Cooperative programs: the glue calls the host at least every 4,096 turns (its heartbeat),
// so a long run of short turns that makes no other host call is never taken for a runaway.
describe.each(["quickjs", "quickjs-ng"] as const)("a cooperative guest on %s", (engine) => {
  // The budget is generous: a cold wasm module on a loaded machine has taken 600 ms for
  // 4,096 turns. The whole run takes longer than the budget on such a machine.
  test("yields 50,000 times with no sleep or recv under a 2 s budget", async () => {
    const { host } = keptHost();
    const program = `function* main() { for (let i = 0; i < 50000; i++) yield* Miou.yield(); return "done"; }`;
    const r = await runKept({ engine, host, program, cpuBudgetMs: 2000 });
    expect(r.end).toEqual({ kind: "ok", valueJSON: '"done"' });
    // The heartbeat's now() calls, one every 4,096 turns, are what re-armed the budget.
    expect(r.hostCalls).toBeGreaterThanOrEqual(12);
  });
});

// On Node's main thread (where the simulator and explore run guests on V8) there is no
// worker to terminate: a watchdog thread interrupts the script (platform/node/vm-watchdog.ts).
describe("the CPU budget of a V8 guest on the main thread", () => {
  const run = (program: string, cpuBudgetMs: number, host = keptHost().host) =>
    runInGuest(
      { engine: "node", program, programFile: "p.js", bundle: readBundle(), seed: 0, domains: 0, pollEvery: null, maxDecisions: -1, lines: false, cpuBudgetMs },
      host,
      () => {},
    );

  test("stops a while(true) guest as QuickJS does, and leaves the process's SIGINT listeners as they were", async () => {
    const listeners = process.listenerCount("SIGINT");
    const stopped = await run(RUNAWAY, 200);
    expect(stopped.end).toEqual({ kind: "stopped", reason: "cpu-budget" });
    expect(process.listenerCount("SIGINT")).toBe(listeners);
    const later = await run(`function* main() { yield* Miou.yield(); return 6 * 7; }`, 200);
    expect(later.end).toEqual({ kind: "ok", valueJSON: "42" });
  });

  test("a program that throws an InternalError: interrupted of its own is not taken for a stop", async () => {
    const r = await run(`function* main() { const e = new Error("interrupted"); e.name = "InternalError"; throw e; }`, 200);
    expect(r.end).toEqual({ kind: "failed", error: { name: "InternalError", message: "interrupted" } });
  });

  test("never counts the host's time: a 600 ms sleep under a 250 ms budget", async () => {
    const r = await run(`function* main() { yield* Miou.sleep(600); return "slept"; }`, 250);
    expect(r.end).toEqual({ kind: "ok", valueJSON: '"slept"' });
  });

  test("a guest made by hand ends the looping script with InternalError: interrupted, and goes on", () => {
    const guest = createVmGuest({ bundle: "", cpuBudgetMs: 100 });
    try {
      expect(() => guest.evalScript("for (;;) {}", "loop.js")).toThrow(expect.objectContaining({ name: "InternalError", message: "interrupted" }));
      expect(guest.evalJSON("1 + 1", "after.js")).toBe(2);
    } finally {
      guest.dispose();
    }
  });
});
