// Miou.start(main, options): a handle whose runUntilBlocked() runs until every task waits on
// the system, for hosts with their own loop. Issue 2 §2 (start) and §5 (snapshot).
import { describe, expect, test } from "vitest";
import * as Miou from "../../runtime/index.js";
import type { Signal, Syscall } from "./helpers.js";

/** Events whose select signals only the syscalls the test marked ready. */
function readySystem() {
  const waiting = new Map<string, Syscall>();
  const ready = new Set<string>();
  const selects: boolean[] = [];
  return {
    waiting,
    ready,
    selects,
    register(name: string, sc: Syscall) {
      waiting.set(name, sc);
    },
    events: () => ({
      select(block: boolean, cancelled: number[]): Signal[] {
        selects.push(block);
        if (selects.length > 10_000) throw new Error("runaway");
        for (const [name, sc] of waiting) if (cancelled.includes(Miou.uid(sc))) waiting.delete(name);
        const out: Signal[] = [];
        for (const name of ready) {
          const sc = waiting.get(name);
          if (sc === undefined) continue;
          waiting.delete(name);
          ready.delete(name);
          out.push(Miou.signal(sc));
        }
        return out;
      },
      interrupt() {},
      finaliser() {},
    }),
  };
}

function* waitFor(sys: ReturnType<typeof readySystem>, name: string) {
  const sc = Miou.syscall(name);
  yield* Miou.suspend(sc, () => sys.register(name, sc));
}

describe("start / runUntilBlocked", () => {
  test("a program that never waits on the system is done in one call", () => {
    const h = Miou.start(function* () {
      const p = yield* Miou.async(function* () {
        yield* Miou.yield();
        return 20;
      });
      return ((yield* Miou.awaitExn(p)) as number) + 22;
    });
    const r = h.runUntilBlocked();
    expect(r.done).toBe(true);
    expect(r.value).toBe(42);
    expect(r.error).toBeUndefined();
  });

  test("returns done: false while a task waits on a syscall, then done: true once it is signalled", () => {
    const sys = readySystem();
    const log: string[] = [];
    const h = Miou.start(
      function* () {
        log.push("before");
        yield* waitFor(sys, "io");
        log.push("after");
        return "finished";
      },
      { events: sys.events },
    );
    const r1 = h.runUntilBlocked();
    expect(r1.done).toBe(false);
    expect(log).toEqual(["before"]);
    expect(sys.waiting.has("io")).toBe(true);

    // Nothing became ready: still blocked, and the task did not move.
    const r2 = h.runUntilBlocked();
    expect(r2.done).toBe(false);
    expect(log).toEqual(["before"]);

    sys.ready.add("io");
    const r3 = h.runUntilBlocked();
    expect(r3).toMatchObject({ done: true, value: "finished" });
    expect(log).toEqual(["before", "after"]);
  });

  test("other tasks run to their own suspension before runUntilBlocked returns", () => {
    const sys = readySystem();
    const log: string[] = [];
    const h = Miou.start(
      function* () {
        const a = yield* Miou.async(function* () {
          yield* waitFor(sys, "a");
          return "a";
        });
        const b = yield* Miou.async(function* () {
          for (let i = 0; i < 10; i++) yield* Miou.yield();
          log.push("b done");
          return "b";
        });
        return yield* Miou.awaitAll([a, b]);
      },
      { events: sys.events },
    );
    expect(h.runUntilBlocked().done).toBe(false);
    expect(log).toEqual(["b done"]);
    sys.ready.add("a");
    expect(h.runUntilBlocked()).toMatchObject({
      done: true,
      value: [
        { ok: true, value: "a" },
        { ok: true, value: "b" },
      ],
    });
  });

  test("several rounds of waiting", () => {
    const sys = readySystem();
    const h = Miou.start(
      function* () {
        let n = 0;
        for (const name of ["x", "y", "z"]) {
          yield* waitFor(sys, name);
          n++;
        }
        return n;
      },
      { events: sys.events },
    );
    for (const name of ["x", "y", "z"]) {
      expect(h.runUntilBlocked().done).toBe(false);
      expect([...sys.waiting.keys()]).toEqual([name]);
      sys.ready.add(name);
    }
    expect(h.runUntilBlocked()).toMatchObject({ done: true, value: 3 });
  });

  test("reports main's error as { done: true, error }", () => {
    const boom = new Error("boom");
    const h = Miou.start(function* () {
      yield* Miou.yield();
      throw boom;
    });
    const r = h.runUntilBlocked();
    expect(r.done).toBe(true);
    expect(r.error).toBe(boom);
  });

  test("the snapshot names each suspended task and what it waits on", () => {
    const sys = readySystem();
    const h = Miou.start(
      function* mainTask() {
        const c = yield* Miou.async(function* ioWaiter() {
          yield* waitFor(sys, "my-syscall");
        });
        yield* Miou.await(c);
      },
      { events: sys.events },
    );
    expect(h.runUntilBlocked().done).toBe(false);
    const text = JSON.stringify(h.snapshot());
    expect(text).toContain("ioWaiter");
    expect(text).toContain("my-syscall");
    sys.ready.add("my-syscall");
    expect(h.runUntilBlocked().done).toBe(true);
  });

  test("run and start give the same result for the same program and seed", () => {
    const program = function* () {
      const a = yield* Miou.async(function* () {
        return "a";
      });
      const b = yield* Miou.async(function* () {
        return "b";
      });
      yield* Miou.yield();
      yield* Miou.yield();
      const r = yield* Miou.awaitOne([a, b]);
      yield* Miou.awaitAll([a, b]);
      return r;
    };
    for (let seed = 0; seed < 8; seed++) {
      const viaRun = Miou.run(program, { seed });
      const viaStart = Miou.start(program, { seed }).runUntilBlocked();
      expect(viaStart).toMatchObject({ done: true, value: viaRun });
    }
  });
});
