/**
 * `Miou.assert(condition, message)`: an invariant the program states about itself, for
 * exploration (DESIGN §6). A failed one throws `InvariantFailed` where it is checked, and
 * is also recorded in the run itself: the run then fails with it even if the program
 * catches the exception, and it ends at the next `select` rather than running on.
 */
import { active } from "../runtime/current.js";
import { runningGlue, type Glue } from "./glue.js";

/** A failed `Miou.assert`: a bug the program found in itself. */
export class InvariantFailed extends Error {
  constructor(message: string) {
    super(message);
    // A string literal, so that the name survives minification.
    this.name = "InvariantFailed";
  }
}

/** The first failed invariant of each run's glue. */
const failures = new WeakMap<Glue, InvariantFailed>();

/**
 * Checks an invariant. When `condition` is falsy, the run (if any) records the failure
 * and a decision trace `invariant` record, and `InvariantFailed` is thrown here.
 * @throws InvariantFailed with `message` when `condition` is falsy.
 * @example Miou.assert(balance >= 0, `balance went negative: ${balance}`);
 */
export function assert(condition: unknown, message: string): void {
  if (condition) return;
  const text = typeof message === "string" ? message : String(message);
  const error = new InvariantFailed(text);
  const glue = runningGlue();
  if (glue !== null && !failures.has(glue)) {
    failures.set(glue, error);
    glue.trace?.write({ kind: "invariant", task: active()?.current?.uid ?? 0, message: text });
    // The next select throws it: the run ends there, through the scheduler.
    glue.fail(error);
  }
  throw error;
}

/** The first invariant that failed in the run of `glue`, or null. */
export function failedInvariant(glue: Glue): InvariantFailed | null {
  return failures.get(glue) ?? null;
}
