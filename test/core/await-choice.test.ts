// awaitOne / awaitFirst: choose among the promises terminated when the waiting task next
// runs, prefer Ok, break ties with the run's seeded PRNG; awaitOne leaves the others,
// awaitFirst cancels them. Reference §1.5, §1.15; DESIGN §3; issue 2 §3 and §5 (trace).
import { describe, expect, test } from "vitest";
import * as Miou from "../../runtime/index.js";
import { isInvalidArgument, thrown, traceCollector, type Result, spinUntilCancelled } from "./helpers.js";

const SEEDS = Array.from({ length: 64 }, (_, i) => i);

const returns = (v: unknown) =>
  function* () {
    return v;
  };

function* slow(v: unknown, yields: number) {
  for (let i = 0; i < yields; i++) yield* Miou.yield();
  return v;
}

/** main: spawn two children that return at once, let both finish, then awaitOne. */
function tieProgram(options: { seed: number; trace?: (r: { kind: string }) => void }) {
  return Miou.run(function* () {
    const a = yield* Miou.async(returns("a"));
    const b = yield* Miou.async(returns("b"));
    yield* Miou.yield();
    yield* Miou.yield();
    const r = (yield* Miou.awaitOne([a, b])) as Result;
    yield* Miou.awaitAll([a, b]);
    return r;
  }, options) as Result;
}

