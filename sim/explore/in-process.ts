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
import { VmWatchdog } from "../../platform/node/vm-watchdog.js";
import { DEFAULT_CPU_BUDGET_MS } from "../../platform/quickjs/cpu-budget.js";
import type { Host } from "../../platform/host.js";
import { random, reseedRandom } from "../../platform/random.js";
import { guestStoppedEnd, type SimulationEnd } from "../simulate.js";
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
  /** The longest `main` may run between two host calls, in ms; default the simulator's 5,000. */
  readonly cpuBudgetMs?: number;
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
    const budget_ms = run.cpuBudgetMs ?? DEFAULT_CPU_BUDGET_MS;
    const ran = underBudget((host) => Miou.runOn(host, run.main, options), run.host, budget_ms);
    end = ran.interrupted ? guestStoppedEnd("cpu-budget", budget_ms) : { kind: "ok", valueJSON: JSON.stringify(ran.value) };
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

/**
 * Runs `body` on `host` under a CPU budget, as a guest runs: a function that loops
 * without an operation is stopped rather than hanging the process (vm-watchdog.ts); the
 * host's time does not count.
 */
function underBudget<T>(body: (host: Host) => T, host: Host, budget_ms: number): { readonly value?: T; readonly interrupted: boolean } {
  const watchdog = VmWatchdog.forThisThread(budget_ms);
  if (watchdog === null) return { value: body(host), interrupted: false };
  const hostTime = <R>(call: () => R): R => {
    watchdog.pause();
    try {
      return call();
    } finally {
      watchdog.resume();
    }
  };
  const timed: Host = {
    now: () => hostTime(() => host.now()),
    select: (deadline, out) => hostTime(() => host.select(deadline, out)),
  };
  return watchdog.run(() => body(timed));
}

function errorInfo(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: typeof error, message: String(error) };
}
