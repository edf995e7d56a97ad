/**
 * `Miou.runOn`: a run driven by a host (the seed tutorial's `Chat.run`), built on the
 * core's `start`/`runUntilBlocked`. The scheduler calls the glue's `select`s; when every
 * task waits on the host, the glue waits on `host.select` until the earliest deadline or
 * an event; at the end, a final poll flushes what is left to send.
 */
import { run as coreRun, start, type Choices, type Policy, type RunOptions } from "../runtime/index.js";
import { checkSeed } from "../runtime/prng.js";
import { errorInfo } from "../runtime/errors.js";
import { bundleHost } from "./bundle-host.js";
import { Glue, withGlue } from "./glue.js";
import { checkHost, type Host } from "./host.js";
import { failedInvariant } from "./invariant.js";
import { reseedRandom } from "./random.js";

/** Options of `Miou.runOn`. */
export interface RunOnOptions {
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

/** How a run ended: the outcomes of `runUntilBlocked` with `done` true. */
type Ended<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/** Default of `pollEvery` (DESIGN §4). */
export const POLL_EVERY = 64;
const KNOWN = ["domains", "seed", "quanta", "pollEvery", "trace", "fatal", "policy", "choices"];

/**
 * Runs `main` on `host` (or, given `undefined`, on the host the bundle captured at load)
 * and returns main's value, or throws its error. With nothing to run, no timer set and a
 * host that says it is idle, it throws `Miou.Deadlock` listing what each task waits on.
 * @example
 * const value = Miou.runOn(undefined, function* () {
 *   yield* Miou.sleep(1000);
 *   return Miou.now(); // 1000000000 in the simulator
 * });
 */
export function runOn<T>(host: Host | undefined, main: () => Generator<unknown, T, unknown>, options: RunOnOptions = {}): T {
  const h = host === undefined ? capturedHost() : checkHost(host, "Miou.runOn");
  if (options === null || typeof options !== "object") throw new TypeError("Miou.runOn: options must be an object");
  for (const key of Object.keys(options)) {
    if (!KNOWN.includes(key)) throw new TypeError(`Miou.runOn: unknown option "${key}" (known: ${KNOWN.join(", ")})`);
  }
  const pollEvery = options.pollEvery ?? POLL_EVERY;
  if (!Number.isSafeInteger(pollEvery) || pollEvery < 1) {
    throw new RangeError(`Miou.runOn: option pollEvery must be an integer >= 1, got ${String(pollEvery)}`);
  }
  const trace = options.trace ?? null;
  if (trace !== null && typeof trace !== "function") throw new TypeError("Miou.runOn: option trace must be a function");

  const glue = new Glue(h, { pollEvery, trace });
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
  // The core checks main and every option before anything runs or the host is called.
  const handle = start(main, coreOptions);
  glue.snapshot = () => handle.snapshot();
  reseedRandom(options.seed ?? 0);

  let outcome = withGlue(glue, (): Ended<T> => {
    for (;;) {
      const r = handle.runUntilBlocked();
      if (r.done) return r.ok === true ? { ok: true, value: r.value as T } : { ok: false, error: r.error };
      try {
        glue.wait();
      } catch (error) {
        // The next select throws it: the run then ends through the scheduler, finalisers included.
        glue.fail(error);
      }
    }
  });
  // A failed Miou.assert fails the run, even if the program caught it.
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

function capturedHost(): Host {
  const host = bundleHost();
  if (host === null) {
    throw new TypeError("Miou.runOn: no host given, and the bundle found no __miou_now/__miou_select when it loaded");
  }
  return host;
}

/**
 * The core's `Miou.run`, with no host: inside it, `sleep`, `recv` and `now` of an
 * enclosing `runOn` are out of reach (their syscalls would belong to this run, not to the
 * host's). `Math.random` is reseeded from the run's seed.
 * @example const v = Miou.run(function* () { return 42; });
 */
export function run<T>(main: () => Generator<unknown, T, unknown>, options: RunOptions = {}): T {
  if (options !== null && typeof options === "object" && options.seed !== undefined) checkSeed(options.seed);
  reseedRandom(options?.seed ?? 0);
  return withGlue(null, () => coreRun<T>(main, options));
}
