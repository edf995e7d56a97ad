// Event faults (sim/explore/faults.ts) and the --faults specification: decisions keyed by
// (seed, the event's original line), applied to the input trace, which stays sorted.
import { describe, expect, it } from "vitest";
import { FaultSpecError, formatFaultSpec, NO_FAULTS, parseDuration, parseFaultSpec } from "../../sim/explore/fault-spec.js";
import { applyFaults, type MutatedEvent } from "../../sim/explore/faults.js";
import type { InputEvent } from "../../sim/input-trace.js";

const MS = 1_000_000;
const events = (n: number, source = "net0", step_ns = MS): InputEvent[] =>
  Array.from({ length: n }, (_, i) => ({ at_ns: (i + 1) * step_ns, source, data: { n: i }, line: i + 2 }));
const byLine = (list: readonly MutatedEvent[]) => new Map(list.map((e) => [`${e.line}:${e.faults.join("+")}`, e]));
const sorted = (list: readonly MutatedEvent[]) => list.every((e, i) => i === 0 || list[i - 1]!.at_ns <= e.at_ns);

describe("the --faults specification", () => {
  it("reads every kind, with probabilities and durations in ns, us, ms or s", () => {
    const spec = parseFaultSpec("drop=0.05,duplicate=0.1,delay=0.1:5ms,reorder=0.05,clock-jump=0.01:1s,jitter=0.2:250us");
    expect(spec.drop.p).toBe(0.05);
    expect(spec.duplicate.p).toBe(0.1);
    expect(spec.delay).toEqual({ p: 0.1, ns: 5 * MS });
    expect(spec.reorder.p).toBe(0.05);
    expect(spec["clock-jump"]).toEqual({ p: 0.01, ns: 1_000_000_000 });
    expect(spec.jitter).toEqual({ p: 0.2, ns: 250_000 });
    expect(formatFaultSpec(spec)).toBe("drop=0.05,duplicate=0.1,delay=0.1:5ms,reorder=0.05,jitter=0.2:250us,clock-jump=0.01:1s");
  });

  it("asks for nothing by default, and gives the timed kinds documented default durations", () => {
    expect(parseFaultSpec("none")).toEqual(NO_FAULTS);
    expect(parseFaultSpec("")).toEqual(NO_FAULTS);
    expect(formatFaultSpec(NO_FAULTS)).toBe("none");
    const spec = parseFaultSpec("delay=0.5,jitter=1,clock-jump=0.1");
    expect([spec.delay.ns, spec.jitter.ns, spec["clock-jump"].ns]).toEqual([10 * MS, MS, 1000 * MS]);
  });

  it.each([
    ["lose=0.1", 'unknown fault "lose"'],
    ["drop", "fault drop needs a probability"],
    ["drop=1.5", "expected a probability in [0, 1]"],
    ["drop=0.1:5ms", "fault drop takes no duration"],
    ["delay=0.1:5", "a duration is a number with a unit"],
    ["delay=0.1:0.5ns", "whole, positive number of ns"],
    ["drop=0.1,drop=0.2", "fault drop is given twice"],
  ])("rejects %s", (text, message) => {
    expect(() => parseFaultSpec(text)).toThrow(FaultSpecError);
    expect(() => parseFaultSpec(text)).toThrow(message);
  });

  it("reads durations exactly", () => {
    expect(parseDuration("1.5ms", "x")).toBe(1_500_000);
    expect(parseDuration("2s", "x")).toBe(2_000_000_000);
    expect(parseDuration("7ns", "x")).toBe(7);
  });
});

