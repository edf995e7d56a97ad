/**
 * A generator function run in this process on V8 (the vitest helper's fast path): the
 * same virtual host, choices and decision budget as a program in a guest, without the
 * guest. The function's `Miou` calls must reach the same module instance as the `runOn`
 * used here, so this takes `runOn` from the package's ESM entry (dist/esm/index.js, what
 * `import { Miou } from "miou-js"` loads), or from the sources when they run directly.
 * While the run lasts (it is synchronous), `Math.random` and `Date` are the guest
 * bundle's: seeded from the run's seed, and "now" the host's virtual clock, so that a
 * function using them is as deterministic as a program in a guest.
 */
import { installClockDate } from "../../platform/clock-date.js";
import type { Host } from "../../platform/host.js";
import { random, reseedRandom } from "../../platform/random.js";
import type { SimulationEnd } from "../simulate.js";
import type { Chooser } from "./chooser.js";

type MiouModule = typeof import("../../platform/miou.js");

let loaded: Promise<MiouModule> | null = null;

/** The Miou module instance that user code imports (`miou-js`, or the sources under vitest). */
export function userMiou(): Promise<MiouModule> {
  loaded ??= import.meta.url.endsWith(".ts")
    ? import("../../platform/miou.js")
    : (import(new URL("../../../esm/index.js", import.meta.url).href) as Promise<MiouModule>);
  return loaded;
}

/** A task of a run: what the in-process path accepts as a program. */
export type MainFunction = () => Generator<unknown, unknown, unknown>;

export interface InProcessRun {
  readonly main: MainFunction;
  readonly host: Host;
  readonly seed: number;
  readonly domains: number;
  readonly maxDecisions: number;
  readonly choices: Chooser;
  readonly onLine: (line: string) => void;
}

/** Runs `main` under `Miou.runOn` and reports its end as a guest run would. */
export async function runInProcess(run: InProcessRun): Promise<{ end: SimulationEnd; decisions: number }> {
  const Miou = await userMiou();
  let decisions = 0;
  let livelock: Error | null = null;
  let previous = -1;
  // The same hooks as the embedder's runner (platform/quickjs/guest-driver.ts).
  const trace = (line: string): void => {
    if (livelock !== null) throw livelock;
    if (decisions === run.maxDecisions) {
      livelock = Object.assign(new Error(`the run made ${decisions} decisions without finishing`), { name: "Livelock" });
      throw livelock;
    }
    decisions++;
    run.onLine(line);
  };
  const options = {
    seed: run.seed,
    domains: run.domains,
    trace,
    policy: (runnable: readonly number[]) => (previous = runnable.length === 1 ? runnable[0]! : run.choices.pick(runnable, previous)),
    choices: (bound: number) => (bound === 1 ? 0 : run.choices.draw(bound)),
  };
  let end: SimulationEnd;
  const hostRandom = Math.random;
  reseedRandom(run.seed);
  Math.random = random;
  const restoreDate = installClockDate(globalThis, () => Math.floor(Miou.now() / 1_000_000));
  try {
    const value = Miou.runOn(run.host, run.main, options);
    end = { kind: "ok", valueJSON: JSON.stringify(value) };
  } catch (error) {
    const info = errorInfo(error);
    if (livelock !== null) end = { kind: "livelock", error: info };
    else if (error instanceof Miou.Deadlock) {
      const waiting = error.suspended.map((s) => ({ task: s.task, name: s.name, domain: s.domain, waitsOn: s.waitsOn }));
      end = { kind: "deadlock", error: info, waiting };
    } else end = { kind: "failed", error: info };
  } finally {
    Math.random = hostRandom;
    restoreDate();
  }
  return { end, decisions };
}

function errorInfo(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: typeof error, message: String(error) };
}
