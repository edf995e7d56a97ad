import { currentTask, scheduler } from "./current.js";
import type { Domain, Signal } from "./domain.js";
import { Op, PARK, RUN, type Step } from "./op.js";
import type { Scheduler } from "./scheduler.js";
import { THROW, type Task } from "./task.js";

const enum State {
  /** Created, not suspended on yet. */
  Fresh,
  Suspended,
  Signalled,
  Cancelled,
}

/**
 * A suspension point (Miou's `syscall`): it belongs to the task and the domain that created
 * it (rule 7), and is one-shot. It is its own signal: `signal(sc)` returns it for `select`.
 */
export class Syscall implements Signal {
  private state = State.Fresh;

  constructor(
    readonly uid: number,
    readonly name: string,
    readonly task: Task,
    readonly domain: Domain,
  ) {}

  /** A signal from `select`: returns the suspended task to wake; stale or repeated signals give null. */
  signalled(): Task | null {
    if (this.state === State.Suspended) {
      this.state = State.Signalled;
      this.domain.suspended--;
      return this.task;
    }
    // Signalled before the task suspended: `suspend` will return at once (Miou's trigger).
    if (this.state === State.Fresh) this.state = State.Signalled;
    return null;
  }

  /** Handles `suspend` for the owning task; `op` registers the syscall and gives its result. */
  suspend(s: Scheduler, t: Task, op: SuspendOp<unknown>): Step {
    if (this.state === State.Signalled) {
      t.input = op.resumed();
      return RUN;
    }
    if (this.state !== State.Fresh) {
      t.mode = THROW;
      t.input = new TypeError(`Miou.suspend: syscall ${this.uid} (${this.name}) was already used`);
      return RUN;
    }
    // Miou: the registration runs only once the suspension is sure to happen.
    try {
      op.register();
    } catch (error) {
      this.state = State.Cancelled;
      this.domain.cancelledIds.push(this.uid);
      t.mode = THROW;
      t.input = error;
      return RUN;
    }
    this.state = State.Suspended;
    this.domain.suspended++;
    if (s.tracer !== null) s.tracer({ kind: "suspend", task: t.uid, syscall: this.uid, name: this.name });
    return PARK;
  }

  /**
   * The task was cancelled while suspended, or after its signal but before it resumed: the
   * uid goes to the next `select` of its domain either way, so the system can forget it or
   * take back what it handed over.
   */
  cancel(): void {
    if (this.state === State.Suspended) this.domain.suspended--;
    else if (this.state !== State.Signalled) return;
    this.state = State.Cancelled;
    this.domain.cancelledIds.push(this.uid);
  }
}

/**
 * `suspend` on a syscall. The glue's own suspensions (sleep, recv) subclass it and override
 * `register` and `resumed`, so that they need no closure and no generator.
 */
export class SuspendOp<T = void> extends Op<T> {
  constructor(
    readonly syscall: Syscall,
    private readonly onRegister?: () => void,
  ) {
    super();
  }

  /** Registers the syscall with the system; runs only once the suspension is sure. */
  register(): void {
    if (this.onRegister !== undefined) this.onRegister();
  }

  /** What `suspend` returns once the syscall is signalled. */
  resumed(): T {
    return undefined as T;
  }

  handle(s: Scheduler, t: Task): Step {
    const sc = this.syscall;
    if (sc.task !== t || sc.domain !== t.domain) {
      t.mode = THROW;
      t.input = new TypeError(`Miou.suspend: syscall ${sc.uid} belongs to task ${sc.task.uid}, not to task ${t.uid}`);
      return RUN;
    }
    return sc.suspend(s, t, this);
  }

  override abort(): boolean {
    this.syscall.cancel();
    return false;
  }

  override describe(): string {
    return `syscall ${this.syscall.uid} (${this.syscall.name})`;
  }
}

/**
 * Creates a suspension point owned by the current task and domain.
 * @example const sc = Miou.syscall("sleep"); yield* Miou.suspend(sc, () => sleepers.add(sc, deadline_ns));
 */
export function syscall(name?: string): Syscall {
  const t = currentTask("syscall");
  const uid = scheduler("syscall").newSyscallUid();
  // A syscall belongs to its task and to the domain it runs on (rule 7).
  return new Syscall(uid, name === undefined ? String(uid) : String(name), t, t.domain);
}

/**
 * Suspends the current task until `select` returns `signal(sc)`. `register` runs only if the
 * suspension really happens: register the syscall in your event table there.
 * @example yield* Miou.suspend(sc, () => table.set(Miou.uid(sc), sc));
 */
export function suspend(sc: Syscall, register?: () => void): Op<void> {
  if (!(sc instanceof Syscall)) throw new TypeError("Miou.suspend: expected a syscall from Miou.syscall()");
  if (register !== undefined && typeof register !== "function") throw new TypeError("Miou.suspend: the callback must be a function");
  return new SuspendOp(sc, register);
}

/** The signal `select` returns to resume the task suspended on `sc`. */
export function signal(sc: Syscall): Signal {
  if (!(sc instanceof Syscall)) throw new TypeError("Miou.signal: expected a syscall from Miou.syscall()");
  return sc;
}

/** The syscall's uid (uids restart at 1 in every run). */
export function uid(sc: Syscall): number {
  if (!(sc instanceof Syscall)) throw new TypeError("Miou.uid: expected a syscall from Miou.syscall()");
  return sc.uid;
}
