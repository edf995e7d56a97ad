import type { Scheduler } from "./scheduler.js";
import { THROW, type Task } from "./task.js";

/**
 * What `Op.handle` asks the scheduler to do with the task next: RUN resumes it now with
 * `task.input` (or throws it, per `task.mode`); YIELD resumes it, then ends its turn
 * whatever quanta is left; PARK parks it until a `wake` re-queues it, and the op is then
 * handled again.
 */
export type Step = typeof RUN | typeof YIELD | typeof PARK;
export const RUN = 0;
export const YIELD = 1;
export const PARK = 2;

/**
 * An operation: the unit a task yields to the scheduler, and one scheduling point.
 *
 * An Op is its own iterator and its own iterator result, so `yield* op` allocates nothing:
 * its `next()` yields the op itself to the scheduler, except when the scheduler resumes
 * the task at this very op (see {@link resumeAt}): then it returns the value the task is
 * resumed with. An op has no iterator state, so ops without arguments can be shared
 * (`Miou.yield()` returns one op for every task), and an op object may be delegated to
 * again. Ops are used with `yield*` only: a plain `yield op` is refused (its resumption
 * would not pass through the op).
 *
 * Subclasses implement `handle`, called at the start of the task's next turn (Miou handles
 * an effect when the task is next scheduled, then continues the task to its next effect).
 * A parked op is handled again when the task is woken, so ops re-check their condition
 * rather than being handed a result.
 */
export abstract class Op<T = unknown> implements Iterator<Op<T>, T, unknown> {
  /** Always false: an op is the iterator result that yields it (set on the prototype). */
  declare readonly done: false;

  /**
   * Handles the op for task `t`; sets `t.input` (and `t.mode`) unless it parks.
   * Runs with `t` as the current task.
   */
  abstract handle(s: Scheduler, t: Task): Step;

  /**
   * Called when `t` is cancelled while this op is pending or parked: undo any registration
   * (leave a waiter list, hand back a claimed event). Returns true to keep the task parked
   * until the op wakes it, for what must finish even under cancellation (Condition.wait
   * re-acquiring its mutex); the op is then handled once more and throws `Cancelled`.
   */
  abort(_s: Scheduler, _t: Task): boolean {
    return false;
  }

  /**
   * Whether the op still runs in a task that is being cancelled. Ops that release or signal
   * do (so `finally` can clean up); ops that would suspend or start work end the task.
   */
  get runsWhenCancelled(): boolean {
    return false;
  }

  /** What a task parked on this op waits on, for snapshots and deadlock reports. */
  describe(): string {
    return this.constructor.name;
  }

  /** A child of the parked task `t` terminated; returns true to wake `t`. */
  childDone(_t: Task, _child: Task): boolean {
    return false;
  }

  /** A child of the parked task `t` finished its cancellation (subtree included). */
  childCleaned(_t: Task, _child: Task): boolean {
    return false;
  }

  [Symbol.iterator](): Iterator<Op<T>, T, unknown> {
    return this;
  }

  /** Itself, for the iterator protocol (the scheduler reads the result object itself). */
  get value(): this {
    return this;
  }

  next(resumed?: unknown): IteratorResult<Op<T>, T> {
    if (resuming !== this) return this as unknown as IteratorResult<Op<T>, T>;
    resuming = null;
    RESUMED.value = resumed;
    return RESUMED as IteratorResult<Op<T>, T>;
  }

  throw(error: unknown): IteratorResult<Op<T>, T> {
    resuming = null;
    throw error;
  }

  return(value?: unknown): IteratorResult<Op<T>, T> {
    resuming = null;
    return { done: true, value: value as T };
  }
}
(Op.prototype as { done: boolean }).done = false;

/**
 * The op the task about to be resumed stopped at, or null: its `next` then returns the
 * resumption value instead of yielding the op again. Set by the scheduler just before each
 * `generator.next(input)`; any other resumption (first slice, throw, return) clears it.
 */
let resuming: Op | null = null;
/** The one result object `next` returns on resumption: `yield*` reads it at once. */
const RESUMED: { done: true; value: unknown } = { done: true, value: undefined };

/**
 * Names the op whose `next` resumes the task about to be resumed (null for none). Also
 * drops the value RESUMED carried last, so that it holds nothing past the next step; the
 * loop calls `resumeAt(null)` when it returns, so that nothing outlives a run either.
 */
export function resumeAt(op: Op | null): void {
  resuming = op;
  RESUMED.value = undefined;
}

/** A task: a generator function whose yields are Miou operations. */
export type TaskFn<A extends unknown[] = unknown[], T = unknown> = (...args: A) => Generator<unknown, T, unknown>;

/** Makes the task's next resumption throw `error` at its op; returns `RUN` for `handle`. */
export function throwInto(t: Task, error: unknown): Step {
  t.mode = THROW;
  t.input = error;
  return RUN;
}
