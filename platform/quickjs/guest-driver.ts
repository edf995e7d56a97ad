/**
 * The embedder's guest half: two small scripts evaluated in the guest around the program.
 * They are the only embedder code in the guest and leave the program the globals of every
 * engine (DESIGN §4: Miou, console, the ECMAScript builtins).
 *
 * The setup script takes the embedder's two host functions off the global scope before
 * the program loads and parks the runner under a registered symbol that the run script
 * removes again. The runner calls `Miou.runOn` with the host the bundle captured, and
 * watches the decision trace:
 * - lines go to the host in batches (one host call per batch, not per decision);
 * - a task that ends with an engine failure (out of memory, stack overflow) stops the run
 *   at that very record, before any parent can see the error: the trace hook throws, and
 *   every later record throws the same error, so no program can keep the run alive;
 * - a decision budget ends a run that never finishes (a livelock).
 */

/** The host function that receives batches of decision trace lines. */
export const LINES_FUNCTION = "__miou_embed_lines";

/**
 * The host function asked about a task that ended with an error the engine may have
 * raised; it returns true when the embedder stops the guest for it.
 */
export const FAILED_FUNCTION = "__miou_embed_failed";

/** Lines per batch. */
export const FLUSH_LINES = 4096;

const RUNNER_KEY = 'Symbol.for("miou.embedder.runner")';

/**
 * Evaluated after the bundle and before the program. A `finish` record is parsed only
 * when it names an error the engines raise for their own failures (stops.ts), so watching
 * costs a few substring searches per record.
 */
export const SETUP_SCRIPT = `(() => {
  "use strict";
  const flush = globalThis.${LINES_FUNCTION};
  const failed = globalThis.${FAILED_FUNCTION};
  delete globalThis.${LINES_FUNCTION};
  delete globalThis.${FAILED_FUNCTION};
  const { stringify, parse } = JSON;
  const info = (e) => e instanceof Error
    ? { name: String(e.name), message: String(e.message) }
    : { name: typeof e, message: String(e) };
  const stopError = (name, message) => {
    const e = new Error(message);
    e.name = name;
    return e;
  };
  const run = (main, options) => {
    if (typeof main !== "function") return { kind: "no-main" };
    let batch = [];
    let decisions = 0;
    let stop = null;
    let stopKind = null;
    const trace = (line) => {
      if (stop !== null) throw stop;
      if (decisions === options.maxDecisions) {
        stopKind = "livelock";
        throw (stop = stopError("Livelock", "the run made " + decisions + " decisions without finishing"));
      }
      decisions++;
      if (options.lines) {
        batch[batch.length] = line;
        if (batch.length === ${FLUSH_LINES}) {
          flush(batch);
          batch = [];
        }
      }
      if (options.watch && line.includes('"kind":"finish"') && (line.includes('"name":"InternalError"') ||
          line.includes('"name":"RangeError"') || line.includes('"name":"object","message":"null"'))) {
        const record = parse(line);
        if (record.ok === false && failed(record.error)) {
          stopKind = "stopped";
          throw (stop = stopError("GuestStopped", "task " + record.task + " ended with " + record.error.name + ": " + record.error.message));
        }
      }
    };
    const runOptions = { seed: options.seed, domains: options.domains };
    if (options.pollEvery !== null) runOptions.pollEvery = options.pollEvery;
    if (options.lines || options.watch || options.maxDecisions >= 0) runOptions.trace = trace;
    let outcome;
    let waiting = null;
    try {
      const value = Miou.runOn(undefined, main, runOptions);
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
    if (batch.length > 0) flush(batch);
    return { kind: stopKind ?? "finished", outcome, waiting, decisions };
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
  /** Whether tasks ending with an engine failure stop the guest. */
  readonly watch: boolean;
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
