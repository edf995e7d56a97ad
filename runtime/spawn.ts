import { checkFn } from "./child.js";
import { NoDomainAvailable } from "./errors.js";
import type { Domain } from "./domain.js";
import { Op, throwInto, RUN, type Step, type TaskFn } from "./op.js";
import { adopt, adoptionError } from "./orphans.js";
import { give } from "./ownership.js";
import type { Scheduler } from "./scheduler.js";
import { NO_ARGS, type Task } from "./task.js";

/** A Miou promise: the handle of a task, to await or cancel (only by its parent). */
export type Promise<T> = Task<T>;

/** Options of `asyncWith`: resources to give the child, an orphans collector to register it in. */
export interface AsyncOptions {
  readonly give?: readonly unknown[];
  readonly orphans?: unknown;
}

/** Options of `callWith`: `pin` chooses the worker domain. */
export interface CallOptions extends AsyncOptions {
  readonly pin?: number;
}

const PIN_MESSAGE = "The given domain to pin your task does not exist or is the actual domain";

/**
 * The worker domain for a parallel task: never dom0 and never the caller's (rules 6),
 * pinned or drawn uniformly with the run's PRNG. Returns an Error to throw into the task.
 */
export function pickWorker(s: Scheduler, t: Task, pin: number | undefined): Domain | Error {
  const workers = s.domains.length - 1;
  if (workers === 0) return new NoDomainAvailable();
  if (pin !== undefined) {
    return Number.isInteger(pin) && pin >= 1 && pin <= workers && pin !== t.domain.uid ? s.domains[pin]! : new TypeError(PIN_MESSAGE);
  }
  const candidates = t.domain.uid === 0 ? workers : workers - 1;
  if (candidates === 0) return new NoDomainAvailable();
  let uid = 1 + (candidates > 1 ? s.draw(candidates) : 0);
  if (uid >= t.domain.uid && t.domain.uid !== 0) uid++; // skip the caller's own domain
  return s.domains[uid]!;
}

class SpawnOp extends Op<Promise<unknown>> {
  constructor(
    readonly parallel: boolean,
    readonly options: CallOptions | undefined,
    readonly fn: TaskFn,
    readonly args: readonly unknown[],
  ) {
    super();
  }

  handle(s: Scheduler, t: Task): Step {
    let domain = t.domain;
    if (this.parallel) {
      const picked = pickWorker(s, t, this.options?.pin);
      if (picked instanceof Error) return throwInto(t, picked);
      domain = picked;
    }
    const options = this.options;
    if (options?.orphans !== undefined) {
      const error = adoptionError(options.orphans, t);
      if (error !== null) return throwInto(t, error);
    }
    const child = s.spawn(t, this.fn, this.args, domain);
    if (options !== undefined) {
      if (options.give !== undefined) give(t, child, options.give);
      if (options.orphans !== undefined) adopt(options.orphans, t, child);
    }
    t.input = child;
    return RUN;
  }

  override describe(): string {
    return this.parallel ? "call" : "async";
  }
}

function checkOptions<O extends CallOptions>(options: O, name: string): O {
  if (options === null || typeof options !== "object") throw new TypeError(`Miou.${name}: options must be an object`);
  if (options.give !== undefined && !Array.isArray(options.give)) throw new TypeError(`Miou.${name}: give must be an array of resources`);
  if (options.pin !== undefined && typeof options.pin !== "number") throw new TypeError(`Miou.${name}: pin must be a domain uid`);
  return options;
}

/**
 * Runs `fn(...args)` as a child task on the current domain; the child's first slice runs
 * after everything already queued.
 * @example const p = yield* Miou.async(worker, 1); const r = yield* Miou.await(p);
 */
export function async<A extends unknown[], T>(fn: (...args: A) => Generator<unknown, T, unknown>, ...args: A): Op<Promise<T>> {
  return new SpawnOp(false, undefined, checkFn(fn, "async"), args.length === 0 ? NO_ARGS : args) as Op<Promise<T>>;
}

/** `async` with options: `give` resources to the child, register it in `orphans`. */
export function asyncWith<A extends unknown[], T>(
  options: AsyncOptions,
  fn: (...args: A) => Generator<unknown, T, unknown>,
  ...args: A
): Op<Promise<T>> {
  return new SpawnOp(false, checkOptions(options, "asyncWith"), checkFn(fn, "asyncWith"), args.length === 0 ? NO_ARGS : args) as Op<Promise<T>>;
}

/**
 * Runs `fn(...args)` as a child task on another worker domain, chosen with the run's PRNG.
 * Throws NoDomainAvailable when there is none (never dom0, never the current domain).
 * @example const p = yield* Miou.call(work, 42);
 */
export function call<A extends unknown[], T>(fn: (...args: A) => Generator<unknown, T, unknown>, ...args: A): Op<Promise<T>> {
  return new SpawnOp(true, undefined, checkFn(fn, "call"), args.length === 0 ? NO_ARGS : args) as Op<Promise<T>>;
}

/** `call` with options: `pin` a worker domain, `give` resources, register in `orphans`. */
export function callWith<A extends unknown[], T>(
  options: CallOptions,
  fn: (...args: A) => Generator<unknown, T, unknown>,
  ...args: A
): Op<Promise<T>> {
  return new SpawnOp(true, checkOptions(options, "callWith"), checkFn(fn, "callWith"), args.length === 0 ? NO_ARGS : args) as Op<Promise<T>>;
}
