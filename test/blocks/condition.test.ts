// Condition: wait unlocks, waits and re-locks; signal wakes the oldest waiter, broadcast all;
// a signal with no waiter is not remembered; a bounded buffer across domains loses and
// duplicates nothing. Reference §1.12 (Condition row), §2.18; issue 3 Checks.
import { describe, expect, test } from "vitest";
import * as Miou from "../../runtime/index.js";
import { caught, caughtCall, NO_THROW, spinUntil, yields } from "./helpers.js";

type Mutex = ReturnType<typeof Miou.Mutex.create>;
type Condition = ReturnType<typeof Miou.Condition.create>;

/** Spawns a task that locks m, waits once on c, logs, and unlocks; returns once it is parked in wait. */
function* spawnWaiter(m: Mutex, c: Condition, name: string, log: string[]) {
  let queued = false;
  const p = yield* Miou.async(function* () {
    yield* Miou.Mutex.lock(m);
    queued = true;
    yield* Miou.Condition.wait(c, m);
    log.push(name);
    // wait re-acquired the mutex: this task owns it again.
    const e = caughtCall(() => Miou.Mutex.unlock(m));
    if (e !== NO_THROW) log.push(`${name} could not unlock: ${String(e)}`);
  });
  yield* spinUntil(() => queued, `${name} queued`);
  yield* yields(3);
  return p;
}

describe("signal and broadcast (§1.12: signal wakes the oldest waiter; broadcast wakes all)", () => {
  test("signal wakes exactly one waiter, the oldest; broadcast wakes the rest", () => {
    const snapshots: string[][] = [];
    const log: string[] = [];
    Miou.run(function* () {
      const m = Miou.Mutex.create();
      const c = Miou.Condition.create();
      const ps = [];
      for (const name of ["w1", "w2", "w3", "w4"]) ps.push(yield* spawnWaiter(m, c, name, log));
      Miou.Condition.signal(c);
      yield* yields(10);
      snapshots.push([...log]);
      Miou.Condition.signal(c);
      yield* yields(10);
      snapshots.push([...log]);
      Miou.Condition.broadcast(c);
      yield* Miou.awaitAll(ps);
      snapshots.push([...log]);
    });
    expect(snapshots[0]).toEqual(["w1"]);
    expect(snapshots[1]).toEqual(["w1", "w2"]);
    expect([...snapshots[2]!].sort()).toEqual(["w1", "w2", "w3", "w4"]);
  });

  test("a signal with nobody waiting is not remembered", () => {
    const snapshots: string[][] = [];
    const log: string[] = [];
    Miou.run(function* () {
      const m = Miou.Mutex.create();
      const c = Miou.Condition.create();
      Miou.Condition.signal(c);
      Miou.Condition.broadcast(c);
      const p = yield* spawnWaiter(m, c, "late", log);
      yield* yields(10);
      snapshots.push([...log]);
      Miou.Condition.signal(c);
      yield* Miou.await(p);
      snapshots.push([...log]);
    });
    expect(snapshots).toEqual([[], ["late"]]);
  });

  test("the woken waiter re-acquires the mutex: it returns from wait only once the signaller unlocks", () => {
    const log: string[] = [];
    Miou.run(function* () {
      const m = Miou.Mutex.create();
      const c = Miou.Condition.create();
      const p = yield* spawnWaiter(m, c, "woke", log);
      yield* Miou.Mutex.lock(m);
      Miou.Condition.signal(c);
      yield* yields(10);
      log.push("signaller unlocks");
      Miou.Mutex.unlock(m);
      yield* Miou.await(p);
    });
    expect(log).toEqual(["signaller unlocks", "woke"]);
  });

  test("signal and broadcast wake waiters on other domains", () => {
    const got = Miou.run(
      function* () {
        const m = Miou.Mutex.create();
        const c = Miou.Condition.create();
        let go = 0;
        let waiting = 0;
        const woke: number[] = [];
        const ps = [];
        for (let d = 1; d <= 3; d++) {
          ps.push(
            yield* Miou.callWith({ pin: d }, function* () {
              yield* Miou.Mutex.lock(m);
              waiting++;
              while (go === 0) yield* Miou.Condition.wait(c, m);
              woke.push(Miou.Domain.self());
              Miou.Mutex.unlock(m);
            }),
          );
        }
        yield* spinUntil(() => waiting === 3, "all waiting");
        yield* yields(5);
        yield* Miou.Mutex.lock(m);
        go = 1;
        Miou.Condition.broadcast(c);
        Miou.Mutex.unlock(m);
        const rs = yield* Miou.awaitAll(ps);
        return { woke: woke.sort(), ok: rs.every((r) => r.ok) };
      },
      { domains: 3 },
    );
    expect(got).toEqual({ woke: [1, 2, 3], ok: true });
  });
});

