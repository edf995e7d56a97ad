/**
 * The replaying host (DESIGN §6): it answers each `now()` and `select()` call of a guest
 * from a boundary log, in order, and checks that the call is the recorded one: the same
 * function, the same deadline, the same outgoing records. The first call that differs
 * (or that the log does not hold) is the divergence: it is kept, and that call and every
 * later one throw, so the run ends there. Time does not pass: answers come at once.
 */
import type { Host, HostWake, Outgoing } from "../platform/host.js";
import type { BoundaryCall, BoundaryLog, BoundaryStop } from "./boundary-log.js";

/** The first call of a replay that the log does not answer. */
export interface Divergence {
  /** The call's number (1 for the first call of the run). */
  readonly call: number;
  /** The log's line for that call, or null when the log holds no such call. */
  readonly logLine: number | null;
  /** What the log holds there, e.g. `select(deadline 2000000000, out [])`. */
  readonly holds: string;
  /** What came instead. */
  readonly came: string;
  /** Decision records the replay made before the call. */
  readonly decisions: number;
}

/** Options of {@link ReplayHost}. */
export interface ReplayHostOptions {
  /** Receives each outgoing record once its call is checked, in order. */
  readonly onOutgoing?: (record: Outgoing) => void;
  /** Decision records made so far (the embedder hands them over before each call). */
  readonly decisions?: () => number;
}

/** Thrown by every call from the divergence on: the run ends with a host failure. */
export class ReplayDiverged extends Error {
  override readonly name = "ReplayDiverged";
}

/** Thrown by a call past a log that ends in a `stop` record: the replay is over. */
export class ReplayReachedStop extends Error {
  override readonly name = "ReplayReachedStop";
}

/**
 * A host answering from a recorded log.
 * @example
 * const host = new ReplayHost(readBoundaryLog("run.boundary.jsonl"));
 * await runProgram({ engine: "quickjs", program, host, seed: log.header.seed, ... });
 * if (host.divergence !== null) console.error(`diverged at call ${host.divergence.call}`);
 */
export class ReplayHost implements Host {
  readonly #log: BoundaryLog;
  readonly #onOutgoing: (record: Outgoing) => void;
  readonly #decisions: () => number;
  #answered = 0;
  #divergence: Divergence | null = null;
  #atStop = false;

  constructor(log: BoundaryLog, options: ReplayHostOptions = {}) {
    this.#log = log;
    this.#onOutgoing = options.onOutgoing ?? (() => {});
    this.#decisions = options.decisions ?? (() => 0);
  }

  /** Calls answered from the log so far (a call that threw in the recorded run included). */
  get answered(): number {
    return this.#answered;
  }

  /** The first divergence, or null. */
  get divergence(): Divergence | null {
    return this.#divergence;
  }

  /** The log's stop record, once the guest asked past it; else null. */
  get reachedStop(): BoundaryStop | null {
    return this.#atStop ? this.#log.stop : null;
  }

  /** Whether the replay is over: it diverged or went past the stop. */
  get over(): boolean {
    return this.#divergence !== null || this.#atStop;
  }

  now(): number {
    const entry = this.#next("now()");
    if (entry.kind !== "now") throw this.#diverge(entry, describe(entry), "now()");
    this.#answered++;
    if ("error" in entry) throw recordedError(entry.error);
    return entry.now;
  }

  select(deadline: number | null, out: Outgoing[]): HostWake {
    const came = describeSelect(deadline, out);
    const entry = this.#next(came);
    if (entry.kind !== "select") throw this.#diverge(entry, describe(entry), came);
    if (entry.deadline !== deadline) {
      throw this.#diverge(entry, `select with deadline ${showDeadline(entry.deadline)}`, `select with deadline ${showDeadline(deadline)}`);
    }
    const outDifference = firstOutDifference(entry.out, out);
    if (outDifference !== null) throw this.#diverge(entry, outDifference.holds, outDifference.came);
    this.#answered++;
    for (const record of out) this.#onOutgoing(record);
    if ("error" in entry) throw recordedError(entry.error);
    return entry.idle ? { now: entry.now, events: entry.events.slice(), idle: true } : { now: entry.now, events: entry.events.slice() };
  }

