// A program spinning on yield until a timer fires. Time stands still while tasks run and
// a task that only yields is always runnable, so select never waits and the 1 ms timer
// never comes due: without --poll-tick, this is a livelock.
function* main() {
  let rang = false;
  const alarm = yield* Miou.async(function* alarm() {
    yield* Miou.sleep(1);
    rang = true;
  });
  while (!rang) yield* Miou.yield();
  yield* Miou.await(alarm);
  return { end_ns: Miou.now() };
}
