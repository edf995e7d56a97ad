/**
 * Everything `Miou` offers: the runtime core plus the guest glue. The bundle (bundle.ts)
 * puts it on the global `Miou`; the ESM entry (index.ts) exports it.
 */
export * from "../runtime/index.js";
