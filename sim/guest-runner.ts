/**
 * The guest half of the simulator's driver: two small scripts evaluated in the guest
 * around the program. They are the only simulator code in the guest, and leave the
 * program the same globals on every engine (DESIGN §4: Miou, console, the ECMAScript
 * builtins).
 *
 * The decision trace is streamed to the host in batches through one extra host function,
 * so a long run (up to 10^7 decisions) never holds its whole trace in guest memory. The
 * setup script takes that function off the global scope before the program loads, and
 * parks the runner under a registry symbol that the run script removes again.
 */

/** The host function that receives batches of decision trace lines. */
export const FLUSH_FUNCTION = "__miou_sim_flush";

/** Lines per batch: one host call per batch keeps the boundary's cost out of the way. */
export const FLUSH_LINES = 4096;

/** The runner's key: a registered symbol, not a name the program could collide with. */
const RUNNER_KEY = 'Symbol.for("miou.sim.runner")';

/**
 * Evaluated after the bundle and before the program. The runner calls `Miou.runOn`
 * with the simulator's host (the bundle already holds it), counts decisions, and stops
 * the run at the budget by throwing from the trace hook: every later record throws the
 * same error, so a program that catches it cannot keep the run alive.
 */
export const SETUP_SCRIPT = `(() => {
  "use strict";
  const flush = globalThis.${FLUSH_FUNCTION};
  delete globalThis.${FLUSH_FUNCTION};
  const { stringify } = JSON;
  const info = (e) => e instanceof Error
    ? { name: String(e.name), message: String(e.message) }
    : { name: typeof e, message: String(e) };
  const run = (main, options) => {
    if (typeof main !== "function") return { kind: "no-main" };
    let batch = [];
    let decisions = 0;
    let stop = null;
    const trace = (line) => {
      if (stop !== null) throw stop;
      if (decisions === options.maxDecisions) {
        stop = new Error("the run made " + decisions + " decisions without finishing");
        stop.name = "Livelock";
        throw stop;
      }
      decisions++;
      batch[batch.length] = line;
      if (batch.length === ${FLUSH_LINES}) {
        flush(batch);
        batch = [];
      }
    };
    let outcome;
    let waiting = null;
    try {
      const value = Miou.runOn(undefined, main, { seed: options.seed, domains: options.domains, trace });
      let valueJSON;
      try {
        valueJSON = stringify(value);
      } catch (e) {
        outcome = { ok: false, error: { name: "TypeError", message: "main's value cannot be written as JSON: " + info(e).message } };
      }
      if (outcome === undefined) outcome = { ok: true, valueJSON };
    } catch (e) {
      outcome = { ok: false, error: info(e) };
      if (e instanceof Miou.Deadlock) {
        waiting = [];
        for (const s of e.suspended) waiting[waiting.length] = { task: s.task, name: s.name, domain: s.domain, waitsOn: s.waitsOn };
      }
    }
    if (batch.length > 0) flush(batch);
    return { kind: stop !== null ? "livelock" : "finished", outcome, waiting, decisions };
  };
  Object.defineProperty(globalThis, ${RUNNER_KEY}, { value: run, configurable: true });
})();
`;

/** The options the run script hands the runner. */
export interface RunnerOptions {
  readonly seed: number;
  readonly domains: number;
  readonly maxDecisions: number;
}

/**
 * Evaluated after the program: takes the runner off the global object and runs `main`.
 * `main` is read by name, so a program may declare it with `function*` or `const`.
 */
export function runScript(options: RunnerOptions): string {
  return `(() => {
  const run = globalThis[${RUNNER_KEY}];
  delete globalThis[${RUNNER_KEY}];
  return run(typeof main === "function" ? main : undefined, ${JSON.stringify(options)});
})()`;
}

/** What the runner returns through `evalJSON`. */
export type RunnerReport =
  | { readonly kind: "no-main" }
  | {
      readonly kind: "finished" | "livelock";
      readonly outcome: { readonly ok: true; readonly valueJSON?: string } | { readonly ok: false; readonly error: ErrorInfo };
      /** The waiting tasks when the run ended in a Deadlock, else null. */
      readonly waiting: WaitingTask[] | null;
      readonly decisions: number;
    };

/** An error as it crosses the boundary: never a stack (DESIGN §6). */
export interface ErrorInfo {
  readonly name: string;
  readonly message: string;
}

/** A task of a deadlock report, and what it waits on (`syscall 3 (sleep until 2000000000)`, `await task 4`...). */
export interface WaitingTask {
  readonly task: number;
  readonly name: string;
  readonly domain: number;
  readonly waitsOn: string;
}
