// Property tests (fast-check): random task trees of spawn/await/cancel/yield/throw/suspend
// over random domain counts (0-3) and seeds. Issue 2, "Checks".
//
// Each random tree is run by an interpreter that records what every task saw; the
// expectations are the rules of the reference, not outputs of the implementation:
// - the run ends, with main's own error if main threw, StillHasChildren if main returned with
//   a child it never awaited or cancelled, main's value otherwise;
// - every task that started runs its finally exactly once, starts at most once, stays on its
//   domain, and is never resumed with a value after Cancelled was thrown into it;
// - await gives Cancelled exactly for children the caller cancelled, the child's own error
//   for a child that threw, and the child's value otherwise;
// - call raises NoDomainAvailable exactly when no other worker exists, and never lands on dom0
//   or on the caller's domain; async stays on the caller's domain;
// - cancelled syscall ids reach only their own domain, once, for syscalls that registered;
// - the same program and seed give the same trace and the same observations.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import * as Miou from "../../runtime/index.js";
import type { Signal, Syscall } from "./helpers.js";

type Action =
  | { t: "yield" }
  | { t: "spawn"; via: "async" | "call"; child: TaskSpec }
  | { t: "await"; k: number }
  | { t: "cancel"; k: number }
  | { t: "suspend" }
  | { t: "throw" };

interface TaskSpec {
  actions: Action[];
  /** On Cancelled, try to keep going with another operation. */
  stubborn: boolean;
}

const leafActions: fc.Arbitrary<Action>[] = [
  fc.constant<Action>({ t: "yield" }),
  fc.nat(7).map<Action>((k) => ({ t: "await", k })),
  fc.nat(7).map<Action>((k) => ({ t: "cancel", k })),
  fc.constant<Action>({ t: "suspend" }),
];

function taskArb(depth: number): fc.Arbitrary<TaskSpec> {
  const weighted: fc.WeightedArbitrary<Action>[] = [
    { arbitrary: leafActions[0], weight: 4 },
    { arbitrary: leafActions[1], weight: 2 },
    { arbitrary: leafActions[2], weight: 3 },
    { arbitrary: leafActions[3], weight: 2 },
    { arbitrary: fc.constant<Action>({ t: "throw" }), weight: 1 },
  ];
  if (depth > 0) {
    weighted.push({
      arbitrary: fc.record({
        t: fc.constant("spawn" as const),
        via: fc.constantFrom("async" as const, "call" as const),
        child: taskArb(depth - 1),
      }),
      weight: 6,
    });
  }
  return fc.record({
    actions: fc.array(fc.oneof(...weighted), { maxLength: 7 }),
    stubborn: fc.boolean(),
  });
}

interface TaskRecord {
  started: number;
  finallies: number;
  domain: number;
  returned: boolean;
  threw: boolean;
  sawCancel: boolean;
}

interface Child {
  p: Parameters<typeof Miou.await>[0];
  path: string;
  cancelledByMe: boolean;
  consumed: boolean;
}

const MAX_TRACE = 2_000_000;
const MAX_SELECTS = 200_000;

class World {
  readonly tasks = new Map<string, TaskRecord>();
  readonly violations: string[] = [];
  readonly observations: string[] = [];
  readonly errors = new Map<string, Error>();
  readonly mainChildren: Child[] = [];
  readonly trace: unknown[] = [];
  traceCount = 0;
  // fake system
  readonly pending = new Map<number, Map<number, Syscall>>();
  readonly registeredOn = new Map<number, number>();
  readonly cancelledSeen = new Set<number>();
  selects = 0;
  /** main skips its final awaitAll (for the StillHasChildren property). */
  leakMain = false;

  constructor(readonly domains: number) {}

  errorFor(path: string): Error {
    let e = this.errors.get(path);
    if (!e) this.errors.set(path, (e = new Error(`thrown by ${path}`)));
    return e;
  }

  record(path: string): TaskRecord {
    let r = this.tasks.get(path);
    if (!r) {
      r = { started: 0, finallies: 0, domain: -1, returned: false, threw: false, sawCancel: false };
      this.tasks.set(path, r);
    }
    return r;
  }

  violate(msg: string) {
    this.violations.push(msg);
  }

  onTrace = (r: unknown) => {
    if (++this.traceCount > MAX_TRACE) throw new Error("runaway: too many trace records");
    this.trace.push(r);
  };

