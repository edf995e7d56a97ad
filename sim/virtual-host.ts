/**
 * The simulator's host (DESIGN §6): the two host functions over a virtual clock and an
 * input trace. Time starts at 0 and stands still while the guest runs; `select` jumps it
 * to the earlier of its deadline and the next input event, and answers with every input
 * event due by then. A poll (`deadline <= now`) moves time by `pollTick_ns` (0 by
 * default), for programs that busy-wait on the clock.
 */
import type { Host, HostEvent, HostWake, Outgoing } from "../platform/host.js";
import type { InputEvent } from "./input-trace.js";

export type { HostEvent, HostWake, Outgoing };

/** Options of {@link VirtualHost}. */
export interface VirtualHostOptions {
  /** The input trace, in non-decreasing time (as `parseInputTrace` returns it). */
  readonly events: readonly InputEvent[];
  /** How far each poll moves virtual time; default 0 (time stands still while tasks run). */
  readonly pollTick_ns?: number;
  /** Receives every outgoing record, in order, as `select` delivers them. */
  readonly onOutgoing?: (record: Outgoing) => void;
}

/**
 * A host over virtual time. Its `now` and `select` are what the simulator hands the
 * guest as `__miou_now` and `__miou_select`.
 *
 * @example
 * const host = new VirtualHost({ events: [{ at_ns: 5, source: "net0", data: "hi", line: 1 }] });
 * host.select(1_000, []); // { now: 5, events: [{ source: "net0", data: "hi" }] }
 * host.select(1_000, []); // { now: 1000, events: [] }
 * host.select(null, []);  // { now: 1000, events: [], idle: true }
 */
export class VirtualHost implements Host {
  readonly #events: readonly InputEvent[];
  readonly #pollTick_ns: number;
  readonly #onOutgoing: (record: Outgoing) => void;
  #now_ns = 0;
  /** Index of the first input event not yet delivered. */
  #next = 0;
  #selects = 0;
  #outgoing = 0;

  constructor(options: VirtualHostOptions) {
    const pollTick_ns = options.pollTick_ns ?? 0;
    if (!Number.isSafeInteger(pollTick_ns) || pollTick_ns < 0) {
      throw new RangeError(`pollTick_ns must be a non-negative integer, got ${pollTick_ns}`);
    }
    for (let i = 1; i < options.events.length; i++) {
      if (options.events[i]!.at_ns < options.events[i - 1]!.at_ns) throw new RangeError("input events must be in non-decreasing time");
    }
    this.#events = options.events;
    this.#pollTick_ns = pollTick_ns;
    this.#onOutgoing = options.onOutgoing ?? (() => {});
  }

  /** The virtual time in ns. Reading it never moves it. */
  now(): number {
    return this.#now_ns;
  }

  /**
   * Delivers `out`, then moves virtual time as the guest's wait would have taken: not at
   * all when events are already due, by the poll tick on a poll, else to the earlier of
   * `deadline_ns` and the next input event. Returns every event due by the new time.
   */
  select(deadline_ns: number | null, out: Outgoing[]): HostWake {
    if (deadline_ns !== null && !Number.isSafeInteger(deadline_ns)) {
      throw new TypeError(`select: the deadline must be an integer number of ns or null, got ${String(deadline_ns)}`);
    }
    this.#selects++;
    for (const record of out) {
      this.#outgoing++;
      this.#onOutgoing(record);
    }
    const next = this.#events[this.#next];
    if (deadline_ns !== null && deadline_ns <= this.#now_ns) {
      this.#now_ns += this.#pollTick_ns;
    } else if (next === undefined || next.at_ns > this.#now_ns) {
      // The guest would block: jump to whatever comes first. Nothing will ever come when
      // there is no deadline and no input left: the glue reports the deadlock.
      if (deadline_ns === null && next === undefined) return { now: this.#now_ns, events: [], idle: true };
      const wake_ns = next === undefined ? deadline_ns! : deadline_ns === null ? next.at_ns : Math.min(deadline_ns, next.at_ns);
      this.#now_ns = Math.max(this.#now_ns, wake_ns);
    }
    return { now: this.#now_ns, events: this.#takeDue() };
  }

  /**
   * Moves the clock `delta_ns` ahead at once, as a stalled real host would: the next
   * answers carry the new time and every event due by it (exploration's clock jumps).
   */
  jump(delta_ns: number): void {
    if (!Number.isSafeInteger(delta_ns) || delta_ns < 0 || !Number.isSafeInteger(this.#now_ns + delta_ns)) {
      throw new RangeError(`a clock jump must be a non-negative integer of ns keeping time exact, got ${delta_ns}`);
    }
    this.#now_ns += delta_ns;
  }

  /** Input events handed to the guest so far. */
  get delivered(): number {
    return this.#next;
  }

  /** Input events never handed to the guest (their time never came). */
  get left(): number {
    return this.#events.length - this.#next;
  }

  /** How many times `select` was called. */
  get selects(): number {
    return this.#selects;
  }

  /** Outgoing records received so far. */
  get outgoing(): number {
    return this.#outgoing;
  }

  #takeDue(): HostEvent[] {
    const due: HostEvent[] = [];
    while (this.#next < this.#events.length && this.#events[this.#next]!.at_ns <= this.#now_ns) {
      const { source, data } = this.#events[this.#next++]!;
      due.push({ source, data });
    }
    return due;
  }
}