describe("awaitOne", () => {
  test("prefers a successful result over an error, whatever the seed", () => {
    const boom = new Error("boom");
    for (const seed of SEEDS.slice(0, 16)) {
      for (const errorFirst of [true, false]) {
        const got = Miou.run(
          function* () {
            const bad = yield* Miou.async(function* () {
              throw boom;
            });
            const good = yield* Miou.async(returns("good"));
            yield* Miou.yield();
            yield* Miou.yield();
            const r = yield* Miou.awaitOne(errorFirst ? [bad, good] : [good, bad]);
            const rest = yield* Miou.await(bad);
            return [r, rest];
          },
          { seed },
        ) as Result[];
        expect(got[0]).toEqual({ ok: true, value: "good" });
        expect(got[1]).toEqual({ ok: false, error: boom });
      }
    }
  });

  test("with nothing terminated yet, it waits for the first promise to terminate", () => {
    for (const seed of SEEDS.slice(0, 8)) {
      const got = Miou.run(
        function* () {
          const a = yield* Miou.async(slow, "a", 20);
          const b = yield* Miou.async(slow, "b", 1);
          const r = yield* Miou.awaitOne([a, b]);
          yield* Miou.await(a);
          return r;
        },
        { seed },
      );
      expect(got).toEqual({ ok: true, value: "b" });
    }
  });

  test("ties between successful results are broken by the seed: both outcomes happen", () => {
    const values = new Set(SEEDS.map((seed) => (tieProgram({ seed }) as { value: unknown }).value));
    expect([...values].sort()).toEqual(["a", "b"]);
  });

  test("the same seed always makes the same choice", () => {
    for (const seed of SEEDS.slice(0, 16)) {
      expect(tieProgram({ seed })).toEqual(tieProgram({ seed }));
    }
  });

  test("a tie-break is a PRNG draw recorded in the trace", () => {
    const t = traceCollector();
    tieProgram({ seed: 7, trace: t.trace });
    expect(t.records.some((r) => r.kind === "draw")).toBe(true);
  });

  test("the same seed gives deep-equal traces; different seeds can differ", () => {
    const traces = SEEDS.slice(0, 16).map((seed) => {
      const t1 = traceCollector();
      const t2 = traceCollector();
      tieProgram({ seed, trace: t1.trace });
      tieProgram({ seed, trace: t2.trace });
      expect(t1.records.length).toBeGreaterThan(0);
      expect(t2.records).toEqual(t1.records);
      return JSON.stringify(t1.records);
    });
    expect(new Set(traces).size).toBeGreaterThan(1);
  });

  test("when every candidate failed, the result is one of their errors", () => {
    const e1 = new Error("e1");
    const e2 = new Error("e2");
    const seen = new Set<unknown>();
    for (const seed of SEEDS.slice(0, 32)) {
      const got = Miou.run(
        function* () {
          const a = yield* Miou.async(function* () {
            throw e1;
          });
          const b = yield* Miou.async(function* () {
            throw e2;
          });
          yield* Miou.yield();
          yield* Miou.yield();
          const r = yield* Miou.awaitOne([a, b]);
          yield* Miou.awaitAll([a, b]);
          return r;
        },
        { seed },
      ) as Result;
      expect(got.ok).toBe(false);
      const e = (got as { error: unknown }).error;
      expect([e1, e2]).toContain(e);
      seen.add(e);
    }
    expect(seen.size).toBe(2);
  });

  test("the others are not cancelled: they must still be awaited, and keep their results", () => {
    const got = Miou.run(function* () {
      const a = yield* Miou.async(returns("a"));
      const b = yield* Miou.async(returns("b"));
      yield* Miou.yield();
      yield* Miou.yield();
      yield* Miou.awaitOne([a, b]);
      return yield* Miou.awaitAll([a, b]);
    });
    expect(got).toEqual([
      { ok: true, value: "a" },
      { ok: true, value: "b" },
    ]);
  });

  test("a running loser keeps running and finishes normally", () => {
    const log: string[] = [];
    const got = Miou.run(function* () {
      const fast = yield* Miou.async(returns("fast"));
      const slowP = yield* Miou.async(function* () {
        for (let i = 0; i < 5; i++) yield* Miou.yield();
        log.push("slow finished");
        return "slow";
      });
      const r = yield* Miou.awaitOne([fast, slowP]);
      const s = yield* Miou.await(slowP);
      return [r, s];
    });
    expect(got).toEqual([
      { ok: true, value: "fast" },
      { ok: true, value: "slow" },
    ]);
    expect(log).toEqual(["slow finished"]);
  });

  test("returning without awaiting the others is StillHasChildren", () => {
    const e = thrown(() =>
      Miou.run(function* () {
        const a = yield* Miou.async(returns("a"));
        const b = yield* Miou.async(returns("b"));
        yield* Miou.yield();
        yield* Miou.yield();
        yield* Miou.awaitOne([a, b]);
        return "leaked one";
      }),
    );
    expect(e).toBeInstanceOf(Miou.StillHasChildren);
  });

  test("the same promise may be listed twice (test18)", () => {
    const got = Miou.run(function* () {
      const a = yield* Miou.async(slow, "a", 2);
      return yield* Miou.awaitOne([a, a]);
    });
    expect(got).toEqual({ ok: true, value: "a" });
  });

  test("an empty list is Miou's Invalid_argument \"Miou.await_one\", catchable in the task", () => {
    const got = Miou.run(function* () {
      try {
        yield* Miou.awaitOne([]);
        return "no error";
      } catch (e) {
        return e;
      }
    });
    expect(isInvalidArgument(got, "Miou.await_one")).toBe(true);
  });

  test("works on children running on other domains", () => {
    const got = Miou.run(
      function* () {
        const a = yield* Miou.call(slow, "a", 30);
        const b = yield* Miou.call(slow, "b", 0);
        const r = yield* Miou.awaitOne([a, b]);
        yield* Miou.await(a);
        return r;
      },
      { domains: 2 },
    );
    expect(got).toEqual({ ok: true, value: "b" });
  });
});

