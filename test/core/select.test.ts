// The system interface: syscall / suspend / signal / uid and the per-domain `events`
// contract (select's gate and block flag, cancelled ids, interrupt, finaliser).
// Reference §1.10, §2.4, §2.6, §2.7, §2.8; DESIGN §3 (quirks fixed) and §5; issue 2 §2-§3.
import { describe, expect, test } from "vitest";
import * as Miou from "../../runtime/index.js";
import { fakeSystem, thrown, waitOn, type Result, type Signal, type Syscall, yieldWhile } from "./helpers.js";

describe("events(domain): created once per domain, finalised once per domain", () => {
  for (const domains of [0, 1, 3]) {
    test(`with domains = ${domains}`, () => {
      const log: string[] = [];
      const sys = fakeSystem();
      const events = (d: number) => {
        const e = sys.events(d);
        return {
          select: e.select,
          interrupt: e.interrupt,
          finaliser() {
            log.push(`finaliser ${d}`);
            e.finaliser();
          },
        };
      };
      Miou.run(
        function* () {
          const ps = [];
          for (let i = 0; i < domains; i++) ps.push(yield* Miou.callWith({ pin: i + 1 }, function* () {}));
          yield* Miou.awaitAll(ps);
          log.push("main end");
        },
        { domains, events },
      );
      const all = Array.from({ length: domains + 1 }, (_, i) => i);
      expect(sys.created.slice().sort((a, b) => a - b)).toEqual(all);
      expect(sys.finalised.slice().sort((a, b) => a - b)).toEqual(all);
      expect(log[0]).toBe("main end");
    });
  }

  test("finalisers run once per domain when main throws too", () => {
    const sys = fakeSystem();
    const boom = new Error("boom");
    const e = thrown(() =>
      Miou.run(
        function* () {
          yield* Miou.yield();
          throw boom;
        },
        { domains: 2, events: sys.events },
      ),
    );
    expect(e).toBe(boom);
    expect(sys.finalised.slice().sort()).toEqual([0, 1, 2]);
  });

  test("a fresh events record per run", () => {
    const sys = fakeSystem();
    Miou.run(function* () {}, { events: sys.events });
    Miou.run(function* () {}, { events: sys.events });
    expect(sys.created).toEqual([0, 0]);
    expect(sys.finalised).toEqual([0, 0]);
  });
});

describe("the select gate", () => {
  test("select is never called when no task suspends", () => {
    const sys = fakeSystem();
    Miou.run(
      function* () {
        const a = yield* Miou.async(function* () {
          for (let i = 0; i < 5; i++) yield* Miou.yield();
        });
        const b = yield* Miou.call(function* () {
          for (let i = 0; i < 5; i++) yield* Miou.yield();
        });
        yield* Miou.awaitAll([a, b]);
      },
      { domains: 2, events: sys.events },
    );
    expect(sys.calls).toEqual([]);
  });

  test("select is called only while a task is suspended: after fn registered it, never after it resumed", () => {
    const log: string[] = [];
    const sys = fakeSystem({ onSelect: (c) => log.push(`select ${c.block}`) });
    const got = Miou.run(
      function* () {
        const c = yield* Miou.async(function* () {
          const sc = Miou.syscall("child");
          yield* Miou.suspend(sc, () => {
            log.push("registered");
            sys.register(0, sc);
          });
          log.push("resumed");
          return 42;
        });
        for (let i = 0; i < 3; i++) yield* Miou.yield();
        const r = yield* Miou.awaitExn(c);
        for (let i = 0; i < 5; i++) yield* Miou.yield();
        return r;
      },
      { events: sys.events },
    );
    expect(got).toBe(42);
    const reg = log.indexOf("registered");
    const resumed = log.indexOf("resumed");
    expect(reg).toBeGreaterThan(-1);
    expect(resumed).toBeGreaterThan(reg);
    const selects = log.map((x, i) => [x, i] as const).filter(([x]) => x.startsWith("select"));
    for (const [, i] of selects) {
      expect(i).toBeGreaterThan(reg);
      expect(i).toBeLessThan(resumed);
    }
    // While main still had work (its three yields), block was false; once main waited on
    // the child, the one select left had block = true and signalled it.
    const blocks = selects.map(([x]) => x === "select true");
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    expect(blocks[blocks.length - 1]).toBe(true);
    expect(blocks.slice(0, -1).every((b) => !b)).toBe(true);
  });

  test("suspend's fn does not run when the task is cancelled before the suspension happens", () => {
    const log: string[] = [];
    const sys = fakeSystem();
    const got = Miou.run(
      function* () {
        const c = yield* Miou.async(function* () {
          const sc = Miou.syscall("never");
          yield* Miou.suspend(sc, () => {
            log.push("fn ran (must not happen)");
            sys.register(0, sc);
          });
          log.push("resumed (must not happen)");
        });
        // c's first slice stops at suspend; this cancel is handled before c's next turn.
        yield* Miou.cancel(c);
        return yield* Miou.await(c);
      },
      { events: sys.events },
    ) as Result;
    expect(log).toEqual([]);
    expect(got.ok).toBe(false);
    expect((got as { error: unknown }).error).toBeInstanceOf(Miou.Cancelled);
  });
});

