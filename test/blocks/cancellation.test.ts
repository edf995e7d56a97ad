// Cancellation meets every primitive (issue 3 Checks). Reference §1.12 (Mutex: "if cancelled
// while waiting, it removes itself from the queue, or unlocks if ownership was already handed
// to it"; Condition: "re-lock m ... so the mutex is always re-acquired ... if the trigger was
// already dequeued, it passes the signal on"), §2.18 ("cancellation never leaves a dangling
// waiter and never loses a Condition.signal"), §1.7 get, §1.6 cancel, §2.11, §2.12, §2.14.
import { describe, expect, test } from "vitest";
import * as Miou from "../../runtime/index.js";
import { caughtCall, forever, NO_THROW, spinUntil, yields } from "./helpers.js";

type Mutex = ReturnType<typeof Miou.Mutex.create>;

function isCancelled(r: { ok: boolean; error?: unknown }): boolean {
  return !r.ok && r.error instanceof Miou.Cancelled;
}

/** A task that queues for m (setting flag.queued just before), then logs `${name} got`. */
function locker(m: Mutex, name: string, log: string[], flag: { queued: boolean }) {
  return function* () {
    flag.queued = true;
    yield* Miou.Mutex.lock(m);
    log.push(`${name} got`);
    yield* Miou.yield();
    Miou.Mutex.unlock(m);
  };
}

describe("Mutex: a task cancelled while holding it unlocks it in finally, and the next waiter gets it", () => {
  for (const domains of [0, 2]) {
    test(`lock + try/finally (domains ${domains})`, () => {
      const log: string[] = [];
      const got = Miou.run(
        function* () {
          const m = Miou.Mutex.create();
          let holds = false;
          const spawn = domains > 0 ? Miou.callWith : Miou.asyncWith;
          const a = yield* spawn({ pin: 1 }, function* () {
            yield* Miou.Mutex.lock(m);
            try {
              holds = true;
              yield* forever();
            } finally {
              log.push("A finally");
              Miou.Mutex.unlock(m);
            }
          });
          yield* spinUntil(() => holds, "A holds");
          const flag = { queued: false };
          const b = yield* spawn({ pin: domains > 0 ? 2 : 1 }, locker(m, "B", log, flag));
          yield* spinUntil(() => flag.queued, "B queued");
          yield* yields(3);
          yield* Miou.cancel(a);
          log.push("cancel returned");
          const rb = yield* Miou.await(b);
          const free = Miou.Mutex.tryLock(m);
          Miou.Mutex.unlock(m);
          return { a: isCancelled(yield* Miou.await(a)), b: rb.ok, free };
        },
        { domains },
      );
      expect(got).toEqual({ a: true, b: true, free: true });
      expect(log.indexOf("A finally")).toBeGreaterThanOrEqual(0);
      expect(log.indexOf("B got")).toBeGreaterThan(log.indexOf("A finally"));
      expect(log.indexOf("cancel returned")).toBeGreaterThan(log.indexOf("A finally"));
    });
  }

  test("Mutex.protect: cancelled inside the body, the mutex goes to the next waiter", () => {
    const log: string[] = [];
    const got = Miou.run(
      function* () {
        const m = Miou.Mutex.create();
        let holds = false;
        const a = yield* Miou.callWith({ pin: 1 }, function* () {
          yield* Miou.Mutex.protect(m, function* () {
            holds = true;
            yield* forever();
          });
        });
        yield* spinUntil(() => holds, "A holds");
        const flags = [{ queued: false }, { queued: false }];
        const b = yield* Miou.async(locker(m, "B", log, flags[0]!));
        yield* spinUntil(() => flags[0]!.queued, "B queued");
        yield* yields(3);
        const c = yield* Miou.callWith({ pin: 2 }, locker(m, "C", log, flags[1]!));
        yield* spinUntil(() => flags[1]!.queued, "C queued");
        yield* yields(3);
        yield* Miou.cancel(a);
        const rs = yield* Miou.awaitAll([b, c]);
        const free = Miou.Mutex.tryLock(m);
        Miou.Mutex.unlock(m);
        return { ok: rs.every((r) => r.ok), free };
      },
      { domains: 2 },
    );
    expect(got).toEqual({ ok: true, free: true });
    expect(log).toEqual(["B got", "C got"]);
  });
});

