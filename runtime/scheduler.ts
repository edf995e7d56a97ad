import { assert } from "./assert.js";
import { active, setActive } from "./current.js";
import { Domain, type Events, type Signal } from "./domain.js";
import { Cancelled, Deadlock, NoSelectProvided, ResourceLeaked, StillHasChildren, describe, errorInfo, type SuspendedTask } from "./errors.js";
import { finaliseResources } from "./ownership.js";
import { Op, PARK, resumeAt, RUN, YIELD, type Step, type TaskFn } from "./op.js";
import { Prng } from "./prng.js";
import { Syscall } from "./syscall.js";
import { NO_ARGS, Task, resultOf, unlinkChild, FAILED, NEXT, OK, PENDING, RETURN, THROW, type Status, type Result } from "./task.js";
import type { TraceRecord, Tracer } from "./trace.js";

/** Chooses the domain that takes the next turn among those with runnable work (uids, ascending). */
export type Policy = (runnable: readonly number[], draw: (bound: number) => number) => number;

/** Supplies every random draw: an integer in [0, bound). A replayed schedule is one. */
export type Choices = (bound: number) => number;

/**
 * What `runUntilBlocked` reports: done with main's value (`ok` true) or error, or not done
 * because every task waits on the system, with the earliest deadline known (ns) or null.
 */
export interface Outcome<T> {
  readonly done: boolean;
  readonly ok?: boolean;
  readonly value?: T;
  readonly error?: unknown;
  readonly deadline?: number | null;
}

export interface SchedulerConfig {
  readonly domains: number;
  readonly quanta: number;
  readonly seed: number;
  readonly events: ((domain: number) => Events) | null;
  readonly trace: Tracer | null;
  readonly policy: Policy | null;
  readonly choices: Choices | null;
  readonly heartbeat: (() => void) | null;
  readonly fatal: ((error: unknown) => boolean) | null;
}

/** `heartbeat` is called every this many turns (DESIGN §4: a host call at least every 4,096 turns). */
export const HEARTBEAT_TURNS = 4096;

/** Unwinding a cancelled task whose `finally` keeps yielding ends after this many return()s. */
const UNWIND_LIMIT = 10_000;

/**
 * The run loop: one instance per `Miou.run`/`Miou.start`. It owns the domains, steps
 * tasks' generators, handles cancellation and calls each domain's `select` (DESIGN §3, §5).
 */
export class Scheduler {
  // Fields are TypeScript-private, not #private: inside QuickJS a #field read costs twice a
  // plain one, and the loop reads these every turn.
  readonly domains: Domain[] = [];
  readonly quanta: number;
  readonly tracer: Tracer | null;
  private readonly prng: Prng;
  private readonly choices: Choices | null;
  private readonly policy: Policy | null;
  private readonly heartbeat: (() => void) | null;
  private readonly isFatal: ((error: unknown) => boolean) | null;
  private turnsToBeat = HEARTBEAT_TURNS;

  /** The task whose code is running, and the domain whose turn it is. */
  current: Task | null = null;
  currentDomain: Domain;

  private taskUid = 0;
  private syscallUid = 0;
  /** Tasks not yet cleaned; the run ends when main is done and none is left. */
  private liveCount = 0;
  /** Tasks consumed before they were cleaned: roots of subtrees the snapshot must still visit. */
  private readonly detached = new Set<Task>();
  /** An error that aborts the run (StillHasChildren, a bad yield...): the loop stops at once. */
  private fatal: { error: unknown } | null = null;
  /** Index of the domain that had the last turn (round-robin cursor). */
  private cursor = -1;
  /** Entries in every domain's queues (stale ones included): the loop's "any work?" test. */
  private queuedEntries = 0;
  private finalised = false;
  /** The last `loop(false)` returned blocked. */
  private blocked = false;
  readonly main: Task;

