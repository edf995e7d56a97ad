/**
 * The embedder's guest half: two small scripts evaluated in the guest around the program.
 * They are the only embedder code in the guest and leave the program the globals of every
 * engine (DESIGN §4: Miou, console, the ECMAScript builtins).
 *
 * The setup script takes the embedder's host functions off the global scope before the
 * program loads and parks the runner under a registered symbol that the run script
 * removes again. The runner calls `Miou.runOn` on the embedder's host:
 * - a task that ends with an engine failure (out of memory, stack overflow) ends the run
 *   at once, through the core's `fatal` option, before any parent can see the error;
 * - decision trace lines go to the host in batches (one host call per batch, not per
 *   decision), and the batch is handed over before every `now()` and `select()`, so the
 *   embedder holds every decision made before a host call when it answers that call (a
 *   replay's divergence report, a recorded run's stop);
 * - a decision budget ends a run that never finishes (a livelock).
 * The trace is hooked only when lines or a decision budget are asked for: tracing costs
 * QuickJS several times its speed on programs that do nothing but schedule.
 */

/** The host function that receives batches of decision trace lines. */
export const LINES_FUNCTION = "__miou_embed_lines";

/**
 * The host function asked about a task that ended with an error the engine may have
 * raised; it returns true when the embedder stops the guest for it.
 */
export const FAILED_FUNCTION = "__miou_embed_failed";

/**
 * The embedder's own copies of the host functions: the bundle takes `__miou_now` and
 * `__miou_select` when it loads (for `Date.now` and `Miou.now` outside a run), and the
 * runner wraps these to hand over its lines before each call.
 */
export const NOW_FUNCTION = "__miou_embed_now";
export const SELECT_FUNCTION = "__miou_embed_select";

/**
 * The host functions that answer the run's choices when the embedder supplies them
 * (guest-run.ts, GuestChoices): the domain of a turn when two or more could run, and
 * each random draw. The simulator's exploration and schedule replay use them.
 */
export const PICK_FUNCTION = "__miou_embed_pick";
export const DRAW_FUNCTION = "__miou_embed_draw";

/** Lines per batch. */
export const FLUSH_LINES = 4096;

const RUNNER_KEY = 'Symbol.for("miou.embedder.runner")';

/**
 * Evaluated after the bundle and before the program. The `fatal` predicate asks the host
 * only about errors named as the engines name their own failures (stops.ts), so an
 * ordinary failing task costs a string comparison.
 */
