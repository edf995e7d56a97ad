/**
 * Native async/await: an async function call is a task, `await` joins it, `await null`
 * yields to the other task through the microtask queue. Virtual-time sleeps use
 * @sinonjs/fake-timers' clock (not installed globally) drained with runAllAsync.
 */
import FakeTimers from "@sinonjs/fake-timers";

const SLEEPERS = 1000;

async function leaf(i) {
  return i;
}

async function pinger(rounds) {
  for (let i = 0; i < rounds; i++) await null;
  return rounds;
}

export const workloads = {
  async spawnAwait(n) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += await leaf(i);
    return sum;
  },
  async fanOut(n) {
    const ps = new Array(n);
    for (let i = 0; i < n; i++) ps[i] = leaf(i);
    let sum = 0;
    for (let j = 0; j < n; j++) sum += await ps[j];
    return sum;
  },
  async switches(n) {
    const [a, b] = await Promise.all([pinger(n >> 1), pinger(n >> 1)]);
    return a + b;
  },
  async sleeps(n) {
    const rounds = Math.max(1, Math.floor(n / SLEEPERS));
    // A fresh clock per sample; the loop limit must exceed the number of timers fired.
    const clock = FakeTimers.withGlobal(globalThis).createClock(0, rounds * SLEEPERS + 1);
    const sleep = (ms) => new Promise((resolve) => clock.setTimeout(resolve, ms));
    async function sleeper(k) {
      for (let j = 0; j < rounds; j++) await sleep(1 + ((k * 7 + j) % 10));
    }
    const ps = new Array(SLEEPERS);
    for (let k = 0; k < SLEEPERS; k++) ps[k] = sleeper(k);
    const all = Promise.all(ps);
    await clock.runAllAsync();
    await all;
    return clock.now;
  },
  async suspended(n, probe) {
    const resolvers = new Array(n);
    const waiter = (i) => new Promise((resolve) => (resolvers[i] = resolve));
    async function task(i) {
      return await waiter(i);
    }
    const ps = new Array(n);
    for (let i = 0; i < n; i++) ps[i] = task(i);
    probe();
    for (let i = 0; i < n; i++) resolvers[i](i);
    let sum = 0;
    for (let j = 0; j < n; j++) sum += await ps[j];
    return sum;
  },
  /** Sleeps 2 s on Node's real timers (the sleep-cpu workload's baseline). */
  async sleepReal(ms) {
    await new Promise((resolve) => setTimeout(resolve, ms));
  },
};
