/**
 * One way to start a guest on any engine, for code (tests, the simulator, the command
 * line) that runs the same bundle on V8, QuickJS and QuickJS-ng.
 */
import type { Engine, Guest, GuestOptions } from "../quickjs/guest.js";
import { loadGuest, type QuickJSLimits } from "../quickjs/loader.js";
import { createVmGuest, type VmLimits } from "./vm-guest.js";

export { GuestError, type Engine, type Guest, type GuestOptions, type HostFunction } from "../quickjs/guest.js";

/** The engines, in the order tests and reports list them. */
export const ENGINES: readonly Engine[] = ["node", "quickjs", "quickjs-ng"];

/**
 * Starts a guest on `engine` with the bundle loaded. The QuickJS limits are ignored on
 * `"node"`, and the V8 ones on QuickJS.
 *
 * @example
 * for (const engine of ENGINES) {
 *   const guest = await createGuest(engine, { bundle: readBundle() });
 *   try { console.log(engine, guest.evalJSON("typeof Miou", "probe.js")); } finally { guest.dispose(); }
 * }
 */
export async function createGuest(engine: Engine, options: GuestOptions & QuickJSLimits & VmLimits): Promise<Guest> {
  if (engine === "node") return createVmGuest(options);
  return loadGuest({ ...options, engine });
}