describe("wait without holding the mutex (§1.12: wait unlocks m, and unlock has Miou's errors)", () => {
  test("on an unlocked mutex: 'Mutex: unlocked'", () => {
    const e = Miou.run(function* () {
      return yield* caught(Miou.Condition.wait(Miou.Condition.create(), Miou.Mutex.create()));
    });
    expect(e).toBeInstanceOf(Miou.MutexError);
    expect((e as Error).message).toBe("Mutex: unlocked");
  });

  test("on a mutex another task holds: 'Mutex: not owner'", () => {
    const e = Miou.run(function* () {
      const m = Miou.Mutex.create();
      yield* Miou.Mutex.lock(m);
      const p = yield* Miou.async(function* () {
        return yield* caught(Miou.Condition.wait(Miou.Condition.create(), m));
      });
      const e = yield* Miou.awaitExn(p);
      Miou.Mutex.unlock(m);
      return e;
    });
    expect(e).toBeInstanceOf(Miou.MutexError);
    expect((e as Error).message).toBe("Mutex: not owner");
  });
});

/** A bounded FIFO buffer built on one Mutex and two Conditions. */
function boundedBuffer(capacity: number) {
  const m = Miou.Mutex.create();
  const notFull = Miou.Condition.create();
  const notEmpty = Miou.Condition.create();
  const items: number[] = [];
  let maxSeen = 0;
  return {
    get maxSeen() {
      return maxSeen;
    },
    *put(x: number) {
      yield* Miou.Mutex.lock(m);
      try {
        while (items.length >= capacity) yield* Miou.Condition.wait(notFull, m);
        items.push(x);
        maxSeen = Math.max(maxSeen, items.length);
        Miou.Condition.signal(notEmpty);
      } finally {
        Miou.Mutex.unlock(m);
      }
    },
    *take() {
      yield* Miou.Mutex.lock(m);
      try {
        while (items.length === 0) yield* Miou.Condition.wait(notEmpty, m);
        const x = items.shift()!;
        Miou.Condition.signal(notFull);
        return x;
      } finally {
        Miou.Mutex.unlock(m);
      }
    },
  };
}

describe("a bounded buffer shared by a producer and a consumer on different domains (issue 3)", () => {
  const N = 10_000;
  for (const seed of [0, 1, 2, 3]) {
    test(`10,000 items, producer placed by Miou.call, consumer on the other worker (seed ${seed})`, () => {
      const got = Miou.run(
        function* () {
          const buf = boundedBuffer(8);
          let producerDomain = -1;
          const producer = yield* Miou.call(function* () {
            producerDomain = Miou.Domain.self();
            for (let i = 0; i < N; i++) yield* buf.put(i);
            return Miou.Domain.self();
          });
          yield* spinUntil(() => producerDomain !== -1, "producer started");
          const consumer = yield* Miou.callWith({ pin: 3 - producerDomain }, function* () {
            const got: number[] = [];
            for (let i = 0; i < N; i++) got.push(yield* buf.take());
            return { got, domain: Miou.Domain.self() };
          });
          const pd = yield* Miou.awaitExn(producer);
          const c = yield* Miou.awaitExn(consumer);
          return { pd, cd: c.domain, got: c.got, maxSeen: buf.maxSeen };
        },
        { domains: 2, seed },
      );
      expect([got.pd, got.cd].sort()).toEqual([1, 2]);
      expect(got.got.length).toBe(N);
      // One producer, one FIFO: every item exactly once, in order.
      let inOrder = true;
      for (let i = 0; i < N; i++) if (got.got[i] !== i) inOrder = false;
      expect(inOrder).toBe(true);
      expect(got.maxSeen).toBeLessThanOrEqual(8);
    });
  }

  test("several producers and consumers over dom0 and three workers: every item exactly once", () => {
    const producers = 4;
    const per = 2_500;
    const got = Miou.run(
      function* () {
        const buf = boundedBuffer(5);
        const ps = [];
        for (let p = 0; p < producers; p++) {
          const produce = function* (base: number) {
            for (let i = 0; i < per; i++) yield* buf.put(base + i);
          };
          ps.push(p === 0 ? yield* Miou.async(produce, p * per) : yield* Miou.callWith({ pin: p }, produce, p * per));
        }
        const counts = [2_000, 3_000, 1_500, 3_500];
        const cs = [];
        for (let k = 0; k < counts.length; k++) {
          const consume = function* (n: number) {
            const out: number[] = [];
            for (let i = 0; i < n; i++) out.push(yield* buf.take());
            return out;
          };
          cs.push(k === 0 ? yield* Miou.async(consume, counts[k]!) : yield* Miou.callWith({ pin: k }, consume, counts[k]!));
        }
        yield* Miou.awaitAll(ps);
        const outs = yield* Miou.awaitAll(cs);
        const all: number[] = [];
        for (const r of outs) if (r.ok) all.push(...r.value);
        return { all, maxSeen: buf.maxSeen };
      },
      { domains: 3, seed: 11 },
    );
    expect(got.all.length).toBe(producers * per);
    const sorted = [...got.all].sort((a, b) => a - b);
    let exact = true;
    for (let i = 0; i < sorted.length; i++) if (sorted[i] !== i) exact = false;
    expect(exact).toBe(true);
    expect(got.maxSeen).toBeLessThanOrEqual(5);
  });
});
