// Sleepers on a virtual host (issue 4 §2, the seed tutorial's Chat.sleep): expectations
// written by hand from the tutorial and DESIGN §4/§5, in virtual nanoseconds.
import { describe, expect, it } from "vitest";
import * as Miou from "../../platform/miou.js";
import { traceLines, virtualHost } from "./virtual-host.js";

const S = 1_000_000_000;
const MS = 1_000_000;

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("Miou.sleep", () => {
  it("two concurrent sleeps of 1 s and 2 s end at virtual 2 s, not 3 s (seed: Sleepers)", () => {
    const host = virtualHost();
    const value = Miou.runOn(host, function* () {
      const a = yield* Miou.async(function* () {
        yield* Miou.sleep(1000);
        return Miou.now();
      });
      const b = yield* Miou.async(function* () {
        yield* Miou.sleep(2000);
        return Miou.now();
      });
      const results = yield* Miou.awaitAll([a, b]);
      return { woke: results.map((r) => (r.ok ? r.value : r.error)), end: Miou.now() };
    });
    expect(value).toEqual({ woke: [1 * S, 2 * S], end: 2 * S });
    expect(host.time()).toBe(2 * S);
  });

  it("a 10 s sleep on another domain cancelled at once never fires and takes no virtual time (seed: Cancellation)", () => {
    const host = virtualHost();
    let fired = false;
    const value = Miou.runOn(
      host,
      function* () {
        const p = yield* Miou.call(function* () {
          yield* Miou.sleep(10_000);
          fired = true;
        });
        yield* Miou.cancel(p);
        return Miou.now();
      },
      { domains: 1 },
    );
    expect(value).toBe(0);
    expect(fired).toBe(false);
    expect(host.time()).toBe(0);
    expect(host.selects.map((s) => s.deadline)).not.toContain(10 * S);
  });

  it("a 10 s sleep cancelled after it suspended is forgotten: no wait for it, no virtual time", () => {
    const host = virtualHost();
    const tr = traceLines();
    let fired = false;
    let sleeping = false;
    const value = Miou.runOn(
      host,
      function* () {
        const p = yield* Miou.call(function* () {
          sleeping = true;
          yield* Miou.sleep(10_000);
          fired = true;
        });
        // Let the worker domain reach its suspension before cancelling.
        while (!sleeping) yield* Miou.yield();
        yield* Miou.yield();
        yield* Miou.cancel(p);
        return Miou.now();
      },
      { domains: 1, trace: tr.trace },
    );
    expect(value).toBe(0);
    expect(fired).toBe(false);
    expect(host.time()).toBe(0);
    const records = tr.records();
    // It did suspend (so the timer was in the heap), and its uid reached select as cancelled.
    const suspend = records.find((r) => r.kind === "suspend" && r.name === `sleep until ${10 * S}`);
    expect(suspend).toBeDefined();
    expect(records.some((r) => r.kind === "select" && (r.cancelled as number[]).includes(suspend!.syscall as number))).toBe(true);
    expect(host.selects.map((s) => s.deadline)).not.toContain(10 * S);
  });

  it("equal deadlines fire in the order the sleeps were registered, not the order the tasks were spawned", () => {
    const host = virtualHost();
    const woke: string[] = [];
    Miou.runOn(host, function* () {
      const sleeper = function* (name: string, registerAt_ns: number) {
        yield* Miou.sleepUntil(registerAt_ns);
        yield* Miou.sleepUntil(5 * S);
        woke.push(`${name}@${Miou.now()}`);
      };
      // Spawned c, a, b; the 5 s sleeps are registered at 1, 2 and 3 ms: a, b, c.
      const c = yield* Miou.async(sleeper, "c", 3 * MS);
      const a = yield* Miou.async(sleeper, "a", 1 * MS);
      const b = yield* Miou.async(sleeper, "b", 2 * MS);
      yield* Miou.awaitAll([c, a, b]);
    });
    expect(woke).toEqual([`a@${5 * S}`, `b@${5 * S}`, `c@${5 * S}`]);
  });

  it("a cancelled sleep leaves the heap: the host is never asked to wait for its deadline", () => {
    const host = virtualHost();
    const value = Miou.runOn(host, function* () {
      const short = yield* Miou.async(function* () {
        yield* Miou.sleep(10_000);
      });
      const long = yield* Miou.async(function* () {
        yield* Miou.sleep(20_000);
        return Miou.now();
      });
      yield* Miou.yield();
      yield* Miou.yield();
      yield* Miou.cancel(short);
      const r = yield* Miou.await(long);
      return r.ok ? r.value : r.error;
    });
    expect(value).toBe(20 * S);
    // A flagged-but-kept timer would have made the glue wait until 10 s first.
    expect(host.selects.filter((s) => s.deadline !== null && s.deadline > 0).map((s) => s.deadline)).toEqual([20 * S, 20 * S]);
  });

  it("never fires early, even when the host returns before the deadline", () => {
    // A host whose select wakes 1 ns short of every deadline once, then on time.
    const inner = virtualHost();
    const early = new Set<number>();
    const host = {
      now: () => inner.now(),
      select: (deadline: number | null, out: Parameters<typeof inner.select>[1]) => {
        if (deadline !== null && deadline > inner.time() && !early.has(deadline)) {
          early.add(deadline);
          return inner.select(deadline - 1, out);
        }
        return inner.select(deadline, out);
      },
    };
    const woke = Miou.runOn(host, function* () {
      yield* Miou.sleep(1.5);
      return Miou.now();
    });
    expect(woke).toBe(1_500_000);
    expect(early.has(1_500_000)).toBe(true);
  });

  it("sleep(0) and a past sleepUntil are scheduling points that take no time", () => {
    const host = virtualHost();
    const order: string[] = [];
    Miou.runOn(host, function* () {
      const p = yield* Miou.async(function* () {
        order.push("child");
      });
      yield* Miou.sleep(0);
      order.push("main after sleep(0)");
      yield* Miou.sleepUntil(0);
      yield* Miou.await(p);
    });
    expect(order).toEqual(["child", "main after sleep(0)"]);
    expect(host.time()).toBe(0);
  });

  it("counts a relative sleep from the host clock when it starts", () => {
    const host = virtualHost();
    const value = Miou.runOn(host, function* () {
      yield* Miou.sleep(250);
      yield* Miou.sleep(250);
      const t = Miou.now();
      yield* Miou.sleepUntil(t + 7);
      return [t, Miou.now()];
    });
    expect(value).toEqual([500 * MS, 500 * MS + 7]);
  });

  it("names its syscall after the deadline, so snapshots and traces say what a task waits for", () => {
    const tr = traceLines();
    Miou.runOn(virtualHost(), function* () {
      yield* Miou.sleep(3);
    }, { trace: tr.trace });
    expect(tr.records().filter((r) => r.kind === "suspend").map((r) => r.name)).toEqual([`sleep until ${3 * MS}`]);
  });

  it("rejects a delay that is negative, not finite or not a number, when called", () => {
    for (const bad of [-1, -0.001, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(thrown(() => Miou.sleep(bad))).toBeInstanceOf(RangeError);
    }
    expect(thrown(() => Miou.sleep("1" as unknown as number))).toBeInstanceOf(TypeError);
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 53]) {
      expect(thrown(() => Miou.sleepUntil(bad))).toBeInstanceOf(RangeError);
    }
  });

  it("throws RangeError in the task for a delay past the clock's exact range", () => {
    const error = thrown(() =>
      Miou.runOn(virtualHost(), function* () {
        yield* Miou.sleep(2 ** 53 / 1e6);
      }),
    );
    expect(error).toBeInstanceOf(RangeError);
  });

  it("needs a host: inside Miou.run (even nested in runOn) sleep throws a TypeError", () => {
    expect(thrown(() => Miou.run(function* () {
      yield* Miou.sleep(1);
    }))).toBeInstanceOf(TypeError);
    const nested = Miou.runOn(virtualHost(), function* () {
      try {
        Miou.run(function* () {
          yield* Miou.sleep(1);
        });
        return "no error";
      } catch (error) {
        return (error as Error).name;
      }
    });
    expect(nested).toBe("TypeError");
  });
});
