/**
 * What every run on a host does before and after its loop, whoever drives the loop:
 * `Miou.runOn` (run-on.ts) blocks in the host's `select`; `runAsync`
 * (node/run-async.ts) awaits on Node's event loop instead. Both make the same host calls
 * in the same order, so a run recorded on one replays on the other.
 */
import { errorInfo } from "../runtime/errors.js";
import { start, type Choices, type Handle, type Outcome, type Policy, type RunOptions } from "../runtime/index.js";
import { checkSeed } from "../runtime/prng.js";
import { Glue } from "./glue.js";
import type { Host } from "./host.js";
import { failedInvariant } from "./invariant.js";

/** Options of a run on a host (`Miou.runOn`, `runAsync`). */
export interface HostedRunOptions {
  /** Extra worker domains (dom0 not counted). Default 0. */
  readonly domains?: number;
  /** Seed of the run's PRNG and of `Math.random` in the bundle, an integer in [0, 2^32). Default 0. */
  readonly seed?: number;
  /** Operations a task may handle per turn. Default 1. */
  readonly quanta?: number;
  /**
   * While tasks can run, the host is polled once every this many `select` calls; 1 polls
   * on every call (Miou's own rhythm). Default 64.
   */
  readonly pollEvery?: number;
  /** Receives every decision as one JSON text line (docs/formats.md, "Decision trace records"). */
  readonly trace?: (line: string) => void;
  /** For embedders: a task error for which this returns true ends the run at once (see RunOptions.fatal). */
  readonly fatal?: (error: unknown) => boolean;
  /** Chooses the domain of each turn (the simulator's exploration; see RunOptions.policy). */
  readonly policy?: Policy;
  /** Supplies every random draw instead of the seeded PRNG (a replayed schedule; see RunOptions.choices). */
  readonly choices?: Choices;
}

/** Default of `pollEvery` (DESIGN §4). */
export const POLL_EVERY = 64;

/** How a run ended: the outcomes of `runUntilBlocked` with `done` true. */
export type Ended<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/** A run set up on its host and not started: its glue and the core's handle. */
export interface HostedRun<T> {
  readonly glue: Glue;
  readonly handle: Handle<T>;
}

/**
 * Checks the options (`where` names the caller in messages), reads the clock once and
 * starts the core on the glue. Nothing runs until the caller's loop calls
 * `handle.runUntilBlocked()`.
 */
export function prepareRun<T>(host: Host, main: () => Generator<unknown, T, unknown>, options: HostedRunOptions, where: string): HostedRun<T> {
  const pollEvery = options.pollEvery ?? POLL_EVERY;
  if (!Number.isSafeInteger(pollEvery) || pollEvery < 1) {
    throw new RangeError(`${where}: option pollEvery must be an integer >= 1, got ${String(pollEvery)}`);
  }
  const trace = options.trace ?? null;
  if (trace !== null && typeof trace !== "function") throw new TypeError(`${where}: option trace must be a function`);
  if (options.seed !== undefined) checkSeed(options.seed);

  const glue = new Glue(host, { pollEvery, trace });
  // One clock read before main is spawned, so that the trace's times are the host's from
  // the first record on (a real host's clock is not 0 when the run starts).
  glue.now();
  const coreOptions: RunOptions = {
    events: glue.events,
    heartbeat: glue.heartbeat,
    ...(options.domains === undefined ? {} : { domains: options.domains }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.quanta === undefined ? {} : { quanta: options.quanta }),
    ...(options.fatal === undefined ? {} : { fatal: options.fatal }),
    ...(options.policy === undefined ? {} : { policy: options.policy }),
    ...(options.choices === undefined ? {} : { choices: options.choices }),
    ...(glue.trace === null ? {} : { trace: glue.trace.write.bind(glue.trace) }),
  };
  // The core checks main and every option before anything runs.
  const handle = start(main, coreOptions);
  glue.snapshot = () => handle.snapshot();
  return { glue, handle };
}

/** The end of a loop's `runUntilBlocked` outcome, or null while the run goes on. */
export function ended<T>(r: Outcome<T>): Ended<T> | null {
  if (!r.done) return null;
  return r.ok === true ? { ok: true, value: r.value as T } : { ok: false, error: r.error };
}

/**
 * Ends a run whose loop is done: a failed `Miou.assert` fails it even if the program
 * caught it; a final poll flushes what is left to send; the `end` record; then main's
 * value is returned or its error thrown.
 */
export function finishRun<T>(glue: Glue, outcome: Ended<T>): T {
  const broken = failedInvariant(glue);
  if (broken !== null) outcome = { ok: false, error: broken };
  glue.finalPoll();
  glue.trace?.write(
    outcome.ok
      ? { kind: "end", ok: true, left: glue.sources.left() }
      : { kind: "end", ok: false, error: errorInfo(outcome.error), left: glue.sources.left() },
  );
  if (outcome.ok) return outcome.value;
  throw outcome.error;
}