describe("the block flag", () => {
  test("block is false on a worker while dom0 still has work; true once nothing can run", () => {
    let mainBusy = true;
    const violations: unknown[] = [];
    const sys = fakeSystem({
      onSelect: (c) => {
        if (mainBusy && c.block) violations.push(c);
      },
    });
    const got = Miou.run(
      function* () {
        const w = yield* Miou.callWith({ pin: 1 }, function* () {
          yield* waitOn(sys, "w");
          return "w";
        });
        yield* yieldWhile(() => sys.registered.size === 0);
        for (let i = 0; i < 10; i++) yield* Miou.yield();
        mainBusy = false;
        return yield* Miou.awaitExn(w);
      },
      { domains: 1, events: sys.events },
    );
    expect(got).toBe("w");
    expect(violations).toEqual([]);
    // Domain 1 had no runnable work but a suspended syscall: polled once per round.
    const polls = sys.calls.filter((c) => c.domain === 1 && !c.block);
    expect(polls.length).toBeGreaterThanOrEqual(5);
    const trues = sys.calls.filter((c) => c.block);
    expect(trues).toHaveLength(1);
    expect(trues[0].domain).toBe(1);
    expect(sys.calls.filter((c) => c.domain === 0)).toEqual([]);
  });

  test("block is recomputed before each domain's select: after dom0 is signalled, dom1 gets block = false", () => {
    const sys = fakeSystem();
    const got = Miou.run(
      function* () {
        const w = yield* Miou.callWith({ pin: 1 }, function* () {
          yield* waitOn(sys, "w");
          return "w";
        });
        // Let w suspend first, so that main's own suspension is the last runnable work.
        yield* yieldWhile(() => sys.registered.size === 0);
        for (let i = 0; i < 3; i++) yield* Miou.yield();
        yield* waitOn(sys, "main");
        return yield* Miou.awaitExn(w);
      },
      { domains: 1, events: sys.events },
    );
    expect(got).toBe("w");
    const first = sys.calls.findIndex((c) => c.block);
    expect(first).toBeGreaterThan(-1);
    expect(sys.calls[first].domain).toBe(0);
    expect(sys.calls[first].signalled).toHaveLength(1);
    expect(sys.calls[first + 1]).toMatchObject({ domain: 1, block: false });
    // Then main waits on w, and only domain 1 has a suspension left.
    const trues = sys.calls.filter((c) => c.block);
    expect(trues.map((c) => c.domain)).toEqual([0, 1]);
  });
});

