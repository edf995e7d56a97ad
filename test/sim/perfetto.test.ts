import { describe, expect, it } from "vitest";
import { contentHash } from "../../sim/decision-header.js";
import type { DecisionRecord } from "../../sim/decision-records.js";
import { SCHEDULER_TID, toPerfetto, type ChromeTrace, type TraceEvent } from "../../sim/perfetto.js";
import { perfettoProblems } from "./perfetto-structure.js";

const header = { seed: 0, domains: 1, poll_tick_ns: 0, max_decisions: 100, program: contentHash(""), input: null };

/** Records written the way the glue writes them, numbered from 1. */
function records(...list: Array<[t: number, kind: string, fields: Record<string, unknown>]>): DecisionRecord[] {
  return list.map(([t, kind, fields], i) => ({ seq: i + 1, t, kind, ...fields }));
}

// main spawns a sleeper on domain 1; the sleeper sleeps until 2 s and is signalled.
const SLEEPER = records(
  [0, "spawn", { task: 1, parent: 0, domain: 0, name: "main" }],
  [0, "run", { task: 1, domain: 0 }],
  [0, "spawn", { task: 2, parent: 1, domain: 1, name: "sleeper" }],
  [0, "ran", { task: 1, then: "parked" }],
  [0, "run", { task: 2, domain: 1 }],
  [0, "suspend", { task: 2, syscall: 1, name: "sleep until 2000000000" }],
  [0, "ran", { task: 2, then: "parked" }],
  [2_000_000_000, "poll", { deadline: 2_000_000_000, out: 0, events: 0, idle: false }],
  [2_000_000_000, "select", { domain: 1, block: true, cancelled: [], signals: [1] }],
  [2_000_000_000, "wake", { task: 2 }],
  [2_000_000_000, "signal", { domain: 1, syscall: 1 }],
  [2_000_000_000, "run", { task: 2, domain: 1 }],
  [2_000_000_000, "finish", { task: 2, ok: true }],
  [2_000_000_000, "ran", { task: 2, then: "done" }],
  [2_000_000_000, "cancel", { task: 2, by: 1 }],
);

const find = (trace: ChromeTrace, test: (e: TraceEvent) => boolean) => trace.traceEvents.filter(test);

describe("the Perfetto export", () => {
  const trace = toPerfetto({ header, records: SLEEPER });

  it("is well formed: slices nest, async slices and flows pair up, ts in µs", () => {
    expect(perfettoProblems(trace)).toEqual([]);
    expect(trace.displayTimeUnit).toBe("ns");
  });

  it("gives each domain a process and each task a named track", () => {
    const names = find(trace, (e) => e.ph === "M" && (e.name === "process_name" || e.name === "thread_name")).map((e) => `${e.pid}/${e.tid} ${String(e.args?.name)}`);
    expect(names).toEqual(
      expect.arrayContaining(["1/0 domain 0", "2/0 domain 1", "1/1 task 1 (main)", "2/2 task 2 (sleeper)", `2/${SCHEDULER_TID + 1} domain 1 scheduler`]),
    );
  });

  it("places records at their virtual time in µs, one ns apart within an instant", () => {
    const runs = find(trace, (e) => e.ph === "X" && e.cat === "run").map((e) => [e.tid, e.ts, e.dur]);
    // main runs from display 1 ns to 3 ns; the sleeper from 4 to 6 ns, then (after the poll at
    // 2 s, the select, the wake and the signal) from 2 s + 4 ns to 2 s + 6 ns.
    expect(runs).toEqual([
      [1, 0.001, 0.002],
      [2, 0.004, 0.002],
      [2, 2_000_000.004, 0.002],
    ]);
  });

  it("shows the sleep as an async slice named after its syscall, from parking to resuming", () => {
    const sleep = find(trace, (e) => e.cat === "suspension" && e.tid === 2);
    expect(sleep.map((e) => [e.ph, e.name, e.ts])).toEqual([
      ["b", "sleep until 2000000000", 0.006],
      ["e", "sleep until 2000000000", 2_000_000.004],
    ]);
  });

  it("draws a flow from the spawn to the child's first slice, and from the signal to the resumed slice", () => {
    const flows = find(trace, (e) => e.ph === "s" || e.ph === "f").map((e) => [e.ph, e.cat, e.pid, e.tid, e.ts]);
    expect(flows).toEqual([
      ["s", "spawn", 1, 1, 0.002],
      ["f", "spawn", 2, 2, 0.004],
      ["s", "signal", 2, SCHEDULER_TID + 1, 2_000_000.003],
      ["f", "signal", 2, 2, 2_000_000.004],
    ]);
  });

  it("marks signals, cancels and host records as instants with the record's fields", () => {
    const instants = find(trace, (e) => e.ph === "i").map((e) => e.name);
    expect(instants).toEqual(expect.arrayContaining(["signal syscall 1", "cancel (by task 1)", "poll", "finish ok"]));
    const poll = find(trace, (e) => e.name === "poll")[0]!;
    expect(poll.args).toEqual({ seq: 8, t_ns: 2_000_000_000, deadline: 2_000_000_000, out: 0, events: 0, idle: false });
  });

  it("closes slices still open when the trace stops (a livelock cut it short)", () => {
    const cut = toPerfetto({ header, records: SLEEPER.slice(0, 5) });
    expect(perfettoProblems(cut)).toEqual([]);
    expect(find(cut, (e) => e.ph === "X" && e.tid === 2)).toHaveLength(1);
  });

  it("the structure check finds overlapping slices and unpaired ids", () => {
    const bad: ChromeTrace = {
      displayTimeUnit: "ns",
      otherData: {},
      traceEvents: [
        { name: "process_name", ph: "M", pid: 1, tid: 0, args: { name: "p" } },
        { name: "thread_name", ph: "M", pid: 1, tid: 1, args: { name: "t" } },
        { name: "a", ph: "X", pid: 1, tid: 1, ts: 1, dur: 2 },
        { name: "b", ph: "X", pid: 1, tid: 1, ts: 2, dur: 2 },
        { name: "s", cat: "c", ph: "b", id: 9, pid: 1, tid: 1, ts: 1 },
      ],
    };
    expect(perfettoProblems(bad)).toEqual(["1/1: b [2000, 4000) overlaps a ending at 3000", 'async slice id 9: 1 "b" and 0 "e" events']);
  });
});
