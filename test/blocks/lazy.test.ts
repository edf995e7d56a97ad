// Lazy: fromVal, fromFun (plain or generator function, run in the first forcer's task),
// computed once even when forced concurrently from several domains, exceptions memoised,
// LazyUndefined when a task forces what it is computing. Reference §1.12 (Lazy row), §2.18.
import { describe, expect, test } from "vitest";
import * as Miou from "../../runtime/index.js";
import { caught, spinUntil, yields } from "./helpers.js";

describe("fromVal and fromFun", () => {
  test("fromVal: force returns the value", () => {
    const v = { x: 1 };
    expect(
      Miou.run(function* () {
        return yield* Miou.Lazy.force(Miou.Lazy.fromVal(v));
      }),
    ).toBe(v);
  });

  test("fromFun with a plain function: computed once, at the first force, then memoised", () => {
    let calls = 0;
    const log: string[] = [];
    const got = Miou.run(function* () {
      const l = Miou.Lazy.fromFun(() => {
        calls++;
        log.push("compute");
        return { n: 42 };
      });
      log.push("created");
      const a = yield* Miou.Lazy.force(l);
      const b = yield* Miou.Lazy.force(l);
      const p = yield* Miou.async(function* () {
        return yield* Miou.Lazy.force(l);
      });
      const c = yield* Miou.awaitExn(p);
      return { same: a === b && b === c, n: a.n };
    });
    expect(got).toEqual({ same: true, n: 42 });
    expect(calls).toBe(1);
    expect(log).toEqual(["created", "compute"]);
  });

  test("fromFun with a generator function: its operations run in the first forcer's task", () => {
    const got = Miou.run(
      function* () {
        const l = Miou.Lazy.fromFun(function* () {
          yield* Miou.yield();
          return Miou.Domain.self();
        });
        const p = yield* Miou.callWith({ pin: 2 }, function* () {
          return yield* Miou.Lazy.force(l);
        });
        const fromWorker = yield* Miou.awaitExn(p);
        const fromMain = yield* Miou.Lazy.force(l);
        return { fromWorker, fromMain };
      },
      { domains: 2 },
    );
    expect(got).toEqual({ fromWorker: 2, fromMain: 2 });
  });
});

describe("concurrent forcing computes once (§1.12: the others wait and are woken when it finishes; test40)", () => {
  for (const domains of [0, 1, 3]) {
    test(`forcers on dom0 and ${domains} workers all get the one value`, () => {
      let calls = 0;
      const got = Miou.run(
        function* () {
          const l = Miou.Lazy.fromFun(function* () {
            calls++;
            yield* yields(20);
            return { computedOn: Miou.Domain.self() };
          });
          const forcer = function* () {
            yield* Miou.yield();
            return yield* Miou.Lazy.force(l);
          };
          const ps = [];
          for (let i = 0; i < 8; i++) {
            ps.push(domains > 0 && i % 2 === 1 ? yield* Miou.call(forcer) : yield* Miou.async(forcer));
          }
          const mine = yield* Miou.Lazy.force(l);
          const rs = yield* Miou.awaitAll(ps);
          return { allSame: rs.every((r) => r.ok && r.value === mine), n: rs.length };
        },
        { domains, seed: domains },
      );
      expect(got).toEqual({ allSame: true, n: 8 });
      expect(calls).toBe(1);
    });
  }

  test("a waiting forcer that is cancelled leaves; the computation and the other forcers are unaffected", () => {
    let calls = 0;
    const got = Miou.run(
      function* () {
        let release = false;
        const l = Miou.Lazy.fromFun(function* () {
          calls++;
          yield* spinUntil(() => release, "release");
          return "value";
        });
        const computer = yield* Miou.async(function* () {
          return yield* Miou.Lazy.force(l);
        });
        yield* yields(3);
        const victim = yield* Miou.call(function* () {
          return yield* Miou.Lazy.force(l);
        });
        const other = yield* Miou.call(function* () {
          return yield* Miou.Lazy.force(l);
        });
        yield* yields(5);
        yield* Miou.cancel(victim);
        release = true;
        const rv = yield* Miou.await(victim);
        return {
          computer: yield* Miou.awaitExn(computer),
          other: yield* Miou.awaitExn(other),
          victimCancelled: !rv.ok && rv.error instanceof Miou.Cancelled,
        };
      },
      { domains: 2 },
    );
    expect(got).toEqual({ computer: "value", other: "value", victimCancelled: true });
    expect(calls).toBe(1);
  });
});