describe("signals", () => {
  test("suspended tasks resume in the order their signals were returned", () => {
    const log: string[] = [];
    const sys = fakeSystem({ choose: (c) => (c.block ? c.pending.slice().reverse() : []) });
    Miou.run(
      function* () {
        const ps = [];
        for (const name of ["t1", "t2", "t3"]) {
          ps.push(
            yield* Miou.async(function* () {
              const sc = Miou.syscall(name);
              yield* Miou.suspend(sc, () => {
                log.push(`registered ${name}`);
                sys.register(0, sc);
              });
              log.push(`resumed ${name}`);
            }),
          );
        }
        yield* Miou.awaitAll(ps);
      },
      { events: sys.events },
    );
    const registered = log.filter((x) => x.startsWith("registered")).map((x) => x.split(" ")[1]);
    const resumed = log.filter((x) => x.startsWith("resumed")).map((x) => x.split(" ")[1]);
    expect(registered.slice().sort()).toEqual(["t1", "t2", "t3"]);
    expect(resumed).toEqual(registered.slice().reverse());
  });

  test("a repeated or stale signal is ignored", () => {
    const log: string[] = [];
    let scA: Syscall | undefined;
    let scB: Syscall | undefined;
    let selects = 0;
    const events = () => ({
      select(block: boolean): Signal[] {
        if (++selects > 1000) throw new Error("runaway");
        const out: Signal[] = [];
        // A is signalled twice in every call, long after it resumed.
        if (scA) out.push(Miou.signal(scA), Miou.signal(scA));
        if (block && scB && log.includes("A resumed")) out.push(Miou.signal(scB));
        return out;
      },
      interrupt() {},
      finaliser() {},
    });
    const got = Miou.run(
      function* () {
        const a = yield* Miou.async(function* () {
          const sc = Miou.syscall("A");
          yield* Miou.suspend(sc, () => {
            scA = sc;
          });
          log.push("A resumed");
          return "a";
        });
        const b = yield* Miou.async(function* () {
          const sc = Miou.syscall("B");
          yield* Miou.suspend(sc, () => {
            scB = sc;
          });
          log.push("B resumed");
          return "b";
        });
        return yield* Miou.awaitAll([a, b]);
      },
      { events },
    );
    expect(got).toEqual([
      { ok: true, value: "a" },
      { ok: true, value: "b" },
    ]);
    expect(log).toEqual(["A resumed", "B resumed"]);
  });

  test("a stale signal does not resume the task's next suspension", () => {
    const log: string[] = [];
    const scs: Syscall[] = [];
    let released = false;
    let selects = 0;
    const events = () => ({
      select(block: boolean): Signal[] {
        if (++selects > 1000) throw new Error("runaway");
        // The first syscall is handed back on every call, long after it resumed its task.
        const out: Signal[] = scs.length > 0 ? [Miou.signal(scs[0]!)] : [];
        if (released && scs.length > 1) out.push(Miou.signal(scs[1]!));
        return out;
      },
      interrupt() {},
      finaliser() {},
    });
    Miou.run(
      function* () {
        const a = yield* Miou.async(function* () {
          for (const name of ["first", "second"]) {
            const sc = Miou.syscall(name);
            yield* Miou.suspend(sc, () => void scs.push(sc));
            log.push(`A resumed from ${name}`);
          }
        });
        yield* yieldWhile(() => scs.length < 2);
        for (let i = 0; i < 5; i++) yield* Miou.yield();
        log.push("released");
        released = true;
        yield* Miou.await(a);
      },
      { events },
    );
    expect(log).toEqual(["A resumed from first", "released", "A resumed from second"]);
  });

  test("a signal for a cancelled syscall is ignored", () => {
    const log: string[] = [];
    const box: { sc?: Syscall } = {};
    const sys = fakeSystem();
    let selects = 0;
    const events = (d: number) => {
      const e = sys.events(d);
      return {
        ...e,
        select(block: boolean, cancelled: number[]): Signal[] {
          if (++selects > 1000) throw new Error("runaway");
          const out = e.select(block, cancelled);
          // Keep returning the cancelled child's signal after the cancel.
          if (box.sc && log.includes("child finally")) out.unshift(Miou.signal(box.sc));
          return out;
        },
      };
    };
    const got = Miou.run(
      function* () {
        const c = yield* Miou.async(function* () {
          try {
            yield* waitOn(sys, "child", box);
            log.push("child resumed (must not happen)");
          } finally {
            log.push("child finally");
          }
        });
        yield* yieldWhile(() => sys.registered.size === 0);
        yield* Miou.cancel(c);
        // Suspend main itself so that more selects happen after the cancel.
        yield* waitOn(sys, "main");
        yield* waitOn(sys, "main again");
        return yield* Miou.await(c);
      },
      { events },
    ) as Result;
    expect(log).toEqual(["child finally"]);
    expect(got.ok).toBe(false);
    expect((got as { error: unknown }).error).toBeInstanceOf(Miou.Cancelled);
  });

  test("a signal for a syscall of another domain is an error", () => {
    const scs: Record<string, Syscall> = {};
    let wrongSent = false;
    let selects = 0;
    const events = (d: number) => ({
      select(block: boolean): Signal[] {
        if (++selects > 1000) throw new Error("runaway");
        if (d === 0 && !wrongSent && scs.w && scs.main) {
          // dom0 hands back the worker's syscall: rule 7.
          wrongSent = true;
          return [Miou.signal(scs.w)];
        }
        if (d === 0 && block && scs.main) return [Miou.signal(scs.main)];
        if (d === 1 && block && scs.w) return [Miou.signal(scs.w)];
        return [];
      },
      interrupt() {},
      finaliser() {},
    });
    const e = thrown(() =>
      Miou.run(
        function* () {
          const w = yield* Miou.callWith({ pin: 1 }, function* () {
            const sc = Miou.syscall("w");
            yield* Miou.suspend(sc, () => {
              scs.w = sc;
            });
            return "w";
          });
          yield* yieldWhile(() => !scs.w);
          const sc = Miou.syscall("main");
          yield* Miou.suspend(sc, () => {
            scs.main = sc;
          });
          return yield* Miou.awaitExn(w);
        },
        { domains: 1, events },
      ),
    );
    expect(wrongSent).toBe(true);
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).message).not.toMatch(/runaway/);
  });

  test("suspending on a syscall made by another task is an Invalid_argument", () => {
    const sys = fakeSystem();
    const got = Miou.run(
      function* () {
        const mine = Miou.syscall("main's");
        const c = yield* Miou.async(function* (sc: Syscall) {
          try {
            yield* Miou.suspend(sc, () => sys.register(0, sc));
            return "no error";
          } catch (e) {
            return e;
          }
        }, mine);
        return yield* Miou.awaitExn(c);
      },
      { events: sys.events },
    );
    expect(got instanceof TypeError || got instanceof RangeError).toBe(true);
  });
});

