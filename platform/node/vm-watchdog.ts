/**
 * A CPU budget for guests on V8 (`node:vm`), which has no interrupt handler: a watchdog
 * thread that sends this process a SIGINT when the guest has run longer than the budget
 * since it last had control back from a host call. The guest's script runs with
 * `breakOnSigint`, so V8 ends it there ("Script execution was interrupted"), as QuickJS's
 * interrupt handler does. Only on Node's main thread: a signal reaches every thread's
 * script that breaks on it.
 *
 * The watchdog naps a budget at a time and looks at what changed (host calls bump a
 * counter, nobody wakes it), so a host call costs two atomic writes, and a runaway guest
 * is stopped between one and two budgets after its last host call.
 *
 * A SIGINT the watchdog sent after the script had already ended is absorbed by a listener
 * kept until then; any other SIGINT (Ctrl+C) is passed on, so the process still stops.
 *
 * In a worker thread whose parent watches it ({@link watchedByParent}: explore's worker
 * pool), the same state goes to the parent instead, which terminates a worker whose guest
 * overran its budget ({@link stalledFor}): no signal, and no `breakOnSigint`.
 */
import { isMainThread, Worker } from "node:worker_threads";

// Slots of the shared state.
const STATE = 0; // IDLE, ARMED (a script runs) or FIRED (the watchdog sent a SIGINT)
const ACTIVITY = 1; // bumped when a script starts and at every host call
const PAUSED = 2; // 1 while a host call runs: its time is the host's
const BUDGET_MS = 3;
const SENT = 4; // SIGINTs about to be sent
const KILLED = 5; // SIGINTs sent (kill returned)
const NAP = 6; // never notified: the watchdog's timed sleep
const SLOTS = 7;
const IDLE = 0;
const ARMED = 1;
const FIRED = 2;

// Plain CommonJS for `new Worker(..., { eval: true })`: no file to find next to this one.
const WATCHDOG = `
const s = require("node:worker_threads").workerData;
for (;;) {
  const state = Atomics.load(s, ${STATE});
  if (state !== ${ARMED}) { Atomics.wait(s, ${STATE}, state); continue; }
  const seen = Atomics.load(s, ${ACTIVITY});
  Atomics.wait(s, ${NAP}, 0, Atomics.load(s, ${BUDGET_MS}));
  if (Atomics.load(s, ${ACTIVITY}) !== seen || Atomics.load(s, ${PAUSED}) !== 0) continue;
  if (Atomics.compareExchange(s, ${STATE}, ${ARMED}, ${FIRED}) !== ${ARMED}) continue;
  Atomics.add(s, ${SENT}, 1);
  process.kill(process.pid, "SIGINT");
  Atomics.add(s, ${KILLED}, 1);
  Atomics.notify(s, ${KILLED});
}`;

/** The main thread's watchdog state, once started. */
let shared: Int32Array | null = null;
/** This worker thread's state as its parent reads it, when the parent watches it. */
let parentShared: Int32Array | null = null;
/** SIGINTs of the watchdog taken so far, by a script or by the listener. */
let absorbed = 0;

/** The shared state a parent passes to a worker it watches. */
export function newWatchState(): SharedArrayBuffer {
  return new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT);
}

/** In a worker: V8 guests of this thread report to the parent that passed `state`. */
export function watchedByParent(state: SharedArrayBuffer): void {
  parentShared = new Int32Array(state);
}

/**
 * For the parent: whether the guest of the worker it passed `state` to has run past its
 * budget. `seen` is what this kept last time (`{ activity: -1, since_ms: 0 }` at first):
 * the budget counts from when the activity was last seen to change.
 */
export function stalledFor(state: SharedArrayBuffer, seen: { activity: number; since_ms: number }, now_ms: number): boolean {
  const s = new Int32Array(state);
  const activity = Atomics.load(s, ACTIVITY);
  if (activity !== seen.activity || Atomics.load(s, STATE) !== ARMED || Atomics.load(s, PAUSED) !== 0) {
    seen.activity = activity;
    seen.since_ms = now_ms;
    return false;
  }
  return now_ms - seen.since_ms > Atomics.load(s, BUDGET_MS);
}

function start(): Int32Array {
  if (shared !== null) return shared;
  shared = new Int32Array(newWatchState());
  new Worker(WATCHDOG, { eval: true, workerData: shared }).unref();
  return shared;
}

