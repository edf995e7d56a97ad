// Mutex: FIFO hand-over to the oldest waiter, its three errors, tryLock that really locks,
// protect, across domains. Reference §1.12 (Mutex row), §2.18, §2.19; DESIGN §3 ("Mutex.tryLock
// must lock").
import { describe, expect, test } from "vitest";
import * as Miou from "../../runtime/index.js";
import { caught, caughtCall, NO_THROW, spinUntil, thrown, yields } from "./helpers.js";

function isMutexError(e: unknown, message: string): boolean {
  return e instanceof Miou.MutexError && e.message === message;
}

describe("hand-over (§1.12: unlock hands ownership directly to the oldest waiter, FIFO)", () => {
  test("waiters get the mutex in the order they queued; one queuing after the unlock comes last", () => {
    const log: string[] = [];
    Miou.run(function* () {
      const m = Miou.Mutex.create();
      yield* Miou.Mutex.lock(m);
      const waiter = function* (name: string) {
        yield* Miou.Mutex.lock(m);
        log.push(name);
        yield* Miou.yield();
        Miou.Mutex.unlock(m);
      };
      const ps = [];
      for (const name of ["w1", "w2", "w3"]) ps.push(yield* Miou.async(waiter, name));
      yield* yields(6); // every waiter has queued
      log.push("main unlocks");
      Miou.Mutex.unlock(m);
      // Handed over, not freed: the mutex is still locked (by w1) right after unlock.
      log.push(`tryLock after unlock: ${Miou.Mutex.tryLock(m)}`);
      // main queues again, behind w1..w3.
      yield* Miou.Mutex.lock(m);
      log.push("main");
      Miou.Mutex.unlock(m);
      yield* Miou.awaitAll(ps);
    });
    expect(log).toEqual(["main unlocks", "tryLock after unlock: false", "w1", "w2", "w3", "main"]);
  });

  test("mutual exclusion across domains: no two tasks inside, no increment lost", () => {
    for (const seed of [0, 1, 2]) {
      const got = Miou.run(
        function* () {
          const m = Miou.Mutex.create();
          let counter = 0;
          let inside = 0;
          let overlaps = 0;
          const worker = function* (rounds: number) {
            for (let i = 0; i < rounds; i++) {
              yield* Miou.Mutex.lock(m);
              try {
                if (++inside > 1) overlaps++;
                const read = counter;
                yield* Miou.yield();
                counter = read + 1;
                inside--;
              } finally {
                Miou.Mutex.unlock(m);
              }
            }
          };
          const ps = [];
          for (let i = 0; i < 6; i++) ps.push(i % 2 === 0 ? yield* Miou.call(worker, 50) : yield* Miou.async(worker, 50));
          yield* worker(50);
          const rs = yield* Miou.awaitAll(ps);
          return { counter, overlaps, allOk: rs.every((r) => r.ok) };
        },
        { domains: 3, seed },
      );
      expect(got).toEqual({ counter: 350, overlaps: 0, allOk: true });
    }
  });
});

describe("the three errors (§1.12: Sys_error with Miou's messages, as MutexError)", () => {
  test("locking again from the owner: 'Mutex: owner'", () => {
    const e = Miou.run(function* () {
      const m = Miou.Mutex.create();
      yield* Miou.Mutex.lock(m);
      const e = yield* caught(Miou.Mutex.lock(m));
      Miou.Mutex.unlock(m);
      return e;
    });
    expect(isMutexError(e, "Mutex: owner"), String(e)).toBe(true);
  });

  test("unlocking a mutex another task holds: 'Mutex: not owner'; the holder keeps it", () => {
    const got = Miou.run(function* () {
      const m = Miou.Mutex.create();
      yield* Miou.Mutex.lock(m);
      const p = yield* Miou.async(function* () {
        return caughtCall(() => Miou.Mutex.unlock(m));
      });
      const e = yield* Miou.awaitExn(p);
      const still = Miou.Mutex.tryLock(m);
      const mine = caughtCall(() => Miou.Mutex.unlock(m));
      return { e, still, mine };
    });
    expect(isMutexError(got.e, "Mutex: not owner"), String(got.e)).toBe(true);
    expect(got.still).toBe(false);
    expect(got.mine).toBe(NO_THROW);
  });

  test("unlocking an unlocked mutex: 'Mutex: unlocked'", () => {
    const got = Miou.run(function* () {
      const m = Miou.Mutex.create();
      const fresh = caughtCall(() => Miou.Mutex.unlock(m));
      yield* Miou.Mutex.lock(m);
      Miou.Mutex.unlock(m);
      const twice = caughtCall(() => Miou.Mutex.unlock(m));
      return { fresh, twice };
    });
    expect(isMutexError(got.fresh, "Mutex: unlocked"), String(got.fresh)).toBe(true);
    expect(isMutexError(got.twice, "Mutex: unlocked"), String(got.twice)).toBe(true);
  });

  test("a worker unlocking dom0's mutex: 'Mutex: not owner'", () => {
    const e = Miou.run(
      function* () {
        const m = Miou.Mutex.create();
        yield* Miou.Mutex.lock(m);
        const p = yield* Miou.call(function* () {
          return caughtCall(() => Miou.Mutex.unlock(m));
        });
        const e = yield* Miou.awaitExn(p);
        Miou.Mutex.unlock(m);
        return e;
      },
      { domains: 1 },
    );
    expect(isMutexError(e, "Mutex: not owner"), String(e)).toBe(true);
  });
});

