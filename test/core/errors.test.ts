// Errors: the exported classes, how run reports a failure, Miou's Invalid_argument cases,
// seeds, and yielding something that is not an operation. Reference §1.0 (exceptions),
// §1.5, §2.12, §2.13; issue 2 §2 (errors) and §2 (seed).
import { describe, expect, test } from "vitest";
import * as Miou from "../../runtime/index.js";
import { thrown, spinUntilCancelled } from "./helpers.js";

describe("exported error classes", () => {
  const classes = ["Cancelled", "StillHasChildren", "NotAChild", "NoDomainAvailable", "NoSelectProvided", "Deadlock"] as const;
  for (const name of classes) {
    test(`Miou.${name} is an Error subclass`, () => {
      const C = (Miou as unknown as Record<string, unknown>)[name] as { prototype: unknown };
      expect(typeof C).toBe("function");
      expect(C.prototype).toBeInstanceOf(Error);
    });
  }

  test("errors raised by the scheduler carry their class name in `name`", () => {
    const stillHasChildren = thrown(() =>
      Miou.run(function* () {
        yield* Miou.async(function* () {});
      }),
    );
    const noSelect = thrown(() =>
      Miou.run(function* () {
        yield* Miou.suspend(Miou.syscall());
      }),
    );
    const [cancelled, notAChild, noDomain] = Miou.run(function* () {
      const c = yield* Miou.async(function* () {
        yield* spinUntilCancelled();
      });
      yield* Miou.yield();
      yield* Miou.cancel(c);
      const r = (yield* Miou.await(c)) as { error: unknown };
      const a = yield* Miou.async(function* () {});
      const b = yield* Miou.async(function* (x: Parameters<typeof Miou.await>[0]) {
        try {
          yield* Miou.await(x);
        } catch (e) {
          return e;
        }
        return "no error";
      }, a);
      const nac = yield* Miou.awaitExn(b);
      yield* Miou.await(a);
      let nda: unknown;
      try {
        yield* Miou.call(function* () {});
      } catch (e) {
        nda = e;
      }
      return [r.error, nac, nda];
    }) as Error[];
    const expected: Array<[unknown, string]> = [
      [stillHasChildren, "StillHasChildren"],
      [noSelect, "NoSelectProvided"],
      [cancelled, "Cancelled"],
      [notAChild, "NotAChild"],
      [noDomain, "NoDomainAvailable"],
    ];
    for (const [e, name] of expected) {
      expect(e).toBeInstanceOf(Error);
      expect(e).toBeInstanceOf((Miou as unknown as Record<string, new () => Error>)[name]);
      expect((e as Error).name).toBe(name);
    }
  });
});

describe("run reports failures", () => {
  test("run throws main's own error object", () => {
    const boom = new Error("boom");
    expect(
      thrown(() =>
        Miou.run(function* () {
          yield* Miou.yield();
          throw boom;
        }),
      ),
    ).toBe(boom);
  });

  test("run throws an error main let escape from awaitExn", () => {
    const boom = new RangeError("child boom");
    expect(
      thrown(() =>
        Miou.run(function* () {
          const c = yield* Miou.async(function* () {
            throw boom;
          });
          yield* Miou.awaitExn(c);
        }),
      ),
    ).toBe(boom);
  });

  test("main throwing before any operation", () => {
    const boom = new Error("early");
    expect(
      thrown(() =>
        Miou.run(function* () {
          throw boom;
        }),
      ),
    ).toBe(boom);
  });

  test("StillHasChildren raised on a worker escapes run", () => {
    const e = thrown(() =>
      Miou.run(
        function* () {
          const w = yield* Miou.call(function* () {
            yield* Miou.async(function* () {});
            return "leaks";
          });
          yield* Miou.await(w);
          return "main";
        },
        { domains: 1 },
      ),
    );
    expect(e).toBeInstanceOf(Miou.StillHasChildren);
  });

  test("a failed run leaves nothing behind: the next run works", () => {
    thrown(() =>
      Miou.run(function* () {
        yield* Miou.async(function* () {
          yield* spinUntilCancelled();
        });
      }),
    );
    expect(
      Miou.run(function* () {
        const p = yield* Miou.async(function* () {
          return 1;
        });
        return [yield* Miou.awaitExn(p), Miou.Promise.uid(p)];
      }),
    ).toEqual([1, 2]);
  });
});

describe("yielding something that is not an operation", () => {
  test("yielding a Promise in main fails the run with a TypeError naming the task and the value", () => {
    const e = thrown(() =>
      Miou.run(function* mainTask() {
        yield Promise.resolve(1);
      }),
    );
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toMatch(/mainTask|task 1\b/);
    expect((e as Error).message).toMatch(/Promise/);
  });

  test("yielding a number in a child fails the run with a TypeError naming the task and the value", () => {
    const e = thrown(() =>
      Miou.run(function* () {
        const c = yield* Miou.async(function* badWorker() {
          yield 5;
        });
        yield* Miou.await(c);
      }),
    );
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toMatch(/badWorker|task 2\b/);
    expect((e as Error).message).toMatch(/\b5\b|number/);
  });

  test("an operation yielded without yield* fails the run, saying to use yield*", () => {
    const e = thrown(() =>
      Miou.run(function* plainYield() {
        yield Miou.yield();
      }),
    );
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toMatch(/plainYield/);
    expect((e as Error).message).toMatch(/an operation with a plain yield: Miou operations are used with yield\*/);
  });

  test("an op object can be delegated to again, and one op shared by two tasks resumes each with its own value", () => {
    const order: string[] = [];
    const result = Miou.run(function* () {
      const y = Miou.yield();
      const worker = function* (name: string) {
        for (let i = 0; i < 3; i++) {
          order.push(`${name}${i}`);
          yield* y;
        }
        return name;
      };
      const a = yield* Miou.async(worker, "a");
      const b = yield* Miou.async(worker, "b");
      return [yield* Miou.awaitExn(a), yield* Miou.awaitExn(b)];
    });
    expect(result).toEqual(["a", "b"]);
    // a's first slice runs before main spawns b (each spawn is a scheduling point); from
    // then on a and b alternate, each resumed at the shared op by its own turn.
    expect(order).toEqual(["a0", "a1", "b0", "a2", "b1", "b2"]);
  });

  test("a bare yield (undefined) is not an operation either", () => {
    const e = thrown(() =>
      Miou.run(function* bareYield() {
        yield;
      }),
    );
    expect(e).toBeInstanceOf(TypeError);
  });
});

describe("seeds", () => {
  for (const seed of [-1, 1.5, 2 ** 32, Number.NaN, Infinity]) {
    test(`seed ${seed} is a RangeError`, () => {
      expect(
        thrown(() =>
          Miou.run(
            function* () {
              return 1;
            },
            { seed },
          ),
        ),
      ).toBeInstanceOf(RangeError);
    });
  }

  for (const seed of [0, 1, 2 ** 31, 2 ** 32 - 1]) {
    test(`seed ${seed} is accepted`, () => {
      expect(
        Miou.run(
          function* () {
            return "ok";
          },
          { seed },
        ),
      ).toBe("ok");
    });
  }
});
