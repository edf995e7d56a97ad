/**
 * The glue on Node's own V8 with the real host: `Miou.runOn` on a RealHost, in this
 * thread. The thread blocks for real in `select` (Atomics.wait), so Node's timers and
 * callbacks do not run during the run: events come from producer worker threads. For a
 * program that awaits Node I/O, use `runAsync`.
 */
import type { Host } from "../host.js";
import { runOn, type RunOnOptions } from "../run-on.js";
import { RealHost } from "../quickjs/real-host.js";

/** Options of {@link runBlocking}: those of `Miou.runOn`, and the host. */
export interface RunBlockingOptions extends RunOnOptions {
  /** The host; default a fresh RealHost writing to process.stdout and stderr. */
  readonly host?: RealHost;
  /** Wraps the host before the run uses it, e.g. to record every call. */
  readonly wrapHost?: (host: Host) => Host;
}

/**
 * Runs `main` on the real clock in this thread and returns main's value, or throws its
 * error (`Miou.Deadlock` when every producer has closed and tasks still wait for events).
 * @example
 * const host = new RealHost();
 * const channel = host.channel();
 * new Worker("./ticker.mjs", { workerData: { channel }, transferList: [channel.port] });
 * runBlocking(function* () { return yield* Miou.recv("tick"); }, { host });
 */
export function runBlocking<T>(main: () => Generator<unknown, T, unknown>, options: RunBlockingOptions = {}): T {
  const { host = new RealHost(), wrapHost, ...runOptions } = options;
  return runOn(wrapHost === undefined ? host : wrapHost(host), main, runOptions);
}
