// The corrected version of buggy.js: the metronome sleeps until the absolute time of the
// next tick. A deadline already past (after a clock jump) is no error: the tick comes at
// once, and the ones after it keep their period (DESIGN §4: deadlines are absolute).
function* main() {
  const period_ns = 10_000_000;
  let next_ns = Miou.now();
  let sum = 0;
  for (let tick = 0; tick < 12; tick++) {
    next_ns += period_ns;
    sum += yield* Miou.recv("sensor");
    yield* Miou.sleepUntil(next_ns);
  }
  return sum;
}
