/**
 * Effection 4: `spawn` a task and `yield*` it to join; two tasks yield to each other by
 * waiting on a resolved Promise (`until`), Effection having no yield of its own.
 * Virtual-time sleeps: Effection's `sleep` calls the global setTimeout, so
 * @sinonjs/fake-timers is installed globally for that workload only.
 */
import FakeTimers from "@sinonjs/fake-timers";
import { run, sleep, spawn, until, withResolvers } from "effection";

const SLEEPERS = 1000;

function* leaf(i) {
  return i;
}

function* pinger(rounds) {
  for (let i = 0; i < rounds; i++) yield* until(Promise.resolve());
  return rounds;
}

export const workloads = {
  spawnAwait(n) {
    return run(function* () {
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const t = yield* spawn(() => leaf(i));
        sum += yield* t;
      }
      return sum;
    });
  },
  fanOut(n) {
    return run(function* () {
      const ts = new Array(n);
      for (let i = 0; i < n; i++) ts[i] = yield* spawn(() => leaf(i));
      let sum = 0;
      for (let j = 0; j < n; j++) sum += yield* ts[j];
      return sum;
    });
  },
  switches(n) {
    return run(function* () {
      const a = yield* spawn(() => pinger(n >> 1));
      const b = yield* spawn(() => pinger(n >> 1));
      return (yield* a) + (yield* b);
    });
  },
  async sleeps(n) {
    const rounds = Math.max(1, Math.floor(n / SLEEPERS));
    const clock = FakeTimers.install({ toFake: ["setTimeout", "clearTimeout"], loopLimit: rounds * SLEEPERS + 1 });
    try {
      const done = run(function* () {
        const ts = new Array(SLEEPERS);
        for (let k = 0; k < SLEEPERS; k++) {
          ts[k] = yield* spawn(function* () {
            for (let j = 0; j < rounds; j++) yield* sleep(1 + ((k * 7 + j) % 10));
          });
        }
        for (const t of ts) yield* t;
      });
      await clock.runAllAsync();
      await done;
      return clock.now;
    } finally {
      clock.uninstall();
    }
  },
  suspended(n, probe) {
    return run(function* () {
      const gates = [];
      const ts = new Array(n);
      for (let i = 0; i < n; i++) {
        ts[i] = yield* spawn(function* () {
          const gate = withResolvers();
          gates.push(gate);
          return yield* gate.operation;
        });
      }
      // Spawned tasks start on their own schedule: wait until every one waits.
      while (gates.length < n) yield* until(Promise.resolve());
      probe();
      for (let i = 0; i < n; i++) gates[i].resolve(i);
      let sum = 0;
      for (let j = 0; j < n; j++) sum += yield* ts[j];
      return sum;
    });
  },
};
