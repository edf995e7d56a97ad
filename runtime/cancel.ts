import { checkPromise, notAChild } from "./child.js";
import { Op, throwInto, PARK, RUN, type Step } from "./op.js";
import type { Scheduler } from "./scheduler.js";
import type { Promise } from "./spawn.js";
import type { Task } from "./task.js";

class CancelOp extends Op<void> {
  #requested = false;

  constructor(readonly child: Task) {
    super();
  }

  handle(s: Scheduler, t: Task): Step {
    const c = this.child;
    if (!this.#requested) {
      const error = notAChild(t, c);
      if (error !== null) return throwInto(t, error);
      s.requestCancel(c);
      this.#requested = true;
    }
    // Miou: cancel returns once the child is terminated and its whole subtree cleaned.
    if (!c.cleaned || c.linked) {
      c.waitMark = this;
      return PARK;
    }
    c.waitMark = null;
    c.erased = true;
    t.input = undefined;
    return RUN;
  }

  override childCleaned(_t: Task, child: Task): boolean {
    return child === this.child;
  }

  override describe(): string {
    return `cancel task ${this.child.uid}`;
  }
}

/**
 * Cancels a child and waits until it and its whole subtree have finished (their `finally`
 * blocks included). Afterwards `await` on it gives `Cancelled`, even if it had returned.
 * @example yield* Miou.cancel(p);
 */
export function cancel(p: Promise<unknown>): Op<void> {
  return new CancelOp(checkPromise(p, "cancel"));
}
