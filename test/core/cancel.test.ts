// Cancellation: asynchronous, recursive, waits for the subtree, erases a resolved result,
// cannot leak. Reference §1.6, §2.11, §2.12, §2.13; DESIGN §3 (the paragraph on throw() and
// return(), and Effection issues #1154/#1190); issue 2 §3 and §4.
import { describe, expect, test } from "vitest";
import * as Miou from "../../runtime/index.js";
import { type Result, spinUntilCancelled, yieldWhile } from "./helpers.js";

function errorOf(r: unknown): unknown {
  const res = r as Result;
  expect(res.ok).toBe(false);
  return (res as { error: unknown }).error;
}

const spin = function* () {
  yield* spinUntilCancelled();
};

describe("cancel throws Cancelled into the task", () => {
  test("the task sees a Miou.Cancelled at its suspension point; catch and finally run once", () => {
    const log: string[] = [];
    const got = Miou.run(function* () {
      const c = yield* Miou.async(function* () {
        try {
          yield* spinUntilCancelled();
        } catch (e) {
          log.push(e instanceof Miou.Cancelled ? "caught Cancelled" : `caught ${String(e)}`);
          throw e;
        } finally {
          log.push("finally");
        }
      });
      yield* Miou.yield();
      yield* Miou.yield();
      yield* Miou.cancel(c);
      log.push("cancel returned");
      return yield* Miou.await(c);
    });
    expect(log).toEqual(["caught Cancelled", "finally", "cancel returned"]);
    const e = errorOf(got);
    expect(e).toBeInstanceOf(Miou.Cancelled);
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).name).toBe("Cancelled");
  });

  test("a task that catches Cancelled and returns a value still ends Cancelled", () => {
    const got = Miou.run(function* () {
      const c = yield* Miou.async(function* () {
        try {
          yield* spinUntilCancelled();
        } catch {
          return "refused to die";
        }
        return "unreachable";
      });
      yield* Miou.yield();
      yield* Miou.yield();
      yield* Miou.cancel(c);
      return yield* Miou.await(c);
    });
    expect(errorOf(got)).toBeInstanceOf(Miou.Cancelled);
  });

  test("after Cancelled, an operation ends the task: code after it never runs, finally does", () => {
    const log: string[] = [];
    const got = Miou.run(function* () {
      const c = yield* Miou.async(function* () {
        try {
          try {
            yield* spinUntilCancelled();
          } catch {
            log.push("caught");
            yield* Miou.yield();
            log.push("after yield (must not run)");
          }
          log.push("after try (must not run)");
        } finally {
          log.push("finally");
        }
      });
      yield* Miou.yield();
      yield* Miou.yield();
      yield* Miou.cancel(c);
      return yield* Miou.await(c);
    });
    expect(log).toEqual(["caught", "finally"]);
    expect(errorOf(got)).toBeInstanceOf(Miou.Cancelled);
  });

  test("a task that swallows Cancelled in a loop still dies", () => {
    let attempts = 0;
    const got = Miou.run(function* () {
      const c = yield* Miou.async(function* () {
        for (let i = 0; i < 1000; i++) {
          try {
            attempts++;
            yield* Miou.yield();
          } catch {
            // swallow and try again
          }
        }
      });
      yield* Miou.yield();
      yield* Miou.yield();
      yield* Miou.cancel(c);
      return yield* Miou.await(c);
    });
    expect(errorOf(got)).toBeInstanceOf(Miou.Cancelled);
    expect(attempts).toBeLessThan(10);
  });

  test("nested finally blocks that perform operations each run exactly once, outermost last", () => {
    const log: string[] = [];
    const got = Miou.run(function* () {
      const c = yield* Miou.async(function* () {
        try {
          try {
            try {
              yield* spinUntilCancelled();
            } finally {
              log.push("f3");
              yield* Miou.yield();
              log.push("f3 after op (must not run)");
            }
          } finally {
            log.push("f2");
            yield* Miou.yield();
            log.push("f2 after op (must not run)");
          }
        } finally {
          log.push("f1");
          yield* Miou.yield();
          log.push("f1 after op (must not run)");
        }
      });
      yield* Miou.yield();
      yield* Miou.yield();
      yield* Miou.cancel(c);
      return yield* Miou.await(c);
    });
    expect(log).toEqual(["f3", "f2", "f1"]);
    expect(errorOf(got)).toBeInstanceOf(Miou.Cancelled);
  });

  test("async in the finally of a cancelled task starts no work and leaves no child behind", () => {
    const log: string[] = [];
    const got = Miou.run(function* () {
      const c = yield* Miou.async(function* () {
        try {
          yield* spinUntilCancelled();
        } finally {
          log.push("finally");
          const p = yield* Miou.async(function* () {
            log.push("late child ran (must not happen)");
          });
          log.push("after async (must not run)");
          yield* Miou.await(p);
        }
      });
      yield* Miou.yield();
      yield* Miou.yield();
      yield* Miou.cancel(c);
      for (let i = 0; i < 5; i++) yield* Miou.yield();
      return yield* Miou.await(c);
    });
    expect(log).toEqual(["finally"]);
    expect(errorOf(got)).toBeInstanceOf(Miou.Cancelled);
  });

  test("await in the finally of a cancelled task ends it; its child is cancelled with it", () => {
    const log: string[] = [];
    const got = Miou.run(function* () {
      const c = yield* Miou.async(function* () {
        const g = yield* Miou.async(function* () {
          try {
            yield* spinUntilCancelled();
          } finally {
            log.push("grandchild finally");
          }
        });
        try {
          yield* spinUntilCancelled();
        } finally {
          log.push("child finally");
          yield* Miou.await(g);
          log.push("after await (must not run)");
        }
      });
      for (let i = 0; i < 4; i++) yield* Miou.yield();
      yield* Miou.cancel(c);
      log.push("cancel returned");
      return yield* Miou.await(c);
    });
    expect(log.slice().sort()).toEqual(["cancel returned", "child finally", "grandchild finally"]);
    expect(log[2]).toBe("cancel returned");
    expect(errorOf(got)).toBeInstanceOf(Miou.Cancelled);
  });
});

