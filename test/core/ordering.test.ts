// Run order at quanta = 1: one operation is one scheduling point, FIFO per domain.
// Reference: miou-semantics §1.13 (test01, test10), §2.14; DESIGN §3 and §5.
//
// The model these expectations are traced by hand against: a task's first slice runs to its
// first operation; each later turn handles the operation the task stopped on, continues the
// task to its next operation, and puts it at the back of its domain's queue. A spawned
// child is queued when the spawn is handled, before its parent's own re-queue.
import { describe, expect, test } from "vitest";
import * as Miou from "../../runtime/index.js";

describe("normative orderings (DESIGN §3, reference test01/test10)", () => {
  test("async then print then await prints World before Hello (test01)", () => {
    const log: string[] = [];
    Miou.run(function* () {
      const p = yield* Miou.async(function* () {
        log.push("Hello");
      });
      log.push("World");
      yield* Miou.await(p);
    });
    expect(log).toEqual(["World", "Hello"]);
  });

  test("a yield before print lets the child run first: Hello World (test10)", () => {
    const log: string[] = [];
    Miou.run(function* () {
      const p = yield* Miou.async(function* () {
        log.push("Hello");
      });
      yield* Miou.yield();
      log.push("World");
      yield* Miou.await(p);
    });
    expect(log).toEqual(["Hello", "World"]);
  });

  test("the parent continues in the same turn after a spawn; the child runs before the parent's next turn", () => {
    const log: string[] = [];
    Miou.run(function* () {
      const c = yield* Miou.async(function* () {
        log.push("c1");
      });
      log.push("m1");
      yield* Miou.yield();
      log.push("m2");
      yield* Miou.await(c);
    });
    expect(log).toEqual(["m1", "c1", "m2"]);
  });
});

describe("FIFO run queue", () => {
  test("two yielding tasks interleave in FIFO order", () => {
    // Traced by hand: main spawns A (A0 slice: a1), spawns B while A handles its first
    // yield (a2), then B's first slice (b1), then A (a3, done), B (b2), B (b3).
    const log: string[] = [];
    const worker = function* (name: string) {
      log.push(`${name}1`);
      yield* Miou.yield();
      log.push(`${name}2`);
      yield* Miou.yield();
      log.push(`${name}3`);
    };
    Miou.run(function* () {
      const a = yield* Miou.async(worker, "a");
      const b = yield* Miou.async(worker, "b");
      yield* Miou.await(a);
      yield* Miou.await(b);
    });
    expect(log).toEqual(["a1", "a2", "b1", "a3", "b2", "b3"]);
  });

  test("three yielding tasks interleave in FIFO order", () => {
    const log: string[] = [];
    const worker = function* (name: string) {
      for (let i = 0; i < 3; i++) {
        log.push(`${name}${i}`);
        yield* Miou.yield();
      }
    };
    Miou.run(function* () {
      const a = yield* Miou.async(worker, "A");
      const b = yield* Miou.async(worker, "B");
      const c = yield* Miou.async(worker, "C");
      yield* Miou.awaitAll([a, b, c]);
    });
    expect(log).toEqual(["A0", "A1", "B0", "A2", "B1", "C0", "B2", "C1", "C2"]);
  });

  test("children spawned in a loop start in spawn order, one spawn per parent turn", () => {
    const log: string[] = [];
    Miou.run(function* () {
      const ps = [];
      for (let i = 0; i < 3; i++) {
        ps.push(
          yield* Miou.async(function* (n: number) {
            log.push(`t${n}`);
          }, i),
        );
      }
      log.push("spawned");
      yield* Miou.awaitAll(ps);
    });
    // The last spawn is handled in the same turn that reaches awaitAll, so "spawned" comes
    // before t2's first slice.
    expect(log).toEqual(["t0", "t1", "spawned", "t2"]);
  });

  test("awaiting an already resolved child is still one scheduling point", () => {
    const log: string[] = [];
    Miou.run(function* () {
      const a = yield* Miou.async(function* () {
        log.push("a0");
      });
      const b = yield* Miou.async(function* () {
        log.push("b0");
        yield* Miou.yield();
        log.push("b1");
        yield* Miou.yield();
        log.push("b2");
      });
      yield* Miou.yield();
      log.push("m0");
      yield* Miou.await(a);
      log.push("m1");
      yield* Miou.await(a);
      log.push("m2");
      yield* Miou.await(b);
    });
    expect(log).toEqual(["a0", "b0", "m0", "b1", "m1", "b2", "m2"]);
  });

  test("plain functions (Domain.*, Promise.*, syscall, uid) are not scheduling points", () => {
    const log: string[] = [];
    Miou.run(function* () {
      const a = yield* Miou.async(function* () {
        log.push("a0");
      });
      log.push("m0");
      Miou.Domain.self();
      Miou.Domain.available();
      Miou.Domain.all();
      Miou.Promise.uid(a);
      Miou.Promise.state(a);
      Miou.uid(Miou.syscall("unused"));
      log.push("m1");
      yield* Miou.await(a);
    });
    expect(log).toEqual(["m0", "m1", "a0"]);
  });

  test("a task with no operation runs its whole body in one slice", () => {
    const log: string[] = [];
    Miou.run(function* () {
      const a = yield* Miou.async(function* () {
        for (let i = 0; i < 4; i++) {
          log.push(`a${i}`);
          yield* Miou.yield();
        }
      });
      const b = yield* Miou.async(function* () {
        log.push("b0");
        log.push("b1");
        log.push("b2");
      });
      yield* Miou.awaitAll([a, b]);
    });
    const i = log.indexOf("b0");
    expect(log.slice(i, i + 3)).toEqual(["b0", "b1", "b2"]);
    expect(log.filter((x) => x.startsWith("a"))).toEqual(["a0", "a1", "a2", "a3"]);
  });

  test("arguments given to async reach the task", () => {
    const got = Miou.run(function* () {
      const p = yield* Miou.async(
        function* (a: number, b: string, c: { k: number }) {
          return `${a}-${b}-${c.k}`;
        },
        1,
        "two",
        { k: 3 },
      );
      return yield* Miou.awaitExn(p);
    });
    expect(got).toBe("1-two-3");
  });

  test("asyncWith with options behaves like async (test01 ordering, arguments)", () => {
    const log: string[] = [];
    const got = Miou.run(function* () {
      const p = yield* Miou.asyncWith(
        { give: [] },
        function* (word: string) {
          log.push(word);
          return word.length;
        },
        "Hello",
      );
      log.push("World");
      return yield* Miou.awaitExn(p);
    });
    expect(log).toEqual(["World", "Hello"]);
    expect(got).toBe(5);
  });

  test("run returns main's value", () => {
    expect(
      Miou.run(function* () {
        return 42;
      }),
    ).toBe(42);
    expect(
      Miou.run(function* () {
        yield* Miou.yield();
        return { v: "x" };
      }),
    ).toEqual({ v: "x" });
  });
});

