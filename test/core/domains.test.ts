// Domains: Domain.self/available/all, call (random other worker unless pinned), callWith pin,
// parallel (round-robin, input order), NoDomainAvailable. Reference §1.0 rule 6, §1.2, §1.4,
// §2.9; DESIGN §5.
import { describe, expect, test } from "vitest";
import * as Miou from "../../runtime/index.js";
import { isInvalidArgument, traceCollector, type Result } from "./helpers.js";

const PIN_MESSAGE = "The given domain to pin your task does not exist or is the actual domain";

function* whereAmI() {
  return Miou.Domain.self();
}

describe("Domain.self, Domain.available, Domain.all", () => {
  for (const domains of [0, 1, 2, 3]) {
    test(`with domains = ${domains}: main is on dom0, ${domains} workers numbered 1..${domains}`, () => {
      const got = Miou.run(
        function* () {
          return [Miou.Domain.self(), Miou.Domain.available(), Miou.Domain.all()];
        },
        { domains },
      );
      expect(got).toEqual([0, domains, Array.from({ length: domains }, (_, i) => i + 1)]);
    });
  }

  test("the default is 0 extra domains", () => {
    expect(
      Miou.run(function* () {
        return [Miou.Domain.available(), Miou.Domain.all()];
      }),
    ).toEqual([0, []]);
  });

  test("a worker sees the same count and list, and its own uid", () => {
    const got = Miou.run(
      function* () {
        const p = yield* Miou.callWith({ pin: 2 }, function* () {
          return [Miou.Domain.self(), Miou.Domain.available(), Miou.Domain.all()];
        });
        return yield* Miou.awaitExn(p);
      },
      { domains: 3 },
    );
    expect(got).toEqual([2, 3, [1, 2, 3]]);
  });
});

