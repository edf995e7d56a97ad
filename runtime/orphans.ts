import { AwaitChoiceOp } from "./await.js";
import { Op, throwInto, RUN, type Step } from "./op.js";
import type { Scheduler } from "./scheduler.js";
import type { Promise } from "./spawn.js";
import { PENDING, type Result, type Task } from "./task.js";

const OWNED_BY_ANOTHER = "The given orphans is owned by another promise";

/**
 * A collector of background tasks (Miou's `orphans`): its tasks are still children of the
 * task that spawned them, which must collect them with `care`, `take` or `get`.
 */
export class Orphans<T = unknown> {
  /** The first task to use the collector owns it. */
  owner: Task | null = null;
  /** Newest last (Miou adds at the Left and searches from there: newest first). */
  readonly tasks: Task<T>[] = [];
}

/** Takes ownership on first use; a TypeError with Miou's message for anyone else. */
function claim(o: unknown, t: Task, fn: string): Orphans {
  if (!(o instanceof Orphans)) throw new TypeError(`Miou.${fn}: expected an orphans collector from Miou.orphans()`);
  if (o.owner === null) o.owner = t;
  else if (o.owner !== t) throw new TypeError(OWNED_BY_ANOTHER);
  return o;
}

/** Registers `child`, spawned by `parent`, in the collector given with `asyncWith`/`callWith`. */
export function adopt(o: unknown, parent: Task, child: Task): void {
  claim(o, parent, "asyncWith").tasks.push(child);
}

/** Checks an `orphans` spawn option before the spawn; returns the error to throw, if any. */
export function adoptionError(o: unknown, parent: Task): TypeError | null {
  if (!(o instanceof Orphans)) return new TypeError("Miou.asyncWith: orphans must come from Miou.orphans()");
  return o.owner === null || o.owner === parent ? null : new TypeError(OWNED_BY_ANOTHER);
}

/** What `care` finds: nothing left, nothing terminated yet, or a terminated task to await. */
export type Care<T> = { readonly kind: "empty" } | { readonly kind: "pending" } | { readonly kind: "ready"; readonly promise: Promise<T> };

const CARE_EMPTY = { kind: "empty" } as const;
const CARE_PENDING = { kind: "pending" } as const;

class CareOp extends Op<unknown> {
  constructor(
    readonly orphans: unknown,
    readonly takeAny: boolean,
  ) {
    super();
  }

  handle(_s: Scheduler, t: Task): Step {
    let o: Orphans;
    try {
      o = claim(this.orphans, t, this.takeAny ? "take" : "care");
    } catch (error) {
      return throwInto(t, error);
    }
    const tasks = o.tasks;
    if (this.takeAny) {
      t.input = tasks.pop();
      return RUN;
    }
    if (tasks.length === 0) {
      t.input = CARE_EMPTY;
      return RUN;
    }
    for (let i = tasks.length - 1; i >= 0; i--) {
      const p = tasks[i]!;
      if (p.status !== PENDING) {
        tasks.splice(i, 1);
        t.input = { kind: "ready", promise: p };
        return RUN;
      }
    }
    t.input = CARE_PENDING;
    return RUN;
  }

  override describe(): string {
    return this.takeAny ? "take" : "care";
  }
}

/** `get`: `awaitOne` over every task of the collector; the winner leaves it. */
class GetOp extends AwaitChoiceOp {
  #orphans: Orphans | null = null;

  constructor(readonly collector: unknown) {
    super([], false);
  }

  override handle(s: Scheduler, t: Task): Step {
    if (this.#orphans === null) {
      try {
        this.#orphans = claim(this.collector, t, "get");
      } catch (error) {
        return throwInto(t, error);
      }
      if (this.#orphans.tasks.length === 0) {
        t.input = undefined;
        return RUN;
      }
      this.list = this.#orphans.tasks.slice();
    }
    return super.handle(s, t);
  }

  protected override chosen(winner: Task): void {
    const tasks = this.#orphans!.tasks;
    tasks.splice(tasks.indexOf(winner), 1);
  }
}

/** A new, empty collector. It has no owner until first used. */
export function orphans<T = unknown>(): Orphans<T> {
  return new Orphans<T>();
}

/**
 * Returns a terminated task of the collector (newest first), removed from it and to be
 * awaited; `{ kind: "pending" }` if none terminated yet, `{ kind: "empty" }` if it holds none.
 * @example for (let c = yield* Miou.care(o); c.kind === "ready"; c = yield* Miou.care(o)) yield* Miou.await(c.promise);
 */
export function care<T>(o: Orphans<T>): Op<Care<T>> {
  return new CareOp(o, false) as Op<Care<T>>;
}

/** Removes and returns the newest task of the collector whatever its state (await or cancel it), or undefined. */
export function take<T>(o: Orphans<T>): Op<Promise<T> | undefined> {
  return new CareOp(o, true) as Op<Promise<T> | undefined>;
}

/**
 * Waits like `awaitOne` over the collector's tasks, removes and consumes the winner and
 * returns its result; undefined if the collector is empty. The others stay.
 * @example const r = yield* Miou.get(o);
 */
export function get<T>(o: Orphans<T>): Op<Result<T> | undefined> {
  return new GetOp(o) as Op<Result<T> | undefined>;
}

/** The number of tasks the collector still holds. */
export function length(o: Orphans): number {
  if (!(o instanceof Orphans)) throw new TypeError("Miou.length: expected an orphans collector from Miou.orphans()");
  return o.tasks.length;
}
