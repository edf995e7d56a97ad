/**
 * `runAsync`: a Miou run driven from Node's event loop, for Node programs. It is
 * `Miou.runOn` with one difference: where runOn blocks in the host's `select`, runAsync
 * awaits (a timer at the earliest deadline, or the next event from `fromPromise` or a
 * feed), so Node's I/O, timers and Promises go on meanwhile. No `Atomics.wait` anywhere.
 * The host calls are the ones runOn makes, in the same order: a run recorded here
 * replays on `Miou.runOn` in the simulator.
 */
import { errorInfo } from "../../runtime/errors.js";
import { start, type RunOptions } from "../../runtime/index.js";
import { checkSeed } from "../../runtime/prng.js";
import { Glue, withGlue } from "../glue.js";
import { checkHost, type Host } from "../host.js";
import { POLL_EVERY, type RunOnOptions } from "../run-on.js";
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

type Ended<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

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
  const pollEvery = options.pollEvery ?? POLL_EVERY;
  if (!Number.isSafeInteger(pollEvery) || pollEvery < 1) throw new RangeError(`runAsync: option pollEvery must be an integer >= 1, got ${String(pollEvery)}`);
  if (options.seed !== undefined) checkSeed(options.seed);
  const glue = new Glue(host, { pollEvery, trace: options.trace ?? null });
  // As runOn: one clock read before main is spawned.
  glue.now();
  const coreOptions: RunOptions = {
    events: glue.events,
    heartbeat: glue.heartbeat,
    ...(options.domains === undefined ? {} : { domains: options.domains }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.quanta === undefined ? {} : { quanta: options.quanta }),
    ...(glue.trace === null ? {} : { trace: glue.trace.write.bind(glue.trace) }),
  };
  const handle = start(main, coreOptions);
  glue.snapshot = () => handle.snapshot();
  // Every step runs synchronously with this run's glue and host current.
  const step = <R>(body: () => R): R => withAsyncHost(asyncHost, () => withGlue(glue, body));

  let outcome: Ended<T>;
  for (;;) {
    const r = step(() => handle.runUntilBlocked());
    if (r.done) {
      outcome = r.ok === true ? { ok: true, value: r.value as T } : { ok: false, error: r.error };
      break;
    }
    await asyncHost.until(glue.earliestDeadline());
    step(() => {
      try {
        glue.wait();
      } catch (error) {
        glue.fail(error);
      }
    });
  }
  step(() => glue.finalPoll());
  glue.trace?.write(
    outcome.ok
      ? { kind: "end", ok: true, left: glue.sources.left() }
      : { kind: "end", ok: false, error: errorInfo(outcome.error), left: glue.sources.left() },
  );
  if (outcome.ok) return outcome.value;
  throw outcome.error;
}