  /**
   * The run ended by itself: a log holding more calls diverges here (the recorded run
   * went on). Returns the divergence, or null when the log was used up.
   */
  finish(): Divergence | null {
    if (this.over) return this.#divergence;
    const entry = this.#log.calls[this.#answered];
    if (entry !== undefined) {
      this.#diverge(entry, describe(entry), `the end of the run (after ${this.#answered} calls)`);
    } else if (this.#log.stop !== null) {
      this.#divergence = {
        call: this.#answered + 1,
        logLine: this.#log.stop.line,
        holds: `the stop of the recorded run (${this.#log.stop.message})`,
        came: `the end of the run (after ${this.#answered} calls)`,
        decisions: this.#decisions(),
      };
    }
    return this.#divergence;
  }

  /**
   * The replaying guest was stopped by its own embedder: at the recorded stop, that is
   * the replay's end; anywhere else, a divergence (returned).
   */
  stopped(message: string): Divergence | null {
    if (this.over) return this.#divergence;
    const stop = this.#log.stop;
    if (stop !== null && this.#answered === this.#log.calls.length) {
      this.#atStop = true;
      return null;
    }
    const entry = this.#log.calls[this.#answered];
    this.#divergence = {
      call: this.#answered + 1,
      logLine: entry?.line ?? null,
      holds: entry !== undefined ? describe(entry) : "the end of the recorded run",
      came: `the guest was stopped: ${message}`,
      decisions: this.#decisions(),
    };
    return this.#divergence;
  }

  /** The log's next call, or what a call past the log means: the stop, or a divergence. */
  #next(came: string): BoundaryCall {
    if (this.#divergence !== null) throw new ReplayDiverged(`the replay diverged at call ${this.#divergence.call}`);
    if (this.#atStop) throw new ReplayReachedStop("the replay reached the recorded stop");
    const entry = this.#log.calls[this.#answered];
    if (entry !== undefined) return entry;
    if (this.#log.stop !== null) {
      this.#atStop = true;
      throw new ReplayReachedStop("the replay reached the recorded stop");
    }
    this.#divergence = {
      call: this.#answered + 1,
      logLine: null,
      holds: `nothing: the log ends after call ${this.#log.calls.length}`,
      came,
      decisions: this.#decisions(),
    };
    throw new ReplayDiverged(`the replay diverged at call ${this.#answered + 1}: the log ends before it`);
  }

  #diverge(entry: BoundaryCall, holds: string, came: string): ReplayDiverged {
    this.#divergence = { call: entry.call, logLine: entry.line, holds, came, decisions: this.#decisions() };
    return new ReplayDiverged(`the replay diverged at call ${entry.call}`);
  }
}

/** A recorded call, for reports: `now()`, `select(deadline 5, out [...])`. */
export function describe(entry: BoundaryCall): string {
  return entry.kind === "now" ? "now()" : describeSelect(entry.deadline, entry.out);
}

function describeSelect(deadline: number | null, out: readonly Outgoing[]): string {
  return `select(deadline ${showDeadline(deadline)}, out ${JSON.stringify(out)})`;
}

function showDeadline(deadline: number | null): string {
  return deadline === null ? "null" : `${deadline}`;
}

/** The first outgoing record that differs between the log and the run, or null. */
function firstOutDifference(logged: readonly Outgoing[], sent: readonly Outgoing[]): { holds: string; came: string } | null {
  const n = Math.max(logged.length, sent.length);
  for (let i = 0; i < n; i++) {
    const a = logged[i];
    const b = sent[i];
    const textA = a === undefined ? undefined : JSON.stringify(a);
    const textB = b === undefined ? undefined : JSON.stringify(b);
    if (textA === textB) continue;
    return {
      holds: textA === undefined ? `select with no out[${i}] (${logged.length} outgoing records)` : `select with out[${i}] ${textA}`,
      came: textB === undefined ? `select with no out[${i}] (${sent.length} outgoing records)` : `select with out[${i}] ${textB}`,
    };
  }
  return null;
}

/** The error a recorded host threw, thrown again at the same call. */
function recordedError(error: { name: string; message: string }): Error {
  const e = new Error(error.message);
  e.name = error.name;
  return e;
}