  constructor(config: SchedulerConfig, main: TaskFn) {
    this.quanta = config.quanta;
    this.tracer = config.trace;
    this.prng = new Prng(config.seed);
    this.choices = config.choices;
    this.policy = config.policy;
    this.heartbeat = config.heartbeat;
    this.isFatal = config.fatal;
    for (let uid = 0; uid <= config.domains; uid++) {
      this.domains.push(new Domain(uid, null));
    }
    this.currentDomain = this.domains[0]!;
    // Miou builds each domain's events inside that domain; here "inside" means with it current.
    if (config.events !== null) {
      for (const d of this.domains) {
        this.currentDomain = d;
        (d as { events: Events | null }).events = config.events(d.uid);
      }
      this.currentDomain = this.domains[0]!;
    }
    this.main = this.spawn(null, main, [], this.domains[0]!);
  }

  // ---------------------------------------------------------------- tasks

  /** Creates a task on `domain` and queues its first slice. */
  spawn(parent: Task | null, fn: TaskFn, args: readonly unknown[], domain: Domain): Task {
    const t = new Task(++this.taskUid, fn, args, domain, parent);
    this.liveCount++;
    if (this.tracer !== null) {
      this.tracer({ kind: "spawn", task: t.uid, parent: parent === null ? 0 : parent.uid, domain: domain.uid, name: t.name });
    }
    this.#enqueue(t);
    return t;
  }

  newSyscallUid(): number {
    return ++this.syscallUid;
  }

