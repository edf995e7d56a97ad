import { active } from "./current.js";
import { MutexError } from "./errors.js";
import { Fifo } from "./fifo.js";
import { type Mutex, type MutexWaiter, handOver, tryAcquire } from "./mutex.js";
import { Op, throwInto, PARK, RUN, type Step } from "./op.js";
import type { Scheduler } from "./scheduler.js";
import type { Task } from "./task.js";

/** A condition variable (Miou.Condition): a FIFO of waiting tasks. */
export class Condition {
  readonly waiters = new Fifo<WaitOp>();
}

const enum Phase {
  Fresh,
  /** Queued on the condition, waiting for a signal. */
  Waiting,
  /** Signalled (or cancelled): re-acquiring the mutex, which happens even under cancellation. */
  Relocking,
}

class WaitOp extends Op<void> implements MutexWaiter {
  phase = Phase.Fresh;
  /** Queued on the mutex, re-acquiring it (MutexWaiter). */
  waiting = false;
  /** Queued on the condition, waiting for a signal. */
  onCondition = false;
  signalled = false;
  task!: Task;

  constructor(
    readonly condition: Condition,
    readonly mutex: Mutex,
  ) {
    super();
  }

  handle(s: Scheduler, t: Task): Step {
    if (this.phase === Phase.Fresh) {
      if (!this.mutex.locked) return throwInto(t, new MutexError("Mutex: unlocked"));
      if (this.mutex.owner !== t) return throwInto(t, new MutexError("Mutex: not owner"));
      this.task = t;
      this.phase = Phase.Waiting;
      this.onCondition = true;
      this.condition.waiters.push(this);
      handOver(s, this.mutex);
      return PARK;
    }
    if (this.phase === Phase.Waiting || !this.#relock()) return PARK;
    // The mutex is ours again; a task cancelled meanwhile unwinds only now (Miou: forbid).
    if (t.cancelRequested) return throwInto(t, t.cancelError);
    t.input = undefined;
    return RUN;
  }

  /** True once the task holds the mutex; otherwise queues for it (once). */
  #relock(): boolean {
    const m = this.mutex;
    if (m.owner === this.task && m.locked) return true;
    if (tryAcquire(m, this.task)) return true;
    if (!this.waiting) {
      this.waiting = true;
      m.waiters.push(this);
    }
    return false;
  }

  override get runsWhenCancelled(): boolean {
    return this.phase === Phase.Relocking;
  }

  override abort(s: Scheduler): boolean {
    if (this.phase === Phase.Fresh) return false;
    if (this.phase === Phase.Waiting) {
      this.onCondition = false; // leaves the condition's queue (skipped by signal)
      this.phase = Phase.Relocking;
    } else if (this.signalled) {
      // Signalled but cancelled before the program saw it: the signal goes to another waiter.
      this.signalled = false;
      signalOne(s, this.condition);
    }
    // Keep the task parked until the mutex is re-acquired, then it unwinds holding it.
    return !this.#relock();
  }

  override describe(): string {
    return this.phase === Phase.Waiting ? "condition" : "mutex (re-acquiring after a condition)";
  }
}

function check(c: unknown, fn: string): Condition {
  if (!(c instanceof Condition)) throw new TypeError(`Miou.Condition.${fn}: expected a condition from Miou.Condition.create`);
  return c;
}

function signalOne(s: Scheduler | null, c: Condition): boolean {
  for (let w = c.waiters.shift(); w !== undefined; w = c.waiters.shift()) {
    if (!w.onCondition) continue;
    w.onCondition = false;
    w.signalled = true;
    w.phase = Phase.Relocking;
    s!.wake(w.task);
    return true;
  }
  return false;
}

/**
 * Miou.Condition. `wait` is an operation; `signal` and `broadcast` are plain calls.
 * Spurious wake-ups are allowed: wait in a loop that re-checks the predicate.
 * @example
 * yield* Miou.Mutex.lock(m);
 * while (queue.length === 0) yield* Miou.Condition.wait(c, m);
 */
export const ConditionApi = {
  create(): Condition {
    return new Condition();
  },
  /** Unlocks `m`, waits for a signal, then re-locks `m` (even when cancelled meanwhile). */
  wait(c: Condition, m: Mutex): Op<void> {
    return new WaitOp(check(c, "wait"), m);
  },
  /** Wakes the oldest waiter, if any. */
  signal(c: Condition): void {
    signalOne(active(), check(c, "signal"));
  },
  /** Wakes every waiter. */
  broadcast(c: Condition): void {
    check(c, "broadcast");
    while (signalOne(active(), c));
  },
};

