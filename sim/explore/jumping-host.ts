/**
 * Clock jumps (`--faults clock-jump=P:D`): the virtual host's clock leaps ahead before a
 * host call, as a real host's does when its machine is suspended or its process stalls.
 * A jump is keyed by (seed, the call's number), and is an entry of the run's schedule
 * (`jump CALL NS`): a replay makes the same jump at the same call, and its input trace
 * holds no trace of it, so it is never applied twice.
 */
import type { Host, HostWake, Outgoing } from "../../platform/host.js";
import type { VirtualHost } from "../virtual-host.js";
import type { FaultRate } from "./fault-spec.js";
import { keyedChance, Stream } from "./keyed-random.js";
import type { ClockJump } from "./schedule.js";

/** How far the clock jumps before host call `call` (1-based), 0 for no jump. */
export type JumpSource = (call: number) => number;

export const NO_JUMPS: JumpSource = () => 0;

/** The jumps of `seed` at `rate`: each call jumps `rate.ns` with probability `rate.p`. */
export function keyedJumps(seed: number, rate: FaultRate): JumpSource {
  if (rate.p === 0) return NO_JUMPS;
  return (call) => (keyedChance(seed, Stream.ClockJump, call, rate.p) ? rate.ns : 0);
}

/** The jumps a schedule lists. */
export function scheduledJumps(jumps: readonly ClockJump[]): JumpSource {
  const byCall = new Map(jumps.map((j) => [j.call, j.ns]));
  return (call) => byCall.get(call) ?? 0;
}

/** A virtual host whose clock jumps before the calls `source` says; it keeps the jumps it made. */
export class JumpingHost implements Host {
  readonly jumps: ClockJump[] = [];
  #calls = 0;

  constructor(
    readonly inner: VirtualHost,
    readonly source: JumpSource,
  ) {}

  now(): number {
    this.#beforeCall();
    return this.inner.now();
  }

  select(deadline: number | null, out: Outgoing[]): HostWake {
    this.#beforeCall();
    return this.inner.select(deadline, out);
  }

  /** Host calls so far. */
  get calls(): number {
    return this.#calls;
  }

  #beforeCall(): void {
    const call = ++this.#calls;
    const ns = this.source(call);
    if (ns > 0) {
      this.inner.jump(ns);
      this.jumps.push({ call, ns });
    }
  }
}
