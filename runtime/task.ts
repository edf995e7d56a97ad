import { assert } from "./assert.js";
import type { Domain } from "./domain.js";
import type { Op, TaskFn } from "./op.js";
import type { Resource } from "./ownership.js";

/** The outcome of awaiting a promise: Miou's `('a, exn) result`. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/** The arguments of every task once started, and of every task spawned with none: one shared array. */
export const NO_ARGS: readonly unknown[] = Object.freeze([]);

/** A task's status: running, returned, or threw (cancellation included). */
export type Status = typeof PENDING | typeof OK | typeof FAILED;
export const PENDING = 0;
export const OK = 1;
export const FAILED = 2;

/** How the generator is resumed next: next(input), throw(input) or return(). */
export type Mode = typeof NEXT | typeof THROW | typeof RETURN;
export const NEXT = 0;
export const THROW = 1;
export const RETURN = 2;

/**
 * A task and its promise (Miou keeps them in one record too). Children form an intrusive
 * doubly linked list (newest first, as Miou adds them at the Left), so linking needs no
 * allocation.
 */
export class Task<T = unknown> {
  gen: Generator<unknown, T, unknown> | null = null;
  status: Status = PENDING;
  /** The value (Ok) or the error (Error) once terminated. */
  result: unknown = undefined;
  /** What to resume the generator with next, and how. */
  input: unknown = undefined;
  mode: Mode = NEXT;
  /** The op the task stopped at and has not finished handling; null before its first slice. */
  op: Op | null = null;
  queued = false;
  parked = false;

  /** Set once a cancellation was requested (explicit, propagated, or by `awaitFirst`). */
  cancelRequested = false;
  /** The error the task is unwound with; the result of `await` once erased by `cancel`. */
  cancelError: unknown = undefined;
  /** A `cancel` by the parent erased the result: `await` now gives `cancelError`. */
  erased = false;
  /** Terminated and every child cleaned: nothing of this subtree runs any more. */
  cleaned = false;

  /** Children not yet consumed (by await or by a finished cancellation). */
  childCount = 0;
  firstChild: Task | null = null;
  /** Sibling links; `linked` says whether the task is in its parent's children. */
  prevSibling: Task | null = null;
  nextSibling: Task | null = null;
  linked = false;
  /** Consumed by its parent before it was cleaned (its subtree still runs): see Scheduler.snapshot. */
  detached = false;
  /** The op of the parent that waits on this task, if any (see Op.childDone). */
  waitMark: Op | null = null;
  /** Resources the task owns (Ownership), oldest first; null until it owns one. */
  resources: Resource[] | null = null;

  constructor(
    readonly uid: number,
    readonly fn: TaskFn,
    /** The arguments of the first call; dropped once the generator exists. */
    public args: readonly unknown[],
    public domain: Domain,
    readonly parent: Task | null,
  ) {
    if (parent !== null) linkChild(parent, this);
  }

  get name(): string {
    return this.fn.name || "anonymous";
  }
}

function linkChild(parent: Task, child: Task): void {
  const first = parent.firstChild;
  child.nextSibling = first;
  if (first !== null) first.prevSibling = child;
  parent.firstChild = child;
  parent.childCount++;
  child.linked = true;
}

/** Removes `child` from its parent's children: it has been awaited or its cancellation finished. */
export function unlinkChild(child: Task): void {
  const parent = child.parent;
  assert(parent !== null && child.linked, "task is not linked to a parent", child.uid);
  const prev = child.prevSibling;
  const next = child.nextSibling;
  if (prev !== null) prev.nextSibling = next;
  else parent.firstChild = next;
  if (next !== null) next.prevSibling = prev;
  child.prevSibling = child.nextSibling = null;
  child.linked = false;
  parent.childCount--;
}

/** The result `await` gives for a terminated task. */
export function resultOf<T>(t: Task<T>): Result<T> {
  return succeeded(t) ? { ok: true, value: t.result as T } : { ok: false, error: errorOf(t) };
}

/** Whether `await` gives the terminated task's value (else {@link errorOf}): no Result made. */
export function succeeded(t: Task): boolean {
  assert(t.status !== PENDING, "task awaited before it terminated", t.uid);
  return t.status === OK && !t.erased;
}

/** The error `await` gives for a terminated task that did not succeed. */
export function errorOf(t: Task): unknown {
  return t.erased ? t.cancelError : t.result;
}
