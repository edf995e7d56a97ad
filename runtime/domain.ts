import { Fifo } from "./fifo.js";
import type { HookHandle } from "./hook.js";
import type { Task } from "./task.js";

/** A signal returned by `select`: the syscall it resumes. */
export interface Signal {
  readonly uid: number;
}

/**
 * What a domain needs from the system (Miou's `events`), built once per domain.
 * `select(block, cancelled)` returns the signals of syscalls that may resume; `block`
 * is true only when no domain has runnable work, and `cancelled` lists the syscall uids
 * cancelled since the last call, which it must forget. `interrupt()` makes a blocked or
 * upcoming `select` return promptly (sticky; called spuriously too). `finaliser()` runs
 * once when the run ends.
 */
export interface Events {
  select(block: boolean, cancelled: number[]): readonly Signal[];
  interrupt(): void;
  finaliser(): void;
  /** Optional: the earliest absolute deadline (ns) this domain waits for, for `runUntilBlocked`. */
  deadline?(): number | null;
}

/**
 * A logical domain: its own run queues, its own `events` and its own syscalls. All domains
 * share one thread; the scheduler gives each domain with work one turn per round.
 */
export class Domain {
  /** Cancellations to process; they run before ordinary work (Miou: class 2 before 3). */
  readonly cancels = new Fifo<Task>();
  /** Runnable tasks, FIFO. */
  readonly tasks = new Fifo<Task>();
  /** Tasks of this domain parked inside `suspend`. */
  suspended = 0;
  /** Uids of syscalls cancelled since the last `select`, handed to the next one. */
  cancelledIds: number[] = [];
  /** `select` was called since this domain's last turn: nothing new to ask it, unless time passed. */
  polled = false;
  /** Hooks run at the start of every turn, newest first. */
  readonly hooks: HookHandle[] = [];

  constructor(
    readonly uid: number,
    readonly events: Events | null,
  ) {}

  // Methods, not getters: the loop asks these every turn, and inside QuickJS a getter call
  // costs up to twice a method call.

  /** Whether a task or a cancellation is queued here. */
  hasWork(): boolean {
    return this.tasks.length + this.cancels.length > 0;
  }

  /** Whether `select` must be called after a turn: a syscall is pending or ids await delivery. */
  needsSelect(): boolean {
    return this.suspended > 0 || this.cancelledIds.length > 0;
  }
}
