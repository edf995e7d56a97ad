import { currentTask } from "./current.js";
import { NotOwner } from "./errors.js";
import type { Task } from "./task.js";

/**
 * A value bundled with its finaliser (Miou's `Ownership.t`). The finaliser runs only in
 * abnormal endings: the owner threw, was cancelled, or leaked the resource.
 */
export class Resource<V = unknown> {
  /** Typed without V so that a Resource<string> is a Resource<unknown> (V stays covariant). */
  readonly #finaliser: (value: never) => void;

  constructor(
    readonly uid: number,
    readonly value: V,
    finaliser: (value: V) => void,
  ) {
    this.#finaliser = finaliser;
  }

  /** Runs the finaliser on the value; returns what it returned (checked by the caller). */
  finalise(): unknown {
    return (this.#finaliser as (value: V) => unknown)(this.value);
  }
}

let resourceUid = 0;

function isGeneratorFunction(fn: unknown): boolean {
  return typeof fn === "function" && fn.constructor?.name === "GeneratorFunction";
}

function check(r: Resource, fn: string): Resource {
  if (!(r instanceof Resource)) throw new TypeError(`Miou.Ownership.${fn}: expected a resource from Miou.Ownership.create`);
  return r;
}

function indexIn(t: Task, r: Resource): number {
  return t.resources === null ? -1 : t.resources.indexOf(r);
}

function notOwner(t: Task, r: Resource): NotOwner {
  return new NotOwner(`Miou.Not_owner: task ${t.uid} does not own resource ${r.uid}`);
}

/** Removes `r` from `t`'s resources; throws NotOwner if `t` does not hold it. */
function detach(t: Task, r: Resource): void {
  const i = indexIn(t, r);
  if (i < 0) throw notOwner(t, r);
  t.resources!.splice(i, 1);
}

export function attach(t: Task, r: Resource): void {
  (t.resources ??= []).push(r);
}

/**
 * Runs the finaliser of every resource `t` still holds, newest first, and forgets them.
 * A finaliser that throws is reported through `report` and the others still run.
 */
export function finaliseResources(t: Task, report: (r: Resource, error: unknown) => void): void {
  const held = t.resources;
  if (held === null) return;
  t.resources = null;
  for (let i = held.length - 1; i >= 0; i--) {
    const r = held[i]!;
    try {
      const result = r.finalise();
      if (result !== null && typeof result === "object" && typeof (result as Iterator<unknown>).next === "function") {
        throw new TypeError(`finaliser of resource ${r.uid} returned an iterator: finalisers are plain functions and cannot use Miou operations`);
      }
    } catch (error) {
      report(r, error);
    }
  }
}

/** Moves the resources listed in `give` that `parent` holds to `child` (others are ignored, as in Miou). */
export function give(parent: Task, child: Task, resources: readonly unknown[]): void {
  for (const r of resources) {
    if (!(r instanceof Resource)) throw new TypeError("Miou.asyncWith: give must list resources from Miou.Ownership.create");
    const i = indexIn(parent, r);
    if (i < 0) continue;
    parent.resources!.splice(i, 1);
    attach(child, r);
  }
}

/**
 * Resources tied to a task (Miou.Ownership): a task that ends abnormally runs the finalisers
 * of what it owns; one that returns normally still owning something fails the run with
 * ResourceLeaked. All functions are plain calls on the current task.
 * @example
 * const r = Miou.Ownership.create(socket, (s) => s.close());
 * Miou.Ownership.own(r); ...; Miou.Ownership.release(r);
 */
export const Ownership = {
  /** Makes a resource. `finaliser` is a plain function: it runs in scheduler context and cannot use operations. */
  create<V>(value: V, finaliser: (value: V) => void): Resource<V> {
    if (typeof finaliser !== "function" || isGeneratorFunction(finaliser)) {
      throw new TypeError("Miou.Ownership.create: the finaliser must be a plain function (it cannot use Miou operations)");
    }
    return new Resource(++resourceUid, value, finaliser);
  },
  /** Attaches the resource to the current task. TypeError if it already holds it. */
  own(r: Resource): void {
    const t = currentTask("Ownership.own");
    if (indexIn(t, check(r, "own")) >= 0) throw new TypeError(`Miou.Ownership.own: task ${t.uid} already owns resource ${r.uid}`);
    attach(t, r);
  },
  /** Detaches the resource without running its finaliser. NotOwner if not held. */
  disown(r: Resource): void {
    detach(currentTask("Ownership.disown"), check(r, "disown"));
  },
  /** Runs the finaliser, then detaches. NotOwner if not held. */
  release(r: Resource): void {
    const t = currentTask("Ownership.release");
    detach(t, check(r, "release"));
    r.finalise();
  },
  /** Throws NotOwner unless the current task holds the resource. */
  check(r: Resource): void {
    const t = currentTask("Ownership.check");
    if (indexIn(t, check(r, "check")) < 0) throw notOwner(t, r);
  },
  /** Moves the resource to the parent task. TypeError for main (no parent), NotOwner if not held. */
  transfer(r: Resource): void {
    const t = currentTask("Ownership.transfer");
    check(r, "transfer");
    if (t.parent === null) throw new TypeError("Miou.Ownership.transfer: the current task has no parent");
    detach(t, r);
    attach(t.parent, r);
  },
};
