import { describe, expect, it } from "vitest";
import type { InputEvent } from "../../sim/input-trace.js";
import { VirtualHost, type Outgoing } from "../../sim/virtual-host.js";

const event = (at_ns: number, source: string, data: unknown = null): InputEvent => ({ at_ns, source, data, line: 0 });

describe("the virtual host", () => {
  it("starts at 0 and reading the clock never moves it", () => {
    const host = new VirtualHost({ events: [] });
    expect(host.now()).toBe(0);
    expect(host.now()).toBe(0);
  });

  it("jumps to the deadline when no event comes first", () => {
    const host = new VirtualHost({ events: [] });
    expect(host.select(2_000_000_000, [])).toEqual({ now: 2_000_000_000, events: [] });
    expect(host.now()).toBe(2_000_000_000);
  });

  it("jumps to the next input event when it comes before the deadline, and delivers it", () => {
    const host = new VirtualHost({ events: [event(1_500, "net0", "ping"), event(9_000, "net0", "late")] });
    expect(host.select(5_000, [])).toEqual({ now: 1_500, events: [{ source: "net0", data: "ping" }] });
    expect(host.select(5_000, [])).toEqual({ now: 5_000, events: [] });
    expect(host.delivered).toBe(1);
    expect(host.left).toBe(1);
  });

  it("delivers every event due by the new time in one answer, in trace order", () => {
    const host = new VirtualHost({ events: [event(10, "a", 1), event(10, "b", 2), event(10, "a", 3), event(11, "a", 4)] });
    expect(host.select(null, [])).toEqual({
      now: 10,
      events: [
        { source: "a", data: 1 },
        { source: "b", data: 2 },
        { source: "a", data: 3 },
      ],
    });
  });

  it("an event and a deadline at the same time come in the same answer", () => {
    const host = new VirtualHost({ events: [event(1_000, "net0")] });
    expect(host.select(1_000, [])).toEqual({ now: 1_000, events: [{ source: "net0", data: null }] });
  });

  it("waits for the next event when there is no deadline", () => {
    const host = new VirtualHost({ events: [event(7, "tick")] });
    expect(host.select(null, [])).toEqual({ now: 7, events: [{ source: "tick", data: null }] });
  });

  it("says idle when asked to wait forever with no input left, without moving time", () => {
    const host = new VirtualHost({ events: [] });
    host.select(100, []);
    expect(host.select(null, [])).toEqual({ now: 100, events: [], idle: true });
  });

  it("a poll does not move time and returns only what is due", () => {
    const host = new VirtualHost({ events: [event(0, "early"), event(50, "later")] });
    expect(host.select(0, [])).toEqual({ now: 0, events: [{ source: "early", data: null }] });
    expect(host.select(-5, [])).toEqual({ now: 0, events: [] });
    expect(host.now()).toBe(0);
  });

  it("a blocking select answers at once when an event is already due", () => {
    const host = new VirtualHost({ events: [event(0, "x")] });
    expect(host.select(1_000, [])).toEqual({ now: 0, events: [{ source: "x", data: null }] });
  });

  it("with a poll tick, each poll moves time by the tick and delivers what became due", () => {
    const host = new VirtualHost({ events: [event(25, "net0")], pollTick_ns: 10 });
    expect(host.select(0, [])).toEqual({ now: 10, events: [] });
    expect(host.select(10, [])).toEqual({ now: 20, events: [] });
    expect(host.select(0, [])).toEqual({ now: 30, events: [{ source: "net0", data: null }] });
    // A blocking select still jumps to its deadline, not by the tick.
    expect(host.select(1_000, [])).toEqual({ now: 1_000, events: [] });
  });

  it("hands every outgoing record on, in order, before waiting", () => {
    const seen: Outgoing[] = [];
    const host = new VirtualHost({ events: [], onOutgoing: (o) => seen.push(o) });
    host.select(0, [{ sink: "stdout", data: "hello" }, { sink: "net0", data: { base64: "AAE=" } }]);
    host.select(null, [{ sink: "stdout", data: "bye" }]);
    expect(seen).toEqual([
      { sink: "stdout", data: "hello" },
      { sink: "net0", data: { base64: "AAE=" } },
      { sink: "stdout", data: "bye" },
    ]);
    expect(host.outgoing).toBe(3);
    expect(host.selects).toBe(2);
  });

  it("refuses a deadline that is not an integer number of ns", () => {
    const host = new VirtualHost({ events: [] });
    expect(() => host.select(1.5, [])).toThrow(/integer number of ns or null, got 1.5/);
  });
});
