/**
 * The glue of one run on one host: the state every domain shares (the clock, the event
 * sources, the poll rhythm, the trace) and the conversation with the host. Each domain's
 * `events` (domain-events.ts) answers the scheduler from this state and calls the host
 * only where DESIGN §4 says: a poll every `pollEvery` selects, a wait when no domain can
 * run, and `now()` when a task asks for the time or the heartbeat is due.
 */
import { Deadlock, type Events, type SuspendedTask, type TraceRecord } from "../runtime/index.js";
import { toGuestData, type GuestData } from "./bytes.js";
import { Clock } from "./clock.js";
import { DomainEvents } from "./domain-events.js";
import { checkWake, type Host, type HostWake } from "./host.js";
import { takeOutgoing } from "./output.js";
import { Sources } from "./sources.js";
import { TraceLines, type TraceLineSink } from "./trace-lines.js";

export interface GlueOptions {
  /** Poll the host at least once every this many `select` calls that did not call it. */
  readonly pollEvery: number;
  readonly trace: TraceLineSink | null;
}

export class Glue {
  readonly clock: Clock;
  readonly sources = new Sources();
  readonly trace: TraceLines | null;
  readonly domains: DomainEvents[] = [];
  /** The tasks waiting right now, for deadlock reports (set once the run exists). */
  snapshot: () => SuspendedTask[] = () => [];
  private readonly pollEvery: number;
  /** `select` calls since the last host `select`. */
  private sincePoll = 0;
  /** Registration order of timers, across every domain (ties between equal deadlines). */
  private timerOrder = 0;
  /** Set once a host call threw: the host is not called again, not even to flush. */
  private hostBroken = false;
  /** An error for the next `select` to throw, so that the run ends through the scheduler. */
  private failure: { error: unknown } | null = null;

  constructor(
    readonly host: Host,
    options: GlueOptions,
  ) {
    this.clock = new Clock(host);
    this.pollEvery = options.pollEvery;
    this.trace = options.trace === null ? null : new TraceLines(options.trace, this.clock);
  }

  /** The `events` option of the run: one DomainEvents per domain. */
  readonly events = (domain: number): Events => {
    const d = new DomainEvents(this, domain);
    this.domains[domain] = d;
    return d;
  };

  nextTimerOrder(): number {
    return ++this.timerOrder;
  }

  /** Reads the host clock (a task asked for the time, or a sleep is being registered). */
  now(): number {
    return this.call(this.readClock);
  }

  // Made once: sleeps read the clock often, and a closure per read shows inside QuickJS.
  private readonly readClock = (): number => this.clock.read();

  /** The scheduler's heartbeat: a host call at least every 4,096 turns (DESIGN §4). */
  readonly heartbeat = (): void => {
    this.now();
  };

  /** The earliest timer of any domain, or null. */
  earliestDeadline(): number | null {
    let earliest: number | null = null;
    for (const d of this.domains) {
      const deadline = d.deadline();
      if (deadline !== null && (earliest === null || deadline < earliest)) earliest = deadline;
    }
    return earliest;
  }

  /** Whether some domain has a signal to return now, by the last known time. */
  anyReady(): boolean {
    if (this.sources.anyReady) return true;
    const earliest = this.earliestDeadline();
    return earliest !== null && earliest <= this.clock.last_ns;
  }

  /** Whether any task waits on a timer or a source of this glue. */
  anyWaiter(): boolean {
    if (this.sources.anyWaiter) return true;
    for (const d of this.domains) if (d.deadline() !== null) return true;
    return false;
  }

  /** A `select` that will not wait: polls the host on the `pollEvery` rhythm. */
  tick(): void {
    if (++this.sincePoll >= this.pollEvery) this.select(this.clock.last_ns);
  }

  /**
   * Nothing can run: waits on the host until the earliest deadline of any domain or an
   * event. Throws Deadlock when no timer is set and the host says it is idle.
   */
  wait(): void {
    if (!this.anyWaiter()) throw this.deadlock("no task waits on a timer or an event source");
    const deadline = this.earliestDeadline();
    const wake = this.select(deadline);
    if (deadline === null && wake.idle === true && wake.events.length === 0 && !this.anyReady()) {
      throw this.deadlock("no timer is set and the host will send no more events");
    }
  }

  /** Makes the next `select` throw `error`, so that the run ends and its finalisers run. */
  fail(error: unknown): void {
    this.failure ??= { error };
  }

  /** Called first by every `select`: throws a failure set by `fail`. */
  throwFailure(): void {
    const failure = this.failure;
    if (failure === null) return;
    this.failure = null;
    throw failure.error;
  }

  /**
   * The run is over: flushes the outgoing records with a final poll (its events count as
   * left), unless the host already failed.
   */
  finalPoll(): void {
    if (!this.hostBroken) this.select(this.clock.last_ns);
  }

  /** One host `select`: flush, wait, take the time and the events. */
  private select(deadline: number | null): HostWake {
    const out = takeOutgoing();
    const wake = this.call(() => checkWake(this.host.select(deadline, out), this.clock.last_ns));
    this.sincePoll = 0;
    this.clock.advance(wake.now);
    // Every event is queued before any record is written: a trace hook that throws (the
    // simulator's decision budget) ends the run, but loses no event.
    const arrived: Array<readonly [string, GuestData]> = [];
    for (const e of wake.events) {
      const data = this.call(() => toGuestData(e.data));
      this.sources.arrive(e.source, data);
      arrived.push([e.source, data]);
    }
    const trace = this.trace;
    if (trace !== null) {
      trace.write({ kind: "poll", deadline, out: out.length, events: wake.events.length, idle: wake.idle === true });
      for (const [source, data] of arrived) trace.write(eventRecord(source, data));
    }
    return wake;
  }

  /** Runs a host call; once one throws, the host is considered broken. */
  private call<T>(body: () => T): T {
    try {
      return body();
    } catch (error) {
      this.hostBroken = true;
      throw error;
    }
  }

  private deadlock(why: string): Deadlock {
    return new Deadlock(this.snapshot(), why);
  }
}

function eventRecord(source: string, data: GuestData): TraceRecord {
  if ("bytes" in data) return { kind: "event", source, bytes: data.bytes.byteLength };
  return data.json === undefined ? { kind: "event", source } : { kind: "event", source, data: data.json };
}

/** The glue of the run whose loop is running (set by runOn around each step of its loop). */
let running: Glue | null = null;

export function runningGlue(): Glue | null {
  return running;
}

/** Runs `body` with `glue` as the running glue (null: none), restoring the previous one. */
export function withGlue<T>(glue: Glue | null, body: () => T): T {
  const previous = running;
  running = glue;
  try {
    return body();
  } finally {
    running = previous;
  }
}

/** The running glue, or a TypeError saying that `fn` needs `Miou.runOn`. */
export function currentGlue(fn: string): Glue {
  if (running === null) {
    throw new TypeError(`Miou.${fn} needs a host: use it in a task of Miou.runOn (Miou.run has no clock and no event sources)`);
  }
  return running;
}
