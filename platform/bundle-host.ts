/**
 * The host the bundle captured when it loaded (`__miou_now` / `__miou_select`, then
 * removed from the global scope so that program code cannot reach them). `Miou.runOn`
 * uses it when given no host; `Miou.now()` and `Date.now()` read it outside a run.
 */
import type { Host } from "./host.js";

let captured: Host | null = null;

export function setBundleHost(host: Host | null): void {
  captured = host;
}

/** The captured host, or null when the bundle was loaded without host functions. */
export function bundleHost(): Host | null {
  return captured;
}
