// Property tests: random programs that use the building blocks together (Mutex, Condition,
// Lazy, Ownership with give/transfer, orphans with care/get/take, cancellation) over random
// seeds and domain counts (0-3). Each must end (no exception out of run: no Deadlock, no
// StillHasChildren, no ResourceLeaked), lose nothing (items produced = items consumed, every
// increment counted, every orphan collected once) and run every finaliser exactly once.
//
// The invariants come from the reference, not from the code: §1.12/§2.18 (mutual exclusion,
// FIFO hand-over, cancellation never leaves a dangling waiter nor loses a signal, Lazy computed
// once), §1.8 (a resource's finaliser runs on release, or when its owner throws or is cancelled;
// give/transfer move it), §1.7 (care/get/take each remove a task once), §1.6/§2.11 (cancel
// waits for the subtree).
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import * as Miou from "../../runtime/index.js";
import { forever, yields } from "./helpers.js";

type Place = "async" | "call";
type Ending = "release" | "throw" | "cancel" | "transfer" | "grandchild-release" | "grandchild-throw";

interface Program {
  seed: number;
  domains: number;
  capacity: number;
  producers: { place: Place; n: number; pause: number }[];
  consumers: { place: Place; pause: number }[];
  cancellableConsumers: { place: Place; cancelAfter: number }[];
  counters: { place: Place; rounds: number; protect: boolean; cancelAfter: number | null }[];
  resources: { place: Place; ending: Ending; delay: number; cancelAfter: number | null }[];
  lazy: { forcers: Place[]; throws: boolean; delay: number };
  orphans: { place: Place; delay: number; fails: boolean }[];
  collect: ("care" | "get" | "take")[];
}

const place = fc.constantFrom<Place>("async", "call");
const cancelAt = fc.option(fc.nat(30), { nil: null });

const program: fc.Arbitrary<Program> = fc.record({
  seed: fc.nat({ max: 0xffff_ffff }),
  domains: fc.integer({ min: 0, max: 3 }),
  capacity: fc.integer({ min: 1, max: 4 }),
  producers: fc.array(fc.record({ place, n: fc.nat(25), pause: fc.nat(2) }), { maxLength: 3 }),
  consumers: fc.array(fc.record({ place, pause: fc.nat(2) }), { minLength: 1, maxLength: 3 }),
  cancellableConsumers: fc.array(fc.record({ place, cancelAfter: fc.nat(30) }), { maxLength: 2 }),
  counters: fc.array(fc.record({ place, rounds: fc.integer({ min: 1, max: 4 }), protect: fc.boolean(), cancelAfter: cancelAt }), {
    maxLength: 4,
  }),
  resources: fc.array(
    fc.record({
      place,
      ending: fc.constantFrom<Ending>("release", "throw", "cancel", "transfer", "grandchild-release", "grandchild-throw"),
      delay: fc.nat(3),
      cancelAfter: cancelAt,
    }),
    { maxLength: 5 },
  ),
  lazy: fc.record({ forcers: fc.array(place, { maxLength: 4 }), throws: fc.boolean(), delay: fc.nat(5) }),
  orphans: fc.array(fc.record({ place, delay: fc.nat(4), fails: fc.boolean() }), { maxLength: 5 }),
  collect: fc.array(fc.constantFrom<"care" | "get" | "take">("care", "get", "take"), { minLength: 1, maxLength: 4 }),
});

interface Observed {
  produced: number[];
  consumed: number[];
  counter: number;
  completed: number;
  overlaps: number;
  finalisers: number[];
  lazyRuns: number;
  lazyResults: unknown[];
  lazyValue: unknown;
  collected: number[];
  mutexesFree: boolean[];
  /** Tasks whose result was not the expected one. */
  unexpected: string[];
}

