// protect: Miou's ordering in its three endings and its two error wrappers. Reference §1.11.
//   success:          finally(false), then the value
//   Cancelled:        finally(true), then onCancellation(), then Cancelled goes on
//   other exception:  finally(false), then the exception goes on
//   finally throws -> FinallyRaised(exn); onCancellation throws -> OnCancellationRaised(exn)
import { describe, expect, test } from "vitest";
import * as Miou from "../../runtime/index.js";
import { forever, spinUntil, yields } from "./helpers.js";

function handlers(log: string[], extra: { finallyThrows?: unknown; onCancellationThrows?: unknown } = {}) {
  return {
    onCancellation: () => {
      log.push("onCancellation");
      if (extra.onCancellationThrows !== undefined) throw extra.onCancellationThrows;
    },
    finally: (cancelled: boolean) => {
      log.push(`finally:${cancelled}`);
      if (extra.finallyThrows !== undefined) throw extra.finallyThrows;
    },
  };
}

describe("the three endings", () => {
  test("success: finally(false) after the body, then the body's value", () => {
    const log: string[] = [];
    const v = Miou.run(function* () {
      const v = yield* Miou.protect(handlers(log), function* () {
        log.push("body");
        yield* Miou.yield();
        log.push("body after yield");
        return 7;
      });
      log.push(`returned ${v}`);
      return v;
    });
    expect(v).toBe(7);
    expect(log).toEqual(["body", "body after yield", "finally:false", "returned 7"]);
  });

  test("another exception: finally(false), no onCancellation, the same exception goes on", () => {
    const log: string[] = [];
    const boom = new Error("boom");
    const got = Miou.run(function* () {
      try {
        yield* Miou.protect(handlers(log), function* () {
          log.push("body");
          yield* Miou.yield();
          throw boom;
        });
        return "no throw";
      } catch (e) {
        log.push("caught");
        return e;
      }
    });
    expect(got).toBe(boom);
    expect(log).toEqual(["body", "finally:false", "caught"]);
  });

  test("cancelled: finally(true), then onCancellation, then Cancelled; all before cancel returns", () => {
    const log: string[] = [];
    const r = Miou.run(function* () {
      let started = false;
      const p = yield* Miou.async(function* () {
        yield* Miou.protect(handlers(log), function* () {
          log.push("body");
          started = true;
          yield* forever();
        });
        log.push("after protect (never)");
      });
      yield* spinUntil(() => started, "started");
      yield* Miou.cancel(p);
      log.push("cancel returned");
      return yield* Miou.await(p);
    });
    expect(log).toEqual(["body", "finally:true", "onCancellation", "cancel returned"]);
    expect(r.ok).toBe(false);
    expect((r as { error: unknown }).error).toBeInstanceOf(Miou.Cancelled);
  });

  test("cancelled: the exception protect lets through is Cancelled", () => {
    const log: string[] = [];
    Miou.run(function* () {
      let started = false;
      const p = yield* Miou.async(function* () {
        try {
          yield* Miou.protect(handlers(log), function* () {
            started = true;
            yield* forever();
          });
        } catch (e) {
          log.push(`outer catch: ${e instanceof Miou.Cancelled ? "Cancelled" : String(e)}`);
          throw e;
        }
      });
      yield* spinUntil(() => started, "started");
      yield* Miou.cancel(p);
    });
    expect(log).toEqual(["finally:true", "onCancellation", "outer catch: Cancelled"]);
  });

  test("cancelled while the body waits on a child: the child is cancelled too and finally sees true", () => {
    const log: string[] = [];
    Miou.run(function* () {
      let waiting = false;
      const p = yield* Miou.async(function* () {
        yield* Miou.protect(handlers(log), function* () {
          const c = yield* Miou.async(function* () {
            try {
              yield* forever();
            } finally {
              log.push("grandchild finally");
            }
          });
          waiting = true;
          yield* Miou.await(c);
        });
      });
      yield* spinUntil(() => waiting, "waiting");
      yield* yields(2);
      yield* Miou.cancel(p);
      log.push("cancel returned");
    });
    expect(log).toContain("grandchild finally");
    expect(log.indexOf("finally:true")).toBeGreaterThanOrEqual(0);
    expect(log.indexOf("onCancellation")).toBe(log.indexOf("finally:true") + 1);
    expect(log[log.length - 1]).toBe("cancel returned");
    expect(log.filter((l) => l.startsWith("finally"))).toEqual(["finally:true"]);
  });

  test("nested protects unwind innermost first on cancellation", () => {
    const log: string[] = [];
    Miou.run(function* () {
      let started = false;
      const p = yield* Miou.async(function* () {
        yield* Miou.protect(
          { finally: (c) => void log.push(`outer finally:${c}`), onCancellation: () => void log.push("outer onCancellation") },
          function* () {
            yield* Miou.protect(
              { finally: (c) => void log.push(`inner finally:${c}`), onCancellation: () => void log.push("inner onCancellation") },
              function* () {
                started = true;
                yield* forever();
              },
            );
          },
        );
      });
      yield* spinUntil(() => started, "started");
      yield* Miou.cancel(p);
    });
    expect(log).toEqual(["inner finally:true", "inner onCancellation", "outer finally:true", "outer onCancellation"]);
  });

  test("handlers are optional", () => {
    const log: string[] = [];
    const v = Miou.run(function* () {
      const a = yield* Miou.protect({ finally: (c) => void log.push(`f:${c}`) }, function* () {
        yield* Miou.yield();
        return 1;
      });
      const b = yield* Miou.protect({}, function* () {
        yield* Miou.yield();
        return 2;
      });
      return a + b;
    });
    expect(v).toBe(3);
    expect(log).toEqual(["f:false"]);
  });

  test("Miou matches the exception: a body that lets an awaited child's Cancelled through takes the cancelled path", () => {
    // §1.11 "On `Cancelled`: finally ~cancelled:true, then on_cancellation ()": Miou's protect
    // tells the endings apart by the exception, and awaitExn on a cancelled child raises Cancelled.
    const log: string[] = [];
    const e = Miou.run(function* () {
      try {
        yield* Miou.protect(handlers(log), function* () {
          const c = yield* Miou.async(function* () {
            yield* forever();
          });
          yield* Miou.yield();
          yield* Miou.cancel(c);
          yield* Miou.awaitExn(c);
        });
        return "no throw";
      } catch (e) {
        return e;
      }
    });
    expect(e).toBeInstanceOf(Miou.Cancelled);
    expect(log).toEqual(["finally:true", "onCancellation"]);
  });
});

