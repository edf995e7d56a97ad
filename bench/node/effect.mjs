/**
 * Effect 4: fibers forked with `Effect.forkChild` and joined with `Fiber.join`, run with
 * `Effect.runFork(effect, { scheduler })` on a scheduler whose queue the bench drains in a
 * loop (the stock one needs setImmediate, and its hops would be timed too). The modules
 * are imported one by one: the `effect` barrel touches TextEncoder, which QuickJS lacks.
 * Virtual-time sleeps use Effect's TestClock (its layer brings its own scheduler, so that
 * workload runs with Effect.runPromise).
 */
import * as Deferred from "effect/Deferred";
import * as Effect from "effect/Effect";
import * as Fiber from "effect/Fiber";
import * as TestClock from "effect/testing/TestClock";

const SLEEPERS = 1000;

/** A scheduler whose tasks wait in an array FIFO until `drain` runs them. */
class DrainedScheduler {
  executionMode = "sync";
  #tasks = [];
  #head = 0;

  shouldYield(fiber) {
    return fiber.currentOpCount >= 2048;
  }

  makeDispatcher() {
    return {
      scheduleTask: (task, _priority) => void this.#tasks.push(task),
      flush: () => this.drain(),
    };
  }

  drain() {
    while (this.#head < this.#tasks.length) {
      const task = this.#tasks[this.#head];
      this.#tasks[this.#head++] = undefined;
      task();
      if (this.#head >= 4096 && this.#head * 2 >= this.#tasks.length) {
        this.#tasks = this.#tasks.slice(this.#head);
        this.#head = 0;
      }
    }
  }
}

/** Runs `effect` to its end on a drained scheduler; returns its value. */
function runDrained(effect) {
  const scheduler = new DrainedScheduler();
  const fiber = Effect.runFork(effect, { scheduler });
  scheduler.drain();
  const exit = fiber.pollUnsafe();
  if (exit === undefined) throw new Error("effect: the fiber did not finish when the queue was drained");
  if (exit._tag !== "Success") throw new Error(`effect: the fiber failed: ${String(exit.cause)}`);
  return exit.value;
}

const leaf = (i) => Effect.succeed(i);
const pinger = (rounds) =>
  Effect.gen(function* () {
    for (let i = 0; i < rounds; i++) yield* Effect.yieldNow;
    return rounds;
  });

export const workloads = {
  spawnAwait(n) {
    return runDrained(
      Effect.gen(function* () {
        let sum = 0;
        for (let i = 0; i < n; i++) {
          const f = yield* Effect.forkChild(leaf(i));
          sum += yield* Fiber.join(f);
        }
        return sum;
      }),
    );
  },
  fanOut(n) {
    return runDrained(
      Effect.gen(function* () {
        const fs = new Array(n);
        for (let i = 0; i < n; i++) fs[i] = yield* Effect.forkChild(leaf(i));
        let sum = 0;
        for (let j = 0; j < n; j++) sum += yield* Fiber.join(fs[j]);
        return sum;
      }),
    );
  },
  switches(n) {
    return runDrained(
      Effect.gen(function* () {
        const a = yield* Effect.forkChild(pinger(n >> 1));
        const b = yield* Effect.forkChild(pinger(n >> 1));
        return (yield* Fiber.join(a)) + (yield* Fiber.join(b));
      }),
    );
  },
  sleeps(n) {
    const rounds = Math.max(1, Math.floor(n / SLEEPERS));
    const sleeper = (k) =>
      Effect.gen(function* () {
        for (let j = 0; j < rounds; j++) yield* Effect.sleep(1 + ((k * 7 + j) % 10));
      });
    const program = Effect.gen(function* () {
      const fs = new Array(SLEEPERS);
      for (let k = 0; k < SLEEPERS; k++) fs[k] = yield* Effect.forkChild(sleeper(k));
      // Every sleep ends by rounds * 10 ms; adjust runs them in deadline order.
      yield* TestClock.adjust(rounds * 10 + 10);
      yield* Fiber.joinAll(fs);
    });
    return Effect.runPromise(Effect.provide(program, TestClock.layer()));
  },
  suspended(n, probe) {
    return runDrained(
      Effect.gen(function* () {
        const gates = new Array(n);
        const fs = new Array(n);
        for (let i = 0; i < n; i++) {
          const gate = (gates[i] = Deferred.makeUnsafe());
          fs[i] = yield* Effect.forkChild(Deferred.await(gate));
        }
        yield* Effect.yieldNow; // every child runs up to its await first
        probe();
        for (let i = 0; i < n; i++) Deferred.doneUnsafe(gates[i], Effect.succeed(i));
        let sum = 0;
        for (let j = 0; j < n; j++) sum += yield* Fiber.join(fs[j]);
        return sum;
      }),
    );
  },
};