function runProgram(p: Program): Observed {
  const o: Observed = {
    produced: [],
    consumed: [],
    counter: 0,
    completed: 0,
    overlaps: 0,
    finalisers: p.resources.map(() => 0),
    lazyRuns: 0,
    lazyResults: [],
    lazyValue: undefined,
    collected: [],
    mutexesFree: [],
    unexpected: [],
  };
  const result = Miou.run(
    function* () {
      type P = Miou.Promise<unknown>;
      const spawn = function* <A extends unknown[]>(where: Place, fn: (...args: A) => Generator<unknown, unknown, unknown>, ...args: A) {
        return (where === "call" && p.domains > 0 ? yield* Miou.call(fn, ...args) : yield* Miou.async(fn, ...args)) as P;
      };
      const spawnWith = function* (where: Place, options: { give?: unknown[]; orphans?: unknown }, fn: () => Generator<unknown, unknown, unknown>) {
        return (where === "call" && p.domains > 0 ? yield* Miou.callWith(options, fn) : yield* Miou.asyncWith(options, fn)) as P;
      };
      /** Tasks to await at the end, with whether they must succeed. */
      const awaitLater: { p: P; ok: boolean; what: string }[] = [];
      const cancels: { at: number; p: P }[] = [];

      // --- bounded buffer: producers, consumers, cancellable consumers ---------------------
      const m = Miou.Mutex.create();
      const notFull = Miou.Condition.create();
      const notEmpty = Miou.Condition.create();
      const buf: number[] = [];
      const total = p.producers.reduce((s, x) => s + x.n, 0);
      let taken = 0;
      for (let i = 0; i < p.producers.length; i++) {
        const { place, n, pause } = p.producers[i]!;
        const producer = yield* spawn(place, function* () {
            for (let k = 0; k < n; k++) {
              const item = i * 1000 + k;
              yield* Miou.Mutex.lock(m);
              try {
                while (buf.length >= p.capacity) yield* Miou.Condition.wait(notFull, m);
                buf.push(item);
                o.produced.push(item);
                Miou.Condition.signal(notEmpty);
              } finally {
                Miou.Mutex.unlock(m);
              }
              yield* yields(pause);
            }
          });
        awaitLater.push({ p: producer, ok: true, what: `producer ${i}` });
      }
      const consumer = function* (pause: number) {
        for (;;) {
          yield* Miou.Mutex.lock(m);
          try {
            while (buf.length === 0 && taken < total) yield* Miou.Condition.wait(notEmpty, m);
            if (taken >= total) return;
            o.consumed.push(buf.shift()!);
            taken++;
            Miou.Condition.signal(notFull);
            if (taken === total) Miou.Condition.broadcast(notEmpty);
          } finally {
            Miou.Mutex.unlock(m);
          }
          yield* yields(pause);
        }
      };
      for (const c of p.consumers) awaitLater.push({ p: yield* spawn(c.place, consumer, c.pause), ok: true, what: "consumer" });
      for (const c of p.cancellableConsumers) cancels.push({ at: c.cancelAfter, p: yield* spawn(c.place, consumer, 0) });

      // --- counters under a second mutex ------------------------------------------------
      const m2 = Miou.Mutex.create();
      let inside = 0;
      const critical = function* () {
        if (++inside > 1) o.overlaps++;
        try {
          const read = o.counter;
          yield* Miou.yield();
          o.counter = read + 1;
          o.completed++;
        } finally {
          inside--;
        }
      };
      for (const c of p.counters) {
        const task = yield* spawn(c.place, function* () {
          for (let r = 0; r < c.rounds; r++) {
            if (c.protect) {
              yield* Miou.Mutex.protect(m2, critical);
            } else {
              yield* Miou.Mutex.lock(m2);
              try {
                yield* critical();
              } finally {
                Miou.Mutex.unlock(m2);
              }
            }
            yield* Miou.yield();
          }
        });
        if (c.cancelAfter === null) awaitLater.push({ p: task, ok: true, what: "counter" });
        else cancels.push({ at: c.cancelAfter, p: task });
      }

      // --- resources, given at spawn ----------------------------------------------------
      const transferred: Miou.Resource<number>[] = [];
      for (let i = 0; i < p.resources.length; i++) {
        const spec = p.resources[i]!;
        const r = Miou.Ownership.create(i, (v) => void o.finalisers[v]!++);
        Miou.Ownership.own(r);
        if (spec.ending === "transfer") transferred.push(r);
        const body = function* () {
          yield* yields(spec.delay);
          switch (spec.ending) {
            case "release":
              Miou.Ownership.release(r);
              return;
            case "throw":
              throw new Error(`resource task ${i} fails`);
            case "cancel":
              yield* forever();
              return;
            case "transfer":
              Miou.Ownership.transfer(r);
              return;
            case "grandchild-release":
            case "grandchild-throw": {
              const g = yield* Miou.asyncWith({ give: [r] }, function* () {
                yield* yields(spec.delay);
                if (spec.ending === "grandchild-throw") throw new Error("grandchild fails");
                Miou.Ownership.release(r);
              });
              yield* Miou.await(g);
              return;
            }
          }
        };
        const task = yield* spawnWith(spec.place, { give: [r] }, body);
        if (spec.ending === "cancel") cancels.push({ at: spec.cancelAfter ?? 0, p: task });
        else if (spec.cancelAfter !== null) cancels.push({ at: spec.cancelAfter, p: task });
        else awaitLater.push({ p: task, ok: spec.ending !== "throw", what: `resource task ${i} (${spec.ending})` });
      }

      // --- one Lazy, forced concurrently ------------------------------------------------
      const lazyError = new Error("lazy fails");
      const l = Miou.Lazy.fromFun(function* () {
        o.lazyRuns++;
        yield* yields(p.lazy.delay);
        if (p.lazy.throws) throw lazyError;
        return { v: "lazy" };
      });
      o.lazyValue = p.lazy.throws ? lazyError : null;
      const forcers: P[] = [];
      for (const f of p.lazy.forcers) {
        forcers.push(
          yield* spawn(f, function* () {
            try {
              return yield* Miou.Lazy.force(l);
            } catch (e) {
              return e;
            }
          }),
        );
      }

      // --- orphans ----------------------------------------------------------------------
      const orphans = Miou.orphans<number>();
      for (let i = 0; i < p.orphans.length; i++) {
        const spec = p.orphans[i]!;
        yield* spawnWith(spec.place, { orphans }, function* () {
          yield* yields(spec.delay);
          if (spec.fails) throw new Error(String(i));
          return i;
        });
      }

      // --- cancellations, in time order -------------------------------------------------
      cancels.sort((a, b) => a.at - b.at);
      let now = 0;
      for (const c of cancels) {
        yield* yields(c.at - now);
        now = c.at;
        yield* Miou.cancel(c.p);
        // §1.6: after cancel, await gives Cancelled even if the task had returned.
        const r = yield* Miou.await(c.p);
        if (r.ok || !(r.error instanceof Miou.Cancelled)) o.unexpected.push(`cancelled task gave ${JSON.stringify(r)}`);
      }

      // --- collect the orphans with the chosen strategies, round-robin ------------------
      const record = (r: { ok: boolean; value?: unknown; error?: unknown }) => {
        o.collected.push(r.ok ? (r.value as number) : Number((r.error as Error).message));
      };
      for (let step = 0, guard = 0; Miou.length(orphans) > 0; step++) {
        if (++guard > 100_000) throw new Error("orphans never collected");
        const how = p.collect[step % p.collect.length]!;
        if (how === "care") {
          const c = yield* Miou.care(orphans);
          if (c.kind === "ready") record(yield* Miou.await(c.promise));
          else yield* Miou.yield();
        } else if (how === "get") {
          const r = yield* Miou.get(orphans);
          if (r !== undefined) record(r);
        } else {
          const t = yield* Miou.take(orphans);
          if (t !== undefined) record(yield* Miou.await(t));
        }
      }

      // --- await the rest -------------------------------------------------------------
      const rs = yield* Miou.awaitAll(awaitLater.map((x) => x.p));
      rs.forEach((r, k) => {
        const x = awaitLater[k]!;
        if (r.ok !== x.ok) o.unexpected.push(`${x.what}: ${r.ok ? "ok" : String(r.error)}`);
      });
      const lr = yield* Miou.awaitAll(forcers);
      for (const r of lr) {
        if (!r.ok) o.unexpected.push(`lazy forcer: ${String(r.error)}`);
        o.lazyResults.push(r.ok ? r.value : r);
      }
      if (!p.lazy.throws && lr.length > 0) o.lazyValue = o.lazyResults[0];

      // Transferred resources that reached main are main's to release (a cancelled or
      // failed task may have finalised its own before transferring).
      for (const r of transferred) {
        try {
          Miou.Ownership.check(r);
        } catch {
          continue;
        }
        Miou.Ownership.release(r);
      }

      for (const mx of [m, m2]) {
        const free = Miou.Mutex.tryLock(mx);
        o.mutexesFree.push(free);
        if (free) Miou.Mutex.unlock(mx);
      }
      return "main done";
    },
    { domains: p.domains, seed: p.seed },
  );
  expect(result).toBe("main done");
  return o;
}