describe("domains share turns fairly (DESIGN §5)", () => {
  test("a worker and dom0 alternate turns while both have work", () => {
    const log: string[] = [];
    Miou.run(
      function* () {
        const w = yield* Miou.callWith({ pin: 1 }, function* () {
          for (let i = 0; i < 3; i++) {
            log.push(`w${i}`);
            yield* Miou.yield();
          }
        });
        for (let i = 0; i < 8; i++) {
          log.push(`m${i}`);
          yield* Miou.yield();
        }
        yield* Miou.await(w);
      },
      { domains: 1 },
    );
    const w0 = log.indexOf("w0");
    const w1 = log.indexOf("w1");
    const w2 = log.indexOf("w2");
    expect(w0).toBeGreaterThan(-1);
    expect(w0).toBeLessThan(w1);
    expect(w1).toBeLessThan(w2);
    // No domain runs twice while the other one has work: exactly one turn of main between
    // two turns of the worker.
    expect(log.slice(w0 + 1, w1).filter((x) => x.startsWith("m"))).toHaveLength(1);
    expect(log.slice(w1 + 1, w2).filter((x) => x.startsWith("m"))).toHaveLength(1);
  });

  test("tasks delivered to a worker in one batch start in delivery order (no reversal)", () => {
    // parallel with a single candidate worker sends every child to domain 1 in one
    // operation; Miou's worker batch transfer reverses them, DESIGN §3 fixes that quirk.
    const log: string[] = [];
    const results = Miou.run(
      function* () {
        return yield* Miou.parallel(
          function* (i: number) {
            log.push(`a${i}`);
            yield* Miou.yield();
            log.push(`b${i}`);
            return i;
          },
          [0, 1, 2, 3],
        );
      },
      { domains: 1 },
    );
    expect(log).toEqual(["a0", "a1", "a2", "a3", "b0", "b1", "b2", "b3"]);
    expect(results).toEqual([0, 1, 2, 3].map((value) => ({ ok: true, value })));
  });

  test("tasks called one by one onto the same worker start in call order", () => {
    const log: string[] = [];
    Miou.run(
      function* () {
        const ps = [];
        for (let i = 0; i < 4; i++) {
          ps.push(
            yield* Miou.callWith(
              { pin: 2 },
              function* (n: number) {
                log.push(`w${n}`);
                yield* Miou.yield();
                log.push(`w${n}'`);
              },
              i,
            ),
          );
        }
        yield* Miou.awaitAll(ps);
      },
      { domains: 2 },
    );
    expect(log.filter((x) => !x.endsWith("'"))).toEqual(["w0", "w1", "w2", "w3"]);
    expect(log.filter((x) => x.endsWith("'"))).toEqual(["w0'", "w1'", "w2'", "w3'"]);
  });
});