describe("applyFaults", () => {
  it("changes nothing without faults", () => {
    const input = events(5);
    const m = applyFaults(input, NO_FAULTS, 3);
    expect(m.dropped).toEqual([]);
    expect(m.events.map((e) => [e.at_ns, e.line, e.faults])).toEqual(input.map((e) => [e.at_ns, e.line, []]));
  });

  it("is a function of the seed: the same seed gives the same input, another seed another", () => {
    const spec = parseFaultSpec("drop=0.3,duplicate=0.3,delay=0.3:5ms,jitter=0.3:1ms,reorder=0.3");
    const input = events(40);
    expect(applyFaults(input, spec, 7)).toEqual(applyFaults(input, spec, 7));
    expect(applyFaults(input, spec, 7)).not.toEqual(applyFaults(input, spec, 8));
  });

  it("keys every decision by the event's line: removing events does not change the faults of the others", () => {
    const spec = parseFaultSpec("drop=0.2,duplicate=0.2,delay=0.3:5ms,jitter=0.3:1ms");
    const input = events(40);
    const all = byLine(applyFaults(input, spec, 11).events);
    const fewer = input.filter((e) => e.line % 3 !== 0);
    const some = applyFaults(fewer, spec, 11);
    for (const e of some.events) expect(all.get(`${e.line}:${e.faults.join("+")}`), `line ${e.line}`).toEqual(e);
    expect(some.dropped).toEqual(applyFaults(input, spec, 11).dropped.filter((line) => line % 3 !== 0));
  });

  it("drop=1 removes every event and lists their lines", () => {
    const m = applyFaults(events(3), parseFaultSpec("drop=1"), 0);
    expect(m.events).toEqual([]);
    expect(m.dropped).toEqual([2, 3, 4]);
  });

  it("duplicate=1 puts a copy right after each event, at its time", () => {
    const m = applyFaults(events(2), parseFaultSpec("duplicate=1"), 0);
    expect(m.events.map((e) => [e.at_ns, e.line, e.faults])).toEqual([
      [MS, 2, []],
      [MS, 2, ["duplicate"]],
      [2 * MS, 3, []],
      [2 * MS, 3, ["duplicate"]],
    ]);
  });

  it("delay=1:D moves each event later by 1 ns to D and keeps the trace sorted", () => {
    const input = events(50, "net0", 100);
    const m = applyFaults(input, parseFaultSpec("delay=1:5ms"), 4);
    expect(sorted(m.events)).toBe(true);
    for (const e of m.events) {
      expect(e.faults).toEqual(["delay"]);
      expect(e.at_ns - e.original_ns).toBeGreaterThanOrEqual(1);
      expect(e.at_ns - e.original_ns).toBeLessThanOrEqual(5 * MS);
    }
    // Delays that large reorder events 100 ns apart.
    expect(m.events.map((e) => e.line)).not.toEqual(input.map((e) => e.line));
  });

  it("jitter=1:D moves each event by -D to D, never before 0", () => {
    const m = applyFaults(events(50, "net0", 10), parseFaultSpec("jitter=1:1ms"), 9);
    expect(sorted(m.events)).toBe(true);
    expect(m.events.some((e) => e.at_ns < e.original_ns)).toBe(true);
    expect(m.events.some((e) => e.at_ns > e.original_ns)).toBe(true);
    for (const e of m.events) {
      expect(e.at_ns).toBeGreaterThanOrEqual(0);
      expect(Math.abs(e.at_ns - e.original_ns)).toBeLessThanOrEqual(MS);
    }
  });

  it("reorder=1 delivers an event after the next one of its source, at that event's time", () => {
    const input: InputEvent[] = [
      { at_ns: 1, source: "a", data: "a1", line: 1 },
      { at_ns: 2, source: "b", data: "b1", line: 2 },
      { at_ns: 3, source: "a", data: "a2", line: 3 },
    ];
    const spec = { ...NO_FAULTS, reorder: { p: 1, ns: 0 } };
    const m = applyFaults(input, spec, 0);
    // a1 goes after a2 (taking its time 3); b1 has no next event on its source; a2 then is
    // followed by nothing of its source.
    expect(m.events.map((e) => [e.data, e.at_ns, e.faults])).toEqual([
      ["b1", 2, []],
      ["a2", 3, []],
      ["a1", 3, ["reorder"]],
    ]);
  });
});
