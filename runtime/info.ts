import { currentTask, scheduler } from "./current.js";
import { checkPromise } from "./child.js";
import type { Promise as SpawnedPromise } from "./spawn.js";
import { OK, PENDING } from "./task.js";

/** Domains (Miou.Domain). */
export const Domain = {
  /** The uid of the domain running the current task (0 for dom0). */
  self(): number {
    return currentTask("Domain.self").domain.uid;
  },
  /** The number of worker domains (dom0 not counted). */
  available(): number {
    return scheduler("Domain.available").domains.length - 1;
  },
  /** The uids of the worker domains (dom0 excluded). */
  all(): number[] {
    const n = scheduler("Domain.all").domains.length;
    const uids: number[] = [];
    for (let uid = 1; uid < n; uid++) uids.push(uid);
    return uids;
  },
};

/** A Miou promise: the handle of a task, to await or cancel (only by its parent). */
export type Promise<T> = SpawnedPromise<T>;

/** Promise introspection (Miou.Promise). */
export const Promise = {
  /** The promise's uid: main is 1, and uids restart at 1 in every run. */
  uid(p: Promise<unknown>): number {
    return checkPromise(p, "Promise.uid").uid;
  },
  /**
   * "running", "exited" (threw or was cancelled) or "finished" (returned). Unlike Miou, a
   * result erased by `cancel` reads "exited", as `await` then gives `Cancelled`.
   */
  state(p: Promise<unknown>): "running" | "exited" | "finished" {
    const t = checkPromise(p, "Promise.state");
    if (t.status === PENDING) return "running";
    return t.status === OK && !t.erased ? "finished" : "exited";
  },
};