describe("exceptions are memoised (§1.12)", () => {
  test("a plain function that throws: every force re-throws the same error, the function ran once", () => {
    let calls = 0;
    const boom = new Error("boom");
    const got = Miou.run(
      function* () {
        const l = Miou.Lazy.fromFun((): number => {
          calls++;
          throw boom;
        });
        const a = yield* caught(Miou.Lazy.force(l));
        const b = yield* caught(Miou.Lazy.force(l));
        const p = yield* Miou.call(function* () {
          return yield* caught(Miou.Lazy.force(l));
        });
        const c = yield* Miou.awaitExn(p);
        return [a, b, c];
      },
      { domains: 1 },
    );
    expect(got).toEqual([boom, boom, boom]);
    for (const e of got) expect(e).toBe(boom);
    expect(calls).toBe(1);
  });

  test("a generator that throws after yielding: the concurrent waiters get the same error", () => {
    let calls = 0;
    const boom = new Error("late boom");
    const got = Miou.run(
      function* () {
        const l = Miou.Lazy.fromFun(function* (): Generator<unknown, number, unknown> {
          calls++;
          yield* yields(10);
          throw boom;
        });
        const forcer = function* () {
          return yield* caught(Miou.Lazy.force(l));
        };
        const ps = [yield* Miou.async(forcer), yield* Miou.call(forcer), yield* Miou.call(forcer)];
        const rs = yield* Miou.awaitAll(ps);
        return rs.map((r) => (r.ok ? r.value : "task failed"));
      },
      { domains: 2 },
    );
    expect(got.length).toBe(3);
    for (const e of got) expect(e).toBe(boom);
    expect(calls).toBe(1);
  });
});

describe("LazyUndefined (§1.12: forcing again from the same promise while it computes)", () => {
  test("a generator that forces its own Lazy gets LazyUndefined; uncaught, it is the memoised outcome", () => {
    const got = Miou.run(function* () {
      let inner: unknown = null;
      const l: ReturnType<typeof Miou.Lazy.fromFun<number>> = Miou.Lazy.fromFun(function* (): Generator<unknown, number, unknown> {
        yield* Miou.yield();
        try {
          return yield* Miou.Lazy.force(l);
        } catch (e) {
          inner = e;
          throw e;
        }
      });
      const outer = yield* caught(Miou.Lazy.force(l));
      const p = yield* Miou.async(function* () {
        return yield* caught(Miou.Lazy.force(l));
      });
      const later = yield* Miou.awaitExn(p);
      return { inner, outer, later };
    });
    expect(got.inner).toBeInstanceOf(Miou.LazyUndefined);
    expect(got.outer).toBe(got.inner);
    expect(got.later).toBe(got.inner);
  });

  test("the computing task may catch LazyUndefined and still produce a value", () => {
    const got = Miou.run(function* () {
      const l: ReturnType<typeof Miou.Lazy.fromFun<string>> = Miou.Lazy.fromFun(function* () {
        const e = yield* caught(Miou.Lazy.force(l));
        return e instanceof Miou.LazyUndefined ? "recovered" : `unexpected ${String(e)}`;
      });
      return [yield* Miou.Lazy.force(l), yield* Miou.Lazy.force(l)];
    });
    expect(got).toEqual(["recovered", "recovered"]);
  });

  test("another task forcing meanwhile waits instead (no LazyUndefined)", () => {
    const got = Miou.run(function* () {
      let computing = false;
      const l = Miou.Lazy.fromFun(function* () {
        computing = true;
        yield* yields(10);
        return "v";
      });
      const computer = yield* Miou.async(function* () {
        return yield* Miou.Lazy.force(l);
      });
      yield* spinUntil(() => computing, "computing");
      const mine = yield* Miou.Lazy.force(l);
      return { mine, theirs: yield* Miou.awaitExn(computer) };
    });
    expect(got).toEqual({ mine: "v", theirs: "v" });
  });
});
