// A small virtual host for the glue suites: virtual time in ns that jumps, never real
// sleeps. It follows DESIGN §6: select jumps time to the earlier of the deadline and the
// next input event, answers with every event due by then, and says `idle` once it has no
// input left and was asked to wait with no deadline.
import type { Host, HostEvent, Outgoing } from "../../platform/miou.js";

export interface TimedEvent extends HostEvent {
  t: number;
}

export interface SelectCall {
  deadline: number | null;
  out: Outgoing[];
  /** The time when select was called. */
  at: number;
  /** The time when select returned, and how many events it returned. */
  now: number;
  events: number;
}

export interface VirtualHost extends Host {
  /** Every host call in order: "now" or "select". */
  readonly calls: Array<"now" | "select">;
  readonly selects: SelectCall[];
  /** Every outgoing record the guest flushed, in order. */
  readonly sent: Outgoing[];
  /** The virtual time, in ns. */
  time(): number;
  /** Queue an event at virtual time `t` (kept sorted by time, stable). */
  push(event: TimedEvent): void;
}

export function virtualHost(input: TimedEvent[] = []): VirtualHost {
  let now_ns = 0;
  const pending = [...input];
  const calls: Array<"now" | "select"> = [];
  const selects: SelectCall[] = [];
  const sent: Outgoing[] = [];
  return {
    calls,
    selects,
    sent,
    time: () => now_ns,
    push(event) {
      let i = pending.length;
      while (i > 0 && pending[i - 1]!.t > event.t) i--;
      pending.splice(i, 0, event);
    },
    now() {
      calls.push("now");
      return now_ns;
    },
    select(deadline, out) {
      calls.push("select");
      sent.push(...out);
      const at = now_ns;
      const next = pending[0]?.t;
      let target = deadline;
      if (next !== undefined && (target === null || next < target)) target = next;
      if (target !== null && target > now_ns) now_ns = target;
      const events: HostEvent[] = [];
      while (pending.length > 0 && pending[0]!.t <= now_ns) {
        const { source, data } = pending.shift()!;
        events.push(data === undefined ? { source } : { source, data });
      }
      selects.push({ deadline, out, at, now: now_ns, events: events.length });
      return { now: now_ns, events, idle: pending.length === 0 && events.length === 0 };
    },
  };
}

/** Collects decision trace lines, parsed. */
export function traceLines() {
  const lines: string[] = [];
  const records = () => lines.map((l) => JSON.parse(l) as { seq: number; t: number; kind: string; [k: string]: unknown });
  return { lines, records, trace: (line: string) => void lines.push(line) };
}