describe("Mutex: a task cancelled while waiting for it leaves the queue", () => {
  for (const domains of [0, 1]) {
    test(`the next unlock goes to the waiter behind it (domains ${domains})`, () => {
      const log: string[] = [];
      const got = Miou.run(
        function* () {
          const m = Miou.Mutex.create();
          yield* Miou.Mutex.lock(m);
          const fa = { queued: false };
          const fb = { queued: false };
          const a = domains > 0 ? yield* Miou.call(locker(m, "A", log, fa)) : yield* Miou.async(locker(m, "A", log, fa));
          yield* spinUntil(() => fa.queued, "A queued");
          yield* yields(3);
          const b = yield* Miou.async(locker(m, "B", log, fb));
          yield* spinUntil(() => fb.queued, "B queued");
          yield* yields(3);
          // Cancel A while main still holds the mutex: A only has to leave the queue.
          yield* Miou.cancel(a);
          log.push("main unlocks");
          Miou.Mutex.unlock(m);
          const rb = yield* Miou.await(b);
          const free = Miou.Mutex.tryLock(m);
          Miou.Mutex.unlock(m);
          return { a: isCancelled(yield* Miou.await(a)), b: rb.ok, free };
        },
        { domains },
      );
      expect(got).toEqual({ a: true, b: true, free: true });
      expect(log).toEqual(["main unlocks", "B got"]);
    });
  }

  test("the only waiter cancelled: the next unlock frees the mutex", () => {
    const got = Miou.run(function* () {
      const m = Miou.Mutex.create();
      yield* Miou.Mutex.lock(m);
      const fa = { queued: false };
      const a = yield* Miou.async(locker(m, "A", [], fa));
      yield* spinUntil(() => fa.queued, "A queued");
      yield* yields(3);
      yield* Miou.cancel(a);
      Miou.Mutex.unlock(m);
      const free = Miou.Mutex.tryLock(m);
      Miou.Mutex.unlock(m);
      return free;
    });
    expect(got).toBe(true);
  });

  test("handed the mutex, then cancelled before it ran: it passes the mutex on", () => {
    // P holds m; A (P's child) then B (main's child) queue. P unlocks (ownership goes to A) and
    // throws in the same slice, which cancels A before A runs again (cancels come before
    // ordinary work, §2.14; a raising task cancels its children, §2.12).
    const log: string[] = [];
    const boom = new Error("P fails");
    const got = Miou.run(function* () {
      const m = Miou.Mutex.create();
      const fa = { queued: false };
      const fb = { queued: false };
      const p = yield* Miou.async(function* () {
        yield* Miou.Mutex.lock(m);
        yield* Miou.async(locker(m, "A", log, fa));
        yield* spinUntil(() => fa.queued, "A queued");
        yield* yields(3);
        yield* spinUntil(() => fb.queued, "B queued");
        yield* yields(3);
        Miou.Mutex.unlock(m);
        throw boom;
      });
      yield* spinUntil(() => fa.queued, "A queued");
      yield* yields(3);
      const b = yield* Miou.async(locker(m, "B", log, fb));
      const rp = yield* Miou.await(p);
      const rb = yield* Miou.await(b);
      const free = Miou.Mutex.tryLock(m);
      Miou.Mutex.unlock(m);
      return { p: !rp.ok && rp.error === boom, b: rb.ok, free };
    });
    expect(got).toEqual({ p: true, b: true, free: true });
    expect(log).toEqual(["B got"]);
  });
});

