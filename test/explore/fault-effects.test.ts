// Each fault kind, seen in the decision trace of a run (DESIGN §6): the `event` records
// show the mutated input (dropped, duplicated, delayed, jittered, reordered events) and the
// `poll` records show the clock jumps.
import { describe, expect, it } from "vitest";
import * as Miou from "../../platform/miou.js";
import { parseFaultSpec } from "../../sim/explore/fault-spec.js";
import { parsePolicy } from "../../sim/explore/policies.js";
import { runSeed, type ExploreSetup } from "../../sim/explore/trial.js";
import type { InputEvent } from "../../sim/input-trace.js";

const MS = 1_000_000;
const INPUT: InputEvent[] = Array.from({ length: 8 }, (_, i) => ({ at_ns: (i + 1) * 10 * MS, source: "net0", data: i, line: i + 1 }));

/** Receives from net0 until nothing comes for 100 ms; returns what came. */
function* receiver(): Generator<unknown, unknown[], unknown> {
  const got: unknown[] = [];
  for (;;) {
    const packet = yield* Miou.async(function* () { return yield* Miou.recv("net0"); });
    const quiet = yield* Miou.async(function* () { yield* Miou.sleep(100); throw new Error("quiet"); });
    const r = yield* Miou.awaitFirst([packet, quiet]);
    if (!r.ok) return got;
    got.push(r.value);
  }
}

async function run(faults: string, seed = 1) {
  const setup: ExploreSetup = {
    program: { kind: "function", main: receiver, name: "receiver" },
    events: INPUT,
    domains: 0,
    policy: parsePolicy("random"),
    faults: parseFaultSpec(faults),
    maxDecisions: 100_000,
    pollTick_ns: 0,
    horizon: 1,
  };
  const { input, run: record } = await runSeed(setup, seed, true);
  const records = record.lines!.map((line) => JSON.parse(line) as Record<string, unknown>);
  const events = records.filter((r) => r.kind === "event").map((r) => ({ t: r.t, data: r.data }));
  return { input, record, records, events };
}

describe("each fault shows in the decision trace", () => {
  it("without faults, the events arrive as written", async () => {
    const { events, record } = await run("none");
    expect(record.failure).toBeNull();
    expect(events).toEqual(INPUT.map((e) => ({ t: e.at_ns, data: e.data })));
  });

  it("drop: a dropped event never reaches the guest", async () => {
    const { events, input } = await run("drop=0.4");
    expect(input.dropped.length).toBeGreaterThan(0);
    const dropped = input.dropped.map((line) => INPUT.find((e) => e.line === line)!.data);
    expect(events.map((e) => e.data)).toEqual(INPUT.map((e) => e.data).filter((d) => !dropped.includes(d)));
  });

  it("duplicate: a duplicated event arrives twice, at its time", async () => {
    const { events } = await run("duplicate=1");
    expect(events).toEqual(INPUT.flatMap((e) => [{ t: e.at_ns, data: e.data }, { t: e.at_ns, data: e.data }]));
  });

  it("delay: a delayed event arrives later, by at most the delay", async () => {
    const { events, input } = await run("delay=1:5ms");
    for (const e of input.events) expect(events).toContainEqual({ t: e.at_ns, data: e.data });
    for (const e of events) {
      const original = INPUT.find((o) => o.data === e.data)!;
      expect(e.t as number).toBeGreaterThan(original.at_ns);
      expect((e.t as number) - original.at_ns).toBeLessThanOrEqual(5 * MS);
    }
  });

  it("jitter: an event arrives a little earlier or later", async () => {
    const { events } = await run("jitter=1:2ms", 3);
    const shifts = events.map((e) => (e.t as number) - INPUT.find((o) => o.data === e.data)!.at_ns);
    expect(shifts.some((s) => s < 0) && shifts.some((s) => s > 0)).toBe(true);
    for (const s of shifts) expect(Math.abs(s)).toBeLessThanOrEqual(2 * MS);
  });

  it("reorder: an event arrives after the next one of its source", async () => {
    const { events, input } = await run("reorder=0.5", 2);
    const moved = input.events.filter((e) => e.faults.includes("reorder"));
    expect(moved.length).toBeGreaterThan(0);
    const order = events.map((e) => e.data as number);
    for (const e of moved) expect(order.indexOf(e.data as number)).toBe(order.indexOf((e.data as number) + 1) + 1);
  });

  it("clock-jump: the host's clock leaps ahead, and polls return past their deadline", async () => {
    const { records, record } = await run("clock-jump=0.3:1s", 1);
    expect(record.schedule.jumps.length).toBeGreaterThan(0);
    for (const j of record.schedule.jumps) expect(j.ns).toBe(1000 * MS);
    // A wait that asked for a deadline (the 100 ms quiet timer, an event) returned a jump later.
    const late = records.filter((r) => r.kind === "poll" && typeof r.deadline === "number" && (r.t as number) >= (r.deadline as number) + 1000 * MS);
    expect(late.length).toBeGreaterThan(0);
    // The input itself is untouched: jumps are schedule entries, not events.
    expect(record.final_ns).toBeGreaterThanOrEqual(1000 * MS);
  });
});
