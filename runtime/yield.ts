import { Op, RUN, YIELD, type Step } from "./op.js";
import type { Scheduler } from "./scheduler.js";
import type { Task } from "./task.js";

class YieldOp extends Op<void> {
  handle(s: Scheduler, t: Task): Step {
    if (s.tracer !== null) s.tracer({ kind: "yield", task: t.uid });
    t.input = undefined;
    return YIELD;
  }

  override describe(): string {
    return "yield";
  }
}

/**
 * Lets every task already queued on this domain run first: the task goes to the back.
 * @example yield* Miou.yield();
 */
export function yield_(): Op<void> {
  return YIELD_OP;
}

// Ops keep no iterator state, so every task can share one.
const YIELD_OP = new YieldOp();

class PointOp extends Op<void> {
  handle(_s: Scheduler, t: Task): Step {
    t.input = undefined;
    return RUN;
  }
}

/** An operation that only is a scheduling point (Miou's `Self` effect, where a call costs one). */
export function point(): Op<void> {
  return POINT_OP;
}

const POINT_OP = new PointOp();
