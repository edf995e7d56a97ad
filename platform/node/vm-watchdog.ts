/**
 * A CPU budget for guests on V8 (`node:vm`), which has no interrupt handler: a watchdog
 * thread that sends this process a SIGINT when the guest has run longer than the budget
 * since it last had control back from a host call. The guest's script runs with
 * `breakOnSigint`, so V8 ends it there ("Script execution was interrupted"), as QuickJS's
 * interrupt handler does. Only on Node's main thread: a signal reaches every thread's
 * script that breaks on it (guests in workers have their parent's watchdog, worker-run.ts).
 *
 * A SIGINT the watchdog sent after the script had already ended is absorbed by a listener
 * kept until then; any other SIGINT (Ctrl+C) is passed on, so the process still stops.
 */
import { isMainThread, Worker } from "node:worker_threads";

// Slots of the shared array: what the main thread says, and what the watchdog did.
const STATE = 0; // IDLE, ARMED or FIRED
const ACTIVITY = 1; // bumped on every change: wakes the watchdog
const BUDGET_MS = 2;
const SENT = 3; // SIGINTs about to be sent
const KILLED = 4; // SIGINTs sent (kill returned)
const IDLE = 0;
const ARMED = 1;
const FIRED = 2;

// Plain CommonJS for `new Worker(..., { eval: true })`: no file to find next to this one.
const WATCHDOG = `
const s = require("node:worker_threads").workerData;
for (;;) {
  if (Atomics.load(s, ${STATE}) !== ${ARMED}) { Atomics.wait(s, ${ACTIVITY}, Atomics.load(s, ${ACTIVITY})); continue; }
  const seen = Atomics.load(s, ${ACTIVITY});
  if (Atomics.wait(s, ${ACTIVITY}, seen, Atomics.load(s, ${BUDGET_MS})) !== "timed-out") continue;
  if (Atomics.load(s, ${ACTIVITY}) !== seen) continue;
  if (Atomics.compareExchange(s, ${STATE}, ${ARMED}, ${FIRED}) !== ${ARMED}) continue;
  Atomics.add(s, ${SENT}, 1);
  process.kill(process.pid, "SIGINT");
  Atomics.add(s, ${KILLED}, 1);
  Atomics.notify(s, ${KILLED});
}`;

let shared: Int32Array | null = null;
/** SIGINTs of the watchdog that no script absorbed yet: the listener takes them. */
let absorbed = 0;

function start(): Int32Array {
  if (shared !== null) return shared;
  shared = new Int32Array(new SharedArrayBuffer(5 * Int32Array.BYTES_PER_ELEMENT));
  new Worker(WATCHDOG, { eval: true, workerData: shared }).unref();
  return shared;
}

function onSigint(): void {
  const s = shared!;
  if (absorbed < Atomics.load(s, SENT)) {
    absorbed++;
  } else {
    // Not ours (Ctrl+C): other listeners had it too; with none, it stops the process again.
    process.removeListener("SIGINT", onSigint);
    if (process.listenerCount("SIGINT") === 0) process.kill(process.pid, "SIGINT");
    return;
  }
  if (absorbed === Atomics.load(s, SENT)) process.removeListener("SIGINT", onSigint);
}

function set(s: Int32Array, state: number): void {
  Atomics.store(s, STATE, state);
  bump(s);
}

/** Wakes the watchdog: its interval starts again. */
function bump(s: Int32Array): void {
  Atomics.add(s, ACTIVITY, 1);
  Atomics.notify(s, ACTIVITY);
}

/**
 * The watchdog of one guest: `run` runs a script under the budget, `pause` and `resume`
 * bracket a host call (whose time never counts).
 */
export class VmWatchdog {
  readonly #s: Int32Array;
  #running = false;

  /** @throws RangeError unless `budget_ms` is a positive safe integer, or off Node's main thread. */
  constructor(readonly budget_ms: number) {
    if (!Number.isSafeInteger(budget_ms) || budget_ms <= 0) throw new RangeError(`the CPU budget must be a positive integer of ms, got ${budget_ms}`);
    if (!isMainThread) throw new RangeError("a V8 guest's CPU budget is kept on Node's main thread only; in a worker its parent keeps it");
    this.#s = start();
  }

  /**
   * Runs `script` (which must break on SIGINT) with the budget armed; returns what it
   * returns, or throws what it throws. `interrupted` says whether the watchdog stopped it.
   */
  run<T>(script: () => T): { readonly value?: T; readonly interrupted: boolean } {
    const s = this.#s;
    if (!process.listeners("SIGINT").includes(onSigint)) process.on("SIGINT", onSigint);
    Atomics.store(s, BUDGET_MS, this.budget_ms);
    this.#running = true;
    set(s, ARMED);
    let interrupted = false;
    try {
      return { value: script(), interrupted };
    } catch (error) {
      // Node's error for it is not an instance of this realm's Error: read its code.
      if ((error as { code?: unknown } | null)?.code === "ERR_SCRIPT_EXECUTION_INTERRUPTED") {
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
      bump(s);
      // A late signal must reach the listener before any script breaks on SIGINT again:
      // wait until the watchdog's kill() has returned (microseconds).
      for (let k = Atomics.load(s, KILLED); late && k < Atomics.load(s, SENT); k = Atomics.load(s, KILLED)) Atomics.wait(s, KILLED, k, 100);
      if (!late && absorbed === Atomics.load(s, SENT)) process.removeListener("SIGINT", onSigint);
    }
  }

  /** A host call starts: its time is the host's. */
  pause(): void {
    // Compare and exchange: a watchdog that fired just now keeps its FIRED.
    if (Atomics.compareExchange(this.#s, STATE, ARMED, IDLE) === ARMED) bump(this.#s);
  }

  /** The host call returned: the guest has the budget again, in full. */
  resume(): void {
    if (this.#running && Atomics.compareExchange(this.#s, STATE, IDLE, ARMED) === IDLE) bump(this.#s);
  }
}