describe("call", () => {
  test("runs on a worker, never on dom0, and returns the value to the caller", () => {
    const got = Miou.run(
      function* () {
        const out: number[] = [];
        for (let i = 0; i < 20; i++) out.push((yield* Miou.awaitExn(yield* Miou.call(whereAmI))) as number);
        return out;
      },
      { domains: 3 },
    ) as number[];
    for (const d of got) expect([1, 2, 3]).toContain(d);
  });

  test("picks a random worker: calls from one run spread over several domains", () => {
    const got = Miou.run(
      function* () {
        const ps = [];
        for (let i = 0; i < 30; i++) ps.push(yield* Miou.call(whereAmI));
        return (yield* Miou.awaitAll(ps)).map((r) => (r as { value: number }).value);
      },
      { domains: 3 },
    ) as number[];
    expect(new Set(got).size).toBeGreaterThan(1);
  });

  test("the choice of worker depends on the seed and repeats with the same seed", () => {
    const placement = (seed: number) =>
      Miou.run(
        function* () {
          const ps = [];
          for (let i = 0; i < 12; i++) ps.push(yield* Miou.call(whereAmI));
          return (yield* Miou.awaitAll(ps)).map((r) => (r as { value: number }).value);
        },
        { domains: 3, seed },
      );
    const seen = new Set<string>();
    for (let seed = 0; seed < 8; seed++) {
      const p = placement(seed);
      expect(placement(seed)).toEqual(p);
      seen.add(JSON.stringify(p));
    }
    expect(seen.size).toBeGreaterThan(1);
  });

  test("a random placement is a PRNG draw recorded in the trace", () => {
    const t = traceCollector();
    Miou.run(
      function* () {
        yield* Miou.awaitExn(yield* Miou.call(whereAmI));
      },
      { domains: 2, trace: t.trace },
    );
    expect(t.records.some((r) => r.kind === "draw")).toBe(true);
  });

  test("callWith without pin behaves like call", () => {
    const got = Miou.run(
      function* () {
        const out: number[] = [];
        for (let i = 0; i < 10; i++) out.push((yield* Miou.awaitExn(yield* Miou.callWith({}, whereAmI))) as number);
        return out;
      },
      { domains: 2 },
    ) as number[];
    for (const d of got) expect([1, 2]).toContain(d);
  });

  test("never runs on the calling worker", () => {
    const got = Miou.run(
      function* () {
        const p = yield* Miou.callWith({ pin: 1 }, function* () {
          const out: number[] = [];
          for (let i = 0; i < 10; i++) out.push((yield* Miou.awaitExn(yield* Miou.call(whereAmI))) as number);
          return out;
        });
        return yield* Miou.awaitExn(p);
      },
      { domains: 2 },
    );
    expect(got).toEqual(Array(10).fill(2));
  });

  test("with 0 domains, throws NoDomainAvailable inside the caller", () => {
    const got = Miou.run(function* () {
      try {
        yield* Miou.call(whereAmI);
        return "no error";
      } catch (e) {
        return e;
      }
    });
    expect(got).toBeInstanceOf(Miou.NoDomainAvailable);
    expect((got as Error).name).toBe("NoDomainAvailable");
  });

  test("from the only worker, throws NoDomainAvailable inside the caller", () => {
    const got = Miou.run(
      function* () {
        const p = yield* Miou.call(function* () {
          try {
            yield* Miou.call(whereAmI);
            return "no error";
          } catch (e) {
            return e;
          }
        });
        return yield* Miou.awaitExn(p);
      },
      { domains: 1 },
    );
    expect(got).toBeInstanceOf(Miou.NoDomainAvailable);
  });

  test("an uncaught NoDomainAvailable is the task's error", () => {
    const got = Miou.run(
      function* () {
        const p = yield* Miou.call(function* () {
          yield* Miou.call(whereAmI);
        });
        return yield* Miou.await(p);
      },
      { domains: 1 },
    ) as Result;
    expect(got.ok).toBe(false);
    expect((got as { error: unknown }).error).toBeInstanceOf(Miou.NoDomainAvailable);
  });

  test("a child's error comes back across domains", () => {
    const boom = new Error("remote boom");
    const got = Miou.run(
      function* () {
        const p = yield* Miou.call(function* () {
          yield* Miou.yield();
          throw boom;
        });
        return yield* Miou.await(p);
      },
      { domains: 2 },
    );
    expect(got).toEqual({ ok: false, error: boom });
  });

  test("passes its arguments to the task", () => {
    const got = Miou.run(
      function* () {
        const p = yield* Miou.call(
          function* (a: number, b: number) {
            return a + b;
          },
          20,
          22,
        );
        const q = yield* Miou.callWith(
          { pin: 1 },
          function* (s: string) {
            return s.toUpperCase();
          },
          "pinned",
        );
        return [yield* Miou.awaitExn(p), yield* Miou.awaitExn(q)];
      },
      { domains: 1 },
    );
    expect(got).toEqual([42, "PINNED"]);
  });
});

describe("callWith pin", () => {
  test("runs the task on the pinned worker", () => {
    const got = Miou.run(
      function* () {
        const out: number[] = [];
        for (const pin of [3, 1, 2, 3]) {
          out.push((yield* Miou.awaitExn(yield* Miou.callWith({ pin }, whereAmI))) as number);
        }
        return out;
      },
      { domains: 3 },
    );
    expect(got).toEqual([3, 1, 2, 3]);
  });

  test("pinning to dom0, to a missing domain or to the current domain is Invalid_argument", () => {
    const got = Miou.run(
      function* () {
        const errors: unknown[] = [];
        for (const pin of [0, 3, -1]) {
          try {
            yield* Miou.callWith({ pin }, whereAmI);
            errors.push(`no error for pin ${pin}`);
          } catch (e) {
            errors.push(e);
          }
        }
        const fromWorker = yield* Miou.callWith({ pin: 1 }, function* () {
          try {
            yield* Miou.callWith({ pin: 1 }, whereAmI);
            return "no error for pinning to self";
          } catch (e) {
            return e;
          }
        });
        errors.push(yield* Miou.awaitExn(fromWorker));
        return errors;
      },
      { domains: 2 },
    ) as unknown[];
    expect(got).toHaveLength(4);
    for (const e of got) expect(isInvalidArgument(e, PIN_MESSAGE)).toBe(true);
  });

  test("pinning with 0 domains is NoDomainAvailable (checked before the pin, reference §2.9)", () => {
    const got = Miou.run(function* () {
      try {
        yield* Miou.callWith({ pin: 1 }, whereAmI);
        return "no error";
      } catch (e) {
        return e;
      }
    });
    expect(got).toBeInstanceOf(Miou.NoDomainAvailable);
  });
});

