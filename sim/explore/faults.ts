/**
 * Event faults, applied to the input trace itself (DESIGN §6): the mutated trace is
 * written out sorted by `t`, so a replay reads the faults as plain events and never
 * applies one twice. Each decision is keyed by (seed, the event's original line), so
 * removing an event changes no other event's faults. Clock jumps are not here: they are
 * entries of the schedule (exploring-host.ts).
 */
import type { InputEvent } from "../input-trace.js";
import type { FaultKind, FaultSpec } from "./fault-spec.js";
import { keyedChance, keyedUniform, Stream } from "./keyed-random.js";

/** The faults that change an event of the trace (clock jumps change the host instead). */
export type EventFault = Exclude<FaultKind, "clock-jump" | "drop">;

/** An event of a mutated trace, with where it came from. */
export interface MutatedEvent {
  readonly at_ns: number;
  readonly source: string;
  readonly data: unknown;
  /** The original event's line in the input file (its index + 1 for an inline input). */
  readonly line: number;
  /** Its original time. */
  readonly original_ns: number;
  /** The faults applied to it, in the order applied; a duplicate's copy has "duplicate". */
  readonly faults: readonly EventFault[];
}

/** A mutated input: the events in delivery order, and the original lines dropped. */
export interface MutatedInput {
  readonly events: readonly MutatedEvent[];
  readonly dropped: readonly number[];
}

/** The original input unchanged, as a MutatedInput. */
export function unmutated(events: readonly InputEvent[]): MutatedInput {
  return { events: events.map((e) => ({ at_ns: e.at_ns, source: e.source, data: e.data, line: e.line, original_ns: e.at_ns, faults: [] })), dropped: [] };
}

/**
 * Applies the event faults of `spec` for `seed`, event by event in file order:
 * - drop: the event is removed;
 * - jitter (p, D): it moves by a duration in [-D, D] (never before 0);
 * - delay (p, D): it comes later by a duration in [1 ns, D];
 * - duplicate: a copy is delivered right after it;
 * - reorder: it is delivered just after the next event of its source (taking that
 *   event's time), so the two arrive in the other order.
 * The result is sorted by time; events with equal times keep their original order.
 * @example applyFaults(events, parseFaultSpec("drop=0.5"), 7).dropped // e.g. [2, 5]
 */
export function applyFaults(events: readonly InputEvent[], spec: FaultSpec, seed: number): MutatedInput {
  const dropped: number[] = [];
  const placed: Array<MutatedEvent & { rank: number }> = [];
  for (const e of events) {
    const line = e.line;
    if (keyedChance(seed, Stream.Drop, line, spec.drop.p)) {
      dropped.push(line);
      continue;
    }
    const faults: EventFault[] = [];
    let at_ns = e.at_ns;
    if (keyedChance(seed, Stream.Jitter, line, spec.jitter.p)) {
      const max = spec.jitter.ns;
      const shift = Math.floor(keyedUniform(seed, Stream.JitterAmount, line) * (2 * max + 1)) - max;
      at_ns = Math.max(0, at_ns + shift);
      faults.push("jitter");
    }
    if (keyedChance(seed, Stream.Delay, line, spec.delay.p)) {
      at_ns += 1 + Math.floor(keyedUniform(seed, Stream.DelayAmount, line) * spec.delay.ns);
      faults.push("delay");
    }
    const base = { source: e.source, data: e.data, line, original_ns: e.at_ns };
    placed.push({ ...base, at_ns, faults, rank: 2 * line });
    if (keyedChance(seed, Stream.Duplicate, line, spec.duplicate.p)) placed.push({ ...base, at_ns, faults: ["duplicate"], rank: 2 * line + 1 });
  }
  const sorted = placed.sort((a, b) => a.at_ns - b.at_ns || a.rank - b.rank);
  if (spec.reorder.p > 0) reorder(sorted, spec, seed);
  return { events: sorted.map(({ rank: _rank, ...event }) => event), dropped };
}

/**
 * Moves each event chosen for reordering (originals only, in file order) after the next
 * event of its source. An event already in a swapped pair stays put, so that two chosen
 * neighbours do not swap back.
 */
function reorder(list: Array<MutatedEvent & { rank: number }>, spec: FaultSpec, seed: number): void {
  const chosen = list.filter((e) => !e.faults.includes("duplicate") && keyedChance(seed, Stream.Reorder, e.line, spec.reorder.p)).sort((a, b) => a.line - b.line);
  const swapped = new Set<MutatedEvent>();
  for (const e of chosen) {
    if (swapped.has(e)) continue;
    const i = list.indexOf(e);
    let j = i + 1;
    while (j < list.length && list[j]!.source !== e.source) j++;
    if (j === list.length) continue;
    const next = list[j]!;
    list.splice(i, 1);
    // After the removal, `next` sits at j - 1: e goes right after it, at its time.
    list.splice(j, 0, { ...e, at_ns: next.at_ns, faults: [...e.faults, "reorder"] });
    swapped.add(next);
  }
}

/** How many faults a mutated input carries (a dropped event counts as one). */
export function faultCount(input: MutatedInput): number {
  let n = input.dropped.length;
  for (const e of input.events) n += e.faults.length;
  return n;
}