  events = (domain: number) => {
    const table = new Map<number, Syscall>();
    this.pending.set(domain, table);
    let n = 0;
    return {
      select: (block: boolean, cancelled: number[]): Signal[] => {
        if (++this.selects > MAX_SELECTS) throw new Error("runaway: too many selects");
        this.observations.push(`select d${domain} ${block} [${cancelled.join(",")}]`);
        for (const uid of cancelled) {
          const owner = this.registeredOn.get(uid);
          // A uid whose fn never ran (cancelled before the suspension happened) is not
          // checked here: reporting it is harmless. One registered elsewhere breaks rule 7.
          if (owner !== undefined && owner !== domain) {
            this.violate(`cancelled uid ${uid} delivered to domain ${domain}, registered on ${owner}`);
          }
          if (this.cancelledSeen.has(uid)) this.violate(`cancelled uid ${uid} delivered twice`);
          this.cancelledSeen.add(uid);
          table.delete(uid);
        }
        const uids = [...table.keys()];
        const chosen = block ? uids : n++ % 3 === 0 ? uids.slice(0, 1) : [];
        const out: Signal[] = [];
        for (const uid of chosen) {
          out.push(Miou.signal(table.get(uid)!));
          table.delete(uid);
        }
        return out;
      },
      interrupt: () => {},
      finaliser: () => {},
    };
  };
}

function* op<T>(w: World, path: string, rec: TaskRecord, spec: TaskSpec, it: Iterable<unknown>): Generator<unknown, T, unknown> {
  try {
    const v = (yield* it as Generator<unknown, T, unknown>) as T;
    if (rec.sawCancel) w.violate(`${path}: an operation returned normally after Cancelled`);
    if (rec.finallies > 0) w.violate(`${path}: resumed after it finished`);
    if (Miou.Domain.self() !== rec.domain) w.violate(`${path}: moved from domain ${rec.domain} to ${Miou.Domain.self()}`);
    return v;
  } catch (e) {
    if (e instanceof Miou.Cancelled) {
      if (rec.sawCancel) w.violate(`${path}: Cancelled thrown in twice`);
      rec.sawCancel = true;
      if (spec.stubborn) {
        yield* Miou.yield();
        w.violate(`${path}: kept running after Cancelled (stubborn)`);
      }
    }
    throw e;
  }
}

function* task(w: World, spec: TaskSpec, path: string, parentDomain: number, via: "main" | "async" | "call"): Generator<unknown, string, unknown> {
  const rec = w.record(path);
  rec.started++;
  rec.domain = Miou.Domain.self();
  if (rec.started > 1) w.violate(`${path}: started twice`);
  if (via === "async" && rec.domain !== parentDomain) w.violate(`${path}: async child on ${rec.domain}, parent on ${parentDomain}`);
  if (via === "call" && (rec.domain === 0 || rec.domain === parentDomain)) {
    w.violate(`${path}: called child on domain ${rec.domain}, parent on ${parentDomain}`);
  }
  w.observations.push(`start ${path}@${rec.domain}`);
  const children: Child[] = path === "main" ? w.mainChildren : [];
  const check = (r: unknown, c: Child) => {
    const res = r as { ok: boolean; value?: unknown; error?: unknown };
    const crec = w.tasks.get(c.path);
    if (c.cancelledByMe) {
      if (res.ok || !(res.error instanceof Miou.Cancelled)) w.violate(`${path}: await of cancelled ${c.path} gave ${JSON.stringify(res)}`);
    } else if (res.ok) {
      if (res.value !== `value of ${c.path}` || !crec?.returned) w.violate(`${path}: await of ${c.path} gave a wrong value`);
    } else if (res.error instanceof Miou.Cancelled) {
      w.violate(`${path}: got Cancelled for ${c.path}, which it never cancelled`);
    } else if (res.error !== w.errorFor(c.path) || !crec?.threw) {
      w.violate(`${path}: await of ${c.path} gave an unexpected error ${String(res.error)}`);
    }
    w.observations.push(`${path} awaited ${c.path}: ${res.ok ? "ok" : (res.error as Error).name}`);
  };
  try {
    for (let i = 0; i < spec.actions.length; i++) {
      const a = spec.actions[i];
      switch (a.t) {
        case "yield":
          yield* op(w, path, rec, spec, Miou.yield());
          break;
        case "suspend": {
          const sc = Miou.syscall(`${path}#${i}`);
          const d = rec.domain;
          yield* op(w, path, rec, spec, Miou.suspend(sc, () => {
            const uid = Miou.uid(sc);
            w.registeredOn.set(uid, d);
            w.pending.get(d)!.set(uid, sc);
          }));
          break;
        }
        case "throw":
          rec.threw = true;
          throw w.errorFor(path);
        case "spawn": {
          const childPath = `${path}.${i}`;
          const noWorker = w.domains === 0 || (w.domains === 1 && rec.domain === 1);
          try {
            const p =
              a.via === "async"
                ? yield* op<Child["p"]>(w, path, rec, spec, Miou.async(task, w, a.child, childPath, rec.domain, "async"))
                : yield* op<Child["p"]>(w, path, rec, spec, Miou.call(task, w, a.child, childPath, rec.domain, "call"));
            if (a.via === "call" && noWorker) w.violate(`${path}: call succeeded with no other worker`);
            children.push({ p, path: childPath, cancelledByMe: false, consumed: false });
          } catch (e) {
            if (!(e instanceof Miou.NoDomainAvailable)) throw e;
            if (!(a.via === "call" && noWorker)) w.violate(`${path}: unexpected NoDomainAvailable`);
            w.observations.push(`${path} NoDomainAvailable`);
          }
          break;
        }
        case "await": {
          if (children.length === 0) break;
          const c = children[a.k % children.length];
          const r = yield* op(w, path, rec, spec, Miou.await(c.p));
          c.consumed = true;
          check(r, c);
          break;
        }
        case "cancel": {
          if (children.length === 0) break;
          const c = children[a.k % children.length];
          yield* op(w, path, rec, spec, Miou.cancel(c.p));
          c.cancelledByMe = true;
          c.consumed = true;
          const crec = w.tasks.get(c.path);
          if (crec && crec.started && crec.finallies !== 1) w.violate(`${path}: cancel of ${c.path} returned before its finally`);
          w.observations.push(`${path} cancelled ${c.path}`);
          break;
        }
      }
    }
    if (!(path === "main" && w.leakMain) && children.length > 0) {
      const rs = (yield* op(w, path, rec, spec, Miou.awaitAll(children.map((c) => c.p)))) as unknown[];
      rs.forEach((r, j) => {
        children[j].consumed = true;
        check(r, children[j]);
      });
    }
    rec.returned = true;
    return `value of ${path}`;
  } finally {
    rec.finallies++;
    w.observations.push(`finally ${path}`);
  }
}