describe("syscall uids", () => {
  test("uids are numbers, distinct within a run, and restart at 1 in every run", () => {
    const once = () =>
      Miou.run(function* () {
        return [Miou.uid(Miou.syscall()), Miou.uid(Miou.syscall("named")), Miou.uid(Miou.syscall())];
      });
    const first = once() as number[];
    expect(first[0]).toBe(1);
    for (const u of first) expect(typeof u).toBe("number");
    expect(new Set(first).size).toBe(3);
    expect(once()).toEqual(first);
  });
});

describe("cancelled syscall ids", () => {
  test("reach the very next select of their domain, even when that was the domain's last suspension", () => {
    const log: string[] = [];
    const box: { sc?: Syscall } = {};
    const sys = fakeSystem({ onSelect: (c) => log.push(`select [${c.cancelled.join(",")}]`) });
    Miou.run(
      function* () {
        const c = yield* Miou.async(function* () {
          try {
            yield* waitOn(sys, "child", box);
          } finally {
            log.push("child finally");
          }
        });
        yield* yieldWhile(() => sys.registered.size === 0);
        yield* Miou.cancel(c);
        for (let i = 0; i < 5; i++) yield* Miou.yield();
        log.push("main end");
      },
      { events: sys.events },
    );
    const uid = Miou.uid(box.sc!);
    const fin = log.indexOf("child finally");
    const next = log.findIndex((x, i) => i > fin && x.startsWith("select"));
    expect(next).toBeGreaterThan(fin);
    expect(log[next]).toBe(`select [${uid}]`);
    // Delivered once, and after that the gate is closed: no more selects.
    expect(log.filter((x) => x.startsWith("select [") && x !== "select []")).toEqual([`select [${uid}]`]);
    expect(log.slice(next + 1).filter((x) => x.startsWith("select"))).toEqual([]);
  });

  test("a cancelled id on a worker goes to that worker's select only", () => {
    const box: { sc?: Syscall } = {};
    const sys = fakeSystem();
    Miou.run(
      function* () {
        const w = yield* Miou.callWith({ pin: 2 }, function* () {
          yield* waitOn(sys, "w", box);
        });
        yield* yieldWhile(() => sys.registered.size === 0);
        yield* Miou.cancel(w);
        for (let i = 0; i < 5; i++) yield* Miou.yield();
      },
      { domains: 2, events: sys.events },
    );
    const uid = Miou.uid(box.sc!);
    const withIds = sys.calls.filter((c) => c.cancelled.length > 0);
    expect(withIds).toEqual([expect.objectContaining({ domain: 2, cancelled: [uid] })]);
    // It was that domain's last select call.
    const last2 = sys.calls.filter((c) => c.domain === 2).pop();
    expect(last2!.cancelled).toEqual([uid]);
  });

  test("a suspend whose fn throws rethrows in the task and reports the uid as cancelled", () => {
    const boom = new Error("fn failed");
    const sys = fakeSystem();
    let uid = -1;
    const got = Miou.run(
      function* () {
        const sc = Miou.syscall("failing");
        uid = Miou.uid(sc);
        let caught: unknown;
        try {
          yield* Miou.suspend(sc, () => {
            throw boom;
          });
        } catch (e) {
          caught = e;
        }
        for (let i = 0; i < 3; i++) yield* Miou.yield();
        return caught;
      },
      { events: sys.events },
    );
    expect(got).toBe(boom);
    expect(sys.calls.filter((c) => c.cancelled.length > 0).map((c) => c.cancelled)).toEqual([[uid]]);
  });
});

