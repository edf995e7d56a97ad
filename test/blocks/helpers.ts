// Shared helpers for the building-block suites (test/blocks).
//
// Every expectation in test/blocks is written by hand from shared/reference/miou-semantics.md
// (§1.7-1.14, §1.17, §2.18), shared/DESIGN.md §3 and issue 3. These helpers only build
// programs and collect what happened; none of them computes an expected value.
import * as Miou from "../../runtime/index.js";

export type Result<T = unknown> = { ok: true; value: T } | { ok: false; error: unknown };

/** Yields `n` times (n scheduling points). */
export function* yields(n: number) {
  for (let i = 0; i < n; i++) yield* Miou.yield();
}

/**
 * Yields until `pred()` holds. A bounded spin: a broken primitive must fail the test with a
 * message, not hang it.
 */
export function* spinUntil(pred: () => boolean, what = "condition", max = 200_000) {
  for (let i = 0; !pred(); i++) {
    if (i >= max) throw new Error(`spinUntil: ${what} still false after ${max} yields`);
    yield* Miou.yield();
  }
}

/** Yields forever (until cancelled). Bounded so that a missed cancellation fails instead of hanging. */
export function* forever(max = 1_000_000) {
  for (let i = 0; i < max; i++) yield* Miou.yield();
  throw new Error("forever: never cancelled");
}

/** Run `fn` and return what it threw (fails the test if it returned). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected the call to throw, it returned normally");
}

/** What an operation or generator throws (inside a task): the error, or NO_THROW if it did not throw. */
export function* caught(op: Iterable<unknown, unknown, unknown>) {
  try {
    yield* op;
  } catch (e) {
    return e;
  }
  return NO_THROW;
}

export const NO_THROW = Symbol("did not throw");

/** Same, for a plain call inside a task. */
export function caughtCall(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return NO_THROW;
}

/** Miou's Invalid_argument becomes a TypeError (or RangeError) carrying Miou's message. */
export function isInvalidArgument(e: unknown, message: string | RegExp): boolean {
  if (!(e instanceof TypeError || e instanceof RangeError)) return false;
  return typeof message === "string" ? e.message === message : message.test(e.message);
}

export const OWNED_BY_ANOTHER = "The given orphans is owned by another promise";
export const HOOK_OTHER_DOMAIN = "The hook does not belong into the current domain";