describe("the two error wrappers", () => {
  test("finally throwing after success is FinallyRaised, with what it threw as cause", () => {
    const log: string[] = [];
    const bad = new Error("finally failed");
    const e = Miou.run(function* () {
      try {
        yield* Miou.protect(handlers(log, { finallyThrows: bad }), function* () {
          yield* Miou.yield();
          return 1;
        });
        return "no throw";
      } catch (e) {
        return e;
      }
    });
    expect(e).toBeInstanceOf(Miou.FinallyRaised);
    expect((e as Error).cause).toBe(bad);
    expect(log).toEqual(["finally:false"]);
  });

  test("finally throwing after another exception is FinallyRaised too", () => {
    const log: string[] = [];
    const bad = new Error("finally failed");
    const e = Miou.run(function* () {
      try {
        yield* Miou.protect(handlers(log, { finallyThrows: bad }), function* () {
          yield* Miou.yield();
          throw new Error("body failed");
        });
        return "no throw";
      } catch (e) {
        return e;
      }
    });
    expect(e).toBeInstanceOf(Miou.FinallyRaised);
    expect((e as Error).cause).toBe(bad);
    expect(log).toEqual(["finally:false"]);
  });

  test("finally throwing on the cancelled path is FinallyRaised", () => {
    const log: string[] = [];
    const bad = new Error("finally failed");
    Miou.run(function* () {
      let started = false;
      const p = yield* Miou.async(function* () {
        try {
          yield* Miou.protect(handlers(log, { finallyThrows: bad }), function* () {
            started = true;
            yield* forever();
          });
        } catch (e) {
          log.push(e instanceof Miou.FinallyRaised && (e as Error).cause === bad ? "FinallyRaised" : `other: ${String(e)}`);
        }
      });
      yield* spinUntil(() => started, "started");
      yield* Miou.cancel(p);
      // Whatever the task did afterwards, cancel made its result Cancelled (§1.6).
      const r = yield* Miou.await(p);
      log.push(r.ok ? "ok" : (r.error as Error).name);
    });
    expect(log[0]).toBe("finally:true");
    expect(log).toContain("FinallyRaised");
    expect(log[log.length - 1]).toBe("Cancelled");
  });

  test("onCancellation throwing is OnCancellationRaised, after finally(true)", () => {
    const log: string[] = [];
    const bad = new Error("onCancellation failed");
    Miou.run(function* () {
      let started = false;
      const p = yield* Miou.async(function* () {
        try {
          yield* Miou.protect(handlers(log, { onCancellationThrows: bad }), function* () {
            started = true;
            yield* forever();
          });
        } catch (e) {
          log.push(
            e instanceof Miou.OnCancellationRaised && (e as Error).cause === bad ? "OnCancellationRaised" : `other: ${String(e)}`,
          );
        }
      });
      yield* spinUntil(() => started, "started");
      yield* Miou.cancel(p);
      const r = yield* Miou.await(p);
      log.push(r.ok ? "ok" : (r.error as Error).name);
    });
    expect(log).toEqual(["finally:true", "onCancellation", "OnCancellationRaised", "Cancelled"]);
  });
});
