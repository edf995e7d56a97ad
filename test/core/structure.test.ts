// Structured concurrency: Miou's rules 1-4 and 6 (reference §1.0, §1.3, §1.5, §2.12;
// DESIGN §3).
import { describe, expect, test } from "vitest";
import * as Miou from "../../runtime/index.js";
import { thrown, type Result, spinUntilCancelled, yieldWhile } from "./helpers.js";

// The promise type, as the API declares it.
type P = Parameters<typeof Miou.await>[0];

describe("rule 1: await or cancel every child", () => {
  test("main returning with an unawaited child makes run throw StillHasChildren", () => {
    const e = thrown(() =>
      Miou.run(function* () {
        yield* Miou.async(function* () {
          return 1;
        });
        return "main";
      }),
    );
    expect(e).toBeInstanceOf(Miou.StillHasChildren);
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).name).toBe("StillHasChildren");
  });

  test("a child that already finished but was never awaited still counts", () => {
    const e = thrown(() =>
      Miou.run(function* () {
        const p = yield* Miou.async(function* () {
          return 1;
        });
        yield* yieldWhile(() => Miou.Promise.state(p) === "running");
        return "main";
      }),
    );
    expect(e).toBeInstanceOf(Miou.StillHasChildren);
  });

  test("a nested task returning with an unawaited child aborts the run at once", () => {
    const log: string[] = [];
    const e = thrown(() =>
      Miou.run(function* () {
        const c = yield* Miou.async(function* () {
          yield* Miou.async(function* () {
            return "grandchild";
          });
          return "child";
        });
        const r = yield* Miou.await(c);
        log.push(`main saw ${JSON.stringify(r)}`);
        return "main";
      }),
    );
    expect(e).toBeInstanceOf(Miou.StillHasChildren);
    // It is raised by the scheduler, outside any task: main's await never sees it.
    expect(log).toEqual([]);
  });

  test("StillHasChildren cannot be caught by the task's parent", () => {
    let caught: unknown = undefined;
    const e = thrown(() =>
      Miou.run(function* () {
        const c = yield* Miou.async(function* () {
          yield* Miou.async(function* () {});
        });
        try {
          yield* Miou.awaitExn(c);
        } catch (err) {
          caught = err;
        }
        return "main";
      }),
    );
    expect(e).toBeInstanceOf(Miou.StillHasChildren);
    expect(caught).toBeUndefined();
  });

  test("awaited and cancelled children are consumed", () => {
    const got = Miou.run(function* () {
      const a = yield* Miou.async(function* () {
        return 1;
      });
      const b = yield* Miou.async(function* () {
        yield* spinUntilCancelled();
      });
      const ra = yield* Miou.await(a);
      yield* Miou.cancel(b);
      return ra;
    });
    expect(got).toEqual({ ok: true, value: 1 });
  });

  test("a task that throws does not report StillHasChildren: its children are cancelled", () => {
    const log: string[] = [];
    const boom = new Error("boom");
    const got = Miou.run(function* () {
      const c = yield* Miou.async(function* () {
        yield* Miou.async(function* () {
          try {
            yield* spinUntilCancelled();
          } finally {
            log.push("grandchild finally");
          }
        });
        yield* Miou.yield();
        throw boom;
      });
      const r = yield* Miou.await(c);
      return r;
    });
    expect(got).toEqual({ ok: false, error: boom });
    expect((got as { error: unknown }).error).toBe(boom);
    expect(log).toEqual(["grandchild finally"]);
  });
});