function runProgram(spec: TaskSpec, domains: number, seed: number, leakMain: boolean) {
  const w = new World(domains);
  w.leakMain = leakMain;
  let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
  try {
    const value = Miou.run(
      function* () {
        return yield* task(w, spec, "main", 0, "main");
      },
      { domains, seed, events: w.events, trace: w.onTrace },
    );
    outcome = { ok: true, value };
  } catch (error) {
    outcome = { ok: false, error };
  }
  return { w, outcome };
}

const programArb = fc.record({
  spec: taskArb(4),
  domains: fc.integer({ min: 0, max: 3 }),
  seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
});

describe("random task trees", () => {
  test("end with the right outcome, run every finally once, never resume a cancelled task with a value", { timeout: 300_000 }, () => {
    fc.assert(
      fc.property(programArb, ({ spec, domains, seed }) => {
        const { w, outcome } = runProgram(spec, domains, seed, false);
        const mainThrows = spec.actions.some((a) => a.t === "throw");
        if (mainThrows) {
          expect(outcome.ok).toBe(false);
          expect((outcome as { error: unknown }).error).toBe(w.errorFor("main"));
        } else {
          expect(outcome).toEqual({ ok: true, value: "value of main" });
        }
        expect(w.violations).toEqual([]);
        for (const [path, rec] of w.tasks) {
          expect({ path, started: rec.started, finallies: rec.finallies }).toEqual({
            path,
            started: rec.started,
            finallies: rec.started,
          });
          expect(rec.started).toBeLessThanOrEqual(1);
        }
        expect(w.tasks.get("main")?.finallies).toBe(1);
      }),
      { numRuns: 500 },
    );
  });

  test("the same program and seed give the same trace and observations", { timeout: 300_000 }, () => {
    fc.assert(
      fc.property(programArb, ({ spec, domains, seed }) => {
        const a = runProgram(spec, domains, seed, false);
        const b = runProgram(spec, domains, seed, false);
        expect(a.w.trace.length).toBeGreaterThan(0);
        expect(b.w.trace).toEqual(a.w.trace);
        expect(b.w.observations).toEqual(a.w.observations);
      }),
      { numRuns: 200 },
    );
  });

  test("main returning with a child it never awaited or cancelled is StillHasChildren", { timeout: 300_000 }, () => {
    fc.assert(
      fc.property(programArb, ({ spec, domains, seed }) => {
        const { w, outcome } = runProgram(spec, domains, seed, true);
        const mainThrows = spec.actions.some((a) => a.t === "throw");
        if (mainThrows) {
          expect(outcome.ok).toBe(false);
          expect((outcome as { error: unknown }).error).toBe(w.errorFor("main"));
        } else if (w.mainChildren.some((c) => !c.consumed)) {
          expect(outcome.ok).toBe(false);
          expect((outcome as { error: unknown }).error).toBeInstanceOf(Miou.StillHasChildren);
        } else {
          expect(outcome).toEqual({ ok: true, value: "value of main" });
        }
      }),
      { numRuns: 300 },
    );
  });
});
