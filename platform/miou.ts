/**
 * Everything `Miou` offers: the runtime core plus the guest glue. The bundle (bundle.ts)
 * puts it on the global `Miou`; the ESM entry (index.ts) exports it.
 */
export * from "../runtime/index.js";
export { run, runOn, type RunOnOptions } from "./run-on.js";
export { now } from "./now.js";
export { sleep, sleepUntil } from "./sleepers.js";
export { recv } from "./recv.js";
export { send } from "./send.js";
export { assert, InvariantFailed } from "./invariant.js";
export type { Host, HostWake, HostEvent, Outgoing } from "./host.js";