export const SETUP_SCRIPT = `(() => {
  "use strict";
  const flush = globalThis.${LINES_FUNCTION};
  const failed = globalThis.${FAILED_FUNCTION};
  const hostNow = globalThis.${NOW_FUNCTION};
  const hostSelect = globalThis.${SELECT_FUNCTION};
  const pick = globalThis.${PICK_FUNCTION};
  const draw = globalThis.${DRAW_FUNCTION};
  delete globalThis.${LINES_FUNCTION};
  delete globalThis.${FAILED_FUNCTION};
  delete globalThis.${NOW_FUNCTION};
  delete globalThis.${SELECT_FUNCTION};
  delete globalThis.${PICK_FUNCTION};
  delete globalThis.${DRAW_FUNCTION};
  const { stringify } = JSON;
  const info = (e) => e instanceof Error
    ? { name: String(e.name), message: String(e.message) }
    : { name: typeof e, message: String(e) };
  const run = (main, options) => {
    if (typeof main !== "function") return { kind: "no-main" };
    let batch = [];
    let decisions = 0;
    let livelock = null;
    let stopped = false;
    const handOver = () => {
      if (batch.length === 0) return;
      const lines = batch;
      batch = [];
      flush(lines);
    };
    const host = {
      now() {
        handOver();
        return hostNow();
      },
      select(deadline, out) {
        handOver();
        return hostSelect(deadline, out);
      },
    };
    // QuickJS: InternalError "out of memory" / "stack overflow", or under a memory limit
    // null or a message-less InternalError; V8 and QuickJS-ng: RangeError for the stack.
    const fatal = (e) => {
      const error = info(e);
      if (error.name !== "InternalError" && error.name !== "RangeError" && error.name !== "object") return false;
      if (!failed(error)) return false;
      stopped = true;
      return true;
    };
    const trace = (line) => {
      if (livelock !== null) throw livelock;
      if (decisions === options.maxDecisions) {
        livelock = new Error("the run made " + decisions + " decisions without finishing");
        livelock.name = "Livelock";
        throw livelock;
      }
      decisions++;
      if (options.lines) {
        batch[batch.length] = line;
        if (batch.length === ${FLUSH_LINES}) handOver();
      }
    };
    const runOptions = { seed: options.seed, domains: options.domains, fatal };
    if (options.pollEvery !== null) runOptions.pollEvery = options.pollEvery;
    if (options.lines || options.maxDecisions >= 0) runOptions.trace = trace;
    if (options.choices === true) {
      // The host is asked only when there is a choice: one runnable domain, or a bound of 1, is not one.
      let previous = -1;
      runOptions.policy = (runnable) => (previous = runnable.length === 1 ? runnable[0] : pick(runnable, previous));
      runOptions.choices = (bound) => (bound === 1 ? 0 : draw(bound));
    }
    let outcome;
    let waiting = null;
    try {
      const value = Miou.runOn(host, main, runOptions);
      try {
        outcome = { ok: true, valueJSON: stringify(value) };
      } catch (e) {
        outcome = { ok: false, error: { name: "TypeError", message: "main's value cannot be written as JSON: " + info(e).message } };
      }
    } catch (e) {
      outcome = { ok: false, error: info(e) };
      if (e instanceof Miou.Deadlock) {
        waiting = [];
        for (const s of e.suspended) waiting[waiting.length] = { task: s.task, name: s.name, domain: s.domain, waitsOn: s.waitsOn };
      }
    }
    handOver();
    const kind = stopped ? "stopped" : livelock !== null ? "livelock" : "finished";
    return { kind, outcome, waiting, decisions };
  };
  Object.defineProperty(globalThis, ${RUNNER_KEY}, { value: run, configurable: true });
})();
`;

/** The options the run script hands the runner. */
export interface DriverOptions {
  readonly seed: number;
  readonly domains: number;
  /** null: the glue's default. */
  readonly pollEvery: number | null;
  /** Decisions before the run counts as a livelock; -1: no limit. */
  readonly maxDecisions: number;
  /** Whether trace lines go to the host. */
  readonly lines: boolean;
  /** Whether the host answers the run's choices (PICK_FUNCTION, DRAW_FUNCTION); default false. */
  readonly choices?: boolean;
}

/**
 * Evaluated after the program: takes the runner off the global object and runs `main`,
 * read by name so that a program may declare it with `function*` or `const`.
 */
export function runScript(options: DriverOptions): string {
  return `(() => {
  const run = globalThis[${RUNNER_KEY}];
  delete globalThis[${RUNNER_KEY}];
  return run(typeof main === "function" ? main : undefined, ${JSON.stringify(options)});
})()`;
}

/** A task waiting when a run deadlocked, and what it waits on. */
export interface WaitingTask {
  readonly task: number;
  readonly name: string;
  readonly domain: number;
  readonly waitsOn: string;
}

/** What the runner returns through `evalJSON`. */
export type DriverReport =
  | { readonly kind: "no-main" }
  | {
      readonly kind: "finished" | "livelock" | "stopped";
      readonly outcome:
        | { readonly ok: true; readonly valueJSON?: string }
        | { readonly ok: false; readonly error: { readonly name: string; readonly message: string } };
      readonly waiting: WaitingTask[] | null;
      readonly decisions: number;
    };
