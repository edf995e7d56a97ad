/**
 * `Miou.runOn`: a run driven by a host (the seed tutorial's `Chat.run`), built on the
 * core's `start`/`runUntilBlocked`. The scheduler calls the glue's `select`s; when every
 * task waits on the host, the glue waits on `host.select` until the earliest deadline or
 * an event; at the end, a final poll flushes what is left to send.
 */
import { run as coreRun, type RunOptions } from "../runtime/index.js";
import { checkSeed } from "../runtime/prng.js";
import { bundleHost } from "./bundle-host.js";
import { withGlue } from "./glue.js";
import { checkHost, type Host } from "./host.js";
import { ended, finishRun, prepareRun, type Ended, type HostedRunOptions } from "./hosted-run.js";
import { reseedRandom } from "./random.js";

export { POLL_EVERY } from "./hosted-run.js";

/** Options of `Miou.runOn`. */
export type RunOnOptions = HostedRunOptions;

const KNOWN = ["domains", "seed", "quanta", "pollEvery", "trace", "fatal", "policy", "choices"];

/**
 * Runs `main` on `host` (or, given `undefined`, on the host the bundle captured at load)
 * and returns main's value, or throws its error. With nothing to run, no timer set and a
 * host that says it is idle, it throws `Miou.Deadlock` listing what each task waits on.
 * @example
 * const value = Miou.runOn(undefined, function* () {
 *   yield* Miou.sleep(1000);
 *   return Miou.now(); // 1000000000 in the simulator
 * });
 */
export function runOn<T>(host: Host | undefined, main: () => Generator<unknown, T, unknown>, options: RunOnOptions = {}): T {
  const h = host === undefined ? capturedHost() : checkHost(host, "Miou.runOn");
  if (options === null || typeof options !== "object") throw new TypeError("Miou.runOn: options must be an object");
  for (const key of Object.keys(options)) {
    if (!KNOWN.includes(key)) throw new TypeError(`Miou.runOn: unknown option "${key}" (known: ${KNOWN.join(", ")})`);
  }
  const { glue, handle } = prepareRun(h, main, options, "Miou.runOn");
  reseedRandom(options.seed ?? 0);

  const outcome = withGlue(glue, (): Ended<T> => {
    for (;;) {
      const end = ended(handle.runUntilBlocked());
      if (end !== null) return end;
      try {
        glue.wait();
      } catch (error) {
        // The next select throws it: the run then ends through the scheduler, finalisers included.
        glue.fail(error);
      }
    }
  });
  return finishRun(glue, outcome);
}

function capturedHost(): Host {
  const host = bundleHost();
  if (host === null) {
    throw new TypeError("Miou.runOn: no host given, and the bundle found no __miou_now/__miou_select when it loaded");
  }
  return host;
}

/**
 * The core's `Miou.run`, with no host: inside it, `sleep`, `recv` and `now` of an
 * enclosing `runOn` are out of reach (their syscalls would belong to this run, not to the
 * host's). `Math.random` is reseeded from the run's seed.
 * @example const v = Miou.run(function* () { return 42; });
 */
export function run<T>(main: () => Generator<unknown, T, unknown>, options: RunOptions = {}): T {
  if (options !== null && typeof options === "object" && options.seed !== undefined) checkSeed(options.seed);
  reseedRandom(options?.seed ?? 0);
  return withGlue(null, () => coreRun<T>(main, options));
}
