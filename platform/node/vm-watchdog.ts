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
 * The signal must never arrive outside the script: before a script starts and between its
 * end and the return of `runInContext`, Node lets SIGINT end the process. So the body runs
 * inside a one-line script of the watchdog's own, which arms on entry (ARMED) and marks
 * its end (DONE) before it returns: the watchdog fires only while ARMED, and when it won
 * that race the marker waits, still inside the script, for the kill and then for V8 to
 * end the script. A SIGINT that is not the watchdog's (Ctrl+C) is given back to the
 * process, so it still stops.
 *
 * In a worker thread whose parent watches it ({@link watchedByParent}: explore's worker
 * pool), the same state goes to the parent instead, which terminates a worker whose guest
 * overran its budget ({@link stalledFor}): no signal, and no `breakOnSigint`.
 */
import vm from "node:vm";
import { isMainThread, Worker } from "node:worker_threads";

// Slots of the shared state.
const STATE = 0; // IDLE, ARMED (a script runs), DONE (it is returning) or FIRED (a SIGINT is sent)
const ACTIVITY = 1; // bumped when a script starts and at every host call
const PAUSED = 2; // 1 while a host call runs: its time is the host's
const BUDGET_MS = 3;
const SENT = 4; // SIGINTs about to be sent
const KILLED = 5; // SIGINTs sent (kill returned)
const NAP = 6; // never notified: the watchdog's timed sleep
const SLOTS = 7;
/** How long a script whose watchdog fired as it ended waits for V8 to end it. */
const TERMINATION_WAIT_MS = 1000;
const IDLE = 0;
const ARMED = 1;
const FIRED = 2;
const DONE = 3;

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

/** The one-line script every body runs from, and its context (made once). */
const CALL_BODY = new vm.Script("body()", { filename: "miou-watchdog.js" });
let caller: { body: (() => unknown) | null } | null = null;

function runFromScript<T>(body: () => T): T {
  const context = (caller ??= vm.createContext({ body: null }) as { body: (() => unknown) | null });
  context.body = body;
  try {
    return CALL_BODY.runInContext(context as vm.Context, { breakOnSigint: true }) as T;
  } finally {
    context.body = null;
  }
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
   * Runs `body` with the budget armed; returns what it returns, or throws what it throws.
   * `interrupted` says whether the watchdog stopped it (on the main thread, `body` runs
   * from a script that breaks on SIGINT; in a watched worker, the parent ends the thread).
   */
  run<T>(body: () => T): { readonly value?: T; readonly interrupted: boolean } {
    const s = this.#s;
    Atomics.store(s, BUDGET_MS, this.budget_ms);
    Atomics.store(s, PAUSED, 0);
    this.#running = true;
    try {
      if (!this.signals) {
        this.#arm();
        return { value: body(), interrupted: false };
      }
      return { value: runFromScript(() => this.#marked(body)), interrupted: false };
    } catch (error) {
      // Node's error for it is not an instance of this realm's Error: read its code.
      if (this.signals && (error as { code?: unknown } | null)?.code === "ERR_SCRIPT_EXECUTION_INTERRUPTED") {
        if (Atomics.load(s, STATE) === FIRED) return { interrupted: true };
        // Ctrl+C: the script took it in the process's place; give it back.
        process.kill(process.pid, "SIGINT");
      }
      throw error;
    } finally {
      this.#running = false;
      Atomics.store(s, STATE, IDLE);
    }
  }

  #arm(): void {
    Atomics.add(this.#s, ACTIVITY, 1);
    Atomics.store(this.#s, STATE, ARMED);
    Atomics.notify(this.#s, STATE);
  }

  /**
   * `body` between the two markers, all inside the script: armed only once the script
   * breaks on SIGINT (a pause before it, a GC say, must not let a signal through).
   */
  #marked<T>(body: () => T): T {
    this.#arm();
    try {
      return body();
    } finally {
      const s = this.#s;
      if (Atomics.compareExchange(s, STATE, ARMED, DONE) === FIRED) {
        // The watchdog won: its signal must end this script, not reach Node once the script
        // is over (Node then exits). Wait for the kill, then for the termination it brings
        // (V8 ends the script here, at one of these waits).
        for (let k = Atomics.load(s, KILLED); k < Atomics.load(s, SENT); k = Atomics.load(s, KILLED)) Atomics.wait(s, KILLED, k, 100);
        for (let waited_ms = 0; waited_ms < TERMINATION_WAIT_MS; waited_ms++) Atomics.wait(s, NAP, 0, 1);
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