describe("rule 2: only the direct parent may await or cancel", () => {
  test("awaiting a sibling throws NotAChild inside the caller, where it can be caught", () => {
    const got = Miou.run(function* () {
      const a = yield* Miou.async(function* () {
        return "a";
      });
      const b = yield* Miou.async(function* (sibling: P) {
        try {
          yield* Miou.await(sibling);
          return "no error";
        } catch (e) {
          return e;
        }
      }, a);
      const rb = yield* Miou.awaitExn(b);
      const ra = yield* Miou.awaitExn(a);
      return [rb, ra];
    });
    const [rb, ra] = got as [unknown, unknown];
    expect(rb).toBeInstanceOf(Miou.NotAChild);
    expect((rb as Error).name).toBe("NotAChild");
    expect(ra).toBe("a");
  });

  test("cancelling a sibling throws NotAChild inside the caller", () => {
    const got = Miou.run(function* () {
      const a = yield* Miou.async(function* () {
        return "a";
      });
      const b = yield* Miou.async(function* (sibling: P) {
        try {
          yield* Miou.cancel(sibling);
          return "no error";
        } catch (e) {
          return e;
        }
      }, a);
      const rb = yield* Miou.awaitExn(b);
      // The sibling was not cancelled: its result is intact.
      const ra = yield* Miou.await(a);
      return [rb, ra];
    });
    const [rb, ra] = got as [unknown, Result];
    expect(rb).toBeInstanceOf(Miou.NotAChild);
    expect(ra).toEqual({ ok: true, value: "a" });
  });

  test("awaiting a grandchild throws NotAChild", () => {
    const box: { g?: P } = {};
    const got = Miou.run(function* () {
      const c = yield* Miou.async(function* () {
        const g = yield* Miou.async(function* () {
          for (let i = 0; i < 5; i++) yield* Miou.yield();
          return "g";
        });
        box.g = g;
        return yield* Miou.awaitExn(g);
      });
      yield* yieldWhile(() => box.g === undefined);
      let err: unknown = undefined;
      try {
        yield* Miou.await(box.g!);
      } catch (e) {
        err = e;
      }
      const rc = yield* Miou.await(c);
      return [err, rc];
    });
    const [err, rc] = got as [unknown, Result];
    expect(err).toBeInstanceOf(Miou.NotAChild);
    expect(rc).toEqual({ ok: true, value: "g" });
  });

  test("an uncaught NotAChild is the caller's error, seen by its own parent", () => {
    const got = Miou.run(function* () {
      const a = yield* Miou.async(function* () {
        return "a";
      });
      const b = yield* Miou.async(function* (sibling: P) {
        yield* Miou.await(sibling);
        return "unreachable";
      }, a);
      const rb = yield* Miou.await(b);
      yield* Miou.await(a);
      return rb;
    }) as Result;
    expect(got.ok).toBe(false);
    expect((got as { error: unknown }).error).toBeInstanceOf(Miou.NotAChild);
  });

  test("awaitOne, awaitFirst and awaitAll check the parent too", () => {
    const got = Miou.run(function* () {
      const a = yield* Miou.async(function* () {
        return "a";
      });
      const b = yield* Miou.async(function* (sibling: P) {
        const errors: unknown[] = [];
        for (const op of [Miou.awaitOne, Miou.awaitFirst, Miou.awaitAll] as const) {
          try {
            yield* op([sibling]);
            errors.push("no error");
          } catch (e) {
            errors.push(e);
          }
        }
        return errors;
      }, a);
      const rb = yield* Miou.awaitExn(b);
      yield* Miou.await(a);
      return rb;
    }) as unknown[];
    expect(got).toHaveLength(3);
    for (const e of got) expect(e).toBeInstanceOf(Miou.NotAChild);
  });
});

describe("awaiting", () => {
  test("a promise may be awaited several times and gives the same result (test03)", () => {
    const boom = new Error("boom");
    const got = Miou.run(function* () {
      const a = yield* Miou.async(function* () {
        return 7;
      });
      const b = yield* Miou.async(function* () {
        throw boom;
      });
      return [yield* Miou.await(a), yield* Miou.await(a), yield* Miou.await(b), yield* Miou.await(b)];
    }) as Result[];
    expect(got[0]).toEqual({ ok: true, value: 7 });
    expect(got[1]).toEqual({ ok: true, value: 7 });
    expect(got[2]).toEqual({ ok: false, error: boom });
    expect((got[2] as { error: unknown }).error).toBe(boom);
    expect((got[3] as { error: unknown }).error).toBe(boom);
  });

  test("awaitExn returns the value or throws the child's error", () => {
    const boom = new Error("boom");
    const got = Miou.run(function* () {
      const a = yield* Miou.async(function* () {
        return 7;
      });
      const b = yield* Miou.async(function* () {
        yield* Miou.yield();
        throw boom;
      });
      const va = yield* Miou.awaitExn(a);
      let eb: unknown;
      try {
        yield* Miou.awaitExn(b);
      } catch (e) {
        eb = e;
      }
      return [va, eb];
    }) as unknown[];
    expect(got[0]).toBe(7);
    expect(got[1]).toBe(boom);
  });

  test("awaitAll returns every result in input order, errors as values", () => {
    const boom = new Error("boom");
    const got = Miou.run(function* () {
      const a = yield* Miou.async(function* () {
        for (let i = 0; i < 3; i++) yield* Miou.yield();
        return 1;
      });
      const b = yield* Miou.async(function* () {
        throw boom;
      });
      const c = yield* Miou.async(function* () {
        return 3;
      });
      return yield* Miou.awaitAll([a, b, c]);
    }) as Result[];
    expect(got).toEqual([
      { ok: true, value: 1 },
      { ok: false, error: boom },
      { ok: true, value: 3 },
    ]);
  });

  test("awaitAll of an empty list returns an empty list", () => {
    expect(
      Miou.run(function* () {
        return yield* Miou.awaitAll([]);
      }),
    ).toEqual([]);
  });
});

