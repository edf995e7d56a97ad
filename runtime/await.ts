import { checkFn, checkPromise, notAChild } from "./child.js";
import { NoDomainAvailable } from "./errors.js";
import { Op, throwInto, PARK, RUN, type Step, type TaskFn } from "./op.js";
import type { Scheduler } from "./scheduler.js";
import type { Promise } from "./spawn.js";
import { errorOf, OK, PENDING, succeeded, type Result, type Task } from "./task.js";


function checkChildren(t: Task, list: readonly Task[]): Step | null {
  for (const p of list) {
    const error = notAChild(t, p);
    if (error !== null) return throwInto(t, error);
  }
  return null;
}

/** `await` (a result) and `awaitExn` (the value, or its error thrown into the task). */
class AwaitOp<T> extends Op<Result<T>> {
  constructor(
    readonly child: Task<T>,
    readonly exn: boolean,
  ) {
    super();
  }

  handle(s: Scheduler, t: Task): Step {
    const c = this.child;
    const error = notAChild(t, c);
    if (error !== null) return throwInto(t, error);
    if (c.status === PENDING) {
      c.waitMark = this;
      return PARK;
    }
    if (!this.exn) {
      t.input = s.consume(c);
      return RUN;
    }
    // awaitExn, the common case, makes no Result.
    s.release(c);
    if (!succeeded(c)) return throwInto(t, errorOf(c));
    t.input = c.result;
    return RUN;
  }

  override childDone(): boolean {
    return true;
  }

  override describe(): string {
    return `await task ${this.child.uid}`;
  }
}

/** Waits for every listed child (each counted once), then returns their results in order. */
class AwaitAllOp extends Op<Result<unknown>[]> {
  #checked = false;
  #remaining = 0;

  constructor(public list: Task[]) {
    super();
  }

  handle(s: Scheduler, t: Task): Step {
    if (!this.#checked) {
      const failed = this.prepare(s, t) ?? checkChildren(t, this.list);
      if (failed !== null) return failed;
      this.#checked = true;
      for (const p of this.list) {
        if (p.status === PENDING && p.waitMark !== this) {
          p.waitMark = this;
          this.#remaining++;
        }
      }
    }
    if (this.#remaining > 0) return PARK;
    t.input = this.list.map((p) => s.consume(p));
    return RUN;
  }

  /** Work before the first wait (ParallelOp spawns its tasks here); a Step to fail with. */
  prepare(_s: Scheduler, _t: Task): Step | null {
    return null;
  }

  override childDone(): boolean {
    return --this.#remaining === 0;
  }

  override describe(): string {
    return `await all of tasks ${this.list.map((p) => p.uid).join(", ")}`;
  }
}

/** `parallel`: one task per item, round-robin over the workers other than the current domain. */
class ParallelOp extends AwaitAllOp {
  constructor(
    readonly fn: TaskFn,
    readonly items: readonly unknown[],
  ) {
    super([]);
  }

  override prepare(s: Scheduler, t: Task): Step | null {
    const workers: number[] = [];
    for (let uid = 1; uid < s.domains.length; uid++) if (uid !== t.domain.uid) workers.push(uid);
    if (workers.length === 0) return throwInto(t, new NoDomainAvailable());
    this.list = this.items.map((item, i) => s.spawn(t, this.fn, [item], s.domains[workers[i % workers.length]!]!));
    return null;
  }
}

/**
 * `awaitOne` and `awaitFirst`: when the task next runs, choose among every listed promise
 * terminated by then, preferring successes, ties broken with the run's PRNG. `awaitFirst`
 * then cancels the others and waits until their cancellation finished.
 */
export class AwaitChoiceOp extends Op<Result<unknown>> {
  #winner: Task | null = null;
  #remaining = 0;

  constructor(
    public list: readonly Task[],
    readonly first: boolean,
  ) {
    super();
  }

  /** The winner was chosen (Orphans.get removes it from its collector here). */
  protected chosen(_winner: Task): void {}

