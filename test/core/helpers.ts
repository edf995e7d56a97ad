// Shared helpers for the scheduler-core suites.
//
// Every expectation in test/core is written by hand from shared/reference/miou-semantics.md,
// shared/DESIGN.md §3/§5 and issue 2; these helpers only build fake systems and collect what
// the scheduler did, they never compute an expected value.
import * as Miou from "../../runtime/index.js";

export type Syscall = ReturnType<typeof Miou.syscall>;
export type Signal = ReturnType<typeof Miou.signal>;

/** One call of a domain's `select`, as the fake system saw it. */
export interface SelectCall {
  domain: number;
  block: boolean;
  cancelled: number[];
  /** uids of the syscalls this call signalled. */
  signalled: number[];
}

export interface FakeSystemOptions {
  /**
   * Which registered syscalls of `domain` to signal on this call. The default signals every
   * syscall registered on that domain when `block` is true, and none otherwise.
   */
  choose?: (call: { domain: number; block: boolean; pending: number[]; n: number }) => number[];
  /** Called on every select, after the call was recorded (for log markers). */
  onSelect?: (call: SelectCall) => void;
  /** Called on every interrupt. */
  onInterrupt?: (domain: number) => void;
  /** A select that is called this many times fails the run (no test should loop forever). */
  maxSelects?: number;
}

/**
 * A fake system for the `events` option: a per-domain table of registered syscalls (filled by
 * the `fn` given to `suspend`), recording every select, interrupt and finaliser call.
 */
export function fakeSystem(options: FakeSystemOptions = {}) {
  const maxSelects = options.maxSelects ?? 10_000;
  const pending = new Map<number, Map<number, Syscall>>();
  const calls: SelectCall[] = [];
  const interrupts: number[] = [];
  const finalised: number[] = [];
  const created: number[] = [];
  /** Every uid ever registered, with its domain. */
  const registered = new Map<number, number>();
  const table = (d: number) => {
    let t = pending.get(d);
    if (!t) pending.set(d, (t = new Map()));
    return t;
  };
  const sys = {
    calls,
    interrupts,
    finalised,
    created,
    registered,
    pending,
    /** Register a syscall on `domain`; call it from `suspend`'s `fn`. */
    register(domain: number, sc: Syscall) {
      const uid = Miou.uid(sc);
      registered.set(uid, domain);
      table(domain).set(uid, sc);
    },
    /** Syscalls registered and not yet signalled or cancelled, on every domain. */
    pendingUids(): number[] {
      const out: number[] = [];
      for (const t of pending.values()) out.push(...t.keys());
      return out.sort((a, b) => a - b);
    },
    events: (domain: number) => {
      created.push(domain);
      return {
        select(block: boolean, cancelled: number[]): Signal[] {
          if (calls.length >= maxSelects) {
            throw new Error(`fake system: select called ${calls.length} times (runaway run)`);
          }
          const t = table(domain);
          for (const uid of cancelled) t.delete(uid);
          const n = calls.length;
          const choose =
            options.choose ?? ((c: { block: boolean; pending: number[] }) => (c.block ? c.pending : []));
          const uids = choose({ domain, block, pending: [...t.keys()], n });
          const signals: Signal[] = [];
          const signalled: number[] = [];
          for (const uid of uids) {
            const sc = t.get(uid);
            if (sc === undefined) continue;
            t.delete(uid);
            signalled.push(uid);
            signals.push(Miou.signal(sc));
          }
          const call: SelectCall = { domain, block, cancelled: [...cancelled], signalled };
          calls.push(call);
          options.onSelect?.(call);
          return signals;
        },
        interrupt() {
          interrupts.push(domain);
          options.onInterrupt?.(domain);
        },
        finaliser() {
          finalised.push(domain);
        },
      };
    },
  };
  return sys;
}

export type FakeSystem = ReturnType<typeof fakeSystem>;

/**
 * Suspend the current task on a fresh syscall registered in `sys` (only when the suspension
 * really happens, as the seed tutorial says: register inside `fn`). Returns the syscall.
 */
export function* waitOn(sys: FakeSystem, name?: string, box?: { sc?: Syscall }) {
  const sc = name === undefined ? Miou.syscall() : Miou.syscall(name);
  if (box) box.sc = sc;
  const d = Miou.Domain.self();
  yield* Miou.suspend(sc, () => sys.register(d, sc));
  return sc;
}

/** The most yields a test loop makes before failing: a broken scheduler fails a test, never hangs it. */
export const SPIN_LIMIT = 20_000;

/**
 * Yields until the task is cancelled. Throws (failing the test instead of hanging the suite)
 * if no cancellation came within SPIN_LIMIT yields.
 */
export function* spinUntilCancelled(): Generator<unknown, never, unknown> {
  for (let i = 0; i < SPIN_LIMIT; i++) yield* Miou.yield();
  throw new Error(`still running after ${SPIN_LIMIT} yields: the cancellation never came`);
}

/** Yields while `cond()` holds, at most SPIN_LIMIT times (then throws). */
export function* yieldWhile(cond: () => boolean): Generator<unknown, void, unknown> {
  for (let i = 0; i < SPIN_LIMIT; i++) {
    if (!cond()) return;
    yield* Miou.yield();
  }
  throw new Error(`condition still true after ${SPIN_LIMIT} yields`);
}

/** Run `fn` and return what it threw (fails the test if it did not throw). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected the call to throw, it returned normally");
}

/** Miou's Invalid_argument becomes a TypeError or a RangeError carrying Miou's message. */
export function isInvalidArgument(e: unknown, message: string | RegExp): boolean {
  if (!(e instanceof TypeError || e instanceof RangeError)) return false;
  return typeof message === "string" ? e.message === message : message.test(e.message);
}

/** Collect trace records. */
export function traceCollector() {
  const records: Array<{ kind: string; [k: string]: unknown }> = [];
  return { records, trace: (r: { kind: string }) => void records.push(r as { kind: string }) };
}

/** A result object as `await` returns it. */
export type Result<T = unknown> = { ok: true; value: T } | { ok: false; error: unknown };
