/**
 * `Miou.now()`: the host's monotonic time. A plain call that reads the host clock (the
 * glue calls the host only when a task asks for the time, DESIGN §4) and keeps it as the
 * run's last known time.
 */
import { bundleHost } from "./bundle-host.js";
import { runningGlue } from "./glue.js";
import { checkTime } from "./host.js";

/**
 * The host clock in integer ns since the host was created (virtual time from 0 in the
 * simulator). Inside `Miou.runOn` it is the run's host; outside a run, the bundle's host.
 * @throws TypeError when there is no host to ask.
 * @example const t0 = Miou.now(); yield* Miou.sleep(10); const elapsed_ns = Miou.now() - t0;
 */
export function now(): number {
  return clockNow("Miou.now()");
}

/** {@link now} for its other readers (the guest's `Date`), named in the error when there is no host. */
export function clockNow(caller: string): number {
  const glue = runningGlue();
  if (glue !== null) return glue.now();
  const host = bundleHost();
  if (host === null) throw new TypeError(`${caller} needs a host clock: call it in a task of Miou.runOn, or load the bundle with __miou_now`);
  return checkTime(host.now(), "host.now()");
}
