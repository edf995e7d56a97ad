// The seed tutorial's program (shared/seeds: "Interacting with the system"), for
// `npm start`: two sleepers of 1 s and 2 s run concurrently, then a 10 s sleeper on
// another domain is cancelled at once. main returns what it measured on the host clock.
function* sleeper(name, delay_ms) {
  yield* Miou.sleep(delay_ms);
  console.log(`${name} woke up after ${delay_ms} ms`);
  return name;
}

function* main() {
  const t0 = Miou.now();
  const a = yield* Miou.async(sleeper, "a", 1000);
  const b = yield* Miou.async(sleeper, "b", 2000);
  const woken = yield* Miou.awaitAll([a, b]);
  const sleeps_ms = (Miou.now() - t0) / 1e6;

  // Miou.call runs the sleeper on another domain; cancel interrupts its 10 s sleep.
  const t1 = Miou.now();
  const c = yield* Miou.call(sleeper, "c", 10000);
  yield* Miou.cancel(c);
  const outcome = yield* Miou.await(c);
  const cancel_ms = (Miou.now() - t1) / 1e6;
  console.log(`c: ${outcome.ok ? "finished" : outcome.error.name} after ${cancel_ms.toFixed(1)} ms`);

  return { woken: woken.map((r) => r.value), sleeps_ms, cancelled: outcome.ok ? null : outcome.error.name, cancel_ms };
}
