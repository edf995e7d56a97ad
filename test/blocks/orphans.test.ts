// Orphans: owner rule, care/take order (newest first), get blocking like awaitOne and
// leaving the others, length. Reference §1.7 (and §1.0 rules 1, 5; §1.5 await_one).
import { describe, expect, test } from "vitest";
import * as Miou from "../../runtime/index.js";
import { caught, caughtCall, isInvalidArgument, NO_THROW, OWNED_BY_ANOTHER, spinUntil, yields } from "./helpers.js";

function* returns<T>(v: T) {
  return v;
}

describe("the owner rule (§1.7: the first promise that uses the collector owns it)", () => {
  test("spawning into it makes the spawner the owner: care, take and get from another task are TypeErrors", () => {
    const got = Miou.run(function* () {
      const o = Miou.orphans<string>();
      const a = yield* Miou.asyncWith({ orphans: o }, returns, "a");
      const intruder = yield* Miou.async(function* () {
        return [yield* caught(Miou.care(o)), yield* caught(Miou.take(o)), yield* caught(Miou.get(o))];
      });
      const errors = (yield* Miou.awaitExn(intruder)) as unknown[];
      // The owner still uses it normally, and nothing was taken out by the intruder.
      const n = Miou.length(o);
      const r = yield* Miou.get(o);
      expect(r).toEqual({ ok: true, value: "a" });
      void a;
      return { errors, n };
    });
    expect(got.n).toBe(1);
    expect(got.errors).toHaveLength(3);
    for (const e of got.errors) expect(isInvalidArgument(e, OWNED_BY_ANOTHER), String(e)).toBe(true);
  });

  test("care on an empty collector claims it too: the parent spawning into it afterwards gets the TypeError", () => {
    const got = Miou.run(function* () {
      const o = Miou.orphans<number>();
      const claimer = yield* Miou.async(function* () {
        return yield* Miou.care(o);
      });
      expect(yield* Miou.awaitExn(claimer)).toEqual({ kind: "empty" });
      const e = yield* caught(Miou.asyncWith({ orphans: o }, returns, 1));
      return { e, n: Miou.length(o) };
    });
    expect(isInvalidArgument(got.e, OWNED_BY_ANOTHER), String(got.e)).toBe(true);
    expect(got.n).toBe(0);
  });

  test("take and get claim it as well", () => {
    for (const first of ["take", "get"] as const) {
      const e = Miou.run(function* () {
        const o = Miou.orphans<number>();
        const claimer = yield* Miou.async(function* () {
          return first === "take" ? yield* Miou.take(o) : yield* Miou.get(o);
        });
        expect(yield* Miou.awaitExn(claimer)).toBeUndefined();
        return yield* caught(Miou.care(o));
      });
      expect(isInvalidArgument(e, OWNED_BY_ANOTHER), `${first}: ${String(e)}`).toBe(true);
    }
  });

  test("a child cannot spawn into its parent's collector; the failed spawn creates no task", () => {
    const got = Miou.run(function* () {
      const o = Miou.orphans<number>();
      const mine = yield* Miou.asyncWith({ orphans: o }, returns, 1);
      const child = yield* Miou.async(function* () {
        // If a task had been created anyway, this child would return with a live child.
        return yield* caught(Miou.asyncWith({ orphans: o }, returns, 2));
      });
      const e = yield* Miou.awaitExn(child);
      yield* Miou.await(mine);
      // `mine` left its collector only through care/take/get; await alone does not remove it.
      const c = yield* Miou.care(o);
      if (c.kind === "ready") yield* Miou.await(c.promise);
      return { e, c: c.kind, n: Miou.length(o) };
    });
    expect(isInvalidArgument(got.e, OWNED_BY_ANOTHER), String(got.e)).toBe(true);
    expect(got.c).toBe("ready");
    expect(got.n).toBe(0);
  });

  test("a worker domain is another promise too (callWith from a task on dom0)", () => {
    const e = Miou.run(
      function* () {
        const o = Miou.orphans<number>();
        const p = yield* Miou.asyncWith({ orphans: o }, returns, 1);
        const w = yield* Miou.callWith({ pin: 1 }, function* () {
          return yield* caught(Miou.care(o));
        });
        const e = yield* Miou.awaitExn(w);
        yield* Miou.get(o);
        void p;
        return e;
      },
      { domains: 1 },
    );
    expect(isInvalidArgument(e, OWNED_BY_ANOTHER), String(e)).toBe(true);
  });

  test("length performs no check and never claims", () => {
    const got = Miou.run(function* () {
      const o = Miou.orphans<number>();
      const child = yield* Miou.async(function* () {
        return caughtCall(() => Miou.length(o));
      });
      const r = yield* Miou.awaitExn(child);
      // The child only looked at the length: main can still become the owner.
      const e = yield* caught(Miou.asyncWith({ orphans: o }, returns, 1));
      yield* Miou.get(o);
      return { r, e };
    });
    expect(got.r).toBe(NO_THROW);
    expect(got.e).toBe(NO_THROW);
  });
});