  handle(s: Scheduler, t: Task): Step {
    if (this.#winner === null) {
      const failed = checkChildren(t, this.list);
      if (failed !== null) return failed;
      const winner = this.#choose(s);
      if (winner === null) {
        for (const p of this.list) p.waitMark = this;
        return PARK;
      }
      for (const p of this.list) if (p.waitMark === this) p.waitMark = null;
      this.#winner = winner;
      this.chosen(winner);
      if (this.first) this.#cancelLosers(s, winner);
    }
    if (this.#remaining > 0) return PARK;
    t.input = s.consume(this.#winner);
    return RUN;
  }

  #choose(s: Scheduler): Task | null {
    const ok: Task[] = [];
    const failed: Task[] = [];
    for (const p of this.list) {
      if (p.status === PENDING) continue;
      (p.status === OK && !p.erased ? ok : failed).push(p);
    }
    const pool = ok.length > 0 ? ok : failed;
    if (pool.length === 0) return null;
    return pool[pool.length > 1 ? s.draw(pool.length) : 0]!;
  }

  #cancelLosers(s: Scheduler, winner: Task): void {
    for (const p of this.list) {
      if (p === winner || p.waitMark === this) continue;
      s.requestCancel(p);
      p.erased = true;
      if (p.cleaned && !p.linked) continue;
      p.waitMark = this;
      this.#remaining++;
    }
  }

  override childDone(): boolean {
    return this.#winner === null;
  }

  override childCleaned(): boolean {
    return this.#winner !== null && --this.#remaining === 0;
  }

  override describe(): string {
    const uids = this.list.map((p) => p.uid).join(", ");
    return this.#winner === null ? `${this.first ? "awaitFirst" : "awaitOne"} of tasks ${uids}` : `cancellation of tasks ${uids}`;
  }
}

function checkList(list: unknown, fn: string, miouName: string): Task[] {
  if (!Array.isArray(list)) throw new TypeError(`Miou.${fn}: expected an array of promises`);
  if (list.length === 0 && miouName !== "") throw new TypeError(miouName);
  return list.map((p) => checkPromise(p, fn));
}

/**
 * Waits for a child and returns `{ ok: true, value }` or `{ ok: false, error }`. The child is
 * consumed; awaiting it again gives the same result.
 * @example const r = yield* Miou.await(p); if (r.ok) use(r.value);
 */
export function await_<T>(p: Promise<T>): Op<Result<T>> {
  return new AwaitOp(checkPromise(p, "await") as Task<T>, false);
}

/**
 * Waits for a child and returns its value, or throws its error.
 * @example const v = yield* Miou.awaitExn(p);
 */
export function awaitExn<T>(p: Promise<T>): Op<T> {
  return new AwaitOp(checkPromise(p, "awaitExn") as Task<T>, true) as unknown as Op<T>;
}

/**
 * Waits until one of the children terminated and returns its result (successes preferred,
 * ties broken with the run's PRNG). The others must still be awaited or cancelled.
 * @example const r = yield* Miou.awaitOne([a, b]);
 */
export function awaitOne<T>(ps: readonly Promise<T>[]): Op<Result<T>> {
  return new AwaitChoiceOp(checkList(ps, "awaitOne", "Miou.await_one"), false) as Op<Result<T>>;
}

/**
 * Like `awaitOne`, then cancels every other child and waits for their cancellation.
 * @example const r = yield* Miou.awaitFirst([work, timeout]);
 */
export function awaitFirst<T>(ps: readonly Promise<T>[]): Op<Result<T>> {
  return new AwaitChoiceOp(checkList(ps, "awaitFirst", "Miou.await_first"), true) as Op<Result<T>>;
}

/**
 * Waits for every child and returns their results in the order given; errors are values.
 * @example const [a, b] = yield* Miou.awaitAll([p, q]);
 */
export function awaitAll<T>(ps: readonly Promise<T>[]): Op<Result<T>[]> {
  return new AwaitAllOp(checkList(ps, "awaitAll", "")) as Op<Result<T>[]>;
}

/**
 * Runs `fn(item)` for each item on the worker domains other than the current one,
 * round-robin, and returns the results in input order. NoDomainAvailable with no such domain.
 * @example const results = yield* Miou.parallel(function* (x) { return x * 2 }, [1, 2, 3]);
 */
export function parallel<I, T>(fn: (item: I) => Generator<unknown, T, unknown>, items: readonly I[]): Op<Result<T>[]> {
  if (!Array.isArray(items)) throw new TypeError("Miou.parallel: expected an array of items");
  return new ParallelOp(checkFn(fn, "parallel"), items) as Op<Result<T>[]>;
}
