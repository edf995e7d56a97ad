import { TriggerApi, type Trigger } from "./trigger.js";
import type { Result } from "./task.js";

const enum State {
  Running,
  Returned,
  Cancelled,
}

/** A one-shot result cell with attachable triggers (Miou.Computation). */
export class Computation<T = unknown> {
  state = State.Running;
  value: unknown = undefined;
  triggers: Trigger[] = [];
}

function check<T>(c: Computation<T>, fn: string): Computation<T> {
  if (!(c instanceof Computation)) throw new TypeError(`Miou.Computation.${fn}: expected a computation from Miou.Computation.create`);
  return c;
}

function complete(c: Computation, state: State, value: unknown): boolean {
  if (c.state !== State.Running) return false;
  c.state = state;
  c.value = value;
  const triggers = c.triggers;
  c.triggers = [];
  for (const tr of triggers) TriggerApi.signal(tr);
  return true;
}

/**
 * Miou.Computation: the first completion wins and signals every attached trigger.
 * `await` and `awaitExn` are operations; the rest are plain calls.
 * @example const c = Miou.Computation.create(); Miou.Computation.tryReturn(c, 42); const r = yield* Miou.Computation.await(c);
 */
export const ComputationApi = {
  create<T>(): Computation<T> {
    return new Computation<T>();
  },
  tryReturn<T>(c: Computation<T>, value: T): boolean {
    return complete(check(c, "tryReturn"), State.Returned, value);
  },
  tryCancel(c: Computation, error: unknown): boolean {
    return complete(check(c, "tryCancel"), State.Cancelled, error);
  },
  /** Runs the plain function `fn(...args)` and completes with its value or exception. */
  tryCapture<A extends unknown[], T>(c: Computation<T>, fn: (...args: A) => T, ...args: A): boolean {
    check(c, "tryCapture");
    let value: T;
    try {
      value = fn(...args);
    } catch (error) {
      return complete(c, State.Cancelled, error);
    }
    return complete(c, State.Returned, value);
  },
  isRunning(c: Computation): boolean {
    return check(c, "isRunning").state === State.Running;
  },
  /** The error if the computation was cancelled (or failed), else null. */
  cancelled(c: Computation): unknown {
    return check(c, "cancelled").state === State.Cancelled ? c.value : null;
  },
  /** Throws the error if the computation was cancelled (or failed). */
  raiseIfErrored(c: Computation): void {
    if (check(c, "raiseIfErrored").state === State.Cancelled) throw c.value;
  },
  /** The result once completed, else null. */
  peek<T>(c: Computation<T>): Result<T> | null {
    check(c, "peek");
    if (c.state === State.Running) return null;
    return c.state === State.Returned ? { ok: true, value: c.value as T } : { ok: false, error: c.value };
  },
  /** Attaches a trigger signalled on completion; false if already completed or the trigger was signalled. */
  tryAttach(c: Computation, tr: Trigger): boolean {
    if (check(c, "tryAttach").state !== State.Running || TriggerApi.isSignaled(tr)) return false;
    c.triggers.push(tr);
    return true;
  },
  /** Signals the trigger and removes it from the computation. */
  detach(c: Computation, tr: Trigger): void {
    const i = check(c, "detach").triggers.indexOf(tr);
    if (i >= 0) c.triggers.splice(i, 1);
    TriggerApi.signal(tr);
  },
  /** Waits for completion and returns the result. */
  *await<T>(c: Computation<T>): Generator<unknown, Result<T>, unknown> {
    check(c, "await");
    if (c.state === State.Running) {
      const tr = TriggerApi.create();
      if (ComputationApi.tryAttach(c, tr)) {
        try {
          yield* TriggerApi.await(tr);
        } finally {
          const i = c.triggers.indexOf(tr);
          if (i >= 0) c.triggers.splice(i, 1);
        }
      }
    }
    return ComputationApi.peek(c)!;
  },
  /** Waits for completion and returns the value, or throws the error. */
  *awaitExn<T>(c: Computation<T>): Generator<unknown, T, unknown> {
    const r = yield* ComputationApi.await(c);
    if (r.ok) return r.value;
    throw r.error;
  },
};
