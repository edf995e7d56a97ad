import { currentTask } from "./current.js";
import { Cancelled, FinallyRaised, OnCancellationRaised } from "./errors.js";

/** The handlers of `protect`. */
export interface ProtectHandlers {
  /** Runs after `finally` when the task is being cancelled. A plain function: no operations. */
  readonly onCancellation?: () => void;
  /** Runs on every ending; `cancelled` says whether the task is being cancelled. A plain function. */
  readonly finally?: (cancelled: boolean) => void;
}

/**
 * Runs the generator function `fn` like try/finally, telling cancellation apart (Miou's
 * `protect`): on success `finally(false)`; on cancellation `finally(true)` then
 * `onCancellation()` and `Cancelled` goes on; on any other error `finally(false)` and the
 * error goes on. A throwing `finally` becomes FinallyRaised, a throwing `onCancellation`
 * OnCancellationRaised.
 * @example yield* Miou.protect({ finally: () => file.close() }, function* () { yield* work(file); });
 */
export function* protect<T>(handlers: ProtectHandlers, fn: () => Generator<unknown, T, unknown>): Generator<unknown, T, unknown> {
  if (handlers === null || typeof handlers !== "object") throw new TypeError("Miou.protect: handlers must be an object");
  if (typeof fn !== "function") throw new TypeError("Miou.protect: expected a generator function");
  const t = currentTask("protect");
  let value: T;
  let settled = false;
  try {
    value = yield* fn();
    settled = true;
  } catch (error) {
    settled = true;
    // Miou matches the exception: Cancelled (the task's own, or one re-raised from a child).
    const cancelled = error instanceof Cancelled || t.cancelRequested;
    runFinally(handlers, cancelled);
    if (cancelled) runOnCancellation(handlers);
    throw error;
  } finally {
    // Neither returned nor threw: the scheduler ended the task with return() while it was
    // being cancelled (an operation after Cancelled), so this is the cancelled path.
    if (!settled) {
      runFinally(handlers, true);
      runOnCancellation(handlers);
    }
  }
  runFinally(handlers, false);
  return value;
}

function runFinally(handlers: ProtectHandlers, cancelled: boolean): void {
  if (handlers.finally === undefined) return;
  try {
    handlers.finally(cancelled);
  } catch (error) {
    throw new FinallyRaised(error);
  }
}

function runOnCancellation(handlers: ProtectHandlers): void {
  if (handlers.onCancellation === undefined) return;
  try {
    handlers.onCancellation();
  } catch (error) {
    throw new OnCancellationRaised(error);
  }
}
