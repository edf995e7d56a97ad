import { Op, throwInto, PARK, RUN, type Step } from "./op.js";
import { active } from "./current.js";
import type { Scheduler } from "./scheduler.js";
import type { Task } from "./task.js";

const enum State {
  Initial,
  Awaiting,
  Signaled,
}

/** A one-shot signalling cell (Miou.Trigger, after Picos): Initial, then Awaiting, then Signaled. */
export class Trigger {
  state = State.Initial;
  action: (() => void) | null = null;
  waiter: Task | null = null;
}

class TriggerAwaitOp extends Op<null> {
  constructor(readonly trigger: Trigger) {
    super();
  }

  handle(_s: Scheduler, t: Task): Step {
    const tr = this.trigger;
    if (tr.state === State.Signaled) {
      t.input = null;
      return RUN;
    }
    if (tr.waiter === t) return PARK;
    if (tr.state === State.Awaiting) return throwInto(t, new TypeError("Miou.Trigger.await: the trigger is already awaited"));
    tr.state = State.Awaiting;
    tr.waiter = t;
    return PARK;
  }

  override abort(): boolean {
    const tr = this.trigger;
    if (tr.state === State.Awaiting && tr.action === null) {
      tr.state = State.Initial;
      tr.waiter = null;
    }
    return false;
  }

  override describe(): string {
    return "trigger";
  }
}

function check(tr: unknown, fn: string): Trigger {
  if (!(tr instanceof Trigger)) throw new TypeError(`Miou.Trigger.${fn}: expected a trigger from Miou.Trigger.create`);
  return tr;
}

/**
 * Miou.Trigger. `await` is an operation (returns null once signalled; a task cancelled
 * while awaiting gets `Cancelled` thrown, as everywhere in this port); the rest are plain.
 * @example const tr = Miou.Trigger.create(); ...; yield* Miou.Trigger.await(tr); // elsewhere: Miou.Trigger.signal(tr)
 */
export const TriggerApi = {
  create(): Trigger {
    return new Trigger();
  },
  isInitial(tr: Trigger): boolean {
    return check(tr, "isInitial").state === State.Initial;
  },
  isSignaled(tr: Trigger): boolean {
    return check(tr, "isSignaled").state === State.Signaled;
  },
  /** Signals the trigger: idempotent; runs the attached action or wakes the awaiting task, once. */
  signal(tr: Trigger): void {
    check(tr, "signal");
    if (tr.state === State.Signaled) return;
    tr.state = State.Signaled;
    const action = tr.action;
    const waiter = tr.waiter;
    tr.action = null;
    tr.waiter = null;
    if (action !== null) action();
    if (waiter !== null && waiter.parked) active()!.wake(waiter);
  },
  /** Attaches `action`, run once when signalled; false if already signalled, TypeError if already awaited. */
  onSignal(tr: Trigger, action: () => void): boolean {
    check(tr, "onSignal");
    if (tr.state === State.Signaled) return false;
    if (tr.state === State.Awaiting) throw new TypeError("Miou.Trigger.onSignal: the trigger is already awaited");
    tr.state = State.Awaiting;
    tr.action = action;
    return true;
  },
  /** Waits until the trigger is signalled; no scheduling point if it already is (Miou 1.13). */
  *await(tr: Trigger): Generator<unknown, null, unknown> {
    if (check(tr, "await").state === State.Signaled) return null;
    return yield* new TriggerAwaitOp(tr);
  },
};