describe("awaitFirst", () => {
  test("returns the first result and cancels the running others (their finally runs)", () => {
    const log: string[] = [];
    const got = Miou.run(function* () {
      const fast = yield* Miou.async(slow, "fast", 1);
      const loser = yield* Miou.async(function* () {
        try {
          yield* spinUntilCancelled();
        } finally {
          log.push("loser finally");
        }
      });
      const r = yield* Miou.awaitFirst([fast, loser]);
      log.push("awaitFirst returned");
      return r;
    });
    expect(got).toEqual({ ok: true, value: "fast" });
    // The losers are cancelled (and awaited for) by awaitFirst: no StillHasChildren.
    expect(log).toEqual(["loser finally", "awaitFirst returned"]);
  });

  test("terminated losers are cancelled too: their results are erased", () => {
    for (const seed of SEEDS.slice(0, 16)) {
      const got = Miou.run(
        function* () {
          const a = yield* Miou.async(returns("a"));
          const b = yield* Miou.async(returns("b"));
          yield* Miou.yield();
          yield* Miou.yield();
          const r = (yield* Miou.awaitFirst([a, b])) as Result;
          const loser = (r as { value: string }).value === "a" ? b : a;
          return [r, yield* Miou.await(loser)];
        },
        { seed },
      ) as Result[];
      expect(got[0].ok).toBe(true);
      expect(["a", "b"]).toContain((got[0] as { value: unknown }).value);
      expect(got[1].ok).toBe(false);
      expect((got[1] as { error: unknown }).error).toBeInstanceOf(Miou.Cancelled);
    }
  });

  test("ties are broken by the seed: both winners happen", () => {
    const winners = new Set(
      SEEDS.map(
        (seed) =>
          (
            Miou.run(
              function* () {
                const a = yield* Miou.async(returns("a"));
                const b = yield* Miou.async(returns("b"));
                yield* Miou.yield();
                yield* Miou.yield();
                return yield* Miou.awaitFirst([a, b]);
              },
              { seed },
            ) as { value: unknown }
          ).value,
      ),
    );
    expect([...winners].sort()).toEqual(["a", "b"]);
  });

  test("prefers a successful result over an error already there", () => {
    const boom = new Error("boom");
    for (const seed of SEEDS.slice(0, 16)) {
      const got = Miou.run(
        function* () {
          const bad = yield* Miou.async(function* () {
            throw boom;
          });
          const good = yield* Miou.async(returns("good"));
          yield* Miou.yield();
          yield* Miou.yield();
          return yield* Miou.awaitFirst([bad, good]);
        },
        { seed },
      );
      expect(got).toEqual({ ok: true, value: "good" });
    }
  });

  test("an error that terminated first wins over a task still running, which is cancelled", () => {
    const boom = new Error("boom");
    const log: string[] = [];
    const got = Miou.run(function* () {
      const bad = yield* Miou.async(function* () {
        throw boom;
      });
      const running = yield* Miou.async(function* () {
        try {
          for (let i = 0; i < 50; i++) yield* Miou.yield();
          log.push("running finished (must not happen)");
          return "late";
        } finally {
          log.push("running finally");
        }
      });
      return yield* Miou.awaitFirst([bad, running]);
    }) as Result;
    expect(got).toEqual({ ok: false, error: boom });
    expect(log).toEqual(["running finally"]);
  });

  test("an empty list is an Invalid_argument", () => {
    const got = Miou.run(function* () {
      try {
        yield* Miou.awaitFirst([]);
        return "no error";
      } catch (e) {
        return e;
      }
    });
    expect(isInvalidArgument(got, /await_first|awaitFirst/)).toBe(true);
  });

  test("cancels losers running on other domains", () => {
    const log: string[] = [];
    const got = Miou.run(
      function* () {
        const loser = yield* Miou.callWith({ pin: 1 }, function* () {
          try {
            yield* spinUntilCancelled();
          } finally {
            log.push("remote loser finally");
          }
        });
        const winner = yield* Miou.callWith({ pin: 2 }, slow, "w", 3);
        const r = yield* Miou.awaitFirst([loser, winner]);
        log.push("returned");
        return r;
      },
      { domains: 2 },
    );
    expect(got).toEqual({ ok: true, value: "w" });
    expect(log).toEqual(["remote loser finally", "returned"]);
  });
});
