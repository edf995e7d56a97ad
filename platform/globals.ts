/**
 * What the bundle does to the guest's global scope when it loads (DESIGN §4): it takes the
 * host functions `__miou_now` and `__miou_select` and removes them, so program code cannot
 * talk to the host behind the scheduler's back; it replaces `Math.random` (seeded from the
 * run's seed) and `Date` (whose "now" is the host clock, in ms: see clock-date.ts); and it
 * defines `Miou` and `console`, nothing else.
 */
import { setBundleHost } from "./bundle-host.js";
import { installClockDate } from "./clock-date.js";
import { guestConsole } from "./console.js";
import type { Host, HostWake, Outgoing } from "./host.js";
import { clockNow } from "./now.js";
import { random } from "./random.js";

const NOW = "__miou_now";
const SELECT = "__miou_select";

/** The global object as the bundle sees it: host functions may or may not be there. */
type GuestGlobal = typeof globalThis & Record<string, unknown>;

/**
 * Installs the guest globals on `g` (the bundle passes `globalThis`).
 * @throws TypeError when only one of the two host functions is defined.
 */
export function installGuestGlobals(g: GuestGlobal, miou: object): void {
  setBundleHost(takeHost(g));
  Math.random = random;
  installClockDate(g, () => Math.floor(clockNow("Date") / 1_000_000));
  for (const [name, value] of [["Miou", Object.freeze({ ...miou })], ["console", guestConsole]] as const) {
    Object.defineProperty(g, name, { value, writable: false, enumerable: false, configurable: false });
  }
}

function takeHost(g: GuestGlobal): Host | null {
  const hostNow = g[NOW];
  const hostSelect = g[SELECT];
  delete g[NOW];
  delete g[SELECT];
  if (hostNow === undefined && hostSelect === undefined) return null;
  if (typeof hostNow !== "function" || typeof hostSelect !== "function") {
    throw new TypeError(`Miou: the host must define both ${NOW}() and ${SELECT}(deadline, out) as functions, or neither`);
  }
  // Called as plain functions: a host function must not depend on `this`.
  return {
    now: () => hostNow() as number,
    select: (deadline: number | null, out: Outgoing[]) => hostSelect(deadline, out) as HostWake,
  };
}