describe("interrupt", () => {
  test("a domain is interrupted when another domain enqueues work on it (spawn, cancel)", () => {
    const log: string[] = [];
    const sys = fakeSystem({ onInterrupt: (d) => log.push(`interrupt ${d}`) });
    Miou.run(
      function* () {
        const w1 = yield* Miou.callWith({ pin: 1 }, function* () {
          try {
            yield* waitOn(sys, "w1");
          } finally {
            log.push("w1 finally");
          }
        });
        yield* yieldWhile(() => sys.registered.size === 0);
        log.push("call w2");
        const w2 = yield* Miou.callWith({ pin: 1 }, function* () {
          log.push("w2 runs");
        });
        yield* Miou.await(w2);
        log.push("cancel w1");
        yield* Miou.cancel(w1);
      },
      { domains: 1, events: sys.events },
    );
    const between = (a: string, b: string) => log.slice(log.indexOf(a) + 1, log.indexOf(b));
    expect(log.indexOf("w2 runs")).toBeGreaterThan(log.indexOf("call w2"));
    expect(between("call w2", "w2 runs")).toContain("interrupt 1");
    expect(log.indexOf("w1 finally")).toBeGreaterThan(log.indexOf("cancel w1"));
    expect(between("cancel w1", "w1 finally")).toContain("interrupt 1");
  });

  test("a worker resolving a task awaited on dom0 interrupts dom0", () => {
    const log: string[] = [];
    const sys = fakeSystem({ onInterrupt: (d) => log.push(`interrupt ${d}`) });
    Miou.run(
      function* () {
        // Keep a syscall suspended on dom0 while main waits on the worker.
        const s = yield* Miou.async(function* () {
          yield* waitOn(sys, "dom0 sleeper");
        });
        const w = yield* Miou.callWith({ pin: 1 }, function* () {
          for (let i = 0; i < 3; i++) yield* Miou.yield();
          log.push("w done");
        });
        yield* Miou.await(w);
        log.push("main resumed");
        yield* Miou.cancel(s);
      },
      { domains: 1, events: sys.events },
    );
    const done = log.indexOf("w done");
    const resumed = log.indexOf("main resumed");
    expect(done).toBeGreaterThan(-1);
    expect(log.slice(done + 1, resumed)).toContain("interrupt 0");
  });
});

describe("NoSelectProvided", () => {
  test("main suspending in a run with no events makes run throw NoSelectProvided", () => {
    const e = thrown(() =>
      Miou.run(function* () {
        yield* Miou.suspend(Miou.syscall("nothing will signal me"));
      }),
    );
    expect(e).toBeInstanceOf(Miou.NoSelectProvided);
    expect((e as Error).name).toBe("NoSelectProvided");
  });

  test("a child suspending in a run with no events makes run throw NoSelectProvided", () => {
    const e = thrown(() =>
      Miou.run(function* () {
        const c = yield* Miou.async(function* () {
          yield* Miou.suspend(Miou.syscall());
        });
        for (let i = 0; i < 3; i++) yield* Miou.yield();
        yield* Miou.await(c);
      }),
    );
    expect(e).toBeInstanceOf(Miou.NoSelectProvided);
  });
});
