/**
 * Invariant checks. A failed assertion is a bug in Miou itself, never a user error:
 * users get TypeError/RangeError or one of the named errors in errors.ts.
 */
export class AssertionError extends Error {
  constructor(message: string) {
    super(`Miou invariant violated: ${message}`);
    this.name = "AssertionError";
  }
}

/**
 * Throws AssertionError unless `condition` holds. `message` is a constant and `subject` (a
 * uid, a bound) is formatted only on failure: the scheduler asserts on every turn, and a
 * message built from a template each time would cost more than the check.
 */
export function assert(condition: boolean, message: string, subject?: number | string): asserts condition {
  if (!condition) throw new AssertionError(subject === undefined ? message : `${message}: ${subject}`);
}
