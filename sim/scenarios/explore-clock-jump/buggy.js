// A metronome samples a sensor every 10 ms for 12 ticks. Each tick waits for the sensor's
// reading (the input trace has one per tick), then sleeps for what is left of the period,
// so that the ticks do not drift.
// The bug: "what is left" is computed as a duration, `next - now`. When the host's clock
// jumps (a suspended machine, a stalled process: --faults clock-jump=P:D) past the next
// tick, it is negative, and Miou.sleep rejects it with a RangeError. On a clock that
// never jumps, a tick's work takes no time and the duration is always 10 ms, and delayed
// readings (up to the period) leave it positive: only a clock jump shows it.
function* main() {
  const period_ns = 10_000_000;
  let next_ns = Miou.now();
  let sum = 0;
  for (let tick = 0; tick < 12; tick++) {
    next_ns += period_ns;
    sum += yield* Miou.recv("sensor");
    const left_ms = (next_ns - Miou.now()) / 1_000_000;
    yield* Miou.sleep(left_ms);
  }
  return sum;
}
