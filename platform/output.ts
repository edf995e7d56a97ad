/**
 * Output (DESIGN §4): everything the guest sends out waits in one buffer and travels on
 * the next host `select`, so the boundary stays two functions and a recorded log holds the
 * whole conversation. The buffer outlives runs: a line logged at a program's top level,
 * before any run, goes out on the next run's first `select`.
 */
import type { Outgoing } from "./host.js";

let pending: Outgoing[] = [];

/** Buffers one outgoing record (data already converted by `toOutgoingData`). */
export function pushOutgoing(sink: string, data: unknown): void {
  pending.push({ sink, data });
}

/** Takes every buffered record, oldest first; the host may keep the array. */
export function takeOutgoing(): Outgoing[] {
  const out = pending;
  pending = [];
  return out;
}
