// Run options the other suites leave out: quanta > 1, policy, choices, and deadlocks the
// core detects on its own (tasks waiting on each other, none on the system).
import { describe, expect, test } from "vitest";
import * as Miou from "../../runtime/index.js";

function* logEvery(log: string[], name: string, n: number) {
  for (let i = 0; i < n; i++) {
    log.push(`${name}${i}`);
    yield* Miou.yield();
  }
}

function* counted(log: string[], m: ReturnType<typeof Miou.Mutex.create>, name: string, n: number) {
  for (let i = 0; i < n; i++) {
    log.push(`${name}${i}`);
    yield* Miou.Mutex.lock(m); // an operation that is not yield: quanta counts it
    Miou.Mutex.unlock(m);
  }
}

describe("quanta", () => {
  test("yield ends the turn whatever quanta is left (Miou 2.5)", () => {
    const log: string[] = [];
    Miou.run(
      function* () {
        const a = yield* Miou.async(logEvery, log, "a", 3);
        const b = yield* Miou.async(logEvery, log, "b", 3);
        yield* Miou.awaitAll([a, b]);
      },
      { quanta: 5 },
    );
    expect(log).toEqual(["a0", "b0", "a1", "b1", "a2", "b2"]);
  });

  test("with quanta 3 a task handles three operations per turn before the next task runs", () => {
    const log: string[] = [];
    const m = Miou.Mutex.create();
    Miou.run(
      function* () {
        const a = yield* Miou.async(counted, log, m, "a", 6);
        const b = yield* Miou.async(counted, log, m, "b", 6);
        yield* Miou.awaitAll([a, b]);
      },
      { quanta: 3 },
    );
    // First slices log a0 / b0 (free); each later turn handles 3 locks: 3 more entries.
    expect(log).toEqual(["a0", "b0", "a1", "a2", "a3", "b1", "b2", "b3", "a4", "a5", "b4", "b5"]);
  });
});

describe("policy and choices", () => {
  test("the policy sees the runnable domains in uid order and chooses who runs", () => {
    const seen: number[][] = [];
    const order: number[] = [];
    Miou.run(
      function* () {
        const work = function* () {
          for (let i = 0; i < 3; i++) {
            order.push(Miou.Domain.self());
            yield* Miou.yield();
          }
        };
        const a = yield* Miou.callWith({ pin: 1 }, work);
        const b = yield* Miou.callWith({ pin: 2 }, work);
        yield* Miou.awaitAll([a, b]);
      },
      {
        domains: 2,
        // Always the highest-numbered runnable domain: once `a` exists on domain 1, main (dom0)
        // waits until `a` is done, so `b` is spawned on domain 2 only after that.
        policy: (runnable) => {
          seen.push([...runnable]);
          return runnable[runnable.length - 1]!;
        },
      },
    );
    expect(order).toEqual([1, 1, 1, 2, 2, 2]);
    for (const r of seen) expect(r).toEqual([...r].sort((x, y) => x - y));
  });

  test("a policy choosing a domain without work is a RangeError out of run", () => {
    expect(() =>
      Miou.run(function* () {}, { domains: 1, policy: () => 1 }),
    ).toThrow(RangeError);
  });

  test("choices supply every draw: awaitOne takes the candidate they name, and each draw is traced", () => {
    const draws: number[] = [];
    const pick = (wanted: number) =>
      Miou.run(
        function* () {
          const ps = [];
          for (const v of ["x", "y", "z"]) ps.push(yield* Miou.async(function* () { return v; }));
          yield* Miou.yield();
          const r = yield* Miou.awaitOne(ps);
          yield* Miou.awaitAll(ps);
          return r.ok ? r.value : "error";
        },
        {
          choices: (bound) => {
            expect(bound).toBe(3);
            return wanted;
          },
          trace: (rec) => {
            if (rec.kind === "draw") draws.push(rec.value as number);
          },
        },
      );
    expect([pick(0), pick(1), pick(2)]).toEqual(["x", "y", "z"]);
    expect(draws).toEqual([0, 1, 2]);
  });

  test("a choice out of range is a RangeError", () => {
    expect(() =>
      Miou.run(
        function* () {
          const a = yield* Miou.async(function* () { return 1; });
          const b = yield* Miou.async(function* () { return 2; });
          yield* Miou.yield();
          yield* Miou.awaitOne([a, b]);
          yield* Miou.awaitAll([a, b]);
        },
        { choices: () => 2 },
      ),
    ).toThrow(RangeError);
  });
});

describe("deadlock", () => {
  test("two tasks locking two mutexes in opposite orders: Deadlock names both and what they wait on", () => {
    let error: unknown;
    try {
      Miou.run(function* main() {
        const m1 = Miou.Mutex.create();
        const m2 = Miou.Mutex.create();
        const left = yield* Miou.async(function* left() {
          yield* Miou.Mutex.lock(m1);
          yield* Miou.yield();
          yield* Miou.Mutex.lock(m2);
        });
        const right = yield* Miou.async(function* right() {
          yield* Miou.Mutex.lock(m2);
          yield* Miou.yield();
          yield* Miou.Mutex.lock(m1);
        });
        yield* Miou.awaitAll([left, right]);
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Miou.Deadlock);
    const d = error as InstanceType<typeof Miou.Deadlock>;
    expect(d.suspended.map((s) => [s.name, s.waitsOn])).toEqual([
      ["main", "await all of tasks 2, 3"],
      ["left", "mutex"],
      ["right", "mutex"],
    ]);
    expect(d.message).toContain("task 2 (left) on domain 0 waits on mutex");
  });

  test("a trigger nobody signals is a deadlock, not a hang; runUntilBlocked reports it as done with the error", () => {
    const h = Miou.start(function* () {
      yield* Miou.Trigger.await(Miou.Trigger.create());
    });
    const r = h.runUntilBlocked();
    expect(r.done).toBe(true);
    expect(r.error).toBeInstanceOf(Miou.Deadlock);
  });
});
