import type { Events } from "./domain.js";
import type { SuspendedTask } from "./errors.js";
import type { TaskFn } from "./op.js";
import { checkSeed } from "./prng.js";
import { Scheduler, type Choices, type Outcome, type Policy } from "./scheduler.js";
import type { Tracer } from "./trace.js";

/** Options of `Miou.run` and `Miou.start`. */
export interface RunOptions {
  /** Extra worker domains (dom0 not counted). Default 0. */
  readonly domains?: number;
  /** Operations a task may handle per turn. Default 1 (Miou's maximal availability). */
  readonly quanta?: number;
  /** Seed of the run's PRNG, an integer in [0, 2^32). Default 0. */
  readonly seed?: number;
  /** Builds each domain's `events`; without it, a task that suspends fails the run with NoSelectProvided. */
  readonly events?: (domain: number) => Events;
  /** Receives every scheduler decision (docs/formats.md). */
  readonly trace?: Tracer;
  /** Chooses which domain takes the next turn (default: round-robin in uid order). */
  readonly policy?: Policy;
  /** Supplies every random draw instead of the seeded PRNG. */
  readonly choices?: Choices;
  /** For hosts: called every 4,096 turns, so a glue can show it is alive (DESIGN §4). */
  readonly heartbeat?: () => void;
  /**
   * For embedders: called with the error of every task that ends with one; returning true
   * ends the whole run with that error at once, before any awaiter sees it (an engine's
   * out-of-memory or stack overflow must stop the guest, not be delivered to a parent).
   */
  readonly fatal?: (error: unknown) => boolean;
}

/** A run driven by its host: see `start`. */
export interface Handle<T> {
  /**
   * Runs until main is done (and every cancellation finished), or until every task waits on
   * the system: then `done` is false and `deadline` is the earliest deadline `events` know of.
   * Call again once the system has something for the run.
   */
  runUntilBlocked(): Outcome<T>;
  /** The tasks waiting right now and what each waits on. */
  snapshot(): SuspendedTask[];
}

/** Domains beyond this are a mistake, not a configuration: each costs a scan per turn. */
const MAX_DOMAINS = 256;
const KNOWN = new Set(["domains", "quanta", "seed", "events", "trace", "policy", "choices", "heartbeat", "fatal"]);

function optionalFunction<F>(options: RunOptions, key: keyof RunOptions): F | null {
  const value = options[key];
  if (value === undefined) return null;
  if (typeof value !== "function") throw new TypeError(`Miou.run: option ${key} must be a function`);
  return value as F;
}

function integerOption(value: unknown, key: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`Miou.run: option ${key} must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
  return value;
}

function configure(main: unknown, options: RunOptions): Scheduler {
  if (typeof main !== "function") throw new TypeError("Miou.run: main must be a generator function");
  if (options === null || typeof options !== "object") throw new TypeError("Miou.run: options must be an object");
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new TypeError(`Miou.run: unknown option "${key}" (known: ${[...KNOWN].join(", ")})`);
  }
  return new Scheduler(
    {
      domains: integerOption(options.domains, "domains", 0, MAX_DOMAINS, 0),
      quanta: integerOption(options.quanta, "quanta", 1, Number.MAX_SAFE_INTEGER, 1),
      seed: options.seed === undefined ? 0 : checkSeed(options.seed),
      events: optionalFunction(options, "events"),
      trace: optionalFunction(options, "trace"),
      policy: optionalFunction(options, "policy"),
      choices: optionalFunction(options, "choices"),
      heartbeat: optionalFunction(options, "heartbeat"),
      fatal: optionalFunction(options, "fatal"),
    },
    main as TaskFn,
  );
}

/**
 * Starts a run that its host drives: nothing runs until `runUntilBlocked()` is called.
 * @example
 * const h = Miou.start(main, { events });
 * for (let r = h.runUntilBlocked(); !r.done; r = h.runUntilBlocked()) waitForTheSystem(r.deadline);
 */
export function start<T>(main: () => Generator<unknown, T, unknown>, options: RunOptions = {}): Handle<T> {
  const s = configure(main, options);
  return {
    runUntilBlocked: () => s.loop(false) as Outcome<T>,
    snapshot: () => s.snapshot(),
  };
}

/**
 * Runs `main` to completion and returns its value, or throws its error. With `events`,
 * `select` may block when no task can run.
 * @example const v = Miou.run(function* () { const p = yield* Miou.async(work); return yield* Miou.awaitExn(p); });
 */
export function run<T>(main: () => Generator<unknown, T, unknown>, options: RunOptions = {}): T {
  const outcome = configure(main, options).loop(true);
  if (outcome.ok === true) return outcome.value as T;
  throw outcome.error;
}