describe("a cancelled task's result is Cancelled whatever it returns", () => {
  test("a grandchild cancelled through its parent that swallows Cancelled and returns reads \"exited\"", () => {
    // No cancel by the direct parent here, so nothing erases the result: only the rule
    // "the result stays Cancelled whatever it returns" makes it exited.
    const box: { g?: Parameters<typeof Miou.Promise.state>[0] } = {};
    const log: string[] = [];
    const got = Miou.run(function* () {
      const c = yield* Miou.async(function* () {
        const g = yield* Miou.async(function* () {
          try {
            log.push("g started");
            yield* spinUntilCancelled();
          } catch {
            log.push("g swallowed");
            return "g value";
          }
          return "unreachable";
        });
        box.g = g;
        return yield* Miou.await(g);
      });
      yield* yieldWhile(() => !log.includes("g started"));
      yield* Miou.cancel(c);
      return [Miou.Promise.state(box.g!), yield* Miou.await(c)];
    }) as [string, Result];
    expect(log).toEqual(["g started", "g swallowed"]);
    expect(got[0]).toBe("exited");
    expect(errorOf(got[1])).toBeInstanceOf(Miou.Cancelled);
  });
});

describe("a yield*-delegated helper cannot let its caller continue after cancel (Effection #1154/#1190)", () => {
  const opsInFinally = {
    yield: function* () {
      yield* Miou.yield();
    },
    async: function* () {
      const p = yield* Miou.async(function* () {});
      yield* Miou.await(p);
    },
  };
  for (const [name, op] of Object.entries(opsInFinally)) {
    test(`helper's finally performs ${name}: the caller does not continue`, () => {
      const log: string[] = [];
      function* helper() {
        try {
          yield* spinUntilCancelled();
        } finally {
          log.push("helper finally");
          yield* op();
          log.push("helper after op (must not run)");
        }
      }
      const got = Miou.run(function* () {
        const c = yield* Miou.async(function* () {
          try {
            yield* helper();
            log.push("caller continued (must not run)");
            yield* Miou.yield();
            log.push("caller after op (must not run)");
            return "value";
          } finally {
            log.push("caller finally");
          }
        });
        yield* Miou.yield();
        yield* Miou.yield();
        yield* Miou.cancel(c);
        return yield* Miou.await(c);
      });
      expect(log).toEqual(["helper finally", "caller finally"]);
      expect(errorOf(got)).toBeInstanceOf(Miou.Cancelled);
    });
  }

  test("a helper that swallows Cancelled and returns: the caller's next operation ends the task", () => {
    const log: string[] = [];
    function* helper() {
      try {
        yield* spinUntilCancelled();
      } catch {
        return "swallowed";
      }
      return "unreachable";
    }
    const got = Miou.run(function* () {
      const c = yield* Miou.async(function* () {
        try {
          const r = yield* helper();
          log.push(`caller got ${r}`);
          yield* Miou.yield();
          log.push("caller after op (must not run)");
          return "value";
        } finally {
          log.push("caller finally");
        }
      });
      yield* Miou.yield();
      yield* Miou.yield();
      yield* Miou.cancel(c);
      return yield* Miou.await(c);
    });
    // Plain code between the swallow and the next operation runs (it is ordinary JS); the
    // operation is where the task ends.
    expect(log).toEqual(["caller got swallowed", "caller finally"]);
    expect(errorOf(got)).toBeInstanceOf(Miou.Cancelled);
  });
});