describe("random programs over the building blocks", () => {
  test("end, lose nothing, and run every finaliser exactly once", () => {
    fc.assert(
      fc.property(program, (p) => {
        const o = runProgram(p);
        // Every task ended the way its program says (no internal error surfacing in a task).
        expect(o.unexpected).toEqual([]);
        // Nothing lost or duplicated through the buffer.
        expect([...o.consumed].sort((a, b) => a - b)).toEqual([...o.produced].sort((a, b) => a - b));
        expect(o.produced.length).toBe(p.producers.reduce((s, x) => s + x.n, 0));
        // Mutual exclusion: no lost increment, never two inside.
        expect(o.overlaps).toBe(0);
        expect(o.counter).toBe(o.completed);
        const uncancelledRounds = p.counters.filter((c) => c.cancelAfter === null).reduce((s, c) => s + c.rounds, 0);
        expect(o.completed).toBeGreaterThanOrEqual(uncancelledRounds);
        // Every finaliser exactly once, whatever the ending.
        expect(o.finalisers).toEqual(p.resources.map(() => 1));
        // The Lazy: computed once if forced at all; every forcer saw the same outcome.
        expect(o.lazyRuns).toBe(p.lazy.forcers.length > 0 ? 1 : 0);
        for (const r of o.lazyResults) expect(r).toBe(o.lazyValue);
        // Every orphan collected exactly once.
        expect([...o.collected].sort((a, b) => a - b)).toEqual(p.orphans.map((_, i) => i));
        // Both mutexes free at the end.
        expect(o.mutexesFree).toEqual([true, true]);
      }),
      { numRuns: 300 },
    );
  });

  test("the same program and seed give the same run", () => {
    fc.assert(
      fc.property(program, (p) => {
        const a = runProgram(p);
        const b = runProgram(p);
        expect(b.consumed).toEqual(a.consumed);
        expect(b.collected).toEqual(a.collected);
        expect(b.counter).toBe(a.counter);
      }),
      { numRuns: 30 },
    );
  });
});
