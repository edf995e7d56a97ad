/**
 * The guest's view of the host clock. Every guest→host call costs about 4.6 µs in QuickJS
 * (DESIGN §4), so the glue keeps the last time the host told it (`select` answers carry the
 * time) and reads the clock only when a task asks for it: `Miou.now()`, `Date.now()`,
 * registering a `sleep`, and the heartbeat.
 */
import { checkMonotonic, checkTime, type Host } from "./host.js";

export class Clock {
  /** The last time the host gave, in ns: timers are due by this time, never by a guess. */
  last_ns = 0;

  constructor(readonly host: Host) {}

  /** Calls `host.now()`, checks it, and remembers it. */
  read(): number {
    const now_ns = checkTime(this.host.now(), "host.now()");
    checkMonotonic(now_ns, this.last_ns, "host.now()");
    this.last_ns = now_ns;
    return now_ns;
  }

  /** Takes the time a `select` answer carried (already checked). */
  advance(now_ns: number): void {
    this.last_ns = now_ns;
  }
}