  #enqueue(t: Task): void {
    if (t.queued) return;
    t.queued = true;
    t.domain.tasks.push(t);
    this.queuedEntries++;
    if (t.domain !== this.currentDomain) this.interrupt(t.domain);
  }

  /** Makes a parked task runnable; its op is handled again on its next turn. */
  wake(t: Task): void {
    assert(t.parked, "task woken while not parked", t.uid);
    t.parked = false;
    if (this.tracer !== null) this.tracer({ kind: "wake", task: t.uid });
    this.#enqueue(t);
  }

  interrupt(d: Domain): void {
    if (d.events === null) return;
    if (this.tracer !== null) this.tracer({ kind: "interrupt", domain: d.uid });
    d.events.interrupt();
  }

  /** One turn of domain `d`: hooks, then one cancellation or one task slice. */
  #turn(d: Domain): void {
    this.currentDomain = d;
    d.polled = false;
    if (d.hooks.length > 0) this.#runHooks(d);
    if (d.cancels.length > 0) {
      this.queuedEntries--;
      this.#processCancel(d.cancels.shift()!);
      return;
    }
    for (let t = d.tasks.shift(); t !== undefined; t = d.tasks.shift()) {
      this.queuedEntries--;
      t.queued = false;
      // Entries left behind by a task unwound in a cancellation turn are skipped.
      if (t.status !== PENDING || t.parked) continue;
      this.#runTask(t);
      return;
    }
  }

  #runHooks(d: Domain): void {
    // Iterate over a copy: a hook may add or remove hooks. A hook that throws is removed (Miou: 1.9).
    for (const hook of d.hooks.slice()) {
      try {
        hook.fn();
      } catch (error) {
        this.record({ kind: "hook", domain: d.uid, error: errorInfo(error) });
        const i = d.hooks.indexOf(hook);
        if (i >= 0) d.hooks.splice(i, 1);
      }
    }
  }

  /**
   * Runs task `t` for one turn: handle the op it stopped at, continue it to its next op,
   * up to `quanta` ops (Miou: State.run). A task being cancelled runs until it terminates
   * or parks, whatever quanta is.
   */
  #runTask(t: Task): void {
    const tracer = this.tracer;
    this.current = t;
    if (tracer !== null) tracer({ kind: "run", task: t.uid, domain: t.domain.uid });
    let handled = 0;
    let alive = true;
    // A fresh task, or one resumed by a cancellation, has no op: its first slice costs nothing.
    if (t.op === null) {
      alive = this.#advance(t, null);
      if (alive && !t.cancelRequested) {
        this.#endSlice(t, true);
        return;
      }
    }
    let returns = 0;
    while (alive) {
      const op = t.op!;
      let step: Step;
      if (t.cancelRequested && !op.runsWhenCancelled) {
        // DESIGN §3: after Cancelled, an op that would suspend or start work ends the task.
        assert(++returns <= UNWIND_LIMIT, "task kept yielding while being cancelled", t.uid);
        op.abort(this, t);
        t.mode = RETURN;
        step = RUN;
      } else {
        step = op.handle(this, t);
        if (step === PARK) {
          t.parked = true;
          if (tracer !== null) tracer({ kind: "ran", task: t.uid, then: "parked" });
          this.current = null;
          return;
        }
      }
      t.op = null;
      alive = this.#advance(t, op);
      if (!alive || t.cancelRequested) continue;
      if (step === YIELD || ++handled >= this.quanta) break;
    }
    this.#endSlice(t, alive);
  }

  #endSlice(t: Task, alive: boolean): void {
    if (this.tracer !== null) this.tracer({ kind: "ran", task: t.uid, then: alive ? "queued" : "done" });
    this.current = null;
    if (alive) this.#enqueue(t);
  }

  /**
   * Resumes the generator with `t.input` per `t.mode` (at `op`, the op it stopped at, or
   * null for its first slice); false once the task terminated.
   */
  #advance(t: Task, op: Op | null): boolean {
    const input = t.input;
    t.input = undefined;
    let r: IteratorResult<unknown, unknown>;
    try {
      if (t.gen === null) {
        const args = t.args;
        const gen = args.length === 0 ? t.fn() : args.length === 1 ? t.fn(args[0]) : t.fn(...args);
        if (gen === null || typeof gen !== "object" || typeof (gen as Generator).next !== "function") {
          throw new TypeError(`task ${t.uid} (${t.name}) is not a generator function: write it as function* () { ... }`);
        }
        t.gen = gen;
        t.args = NO_ARGS;
      }
      const mode = t.mode;
      t.mode = NEXT;
      resumeAt(mode === NEXT ? op : null);
      r = mode === NEXT ? t.gen.next(input) : mode === THROW ? t.gen.throw(input) : t.gen.return(undefined as never);
    } catch (error) {
      this.#finish(t, FAILED, error);
      return false;
    }
    if (r.done === true) {
      this.#finish(t, OK, r.value);
      return false;
    }
    // `yield* op` hands over the op itself as the result; anything else was a plain yield.
    if (!(r instanceof Op)) {
      const what = r.value instanceof Op ? "an operation with a plain yield" : describe(r.value);
      this.#fail(
        new TypeError(`task ${t.uid} (${t.name}) yielded ${what}: Miou operations are used with yield*, e.g. yield* Miou.yield()`),
      );
      return false;
    }
    t.op = r;
    return true;
  }

  /** Stops the run with `error` (it escapes `run`). */
  #fail(error: unknown): void {
    if (this.fatal === null) this.fatal = { error };
  }

  #finish(t: Task, status: Status, value: unknown): void {
    if (t.resources !== null && t.resources.length > 0) {
      // Miou 1.8: finalisers run on every ending with resources held; a normal one is a leak.
      const leaked = status === OK && !t.cancelRequested;
      finaliseResources(t, (r, error) => this.record({ kind: "finaliser", task: t.uid, resource: r.uid, error: errorInfo(error) }));
      if (leaked) {
        this.#fail(new ResourceLeaked(`Miou.Resource_leaked: task ${t.uid} (${t.name}) returned still owning a resource`));
        return;
      }
    }
    if (status === FAILED && this.isFatal !== null && value !== t.cancelError && this.isFatal(value)) {
      this.#fail(value);
      return;
    }
    if (t.cancelRequested) {
      // DESIGN §3: whatever a cancelled task returns or throws, its result is Cancelled.
      status = FAILED;
      value = t.cancelError;
    } else if (status === OK && t.childCount > 0) {
      this.#fail(
        new StillHasChildren(`Miou.Still_has_children: task ${t.uid} (${t.name}) returned with ${t.childCount} unawaited children`),
      );
      return;
    }
    t.status = status;
    t.result = value;
    t.gen = null;
    t.op = null;
    if (this.tracer !== null) {
      this.tracer(
        status === OK ? { kind: "finish", task: t.uid, ok: true } : { kind: "finish", task: t.uid, ok: false, error: errorInfo(value) },
      );
    }
    // Miou 2.12: a task that raises cancels its children but is reported at once.
    if (status === FAILED) {
      for (let c = t.firstChild; c !== null; c = c.nextSibling) this.requestCancel(c);
    }
    const p = t.parent;
    if (p !== null && p.parked && t.waitMark !== null && t.waitMark === p.op && p.op.childDone(p, t)) this.wake(p);
    if (t.childCount === 0) this.#markCleaned(t);
  }

  // ---------------------------------------------------------------- cancellation

  /** Asks for `t` to be cancelled; the work is queued on t's own domain, ahead of ordinary work. */
  requestCancel(t: Task): void {
    if (t.cancelRequested) return;
    t.cancelRequested = true;
    t.cancelError = new Cancelled();
    if (this.tracer !== null) this.tracer({ kind: "cancel", task: t.uid, by: this.current === null ? 0 : this.current.uid });
    t.domain.cancels.push(t);
    this.queuedEntries++;
    if (t.domain !== this.currentDomain) this.interrupt(t.domain);
  }

  #processCancel(t: Task): void {
    if (t.cleaned) {
      // Already finished with no subtree: the cancellation only consumes it.
      this.traceCancelled(t);
      const p = this.#detachCleaned(t);
      if (p !== null) this.#markCleaned(p);
      return;
    }
    // Terminated with an error: its children are already being cancelled.
    if (t.status !== PENDING) return;
    for (let c = t.firstChild; c !== null; c = c.nextSibling) this.requestCancel(c);
    if (t.gen === null) {
      // Never started (Miou: a cancelled Create finishes without running).
      this.#finish(t, FAILED, t.cancelError);
      return;
    }
    if (t.op !== null) {
      if (t.op.abort(this, t)) {
        t.parked = true; // the op wakes the task when it may unwind (a queue entry it had is skipped)
        return;
      }
      t.op = null;
    }
    t.parked = false;
    t.mode = THROW;
    t.input = t.cancelError;
    this.#runTask(t);
  }

  /** Marks `t` (terminated, no children left) cleaned, and its ancestors that this completes. */
  #markCleaned(t: Task): void {
    for (let c: Task | null = t; c !== null; ) {
      assert(c.status !== PENDING && c.childCount === 0 && !c.cleaned, "task cleaned twice or too early", c.uid);
      c.cleaned = true;
      this.liveCount--;
      if (c.detached) {
        c.detached = false;
        this.detached.delete(c);
      }
      if (c.cancelRequested) this.traceCancelled(c);
      c = this.#detachCleaned(c);
    }
  }

  /**
   * A cleaned task leaves its parent's children if a cancellation consumed it, and wakes a
   * parent waiting for that. Returns the parent when this was the last child of a
   * terminated parent, which is then cleaned too.
   */
  #detachCleaned(c: Task): Task | null {
    const p = c.parent;
    if (p === null) return null;
    if (c.cancelRequested && c.linked) unlinkChild(c);
    if (p.parked && c.waitMark !== null && c.waitMark === p.op && p.op.childCleaned(p, c)) this.wake(p);
    return p.status !== PENDING && p.childCount === 0 && !p.cleaned ? p : null;
  }

  private traceCancelled(t: Task): void {
    if (this.tracer !== null) this.tracer({ kind: "cancelled", task: t.uid });
  }

  // ---------------------------------------------------------------- randomness

  /** A draw in [0, bound), from `choices` when given, else the seeded PRNG; always traced. */
  draw(bound: number): number {
    assert(Number.isInteger(bound) && bound >= 1 && bound <= 1 << 21, "draw bound out of range", bound);
    let value: number;
    if (this.choices !== null) {
      value = this.choices(bound);
      if (!Number.isInteger(value) || value < 0 || value >= bound) {
        throw new RangeError(`Miou.run: choices returned ${String(value)}, expected an integer in [0, ${bound})`);
      }
    } else {
      value = this.prng.below(bound);
    }
    if (this.tracer !== null) this.tracer({ kind: "draw", bound, value });
    return value;
  }

  // ---------------------------------------------------------------- system

  /** Calls `select` on `d` and signals what it returns. */
  #select(d: Domain, block: boolean): void {
    const events = d.events;
    if (events === null) throw new NoSelectProvided();
    const cancelled = d.cancelledIds;
    if (cancelled.length > 0) d.cancelledIds = [];
    this.currentDomain = d;
    d.polled = true;
    const signals = events.select(block, cancelled);
    if (this.tracer !== null) {
      const uids: number[] = [];
      for (const s of signals) uids.push(s.uid);
      this.tracer({ kind: "select", domain: d.uid, block, cancelled: cancelled.slice(), signals: uids });
    }
    // Indexed: between two turns this runs once per turn, and for-of allocates an iterator in QuickJS.
    for (let i = 0; i < signals.length; i++) this.#deliver(d, signals[i]!);
  }

  #deliver(d: Domain, s: Signal): void {
    if (!(s instanceof Syscall)) {
      throw new TypeError(`select on domain ${d.uid} returned ${describe(s)}: return Miou.signal(syscall) values`);
    }
    if (s.domain !== d) {
      throw new TypeError(
        `select on domain ${d.uid} returned a signal for syscall ${s.uid}, which belongs to domain ${s.domain.uid} (rule 7)`,
      );
    }
    const task = s.signalled();
    if (task === null) return;
    if (this.tracer !== null) this.tracer({ kind: "signal", domain: d.uid, syscall: s.uid });
    this.wake(task);
  }

  // ---------------------------------------------------------------- the loop

  /** The next domain to take a turn: round-robin in uid order, or the policy's choice. */
  #pick(): Domain {
    const domains = this.domains;
    const n = domains.length;
    if (this.policy !== null) {
      // A round is as many turns as there are domains: idle domains are polled once per round.
      if (++this.cursor >= n) {
        this.cursor = 0;
        this.#pollIdle();
      }
      const runnable: number[] = [];
      for (const d of domains) if (d.hasWork()) runnable.push(d.uid);
      const uid = this.policy(runnable, (bound) => this.draw(bound));
      if (!runnable.includes(uid)) throw new RangeError(`Miou.run: policy chose domain ${String(uid)}, not one of [${runnable.join(", ")}]`);
      return domains[uid]!;
    }
    for (let i = 1; i <= n; i++) {
      const index = (this.cursor + i) % n;
      if (domains[index]!.hasWork()) {
        if (index <= this.cursor) this.#pollIdle();
        this.cursor = index;
        return domains[index]!;
      }
    }
    throw new Error("unreachable: #pick without work");
  }

  /** Once per round, domains with no work but pending syscalls are polled without blocking. */
  #pollIdle(): void {
    for (const d of this.domains) if (!d.hasWork() && d.needsSelect()) this.#select(d, false);
  }

  /**
   * Runs until main is done and every cancellation has finished, or until every task waits
   * on the system and `mayBlock` is false.
   */
  loop(mayBlock: boolean): Outcome<unknown> {
    const previous = active();
    setActive(this);
    try {
      return this.#loop(mayBlock);
    } catch (error) {
      // A select, hook or policy that throws, or NoSelectProvided: the run ends with it.
      return this.#end({ done: true, ok: false, error });
    } finally {
      this.current = null;
      resumeAt(null);
      setActive(previous);
    }
  }

  #loop(mayBlock: boolean): Outcome<unknown> {
    const main = this.main;
    // Back after reporting blocked, the host has waited: every domain is asked again.
    let fresh = this.blocked;
    this.blocked = false;
    for (;;) {
      if (this.fatal !== null) return this.#end({ done: true, ok: false, error: this.fatal.error });
      if (main.status !== PENDING && this.liveCount === 0) {
        return this.#end(main.status === OK ? { done: true, ok: true, value: main.result } : { done: true, ok: false, error: main.result });
      }
      if (this.queuedEntries > 0) {
        const d = this.domains.length === 1 ? this.domains[0]! : this.#pick();
        this.#turn(d);
        if (--this.turnsToBeat === 0) {
          this.turnsToBeat = HEARTBEAT_TURNS;
          this.heartbeat?.();
        }
        // `block` only where the run may block: a host driving runUntilBlocked waits itself.
        if (d.needsSelect() && this.fatal === null) this.#select(d, mayBlock && this.queuedEntries === 0);
        continue;
      }
      // Nothing runnable: every live task waits on the system or on another task.
      let waiting = false;
      for (const d of this.domains) {
        if (!d.needsSelect()) continue;
        waiting ||= d.suspended > 0;
        // Not blocking, a domain asked since its last turn has nothing new: the host waits next.
        if (!mayBlock && !fresh && d.polled && d.cancelledIds.length === 0) continue;
        this.#select(d, mayBlock && d.suspended > 0 && this.queuedEntries === 0);
      }
      fresh = false;
      if (this.queuedEntries > 0) continue;
      if (!waiting) return this.#end({ done: true, ok: false, error: new Deadlock(this.snapshot()) });
      if (!mayBlock) {
        this.blocked = true;
        return { done: false, deadline: this.#deadline() };
      }
    }
  }

  #deadline(): number | null {
    let earliest: number | null = null;
    for (const d of this.domains) {
      const deadline = d.events?.deadline?.() ?? null;
      if (deadline !== null && (earliest === null || deadline < earliest)) earliest = deadline;
    }
    return earliest;
  }

  /** Calls every domain's finaliser once, then reports. */
  #end(outcome: Outcome<unknown>): Outcome<unknown> {
    if (!this.finalised) {
      this.finalised = true;
      for (const d of this.domains) {
        this.currentDomain = d;
        d.events?.finaliser();
      }
    }
    return outcome;
  }

  /**
   * Every parked task with what it waits on (for deadlock reports). Every live task is in
   * main's tree or under a detached root; the walk keeps its own stack (no recursion).
   */
  snapshot(): SuspendedTask[] {
    const out: SuspendedTask[] = [];
    const stack: Task[] = [this.main, ...this.detached];
    for (let t = stack.pop(); t !== undefined; t = stack.pop()) {
      if (t.parked && t.op !== null) out.push({ task: t.uid, name: t.name, domain: t.domain.uid, waitsOn: t.op.describe() });
      for (let c = t.firstChild; c !== null; c = c.nextSibling) stack.push(c);
    }
    return out.sort((a, b) => a.task - b.task);
  }

  /** An awaited child leaves its parent's children (Miou: clean_children); returns its result. */
  consume<T>(child: Task<T>): Result<T> {
    this.release(child);
    return resultOf(child);
  }

  /** An awaited child leaves its parent's children; read its outcome with succeeded/errorOf. */
  release(child: Task): void {
    child.waitMark = null;
    if (child.linked) {
      unlinkChild(child);
      if (!child.cleaned) {
        child.detached = true;
        this.detached.add(child);
      }
    }
  }

  /** Records a glue-level trace record (logs, host events): nothing happens when tracing is off. */
  record(record: TraceRecord): void {
    if (this.tracer !== null) this.tracer(record);
  }
}
