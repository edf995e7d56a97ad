/**
 * `runAsync`: a Miou run driven from Node's event loop, for Node programs. It is
 * `Miou.runOn` with one difference: where runOn blocks in the host's `select`, runAsync
 * awaits (a timer at the earliest deadline, or the next event from `fromPromise` or a
 * feed), so Node's I/O, timers and Promises go on meanwhile. No `Atomics.wait` anywhere.
 * The host calls are the ones runOn makes, in the same order: a run recorded here
 * replays on `Miou.runOn` in the simulator.
 */
import { withGlue } from "../glue.js";
import { checkHost, type Host } from "../host.js";
import { ended, finishRun, prepareRun, type HostedRunOptions } from "../hosted-run.js";
import type { RunOnOptions } from "../run-on.js";
import { AsyncHost } from "./async-host.js";
import { withAsyncHost } from "./from-promise.js";

/** Options of {@link runAsync}: those of `Miou.runOn`, and the host. */
export interface RunAsyncOptions extends RunOnOptions {
  /** The host; default a fresh AsyncHost writing to process.stdout and stderr. */
  readonly host?: AsyncHost;
  /**
   * Wraps the host before the run uses it, e.g. to record every call (the boundary log).
   * The wrapper must answer with what the AsyncHost answers.
   */
  readonly wrapHost?: (host: Host) => Host;
}

/**
 * Runs `main` on the real clock from Node's event loop; resolves with main's value, or
 * rejects with its error (`Miou.Deadlock` when nothing could ever wake a waiting task).
 *
 * @example
 * const text = await runAsync(function* () {
 *   const data = yield* fromPromise(() => readFile("notes.txt", "utf8"));
 *   yield* Miou.sleep(100);
 *   return data.length;
 * });
 */
export async function runAsync<T>(main: () => Generator<unknown, T, unknown>, options: RunAsyncOptions = {}): Promise<T> {
  const asyncHost = options.host ?? new AsyncHost();
  const host = checkHost(options.wrapHost === undefined ? asyncHost : options.wrapHost(asyncHost), "runAsync");
  const { glue, handle } = prepareRun(host, main, runOptions(options), "runAsync");
  // Every step runs synchronously with this run's glue and host current.
  const step = <R>(body: () => R): R => withAsyncHost(asyncHost, () => withGlue(glue, body));

  for (;;) {
    const end = step(() => ended(handle.runUntilBlocked()));
    if (end !== null) return step(() => finishRun(glue, end));
    await asyncHost.until(glue.earliestDeadline());
    step(() => {
      try {
        glue.wait();
      } catch (error) {
        glue.fail(error);
      }
    });
  }
}

/** The run's own options, without runAsync's host and wrapHost. */
function runOptions(options: RunAsyncOptions): HostedRunOptions {
  const { host: _host, wrapHost: _wrapHost, ...rest } = options;
  return rest;
}
