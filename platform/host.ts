/**
 * The host boundary (DESIGN §4): the only two functions a host gives the guest, and the
 * checks the glue makes on every answer. Nothing else crosses between guest and host;
 * everything the guest sends out travels on `select`, so a recorded log of these calls
 * holds the whole conversation.
 */

/**
 * What a host implements. Times are integer nanoseconds since the host was created
 * (safe integers: exact for 104 days); deadlines are absolute.
 *
 * @example
 * const host: Host = {
 *   now: () => clock_ns,
 *   select(deadline_ns, out) {
 *     for (const o of out) write(o.sink, o.data);
 *     waitUntil(deadline_ns); // null: until an event; <= now: do not wait at all
 *     return { now: clock_ns, events: takeReadyEvents() };
 *   },
 * };
 */
export interface Host {
  /** The monotonic clock, in integer ns since the host was created. */
  now(): number;
  /**
   * Delivers `out`, then waits until the absolute `deadline` (ns) or until external events
   * are ready, whichever comes first. `deadline <= now` is a poll (no wait); `null` waits
   * for an event with no deadline. May return early with no events.
   */
  select(deadline: number | null, out: Outgoing[]): HostWake;
}

/** What `select` returns: the time on return and what is ready. */
export interface HostWake {
  now: number;
  events: HostEvent[];
  /**
   * True when the host knows it will never have another event for this run (a simulator
   * at the end of its input, a closed device). Only meaningful with no events: when the
   * guest has nothing to run and no deadline, the run is then a deadlock.
   */
  idle?: boolean;
}

/**
 * An external event. `data` is a JSON value, or bytes: `{ base64: "..." }` (from a file or
 * a JSON-only boundary) or an ArrayBuffer / typed array (from a JavaScript host).
 */
export interface HostEvent {
  source: string;
  data?: unknown;
}

/** A record the guest sends out. Bytes travel as `{ base64: "..." }`, anything else as JSON. */
export interface Outgoing {
  sink: string;
  data: unknown;
}

/** Checks a time from the host: an integer number of ns, exact (a safe integer), >= 0. */
export function checkTime(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new TypeError(`${what} must be a non-negative safe integer (ns since the host was created), got ${show(value)}`);
  }
  return value;
}

/**
 * Checks what `select` returned and that the clock did not go backwards. Bad answers are
 * the host's bug: the run ends with a TypeError naming the field.
 */
export function checkWake(wake: unknown, last_ns: number): HostWake {
  if (wake === null || typeof wake !== "object") throw new TypeError(`host.select must return { now, events }, got ${show(wake)}`);
  const { now, events, idle } = wake as Record<string, unknown>;
  checkTime(now, "host.select(...).now");
  checkMonotonic(now as number, last_ns, "host.select(...).now");
  if (!Array.isArray(events)) throw new TypeError(`host.select(...).events must be an array, got ${show(events)}`);
  for (let i = 0; i < events.length; i++) {
    const e: unknown = events[i];
    if (e === null || typeof e !== "object" || typeof (e as HostEvent).source !== "string") {
      throw new TypeError(`host.select(...).events[${i}] must be { source: string, data }, got ${show(e)}`);
    }
  }
  if (idle !== undefined && typeof idle !== "boolean") throw new TypeError(`host.select(...).idle must be a boolean, got ${show(idle)}`);
  return wake as HostWake;
}

/** The host clock is monotonic: a time before one it already gave is a host bug. */
export function checkMonotonic(now_ns: number, last_ns: number, what: string): void {
  if (now_ns < last_ns) throw new TypeError(`${what} went backwards: ${now_ns} ns after ${last_ns} ns (the clock must be monotonic)`);
}

/** Checks an object claims to be a Host; the error says what is missing. */
export function checkHost(host: unknown, where: string): Host {
  if (host === null || typeof host !== "object") throw new TypeError(`${where}: the host must be an object { now, select }, got ${show(host)}`);
  const { now, select } = host as Record<string, unknown>;
  if (typeof now !== "function" || typeof select !== "function") {
    throw new TypeError(`${where}: the host must have the functions now() and select(deadline, out)`);
  }
  return host as Host;
}

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null || typeof value !== "object") return String(value);
  return Array.isArray(value) ? "an array" : "an object";
}
