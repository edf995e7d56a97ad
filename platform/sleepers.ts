/**
 * `Miou.sleep` and `Miou.sleepUntil`: the seed tutorial's sleeper done properly. The timer
 * goes into the heap of the task's domain only inside `suspend`'s callback (so a task
 * cancelled before it suspends leaves nothing behind), it fires when the host's time
 * reaches its deadline and never before, and a cancelled one leaves the heap.
 */
import { syscall, type Op, type Syscall } from "../runtime/index.js";
import { SuspendOp } from "../runtime/syscall.js";
import { currentGlue, type Glue } from "./glue.js";

const NS_PER_MS = 1_000_000;

/**
 * Suspends the task for `delay_ms` milliseconds of host time (rounded to the nearest ns),
 * counted from the host clock when the sleep starts. A scheduling point even for 0.
 * @throws RangeError when `delay_ms` is not a finite number >= 0.
 * @example yield* Miou.sleep(1500); // 1.5 s
 */
export function sleep(delay_ms: number): Op<void> {
  if (typeof delay_ms !== "number") throw new TypeError(`Miou.sleep: expected a number of milliseconds, got ${typeof delay_ms}`);
  if (!Number.isFinite(delay_ms) || delay_ms < 0) {
    throw new RangeError(`Miou.sleep: the delay must be a finite number of milliseconds >= 0, got ${delay_ms}`);
  }
  const glue = currentGlue("sleep");
  const deadline_ns = glue.now() + Math.round(delay_ms * NS_PER_MS);
  if (!Number.isSafeInteger(deadline_ns)) {
    throw new RangeError(`Miou.sleep: the deadline ${deadline_ns} ns is past the host clock's exact range (2^53 ns)`);
  }
  return sleepOn(glue, deadline_ns);
}

/**
 * Suspends the task until the host clock reads `deadline_ns` (absolute ns since the host
 * was created). A deadline already past still is a scheduling point.
 * @throws RangeError when `deadline_ns` is not a safe integer >= 0.
 * @example const t0 = Miou.now(); yield* Miou.sleepUntil(t0 + 2_000_000_000);
 */
export function sleepUntil(deadline_ns: number): Op<void> {
  if (typeof deadline_ns !== "number" || !Number.isSafeInteger(deadline_ns) || deadline_ns < 0) {
    throw new RangeError(`Miou.sleepUntil: the deadline must be an integer number of ns >= 0 (a safe integer), got ${String(deadline_ns)}`);
  }
  return sleepOn(currentGlue("sleepUntil"), deadline_ns);
}

// One op, no generator and no closure: a sleep is the commonest suspension, and every
// allocation counts inside QuickJS.
function sleepOn(glue: Glue, deadline_ns: number): Op<void> {
  // The name shows in traces, snapshots and deadlock reports.
  return new SleepOp(syscall(`sleep until ${deadline_ns}`), glue, deadline_ns);
}

class SleepOp extends SuspendOp {
  constructor(
    syscall: Syscall,
    private readonly glue: Glue,
    private readonly deadline_ns: number,
  ) {
    super(syscall);
  }

  override register(): void {
    const sc = this.syscall;
    this.glue.domains[sc.domain.uid]!.timers.add(sc.uid, sc, this.deadline_ns, this.glue.nextTimerOrder());
  }
}
