// Hooks: run at the start of every turn of their domain, newest first; a hook that throws is
// removed (the older ones still run in that turn); removing from another domain is a
// TypeError. Reference §1.9, §1.13 (test38), §2.3 step 1.
//
// In this port Hook.add/remove are plain calls, not scheduling points (issue 3), so test38's
// output does not transfer literally. The expectations below are traced by hand with:
// a turn = run the domain's hooks, then handle the op the task stopped at and continue the
// task to its next op; a task's first slice is a turn of its own (with hooks run first).
import { describe, expect, test } from "vitest";
import * as Miou from "../../runtime/index.js";
import { caughtCall, HOOK_OTHER_DOMAIN, isInvalidArgument, NO_THROW, yields } from "./helpers.js";

describe("order", () => {
  test("test38 adapted: h1 then h2 added in main's first slice; h2 throws on its first run", () => {
    // T1: main's first slice adds h1, h2 and stops at yield (no hook existed at the start of T1).
    // T2: hooks newest first: h2 prints and throws (removed), then h1 prints; main handles
    //     the yield, removes h2 (already gone: no-op), removes h1, returns.
    const out: string[] = [];
    Miou.run(function* () {
      const h1 = Miou.Hook.add(() => void out.push("h1"));
      const h2 = Miou.Hook.add(() => {
        out.push("h2");
        throw new Error("h2 fails");
      });
      yield* Miou.yield();
      Miou.Hook.remove(h2);
      Miou.Hook.remove(h1);
    });
    expect(out).toEqual(["h2", "h1"]);
  });

  test("hooks run once per turn, newest first, until removed", () => {
    // T1: first slice: add A, stop at yield#1.            log: -
    // T2: A | yield#1 handled: m1, add B, stop at yield#2. log: A m1
    // T3: B A | m2, stop at yield#3.                      log: B A m2
    // T4: B A | m3, remove A, stop at yield#4.            log: B A m3
    // T5: B | m4, remove B, return.                       log: B m4
    const log: string[] = [];
    Miou.run(function* () {
      const a = Miou.Hook.add(() => void log.push("A"));
      yield* Miou.yield();
      log.push("m1");
      const b = Miou.Hook.add(() => void log.push("B"));
      yield* Miou.yield();
      log.push("m2");
      yield* Miou.yield();
      log.push("m3");
      Miou.Hook.remove(a);
      yield* Miou.yield();
      log.push("m4");
      Miou.Hook.remove(b);
    });
    expect(log).toEqual(["A", "m1", "B", "A", "m2", "B", "A", "m3", "B", "m4"]);
  });

  test("three hooks run newest first; the turns of every task of the domain count", () => {
    // Main adds H1, H2, H3 in its first slice, spawns a child at its next op.
    // T1: main's first slice: add H1 H2 H3, stop at async.
    // T2: hooks | main handles async (child queued), stops at yield.
    // T3: hooks | child's first slice: c, stops at yield.
    // T4: hooks | main handles yield, stops at await (child pending: parks).
    // T5: hooks | child handles yield, returns (wakes main).
    // T6: hooks | main handles await, removes H1..H3, returns.
    const log: string[] = [];
    Miou.run(function* () {
      const hs = [1, 2, 3].map((i) => Miou.Hook.add(() => void log.push(`H${i}`)));
      const p = yield* Miou.async(function* () {
        log.push("c");
        yield* Miou.yield();
      });
      yield* Miou.yield();
      yield* Miou.await(p);
      log.push("m");
      for (const h of hs) Miou.Hook.remove(h);
    });
    const turn = ["H3", "H2", "H1"];
    expect(log).toEqual([...turn, ...turn, "c", ...turn, ...turn, ...turn, "m"]);
  });
});

describe("a hook that throws is removed (§1.9)", () => {
  test("it is removed at its first failure, the older hooks still run in that turn, and the run goes on", () => {
    // T1: add A, yield#1. T2: A | add B, yield#2. T3: B(1) A | yield#3. T4: B(2) throws, A | yield#4.
    // T5: A | return.
    const log: string[] = [];
    let calls = 0;
    const v = Miou.run(function* () {
      Miou.Hook.add(() => void log.push("A"));
      yield* Miou.yield();
      const b = Miou.Hook.add(() => {
        calls++;
        log.push(`B${calls}`);
        if (calls === 2) throw new Error("second call fails");
      });
      yield* yields(3);
      log.push("end");
      // Removing a hook that was already removed does nothing (Sequence.remove is a no-op then).
      const e = caughtCall(() => Miou.Hook.remove(b));
      return e;
    });
    expect(v).toBe(NO_THROW);
    expect(log).toEqual(["A", "B1", "A", "B2", "A", "A", "end"]);
    expect(calls).toBe(2);
  });
});

describe("domains (§1.9: hooks belong to the domain that added them)", () => {
  test("a worker's hook runs on each of that worker's turns only", () => {
    // On domain 1 only the child runs: its first slice adds the hook and stops at yield#1;
    // each of its next k turns runs the hook, then handles one yield; the k-th one removes it.
    const k = 25;
    const got = Miou.run(
      function* () {
        let dom0Calls = 0;
        const h0 = Miou.Hook.add(() => void dom0Calls++);
        const p = yield* Miou.callWith({ pin: 1 }, function* () {
          let calls = 0;
          const h = Miou.Hook.add(() => void calls++);
          yield* yields(k);
          Miou.Hook.remove(h);
          return calls;
        });
        const workerCalls = yield* Miou.awaitExn(p);
        Miou.Hook.remove(h0);
        return { workerCalls, dom0Calls };
      },
      { domains: 1 },
    );
    expect(got.workerCalls).toBe(k);
    // dom0's hook ran only on dom0's few turns (main's), not on the worker's k turns.
    expect(got.dom0Calls).toBeLessThan(10);
  });

  test("removing a hook from another domain is a TypeError with Miou's message; its domain can still remove it", () => {
    const got = Miou.run(
      function* () {
        let calls = 0;
        const h = Miou.Hook.add(() => void calls++);
        const p = yield* Miou.call(function* () {
          return caughtCall(() => Miou.Hook.remove(h));
        });
        const e = yield* Miou.awaitExn(p);
        yield* Miou.yield();
        const before = calls;
        // Still installed on dom0: it runs on main's next turn.
        yield* Miou.yield();
        const after = calls;
        Miou.Hook.remove(h);
        yield* yields(3);
        return { e, stillRan: after > before, final: calls === after };
      },
      { domains: 2 },
    );
    expect(isInvalidArgument(got.e, HOOK_OTHER_DOMAIN), String(got.e)).toBe(true);
    expect(got.stillRan).toBe(true);
    expect(got.final).toBe(true);
  });

  test("removing a worker's hook from dom0 is a TypeError too", () => {
    const e = Miou.run(
      function* () {
        const p = yield* Miou.callWith({ pin: 2 }, function* () {
          const h = Miou.Hook.add(() => {});
          return h;
        });
        const h = yield* Miou.awaitExn(p);
        return caughtCall(() => Miou.Hook.remove(h));
      },
      { domains: 2 },
    );
    expect(isInvalidArgument(e, HOOK_OTHER_DOMAIN), String(e)).toBe(true);
  });
});
