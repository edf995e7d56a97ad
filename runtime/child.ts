import { NotAChild } from "./errors.js";
import type { TaskFn } from "./op.js";
import { Task } from "./task.js";

/** Checks that `p` is a promise; a TypeError naming `fn` otherwise. */
export function checkPromise(p: unknown, fn: string): Task {
  if (!(p instanceof Task)) throw new TypeError(`Miou.${fn}: expected a promise from Miou.async or Miou.call, got ${typeof p}`);
  return p;
}

/** Rule 2: only the direct parent may await or cancel a promise. Returns the error, if any. */
export function notAChild(t: Task, p: Task): NotAChild | null {
  return p.parent === t ? null : new NotAChild(`Miou.Not_a_child: task ${p.uid} is not a child of task ${t.uid}`);
}

/** Checks that `fn` can be a task; a TypeError naming `name` otherwise. */
export function checkFn(fn: unknown, name: string): TaskFn {
  if (typeof fn !== "function") throw new TypeError(`Miou.${name}: expected a generator function, got ${typeof fn}`);
  return fn as TaskFn;
}