describe("cancel erases results and consumes the child", () => {
  test("cancelling a child that already returned turns its result into Cancelled (test06)", () => {
    const got = Miou.run(function* () {
      const c = yield* Miou.async(function* () {
        return 5;
      });
      yield* yieldWhile(() => Miou.Promise.state(c) === "running");
      yield* Miou.cancel(c);
      return [yield* Miou.await(c), yield* Miou.await(c)];
    }) as Result[];
    expect(errorOf(got[0])).toBeInstanceOf(Miou.Cancelled);
    expect(errorOf(got[1])).toBeInstanceOf(Miou.Cancelled);
  });

  test("cancelling a finished child does not throw, and cancelling twice is fine", () => {
    const got = Miou.run(function* () {
      const c = yield* Miou.async(function* () {
        return 5;
      });
      yield* Miou.yield();
      yield* Miou.yield();
      yield* Miou.cancel(c);
      yield* Miou.cancel(c);
      return "ok";
    });
    expect(got).toBe("ok");
  });

  test("a cancelled child needs no await (it counts as consumed)", () => {
    expect(
      Miou.run(function* () {
        const c = yield* Miou.async(spin);
        yield* Miou.yield();
        yield* Miou.cancel(c);
        return "done";
      }),
    ).toBe("done");
  });

  test("a child cancelled before its first slice never runs its body", () => {
    // The child is queued behind busy tasks on worker 1; the cancel (priority work) reaches
    // that worker before the child's first slice does (reference §2.11 step 3: a Create is
    // finished as Error Cancelled without ever running).
    const log: string[] = [];
    const got = Miou.run(
      function* () {
        const busy = [];
        for (let i = 0; i < 4; i++) {
          busy.push(
            yield* Miou.callWith({ pin: 1 }, function* () {
              for (let k = 0; k < 30; k++) yield* Miou.yield();
            }),
          );
        }
        const c = yield* Miou.callWith({ pin: 1 }, function* () {
          log.push("body ran (must not happen)");
        });
        yield* Miou.cancel(c);
        yield* Miou.awaitAll(busy);
        return yield* Miou.await(c);
      },
      { domains: 1 },
    );
    expect(log).toEqual([]);
    expect(errorOf(got)).toBeInstanceOf(Miou.Cancelled);
  });
});

describe("cancel priority and asynchrony", () => {
  test("cancel work runs before ordinary work that was queued earlier", () => {
    // Traced by hand: A0 (A's first slice), A1 (A handles its first yield), B0 (B's first
    // slice), then main handles cancel(b): the cancel is priority work, so B's finally runs
    // before A's next turn (A2).
    const log: string[] = [];
    Miou.run(function* () {
      const a = yield* Miou.async(function* () {
        for (let i = 0; i < 4; i++) {
          log.push(`A${i}`);
          yield* Miou.yield();
        }
      });
      const b = yield* Miou.async(function* () {
        try {
          log.push("B0");
          yield* spinUntilCancelled();
        } finally {
          log.push("Bfin");
        }
      });
      yield* Miou.cancel(b);
      log.push("cancelled");
      yield* Miou.await(a);
    });
    expect(log.slice(0, 5)).toEqual(["A0", "A1", "B0", "Bfin", "A2"]);
    expect(log.indexOf("cancelled")).toBeGreaterThan(log.indexOf("Bfin"));
    expect(log.filter((x) => x.startsWith("A"))).toEqual(["A0", "A1", "A2", "A3"]);
  });

  test("other tasks keep running while a cancel across domains completes", () => {
    const log: string[] = [];
    Miou.run(
      function* () {
        const sib = yield* Miou.async(function* () {
          for (let i = 0; i < 30; i++) {
            log.push(`s${i}`);
            yield* Miou.yield();
          }
        });
        const c = yield* Miou.callWith({ pin: 1 }, function* () {
          try {
            log.push("c started");
            yield* spinUntilCancelled();
          } finally {
            log.push("c finally");
          }
        });
        yield* yieldWhile(() => !log.includes("c started"));
        log.push("cancel start");
        yield* Miou.cancel(c);
        log.push("cancel end");
        yield* Miou.await(sib);
      },
      { domains: 1 },
    );
    const start = log.indexOf("cancel start");
    const end = log.indexOf("cancel end");
    const between = log.slice(start + 1, end);
    expect(between).toContain("c finally");
    expect(between.some((x) => x.startsWith("s"))).toBe(true);
  });

  test("cancel waits for a subtree spread over several domains", () => {
    const log: string[] = [];
    Miou.run(
      function* () {
        const c = yield* Miou.callWith({ pin: 1 }, function* () {
          const g = yield* Miou.callWith({ pin: 2 }, function* () {
            const gg = yield* Miou.async(function* () {
              try {
                log.push("gg started");
                yield* spinUntilCancelled();
              } finally {
                log.push("gg finally");
              }
            });
            try {
              yield* Miou.await(gg);
            } finally {
              log.push("g finally");
            }
          });
          try {
            yield* Miou.await(g);
          } finally {
            log.push("c finally");
          }
        });
        yield* yieldWhile(() => !log.includes("gg started"));
        yield* Miou.cancel(c);
        log.push("cancel returned");
      },
      { domains: 2 },
    );
    expect(log[0]).toBe("gg started");
    expect(log[log.length - 1]).toBe("cancel returned");
    expect(log.slice(1, -1).sort()).toEqual(["c finally", "g finally", "gg finally"]);
  });
});