describe("tryLock really locks (§2.19, DESIGN §3)", () => {
  test("true on a free mutex, which is then held: tryLock again is false, a lock waits, unlock hands it over", () => {
    const log: string[] = [];
    Miou.run(function* () {
      const m = Miou.Mutex.create();
      log.push(`first ${Miou.Mutex.tryLock(m)}`);
      log.push(`second ${Miou.Mutex.tryLock(m)}`);
      const p = yield* Miou.async(function* () {
        log.push(`child tryLock ${Miou.Mutex.tryLock(m)}`);
        const e = caughtCall(() => Miou.Mutex.unlock(m));
        log.push(`child unlock: ${e instanceof Miou.MutexError ? e.message : String(e)}`);
        yield* Miou.Mutex.lock(m);
        log.push("child locked");
        Miou.Mutex.unlock(m);
      });
      yield* yields(5);
      log.push("main unlocks");
      Miou.Mutex.unlock(m);
      yield* Miou.await(p);
      log.push(`free again ${Miou.Mutex.tryLock(m)}`);
      Miou.Mutex.unlock(m);
    });
    expect(log).toEqual([
      "first true",
      "second false",
      "child tryLock false",
      "child unlock: Mutex: not owner",
      "main unlocks",
      "child locked",
      "free again true",
    ]);
  });

  test("the owner locking what it took with tryLock is 'Mutex: owner'", () => {
    const e = Miou.run(function* () {
      const m = Miou.Mutex.create();
      expect(Miou.Mutex.tryLock(m)).toBe(true);
      const e = yield* caught(Miou.Mutex.lock(m));
      Miou.Mutex.unlock(m);
      return e;
    });
    expect(isMutexError(e, "Mutex: owner"), String(e)).toBe(true);
  });

  test("outside a task the mutex works without an owner (§1.12)", () => {
    const m = Miou.Mutex.create();
    expect(Miou.Mutex.tryLock(m)).toBe(true);
    expect(Miou.Mutex.tryLock(m)).toBe(false);
    Miou.Mutex.unlock(m);
    const e = thrown(() => Miou.Mutex.unlock(m));
    expect(isMutexError(e, "Mutex: unlocked"), String(e)).toBe(true);
  });
});

describe("protect (§1.12: lock, run, unlock; still unlock on exception or cancellation)", () => {
  test("returns the body's value and leaves the mutex free", () => {
    const got = Miou.run(function* () {
      const m = Miou.Mutex.create();
      const v = yield* Miou.Mutex.protect(m, function* () {
        const held = Miou.Mutex.tryLock(m);
        yield* Miou.yield();
        return held ? "was free?" : 5;
      });
      const free = Miou.Mutex.tryLock(m);
      Miou.Mutex.unlock(m);
      return { v, free };
    });
    expect(got).toEqual({ v: 5, free: true });
  });

  test("an exception in the body goes on and the mutex is unlocked (handed to the next waiter)", () => {
    const log: string[] = [];
    const boom = new Error("boom");
    Miou.run(function* () {
      const m = Miou.Mutex.create();
      const a = yield* Miou.async(function* () {
        yield* Miou.Mutex.protect(m, function* () {
          log.push("a in");
          yield* yields(4);
          throw boom;
        });
      });
      const b = yield* Miou.async(function* () {
        yield* Miou.yield();
        yield* Miou.Mutex.protect(m, function* () {
          log.push("b in");
          yield* Miou.yield();
        });
      });
      const ra = yield* Miou.await(a);
      log.push(ra.ok ? "a ok" : ra.error === boom ? "a boom" : "a other");
      yield* Miou.awaitExn(b);
      log.push(`free ${Miou.Mutex.tryLock(m)}`);
      Miou.Mutex.unlock(m);
    });
    // b is woken by a's unlock, before a's awaiter: b's entry may precede main's "a boom".
    expect(log.filter((l) => l !== "a boom")).toEqual(["a in", "b in", "free true"]);
    expect(log).toContain("a boom");
  });

  test("protect while already holding the mutex is 'Mutex: owner' and does not run the body", () => {
    const got = Miou.run(function* () {
      const m = Miou.Mutex.create();
      yield* Miou.Mutex.lock(m);
      let ran = false;
      const e = yield* caught(
        Miou.Mutex.protect(m, function* () {
          ran = true;
        }),
      );
      // Still ours.
      const mine = caughtCall(() => Miou.Mutex.unlock(m));
      return { e, ran, mine };
    });
    expect(isMutexError(got.e, "Mutex: owner"), String(got.e)).toBe(true);
    expect(got.ran).toBe(false);
    expect(got.mine).toBe(NO_THROW);
  });

  test("hand-over across domains in FIFO order", () => {
    const got = Miou.run(
      function* () {
        const m = Miou.Mutex.create();
        const order: number[] = [];
        const queued: number[] = [];
        yield* Miou.Mutex.lock(m);
        const ps = [];
        for (let i = 1; i <= 3; i++) {
          ps.push(
            yield* Miou.callWith({ pin: i }, function* (n: number) {
              queued.push(n);
              yield* Miou.Mutex.lock(m);
              order.push(n);
              Miou.Mutex.unlock(m);
            }, i),
          );
          // Wait until this worker queued before spawning the next one.
          yield* spinUntil(() => queued.length === i, "queued");
          yield* yields(3);
        }
        Miou.Mutex.unlock(m);
        yield* Miou.awaitAll(ps);
        return order;
      },
      { domains: 3 },
    );
    expect(got).toEqual([1, 2, 3]);
  });
});