describe("rule 4: children end before their parent", () => {
  test("cancelling a task cancels its children, and the cancel returns after them", () => {
    const log: string[] = [];
    Miou.run(function* () {
      const c = yield* Miou.async(function* () {
        const g = yield* Miou.async(function* () {
          try {
            yield* spinUntilCancelled();
          } finally {
            log.push("grandchild finally");
          }
        });
        try {
          yield* Miou.await(g);
        } finally {
          log.push("child finally");
        }
      });
      for (let i = 0; i < 4; i++) yield* Miou.yield();
      yield* Miou.cancel(c);
      log.push("cancel returned");
    });
    expect(log).toHaveLength(3);
    expect(log[2]).toBe("cancel returned");
    expect(log.slice(0, 2).sort()).toEqual(["child finally", "grandchild finally"]);
  });
});

describe("rule 6: a parallel task never runs on dom0", () => {
  test("call runs on a worker domain, async on the caller's domain", () => {
    const got = Miou.run(
      function* () {
        const doms: number[] = [];
        for (let i = 0; i < 10; i++) {
          const p = yield* Miou.call(function* () {
            const inner = yield* Miou.async(function* () {
              return Miou.Domain.self();
            });
            return [Miou.Domain.self(), yield* Miou.awaitExn(inner)];
          });
          const [d, inner] = (yield* Miou.awaitExn(p)) as [number, number];
          expect(inner).toBe(d);
          doms.push(d);
        }
        const local = yield* Miou.async(function* () {
          return Miou.Domain.self();
        });
        return [doms, yield* Miou.awaitExn(local), Miou.Domain.self()];
      },
      { domains: 2 },
    ) as [number[], number, number];
    const [doms, local, self] = got;
    for (const d of doms) expect([1, 2]).toContain(d);
    expect(local).toBe(0);
    expect(self).toBe(0);
  });
});

describe("Promise.uid and Promise.state", () => {
  test("promise uids count from 2 after main (uid 1) and restart each run", () => {
    const once = () =>
      Miou.run(function* () {
        const a = yield* Miou.async(function* () {});
        const b = yield* Miou.async(function* () {});
        yield* Miou.awaitAll([a, b]);
        return [Miou.Promise.uid(a), Miou.Promise.uid(b)];
      });
    expect(once()).toEqual([2, 3]);
    expect(once()).toEqual([2, 3]);
  });

  test("state is running, then finished after a return, exited after a throw or a cancel", () => {
    const got = Miou.run(function* () {
      const states: string[] = [];
      const a = yield* Miou.async(function* () {
        yield* Miou.yield();
        return 1;
      });
      states.push(Miou.Promise.state(a));
      yield* Miou.await(a);
      states.push(Miou.Promise.state(a));
      const b = yield* Miou.async(function* () {
        yield* Miou.yield();
        throw new Error("x");
      });
      yield* Miou.await(b);
      states.push(Miou.Promise.state(b));
      const c = yield* Miou.async(function* () {
        yield* spinUntilCancelled();
      });
      yield* Miou.yield();
      yield* Miou.cancel(c);
      states.push(Miou.Promise.state(c));
      return states;
    });
    expect(got).toEqual(["running", "finished", "exited", "exited"]);
  });
});
