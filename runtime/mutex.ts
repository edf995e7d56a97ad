import { active, currentTask } from "./current.js";
import { MutexError } from "./errors.js";
import { Fifo } from "./fifo.js";
import { Op, throwInto, PARK, RUN, type Step } from "./op.js";
import type { Scheduler } from "./scheduler.js";
import type { Task } from "./task.js";

/** A task queued for a mutex; `waiting` turns false when it is served or gives up. */
export interface MutexWaiter {
  readonly task: Task;
  waiting: boolean;
}

/**
 * A mutual-exclusion lock for tasks (Miou.Mutex): waiting suspends the task, not the
 * domain, and unlocking hands the mutex straight to the oldest waiter (FIFO).
 */
export class Mutex {
  locked = false;
  /** The owning task; null when locked outside any task. */
  owner: Task | null = null;
  readonly waiters = new Fifo<MutexWaiter>();
}

function check(m: unknown, fn: string): Mutex {
  if (!(m instanceof Mutex)) throw new TypeError(`Miou.Mutex.${fn}: expected a mutex from Miou.Mutex.create`);
  return m;
}

/** Takes the mutex if it is free. */
export function tryAcquire(m: Mutex, t: Task | null): boolean {
  if (m.locked) return false;
  m.locked = true;
  m.owner = t;
  return true;
}

/** Gives the mutex to the oldest live waiter and wakes it, or frees it. */
export function handOver(s: Scheduler | null, m: Mutex): void {
  for (let w = m.waiters.shift(); w !== undefined; w = m.waiters.shift()) {
    if (!w.waiting) continue;
    w.waiting = false;
    m.owner = w.task;
    s!.wake(w.task);
    return;
  }
  m.locked = false;
  m.owner = null;
}

/** Unlock as `t`; the MutexError Miou raises (as Sys_error) when `t` may not. */
export function unlockAs(m: Mutex, t: Task | null): void {
  if (!m.locked) throw new MutexError("Mutex: unlocked");
  if (m.owner !== t) throw new MutexError("Mutex: not owner");
  handOver(active(), m);
}

class LockOp extends Op<void> implements MutexWaiter {
  waiting = false;
  #queued = false;
  task!: Task;

  constructor(readonly mutex: Mutex) {
    super();
  }

  handle(_s: Scheduler, t: Task): Step {
    const m = this.mutex;
    if (this.#queued) {
      if (m.owner !== t) return PARK;
      this.#queued = false;
    } else if (!tryAcquire(m, t)) {
      if (m.owner === t) return throwInto(t, new MutexError("Mutex: owner"));
      this.task = t;
      this.waiting = this.#queued = true;
      m.waiters.push(this);
      return PARK;
    }
    t.input = undefined;
    return RUN;
  }

  /** An uncontended lock still works in a task being cancelled (DESIGN §3: only a contended one suspends). */
  override get runsWhenCancelled(): boolean {
    return !this.mutex.locked;
  }

  override abort(s: Scheduler, t: Task): boolean {
    if (this.#queued) {
      this.waiting = false;
      // Handed over after the cancellation was requested: pass it on.
      if (this.mutex.owner === t) handOver(s, this.mutex);
    }
    return false;
  }

  override describe(): string {
    return "mutex";
  }
}

/**
 * Miou.Mutex. `lock` and `protect` are operations; `unlock` and `tryLock` are plain calls,
 * so `finally` blocks of a cancelled task can still unlock.
 * @example
 * const m = Miou.Mutex.create();
 * yield* Miou.Mutex.lock(m); try { ... } finally { Miou.Mutex.unlock(m); }
 */
export const MutexApi = {
  create(): Mutex {
    return new Mutex();
  },
  /** Waits for the mutex. MutexError "Mutex: owner" if the task already holds it. */
  lock(m: Mutex): Op<void> {
    return new LockOp(check(m, "lock"));
  },
  /** Releases the mutex to its oldest waiter. MutexError "Mutex: not owner" / "Mutex: unlocked". */
  unlock(m: Mutex): void {
    unlockAs(check(m, "unlock"), active()?.current ?? null);
  },
  /** Locks the mutex if it is free (Miou's try_lock returned true without locking: fixed). */
  tryLock(m: Mutex): boolean {
    return tryAcquire(check(m, "tryLock"), active()?.current ?? null);
  },
  /** Runs `fn` holding the mutex; unlocks on every ending, cancellation included. */
  *protect<T>(m: Mutex, fn: () => Generator<unknown, T, unknown>): Generator<unknown, T, unknown> {
    const t = currentTask("Mutex.protect");
    yield* new LockOp(check(m, "protect"));
    try {
      return yield* fn();
    } finally {
      if (m.locked && m.owner === t) unlockAs(m, t);
    }
  },
};
