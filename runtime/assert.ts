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

export function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}
