/**
 * `Miou.sleep` and `Miou.sleepUntil`: the seed tutorial's sleeper done properly. The timer
 * goes into the heap of the task's domain only inside `suspend`'s callback (so a task
 * cancelled before it suspends leaves nothing behind), it fires when the host's time
 * reaches its deadline and never before, and a cancelled one leaves the heap.
 */
import { Domain, suspend, syscall, uid } from "../runtime/index.js";
import { currentGlue } from "./glue.js";

const NS_PER_MS = 1_000_000;

/**
 * Suspends the task for `delay_ms` milliseconds of host time (rounded to the nearest ns),
 * counted from the host clock when the sleep starts. A scheduling point even for 0.
 * @throws RangeError when `delay_ms` is not a finite number >= 0.
 * @example yield* Miou.sleep(1500); // 1.5 s
 */
export function sleep(delay_ms: number): Generator<unknown, void, unknown> {
  if (typeof delay_ms !== "number") throw new TypeError(`Miou.sleep: expected a number of milliseconds, got ${typeof delay_ms}`);
  if (!Number.isFinite(delay_ms) || delay_ms < 0) {
    throw new RangeError(`Miou.sleep: the delay must be a finite number of milliseconds >= 0, got ${delay_ms}`);
  }
  return sleepFor(Math.round(delay_ms * NS_PER_MS));
}

/**
 * Suspends the task until the host clock reads `deadline_ns` (absolute ns since the host
 * was created). A deadline already past still is a scheduling point.
 * @throws RangeError when `deadline_ns` is not a safe integer >= 0.
 * @example const t0 = Miou.now(); yield* Miou.sleepUntil(t0 + 2_000_000_000);
 */
export function sleepUntil(deadline_ns: number): Generator<unknown, void, unknown> {
  if (typeof deadline_ns !== "number" || !Number.isSafeInteger(deadline_ns) || deadline_ns < 0) {
    throw new RangeError(`Miou.sleepUntil: the deadline must be an integer number of ns >= 0 (a safe integer), got ${String(deadline_ns)}`);
  }
  return sleepOn(deadline_ns);
}

function* sleepFor(delay_ns: number): Generator<unknown, void, unknown> {
  const deadline_ns = currentGlue("sleep").now() + delay_ns;
  if (!Number.isSafeInteger(deadline_ns)) {
    throw new RangeError(`Miou.sleep: the deadline ${deadline_ns} ns is past the host clock's exact range (2^53 ns)`);
  }
  yield* sleepOn(deadline_ns);
}

function* sleepOn(deadline_ns: number): Generator<unknown, void, unknown> {
  const glue = currentGlue("sleepUntil");
  // The name shows in traces, snapshots and deadlock reports.
  const sc = syscall(`sleep until ${deadline_ns}`);
  const domain = glue.domains[Domain.self()]!;
  yield* suspend(sc, () => domain.timers.add(uid(sc), sc, deadline_ns, glue.nextTimerOrder()));
}
