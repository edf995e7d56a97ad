import type { Scheduler } from "./scheduler.js";
import type { Task } from "./task.js";

/** The scheduler whose loop is running (runs nest: the previous one is restored). */
let running: Scheduler | null = null;

export function active(): Scheduler | null {
  return running;
}

export function setActive(s: Scheduler | null): void {
  running = s;
}

/** The running scheduler, or a TypeError naming the function that needs one. */
export function scheduler(fn: string): Scheduler {
  if (running === null) throw new TypeError(`Miou.${fn} must be called inside Miou.run`);
  return running;
}

/** The task whose code is running, or a TypeError naming the function that needs one. */
export function currentTask(fn: string): Task {
  const t = scheduler(fn).current;
  if (t === null) throw new TypeError(`Miou.${fn} must be called from a task`);
  return t;
}