describe("a task that throws", () => {
  test("its parent's await sees the error, and its children are cancelled exactly once", () => {
    const log: string[] = [];
    const boom = new Error("boom");
    const got = Miou.run(
      function* () {
        const c = yield* Miou.async(function* () {
          yield* Miou.call(function* () {
            try {
              log.push("worker started");
              yield* spinUntilCancelled();
            } finally {
              log.push("worker finally");
            }
          });
          yield* yieldWhile(() => !log.includes("worker started"));
          throw boom;
        });
        const r = yield* Miou.await(c);
        log.push("main resumed");
        return r;
      },
      { domains: 1 },
    );
    expect(errorOf(got)).toBe(boom);
    // run returns only once every requested cancellation has finished.
    expect(log.filter((x) => x === "worker finally")).toHaveLength(1);
    expect(log).toContain("main resumed");
  });

  test("main throwing cancels its children before run throws", () => {
    const log: string[] = [];
    const boom = new Error("boom");
    let thrownByRun: unknown;
    try {
      Miou.run(
        function* () {
          yield* Miou.async(function* () {
            try {
              yield* spinUntilCancelled();
            } finally {
              log.push("local child finally");
            }
          });
          yield* Miou.call(function* () {
            try {
              yield* spinUntilCancelled();
            } finally {
              log.push("worker child finally");
            }
          });
          for (let i = 0; i < 4; i++) yield* Miou.yield();
          throw boom;
        },
        { domains: 1 },
      );
    } catch (e) {
      thrownByRun = e;
    }
    expect(thrownByRun).toBe(boom);
    expect(log.slice().sort()).toEqual(["local child finally", "worker child finally"]);
  });
});

describe("deep trees", () => {
  const depth = 10_000;

  test(`cancelling a chain of ${depth} nested tasks runs every finally once`, { timeout: 60_000 }, () => {
    let started = 0;
    let finals = 0;
    function* node(n: number): Generator<unknown, void, unknown> {
      started++;
      try {
        if (n === 0) {
          yield* spinUntilCancelled();
        }
        const child = yield* Miou.async(node, n - 1);
        yield* Miou.await(child);
      } finally {
        finals++;
      }
    }
    const got = Miou.run(function* () {
      const root = yield* Miou.async(node, depth - 1);
      yield* yieldWhile(() => started < depth);
      yield* Miou.cancel(root);
      return yield* Miou.await(root);
    });
    expect(started).toBe(depth);
    expect(finals).toBe(depth);
    expect(errorOf(got)).toBeInstanceOf(Miou.Cancelled);
  });

  test(`an error thrown at the bottom of a chain of ${depth} tasks reaches main`, { timeout: 60_000 }, () => {
    const boom = new Error("bottom");
    function* node(n: number): Generator<unknown, number, unknown> {
      if (n === 0) {
        yield* Miou.yield();
        throw boom;
      }
      const child = yield* Miou.async(node, n - 1);
      return (yield* Miou.awaitExn(child)) as number;
    }
    const got = Miou.run(function* () {
      const root = yield* Miou.async(node, depth - 1);
      return yield* Miou.await(root);
    });
    expect(errorOf(got)).toBe(boom);
  });
});
