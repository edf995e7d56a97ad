import { currentTask, scheduler } from "./current.js";
import { LazyUndefined } from "./errors.js";
import { Op, PARK, RUN, type Step } from "./op.js";
import { point } from "./yield.js";
import type { Scheduler } from "./scheduler.js";
import type { Task } from "./task.js";

const enum State {
  Unforced,
  Computing,
  Value,
  Error,
}

/** A suspended computation, forced at most once (Miou.Lazy); values and exceptions are memoised. */
export class Lazy<T = unknown> {
  state = State.Unforced;
  value: unknown = undefined;
  computer: Task | null = null;
  readonly waiters: LazyWaitOp[] = [];

  constructor(readonly fn: (() => T | Generator<unknown, T, unknown>) | null) {}
}

/** Parks a task until the Lazy it forces is computed by another task. */
class LazyWaitOp extends Op<void> {
  task: Task | null = null;

  constructor(readonly lazy: Lazy) {
    super();
  }

  handle(_s: Scheduler, t: Task): Step {
    if (this.lazy.state !== State.Computing) {
      t.input = undefined;
      return RUN;
    }
    if (this.task === null) {
      this.task = t;
      this.lazy.waiters.push(this);
    } else if (!this.lazy.waiters.includes(this)) {
      this.lazy.waiters.push(this); // woken, but another forcer started computing again
    }
    return PARK;
  }

  override abort(): boolean {
    const waiters = this.lazy.waiters;
    const i = waiters.indexOf(this);
    if (i >= 0) waiters.splice(i, 1);
    return false;
  }

  override describe(): string {
    return `lazy computed by task ${this.lazy.computer?.uid ?? "?"}`;
  }
}

function isIterator(value: unknown): value is Generator<unknown, unknown, unknown> {
  return value !== null && typeof value === "object" && typeof (value as Iterator<unknown>).next === "function";
}

function settle(l: Lazy, s: Scheduler): void {
  l.computer = null;
  for (const w of l.waiters.splice(0)) if (w.task !== null && w.task.parked) s.wake(w.task);
}

function* compute<T>(l: Lazy<T>, t: Task): Generator<unknown, T, unknown> {
  l.state = State.Computing;
  l.computer = t;
  let settled = false;
  try {
    const r = l.fn!();
    const value = (isIterator(r) ? yield* r : r) as T;
    l.state = State.Value;
    l.value = value;
    settled = true;
    return value;
  } catch (error) {
    // The forcer's own cancellation is not the Lazy's outcome: another task may compute it.
    if (!t.cancelRequested) {
      l.state = State.Error;
      l.value = error;
      settled = true;
    }
    throw error;
  } finally {
    if (!settled) l.state = State.Unforced;
    settle(l, scheduler("Lazy.force"));
  }
}

/**
 * Miou.Lazy. `fromFun(fn)` takes a plain function, or a generator function whose operations
 * run in the first forcer's task; others forcing meanwhile wait, and the forcer itself
 * forcing again gets LazyUndefined.
 * @example const config = Miou.Lazy.fromFun(function* () { return yield* load(); }); const c = yield* Miou.Lazy.force(config);
 */
export const LazyApi = {
  fromVal<T>(value: T): Lazy<T> {
    const l = new Lazy<T>(null);
    l.state = State.Value;
    l.value = value;
    return l;
  },
  fromFun<T>(fn: () => T | Generator<unknown, T, unknown>): Lazy<T> {
    if (typeof fn !== "function") throw new TypeError("Miou.Lazy.fromFun: expected a function");
    return new Lazy(fn);
  },
  /** The value, computing it in this task if nobody has yet; memoised exceptions are re-thrown. */
  *force<T>(l: Lazy<T>): Generator<unknown, T, unknown> {
    if (!(l instanceof Lazy)) throw new TypeError("Miou.Lazy.force: expected a value from Miou.Lazy.fromVal or fromFun");
    // Miou 1.13: forcing costs nothing once forced, else one scheduling point (Self) first.
    let pointed = false;
    for (;;) {
      if (l.state === State.Value) return l.value as T;
      if (l.state === State.Error) throw l.value;
      if (!pointed) {
        pointed = true;
        yield* point();
        continue;
      }
      const t = currentTask("Lazy.force");
      if (l.state === State.Unforced) return yield* compute(l, t);
      if (l.computer === t) throw new LazyUndefined();
      yield* new LazyWaitOp(l);
    }
  },
};
