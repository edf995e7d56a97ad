/**
 * The bundle's `console` (DESIGN §4): a line formatted in the guest (format.ts), recorded
 * as a `log` decision and sent out like `Miou.send`, on sink "stdout" (log, info, debug)
 * or "stderr" (warn, error). Engines' own consoles are removed before the bundle loads.
 */
import { formatArgs } from "./format.js";
import { runningGlue } from "./glue.js";
import { pushOutgoing } from "./output.js";

/** The console a guest program sees. */
export interface GuestConsole {
  log(...args: unknown[]): void;
  info(...args: unknown[]): void;
  debug(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

function writer(sink: "stdout" | "stderr"): (...args: unknown[]) => void {
  return (...args) => {
    const text = formatArgs(args);
    pushOutgoing(sink, text);
    // One `log` record stands for the line and its outgoing record (no separate `out`).
    runningGlue()?.trace?.write({ kind: "log", sink, text });
  };
}

/**
 * The console object the bundle installs as the global `console`.
 * @example console.log("woke at", Miou.now(), "ns"); // "woke at 1000000000 ns" on stdout
 */
export const guestConsole: GuestConsole = Object.freeze({
  log: writer("stdout"),
  info: writer("stdout"),
  debug: writer("stdout"),
  warn: writer("stderr"),
  error: writer("stderr"),
});