describe("care (§1.7: newest terminated first; Some None while none terminated; None when empty)", () => {
  test("returns terminated tasks newest first, decrementing length, then empty", () => {
    const got = Miou.run(function* () {
      const o = Miou.orphans<string>();
      for (const name of ["a", "b", "c"]) yield* Miou.asyncWith({ orphans: o }, returns, name);
      const lengths = [Miou.length(o)];
      yield* yields(5);
      const order: string[] = [];
      for (;;) {
        const c = yield* Miou.care(o);
        if (c.kind === "empty") break;
        expect(c.kind).toBe("ready");
        if (c.kind !== "ready") break;
        lengths.push(Miou.length(o));
        const r = yield* Miou.awaitExn(c.promise);
        order.push(r);
      }
      return { order, lengths };
    });
    expect(got.order).toEqual(["c", "b", "a"]);
    expect(got.lengths).toEqual([3, 2, 1, 0]);
  });

  test("skips tasks still running, and says pending when none has terminated", () => {
    const got = Miou.run(function* () {
      const o = Miou.orphans<string>();
      let goB = false;
      let goAll = false;
      yield* Miou.asyncWith({ orphans: o }, returns, "a");
      yield* Miou.asyncWith({ orphans: o }, function* () {
        yield* spinUntil(() => goB, "goB");
        return "b";
      });
      yield* Miou.asyncWith({ orphans: o }, returns, "c");
      yield* Miou.asyncWith({ orphans: o }, function* () {
        yield* spinUntil(() => goAll, "goAll");
        return "d";
      });
      yield* yields(5);
      const log: string[] = [];
      const step = function* () {
        const c = yield* Miou.care(o);
        if (c.kind === "ready") log.push(String(yield* Miou.awaitExn(c.promise)));
        else log.push(c.kind);
      };
      yield* step(); // c (d is newer but running)
      yield* step(); // a (b is newer but running)
      yield* step(); // pending: b and d run
      const pendingLength = Miou.length(o);
      goB = true;
      yield* yields(5);
      yield* step(); // b
      yield* step(); // pending: d runs
      goAll = true;
      yield* yields(5);
      yield* step(); // d
      yield* step(); // empty
      return { log, pendingLength };
    });
    expect(got.log).toEqual(["c", "a", "pending", "b", "pending", "d", "empty"]);
    expect(got.pendingLength).toBe(2);
  });

  test("a task care returned has left the collector but must still be awaited (rule 1)", () => {
    expect(() =>
      Miou.run(function* () {
        const o = Miou.orphans<number>();
        yield* Miou.asyncWith({ orphans: o }, returns, 1);
        yield* yields(3);
        const c = yield* Miou.care(o);
        expect(c.kind).toBe("ready");
        expect(Miou.length(o)).toBe(0);
      }),
    ).toThrow(Miou.StillHasChildren);
  });

  test("orphans are children: returning with one not collected is StillHasChildren", () => {
    expect(() =>
      Miou.run(function* () {
        const o = Miou.orphans<number>();
        yield* Miou.asyncWith({ orphans: o }, returns, 1);
        yield* yields(3);
      }),
    ).toThrow(Miou.StillHasChildren);
  });

  test("the echo-server pattern: a care loop collects background tasks on every domain", () => {
    for (const domains of [0, 1, 3]) {
      const got = Miou.run(
        function* () {
          const o = Miou.orphans<number>();
          const collected: number[] = [];
          const clean = function* () {
            for (;;) {
              const c = yield* Miou.care(o);
              if (c.kind !== "ready") return c.kind;
              const r = yield* Miou.await(c.promise);
              if (r.ok) collected.push(r.value);
            }
          };
          for (let i = 0; i < 20; i++) {
            const work = function* (n: number) {
              yield* yields(n % 4);
              return n;
            };
            if (domains > 0 && i % 2 === 1) yield* Miou.callWith({ orphans: o }, work, i);
            else yield* Miou.asyncWith({ orphans: o }, work, i);
            yield* clean();
          }
          while ((yield* clean()) !== "empty") yield* Miou.yield();
          return collected.sort((a, b) => a - b);
        },
        { domains, seed: 7 },
      );
      expect(got).toEqual(Array.from({ length: 20 }, (_, i) => i));
    }
  });
});