describe("Condition: a task cancelled while waiting leaves no dangling waiter and loses no signal", () => {
  /** lock m; wait until items > 0; take one; in finally, unlock (which must succeed: wait re-locked). */
  function consumer(m: Mutex, c: ReturnType<typeof Miou.Condition.create>, state: { items: number }, name: string, log: string[], flag: { queued: boolean }) {
    return function* () {
      yield* Miou.Mutex.lock(m);
      try {
        flag.queued = true;
        while (state.items === 0) yield* Miou.Condition.wait(c, m);
        state.items--;
        log.push(`${name} got item`);
      } finally {
        log.push(`${name} finally`);
        const e = caughtCall(() => Miou.Mutex.unlock(m));
        if (e !== NO_THROW) log.push(`${name} unlock failed: ${String(e)}`);
      }
    };
  }

  test("cancelled before any signal: the one signal sent afterwards wakes the other waiter", () => {
    const log: string[] = [];
    const got = Miou.run(function* () {
      const m = Miou.Mutex.create();
      const c = Miou.Condition.create();
      const state = { items: 0 };
      const f1 = { queued: false };
      const f2 = { queued: false };
      const w1 = yield* Miou.async(consumer(m, c, state, "w1", log, f1));
      yield* spinUntil(() => f1.queued, "w1 waiting");
      yield* yields(3);
      const w2 = yield* Miou.async(consumer(m, c, state, "w2", log, f2));
      yield* spinUntil(() => f2.queued, "w2 waiting");
      yield* yields(3);
      yield* Miou.cancel(w1);
      log.push("cancel returned");
      yield* Miou.Mutex.lock(m);
      state.items = 1;
      Miou.Condition.signal(c);
      Miou.Mutex.unlock(m);
      const r2 = yield* Miou.await(w2);
      return { w1: isCancelled(yield* Miou.await(w1)), w2: r2.ok, items: state.items };
    });
    expect(got).toEqual({ w1: true, w2: true, items: 0 });
    expect(log).toEqual(["w1 finally", "cancel returned", "w2 got item", "w2 finally"]);
  });

  test("signalled, then cancelled before it saw the signal: it passes the signal on to the next waiter", () => {
    const log: string[] = [];
    const got = Miou.run(function* () {
      const m = Miou.Mutex.create();
      const c = Miou.Condition.create();
      const state = { items: 0 };
      const f1 = { queued: false };
      const f2 = { queued: false };
      const w1 = yield* Miou.async(consumer(m, c, state, "w1", log, f1));
      yield* spinUntil(() => f1.queued, "w1 waiting");
      yield* yields(3);
      const w2 = yield* Miou.async(consumer(m, c, state, "w2", log, f2));
      yield* spinUntil(() => f2.queued, "w2 waiting");
      yield* yields(3);
      // H puts one item and signals once (waking w1, the oldest), then keeps the mutex for a
      // while, so w1 cannot get back from wait before it is cancelled.
      let signalled = false;
      const h = yield* Miou.async(function* () {
        yield* Miou.Mutex.lock(m);
        state.items = 1;
        Miou.Condition.signal(c);
        signalled = true;
        yield* yields(10);
        log.push("H unlocks");
        Miou.Mutex.unlock(m);
      });
      yield* spinUntil(() => signalled, "signalled");
      yield* yields(2);
      yield* Miou.cancel(w1);
      log.push("cancel returned");
      const r2 = yield* Miou.await(w2);
      const rh = yield* Miou.await(h);
      return { w1: isCancelled(yield* Miou.await(w1)), w2: r2.ok, h: rh.ok, items: state.items };
    });
    expect(got).toEqual({ w1: true, w2: true, h: true, items: 0 });
    expect(log).not.toContain("w1 got item");
    expect(log.filter((l) => l.includes("unlock failed"))).toEqual([]);
    expect(log).toContain("w2 got item");
    // w1 unwinds only after re-acquiring the mutex, which H held.
    expect(log.indexOf("w1 finally")).toBeGreaterThan(log.indexOf("H unlocks"));
    expect(log.indexOf("cancel returned")).toBeGreaterThan(log.indexOf("w1 finally"));
  });

  test("wait re-acquires the mutex even when cancelled: the cancellation finishes only once the holder unlocks", () => {
    const log: string[] = [];
    Miou.run(function* () {
      const m = Miou.Mutex.create();
      const c = Miou.Condition.create();
      const state = { items: 0 };
      const f1 = { queued: false };
      const w1 = yield* Miou.async(consumer(m, c, state, "w1", log, f1));
      yield* spinUntil(() => f1.queued, "w1 waiting");
      yield* yields(3);
      let held = false;
      const h = yield* Miou.async(function* () {
        yield* Miou.Mutex.lock(m);
        held = true;
        yield* yields(10);
        log.push("H unlocks");
        Miou.Mutex.unlock(m);
      });
      yield* spinUntil(() => held, "H holds");
      yield* Miou.cancel(w1);
      log.push("cancel returned");
      const rh = yield* Miou.await(h);
      log.push(`H ${rh.ok ? "ok" : String(rh.error)}`);
    });
    expect(log).toEqual(["H unlocks", "w1 finally", "cancel returned", "H ok"]);
  });

  test("cancelled while the mutex is held, then a signal comes while it re-acquires: the signal goes to a live waiter", () => {
    // w1 is cancelled while H holds the mutex: w1 leaves the condition's queue (§1.12 "if
    // cancelled while waiting, it removes its trigger") and waits to re-lock. H then signals
    // once: the oldest waiter still on the condition is w2, which must get the item.
    const log: string[] = [];
    const got = Miou.run(function* () {
      const m = Miou.Mutex.create();
      const c = Miou.Condition.create();
      const state = { items: 0 };
      const f1 = { queued: false };
      const f2 = { queued: false };
      const w1 = yield* Miou.async(consumer(m, c, state, "w1", log, f1));
      yield* spinUntil(() => f1.queued, "w1 waiting");
      yield* yields(3);
      const w2 = yield* Miou.async(consumer(m, c, state, "w2", log, f2));
      yield* spinUntil(() => f2.queued, "w2 waiting");
      yield* yields(3);
      let held = false;
      let cancelling = false;
      const h = yield* Miou.async(function* () {
        yield* Miou.Mutex.lock(m);
        held = true;
        yield* spinUntil(() => cancelling, "cancelling");
        yield* yields(5); // main's cancel has been handled: w1 waits to re-lock
        state.items = 1;
        Miou.Condition.signal(c);
        log.push("H signalled");
        yield* yields(3);
        log.push("H unlocks");
        Miou.Mutex.unlock(m);
      });
      yield* spinUntil(() => held, "H holds");
      cancelling = true;
      yield* Miou.cancel(w1);
      log.push("cancel returned");
      const r2 = yield* Miou.await(w2);
      const rh = yield* Miou.await(h);
      return { w1: isCancelled(yield* Miou.await(w1)), w2: r2.ok, h: rh.ok, items: state.items };
    });
    expect(got).toEqual({ w1: true, w2: true, h: true, items: 0 });
    expect(log).not.toContain("w1 got item");
    expect(log).toContain("w2 got item");
    expect(log.filter((l) => l.includes("unlock failed"))).toEqual([]);
    expect(log.indexOf("H signalled")).toBeLessThan(log.indexOf("H unlocks"));
    expect(log.indexOf("w1 finally")).toBeGreaterThan(log.indexOf("H unlocks"));
  });

  test("signalled and cancelled in the same slice, and the holder unlocks before the waiter's next turn", () => {
    // P's child w1 and main's child w2 wait on c; H holds m. P signals once (w1, the oldest,
    // is dequeued) and throws in the same slice, so w1 is cancelled (§2.12) before it runs
    // (§2.14). H, queued ahead of w1, unlocks on its next turn. w1 must pass the signal on
    // (§1.12) and unwind holding the mutex; w2 gets the item.
    const log: string[] = [];
    const boom = new Error("P fails");
    const got = Miou.run(function* () {
      const m = Miou.Mutex.create();
      const c = Miou.Condition.create();
      const state = { items: 0 };
      const f1 = { queued: false };
      const f2 = { queued: false };
      let held = false;
      let pFailed = false;
      const p = yield* Miou.async(function* () {
        yield* Miou.async(consumer(m, c, state, "w1", log, f1));
        yield* spinUntil(() => f1.queued && f2.queued && held, "w1, w2 waiting and H holding");
        yield* yields(3);
        state.items = 1;
        Miou.Condition.signal(c);
        pFailed = true;
        throw boom;
      });
      yield* spinUntil(() => f1.queued, "w1 waiting");
      yield* yields(3);
      const w2 = yield* Miou.async(consumer(m, c, state, "w2", log, f2));
      yield* spinUntil(() => f2.queued, "w2 waiting");
      yield* yields(3);
      const h = yield* Miou.async(function* () {
        yield* Miou.Mutex.lock(m);
        held = true;
        yield* spinUntil(() => pFailed, "P failed");
        log.push("H unlocks");
        Miou.Mutex.unlock(m);
      });
      const rp = yield* Miou.await(p);
      const r2 = yield* Miou.await(w2);
      const rh = yield* Miou.await(h);
      return { p: !rp.ok && rp.error === boom, w2: r2.ok, h: rh.ok ? "ok" : String(rh.error), items: state.items };
    });
    expect(got).toEqual({ p: true, w2: true, h: "ok", items: 0 });
    expect(log).not.toContain("w1 got item");
    expect(log).toContain("w1 finally");
    expect(log).toContain("w2 got item");
    expect(log.filter((l) => l.includes("unlock failed"))).toEqual([]);
  });

  test("across domains: waiters on workers, one cancelled, broadcast-free hand-off still delivers every item", () => {
    const log: string[] = [];
    const got = Miou.run(
      function* () {
        const m = Miou.Mutex.create();
        const c = Miou.Condition.create();
        const state = { items: 0 };
        const flags = [1, 2, 3].map(() => ({ queued: false }));
        const ws = [];
        for (let i = 0; i < 3; i++) {
          ws.push(yield* Miou.callWith({ pin: i + 1 }, consumer(m, c, state, `w${i + 1}`, log, flags[i]!)));
          yield* spinUntil(() => flags[i]!.queued, "queued");
          yield* yields(5);
        }
        yield* Miou.cancel(ws[0]!);
        for (let k = 0; k < 2; k++) {
          yield* Miou.Mutex.lock(m);
          state.items++;
          Miou.Condition.signal(c);
          Miou.Mutex.unlock(m);
          yield* yields(2);
        }
        const rs = yield* Miou.awaitAll([ws[1]!, ws[2]!]);
        return { ok: rs.every((r) => r.ok), items: state.items, w1: isCancelled(yield* Miou.await(ws[0]!)) };
      },
      { domains: 3 },
    );
    expect(got).toEqual({ ok: true, items: 0, w1: true });
    expect(log.filter((l) => l.endsWith("got item")).sort()).toEqual(["w2 got item", "w3 got item"]);
    expect(log.filter((l) => l.includes("unlock failed"))).toEqual([]);
  });
});