describe("parallel", () => {
  test("returns one result per item, in input order", () => {
    const boom = new Error("three");
    const got = Miou.run(
      function* () {
        return yield* Miou.parallel(
          function* (x: number) {
            for (let i = 0; i < (5 - x) * 2; i++) yield* Miou.yield();
            if (x === 3) throw boom;
            return x * 10;
          },
          [0, 1, 2, 3, 4],
        );
      },
      { domains: 2 },
    );
    expect(got).toEqual([
      { ok: true, value: 0 },
      { ok: true, value: 10 },
      { ok: true, value: 20 },
      { ok: false, error: boom },
      { ok: true, value: 40 },
    ]);
  });

  test("assigns the workers round-robin, from dom0", () => {
    const got = Miou.run(
      function* () {
        return (yield* Miou.parallel(whereAmI, [0, 1, 2, 3, 4, 5])).map((r) => (r as { value: number }).value);
      },
      { domains: 3 },
    ) as number[];
    // Round-robin: the first three items go to three different workers, then the cycle
    // repeats.
    expect(new Set(got.slice(0, 3))).toEqual(new Set([1, 2, 3]));
    expect(got.slice(3)).toEqual(got.slice(0, 3));
  });

  test("never uses the current worker, from a worker", () => {
    const got = Miou.run(
      function* () {
        const p = yield* Miou.callWith({ pin: 2 }, function* () {
          return (yield* Miou.parallel(whereAmI, [0, 1, 2, 3, 4, 5])).map((r) => (r as { value: number }).value);
        });
        return yield* Miou.awaitExn(p);
      },
      { domains: 3 },
    ) as number[];
    for (const d of got) expect([1, 3]).toContain(d);
    expect(got[0]).not.toBe(got[1]);
    expect(got.slice(2)).toEqual([got[0], got[1], got[0], got[1]]);
  });

  test("the same for every seed (round-robin is not random)", () => {
    const placement = (seed: number) =>
      Miou.run(
        function* () {
          return (yield* Miou.parallel(whereAmI, [0, 1, 2, 3])).map((r) => (r as { value: number }).value);
        },
        { domains: 3, seed },
      );
    const first = placement(0);
    for (let seed = 1; seed < 8; seed++) expect(placement(seed)).toEqual(first);
  });

  test("of an empty list returns an empty list", () => {
    expect(
      Miou.run(
        function* () {
          return yield* Miou.parallel(whereAmI, []);
        },
        { domains: 2 },
      ),
    ).toEqual([]);
  });

  test("with 0 domains throws NoDomainAvailable inside the caller", () => {
    const got = Miou.run(function* () {
      try {
        yield* Miou.parallel(whereAmI, [1, 2]);
        return "no error";
      } catch (e) {
        return e;
      }
    });
    expect(got).toBeInstanceOf(Miou.NoDomainAvailable);
  });

  test("from the only worker throws NoDomainAvailable", () => {
    const got = Miou.run(
      function* () {
        const p = yield* Miou.call(function* () {
          try {
            yield* Miou.parallel(whereAmI, [1, 2]);
            return "no error";
          } catch (e) {
            return e;
          }
        });
        return yield* Miou.awaitExn(p);
      },
      { domains: 1 },
    );
    expect(got).toBeInstanceOf(Miou.NoDomainAvailable);
  });
});

describe("async stays on the current domain", () => {
  test("a task spawned with async from a worker runs on that worker", () => {
    const got = Miou.run(
      function* () {
        const p = yield* Miou.callWith({ pin: 2 }, function* () {
          const q = yield* Miou.async(whereAmI);
          return yield* Miou.awaitExn(q);
        });
        return yield* Miou.awaitExn(p);
      },
      { domains: 2 },
    );
    expect(got).toBe(2);
  });
});