describe("take (§1.7: removes the newest task whatever its state)", () => {
  test("returns the newest first, terminated or not, then undefined", () => {
    const got = Miou.run(function* () {
      const o = Miou.orphans<string>();
      yield* Miou.asyncWith({ orphans: o }, returns, "a");
      yield* Miou.asyncWith({ orphans: o }, function* () {
        yield* spinUntil(() => false, "never");
        return "b";
      });
      yield* Miou.asyncWith({ orphans: o }, returns, "c");
      yield* yields(5);
      const log: string[] = [];
      const c = yield* Miou.take(o);
      log.push(String(yield* Miou.awaitExn(c!)));
      const b = yield* Miou.take(o);
      log.push(`length ${Miou.length(o)}`);
      // b never terminates by itself: the caller cancels it.
      yield* Miou.cancel(b!);
      const rb = yield* Miou.await(b!);
      log.push(rb.ok ? "b ok" : (rb.error as Error).name);
      const a = yield* Miou.take(o);
      log.push(String(yield* Miou.awaitExn(a!)));
      log.push(String(yield* Miou.take(o)));
      return log;
    });
    expect(got).toEqual(["c", "length 1", "Cancelled", "a", "undefined"]);
  });
});

describe("get (§1.7: blocks like await_one over all orphans; the winner is consumed, the others stay)", () => {
  test("get on an empty collector returns undefined", () => {
    expect(
      Miou.run(function* () {
        return yield* Miou.get(Miou.orphans<number>());
      }),
    ).toBeUndefined();
  });

  test("blocks until one terminates, returns its result, and leaves the others running", () => {
    const got = Miou.run(function* () {
      const o = Miou.orphans<string>();
      let releaseA = false;
      let aFinished = false;
      yield* Miou.asyncWith({ orphans: o }, function* () {
        yield* spinUntil(() => releaseA, "releaseA");
        aFinished = true;
        return "a";
      });
      yield* Miou.asyncWith({ orphans: o }, function* () {
        yield* yields(3);
        return "b";
      });
      const first = yield* Miou.get(o);
      const afterFirst = { length: Miou.length(o), aFinished };
      releaseA = true;
      const second = yield* Miou.get(o);
      const third = yield* Miou.get(o);
      return { first, afterFirst, second, third, length: Miou.length(o) };
    });
    expect(got.first).toEqual({ ok: true, value: "b" });
    expect(got.afterFirst).toEqual({ length: 1, aFinished: false });
    // a was not cancelled by the first get: it returned its own value.
    expect(got.second).toEqual({ ok: true, value: "a" });
    expect(got.third).toBeUndefined();
    expect(got.length).toBe(0);
  });

  test("prefers a successful task over a failed one, whatever the seed", () => {
    for (let seed = 0; seed < 10; seed++) {
      const got = Miou.run(
        function* () {
          const o = Miou.orphans<string>();
          const boom = new Error("boom");
          yield* Miou.asyncWith({ orphans: o }, function* (): Generator<unknown, string, unknown> {
            throw boom;
          });
          yield* Miou.asyncWith({ orphans: o }, returns, "ok");
          yield* Miou.asyncWith({ orphans: o }, function* (): Generator<unknown, string, unknown> {
            throw boom;
          });
          yield* yields(5);
          const r1 = yield* Miou.get(o);
          const r2 = yield* Miou.get(o);
          const r3 = yield* Miou.get(o);
          return { r1, r2, r3, boom };
        },
        { seed },
      );
      expect(got.r1).toEqual({ ok: true, value: "ok" });
      expect(got.r2).toEqual({ ok: false, error: got.boom });
      expect(got.r3).toEqual({ ok: false, error: got.boom });
    }
  });

  test("breaks ties among terminated successes with the run's seeded RNG", () => {
    const winners = new Set<string>();
    for (let seed = 0; seed < 40; seed++) {
      const program = function* () {
        const o = Miou.orphans<string>();
        for (const name of ["a", "b", "c"]) yield* Miou.asyncWith({ orphans: o }, returns, name);
        yield* yields(5);
        const r = yield* Miou.get(o);
        while ((yield* Miou.get(o)) !== undefined);
        return r!.ok ? r!.value : "error";
      };
      const w = Miou.run(program, { seed });
      // The same seed gives the same choice.
      expect(Miou.run(program, { seed })).toBe(w);
      winners.add(w);
    }
    expect([...winners].sort()).toEqual(["a", "b", "c"]);
  });

  test("the tasks get leaves behind must still be collected (rule 1)", () => {
    expect(() =>
      Miou.run(function* () {
        const o = Miou.orphans<number>();
        yield* Miou.asyncWith({ orphans: o }, returns, 1);
        yield* Miou.asyncWith({ orphans: o }, returns, 2);
        yield* yields(3);
        yield* Miou.get(o);
      }),
    ).toThrow(Miou.StillHasChildren);
  });

  test("works over tasks on worker domains", () => {
    const got = Miou.run(
      function* () {
        const o = Miou.orphans<number>();
        for (let i = 0; i < 9; i++) {
          yield* Miou.callWith({ orphans: o }, function* (n: number) {
            yield* yields(n);
            return n * 10;
          }, i);
        }
        const out: number[] = [];
        for (let r = yield* Miou.get(o); r !== undefined; r = yield* Miou.get(o)) {
          if (r.ok) out.push(r.value);
        }
        return out.sort((a, b) => a - b);
      },
      { domains: 3, seed: 3 },
    );
    expect(got).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80]);
  });
});