describe("orphans: a task cancelled inside get tears down cleanly", () => {
  for (const domains of [0, 2]) {
    test(`the orphans are cancelled, their finally blocks and finalisers run once, the run ends (domains ${domains})`, () => {
      const log: string[] = [];
      const finalised: number[] = [];
      const got = Miou.run(
        function* () {
          let inGet = false;
          const x = yield* Miou.async(function* () {
            const o = Miou.orphans<number>();
            for (let i = 0; i < 4; i++) {
              const r = Miou.Ownership.create(i, (v) => void finalised.push(v));
              Miou.Ownership.own(r);
              const body = function* (n: number) {
                try {
                  yield* forever();
                } finally {
                  log.push(`orphan ${n} finally`);
                }
                return n;
              };
              if (domains > 0 && i % 2 === 1) yield* Miou.callWith({ orphans: o, give: [r] }, body, i);
              else yield* Miou.asyncWith({ orphans: o, give: [r] }, body, i);
            }
            inGet = true;
            const r = yield* Miou.get(o);
            log.push(`get returned ${JSON.stringify(r)}`);
          });
          yield* spinUntil(() => inGet, "in get");
          yield* yields(5);
          yield* Miou.cancel(x);
          log.push("cancel returned");
          return isCancelled(yield* Miou.await(x));
        },
        { domains },
      );
      expect(got).toBe(true);
      expect(log.slice(0, 4).sort()).toEqual(["orphan 0 finally", "orphan 1 finally", "orphan 2 finally", "orphan 3 finally"]);
      expect(log.slice(4)).toEqual(["cancel returned"]);
      expect(finalised.sort()).toEqual([0, 1, 2, 3]);
    });
  }

  test("cancelled through a failing parent while in get: the run still ends and every finaliser runs once", () => {
    const finalised: number[] = [];
    const boom = new Error("sibling failed");
    const got = Miou.run(
      function* () {
        let inGet = false;
        const parent = yield* Miou.async(function* () {
          yield* Miou.async(function* () {
            const o = Miou.orphans<number>();
            for (let i = 0; i < 3; i++) {
              const r = Miou.Ownership.create(i, (v) => void finalised.push(v));
              Miou.Ownership.own(r);
              yield* Miou.callWith({ orphans: o, give: [r] }, function* () {
                yield* forever();
                return 0;
              });
            }
            inGet = true;
            yield* Miou.get(o);
          });
          yield* spinUntil(() => inGet, "in get");
          yield* yields(3);
          throw boom;
        });
        const r = yield* Miou.await(parent);
        return !r.ok && r.error === boom;
      },
      { domains: 2 },
    );
    expect(got).toBe(true);
    expect(finalised.sort()).toEqual([0, 1, 2]);
  });
});