function onSigint(): void {
  const s = shared!;
  if (absorbed >= Atomics.load(s, SENT)) {
    // Not ours (Ctrl+C): other listeners had it too; with none, it stops the process again.
    process.removeListener("SIGINT", onSigint);
    if (process.listenerCount("SIGINT") === 0) process.kill(process.pid, "SIGINT");
    return;
  }
  absorbed++;
  if (absorbed === Atomics.load(s, SENT)) process.removeListener("SIGINT", onSigint);
}

/**
 * The watchdog of one guest: `run` runs a script under the budget, `pause` and `resume`
 * bracket a host call (whose time never counts).
 */
export class VmWatchdog {
  readonly #s: Int32Array;
  /** Whether the script must break on SIGINT: on the main thread; a watched worker's parent terminates it instead. */
  readonly signals: boolean;
  #running = false;

  /** The watchdog of this thread, or null where none can keep a budget (a worker nobody watches). */
  static forThisThread(budget_ms: number): VmWatchdog | null {
    if (isMainThread) return new VmWatchdog(budget_ms, start(), true);
    return parentShared === null ? null : new VmWatchdog(budget_ms, parentShared, false);
  }

  /** @throws RangeError unless `budget_ms` is a positive safe integer. */
  private constructor(
    readonly budget_ms: number,
    s: Int32Array,
    signals: boolean,
  ) {
    if (!Number.isSafeInteger(budget_ms) || budget_ms <= 0) throw new RangeError(`the CPU budget must be a positive integer of ms, got ${budget_ms}`);
    this.#s = s;
    this.signals = signals;
  }

  /**
   * Runs `script` (which must break on SIGINT where `signals`) with the budget armed;
   * returns what it returns, or throws what it throws. `interrupted` says whether the
   * watchdog stopped it.
   */
  run<T>(script: () => T): { readonly value?: T; readonly interrupted: boolean } {
    const s = this.#s;
    if (this.signals && !process.listeners("SIGINT").includes(onSigint)) process.on("SIGINT", onSigint);
    Atomics.store(s, BUDGET_MS, this.budget_ms);
    Atomics.store(s, PAUSED, 0);
    Atomics.add(s, ACTIVITY, 1);
    Atomics.store(s, STATE, ARMED);
    Atomics.notify(s, STATE);
    this.#running = true;
    let interrupted = false;
    try {
      return { value: script(), interrupted };
    } catch (error) {
      // Node's error for it is not an instance of this realm's Error: read its code.
      if (this.signals && (error as { code?: unknown } | null)?.code === "ERR_SCRIPT_EXECUTION_INTERRUPTED") {
        // Ours: this run's, or (should one still slip through) a late one of an earlier run.
        if (Atomics.load(s, STATE) === FIRED || absorbed < Atomics.load(s, SENT)) {
          interrupted = true;
          absorbed++; // the script took this one
          return { interrupted };
        }
        // Ctrl+C: the script took it in the process's place; give it back.
        if (absorbed === Atomics.load(s, SENT)) process.removeListener("SIGINT", onSigint);
        process.kill(process.pid, "SIGINT");
      }
      throw error;
    } finally {
      this.#running = false;
      // Atomically: a watchdog that fired before this sends its SIGINT although the script
      // is over, and the listener must be there to take it.
      const late = Atomics.exchange(s, STATE, IDLE) === FIRED && !interrupted;
      if (this.signals) {
        // That late signal must reach the listener before any script breaks on SIGINT
        // again: wait until the watchdog's kill() has returned (microseconds).
        for (let k = Atomics.load(s, KILLED); late && k < Atomics.load(s, SENT); k = Atomics.load(s, KILLED)) Atomics.wait(s, KILLED, k, 100);
        if (!late && absorbed === Atomics.load(s, SENT)) process.removeListener("SIGINT", onSigint);
      }
    }
  }

  /** A host call starts: its time is the host's. */
  pause(): void {
    if (!this.#running) return;
    Atomics.store(this.#s, PAUSED, 1);
    Atomics.add(this.#s, ACTIVITY, 1);
  }

  /** The host call returned: the guest has the budget again, in full. */
  resume(): void {
    if (!this.#running) return;
    Atomics.add(this.#s, ACTIVITY, 1);
    Atomics.store(this.#s, PAUSED, 0);
  }
}
