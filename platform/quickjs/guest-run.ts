/**
 * One program run in one guest, on the thread that calls it (Node's main thread, or the
 * embedder's worker): the guest is created with the host's two functions, the program
 * runs under `Miou.runOn`, and the guest is disposed. Whatever happens inside the guest
 * comes back as a plain report that can cross a thread boundary.
 */
import { bytesOf, encodeBase64 } from "../bytes.js";
import type { Host, HostWake, Outgoing } from "../host.js";
import { createGuest, type Engine, type Guest } from "../node/create-guest.js";
import { CpuBudget } from "./cpu-budget.js";
import {
  DRAW_FUNCTION,
  FAILED_FUNCTION,
  LINES_FUNCTION,
  NOW_FUNCTION,
  PICK_FUNCTION,
  runScript,
  SELECT_FUNCTION,
  SETUP_SCRIPT,
  type DriverOptions,
  type DriverReport,
  type WaitingTask,
} from "./guest-driver.js";
import { GuestInterrupted } from "./guest.js";
import { discardQuickJSModule, quickJSModule } from "./loader.js";
import { limitMemoryGrowth } from "./memory-limit.js";
import { engineFailure, errorInfo, type ErrorInfo, type StopReason } from "./stops.js";

/** What a run needs, as plain data (it crosses to a worker). */
export interface GuestRunOptions extends DriverOptions {
  readonly engine: Engine;
  /** The program's source: a script that defines `function* main()`. */
  readonly program: string;
  /** The program's file name, for stack traces and messages. */
  readonly programFile: string;
  /** The guest bundle's source (dist/miou.js). */
  readonly bundle: string;
  /** Enforced by QuickJS's interrupt handler; on "node" by a watchdog thread (main thread) or the worker's parent. */
  readonly cpuBudgetMs: number;
  readonly memoryLimitMB?: number;
  readonly stackSizeBytes?: number;
}

/** How a run ended. Errors are plain {name, message}: they may come from a worker. */
export type GuestRunEnd =
  /** main returned; `valueJSON` is its JSON text (undefined when main returned undefined). */
  | { readonly kind: "ok"; readonly valueJSON: string | undefined }
  /** main (or the run) failed with an error: exit 1. */
  | { readonly kind: "failed"; readonly error: ErrorInfo }
  /** Nothing could ever make progress: exit 3. */
  | { readonly kind: "deadlock"; readonly error: ErrorInfo; readonly waiting: readonly WaitingTask[] }
  /** The decision budget ran out: exit 4. */
  | { readonly kind: "livelock"; readonly error: ErrorInfo }
  /** The program did not load (syntax error, top-level throw, no main): exit 2. */
  | { readonly kind: "bad-program"; readonly error: ErrorInfo }
  /** A host function threw; the message says which: exit 1. */
  | { readonly kind: "host-failed"; readonly message: string }
  /** The embedder stopped the guest: exit 4. */
  | { readonly kind: "stopped"; readonly reason: StopReason };

/** A finished run. */
export interface GuestRunReport {
  readonly end: GuestRunEnd;
  /** Decision trace records the guest made (when it traced). */
  readonly decisions: number;
  /** Host calls (`now` and `select`) the guest made. */
  readonly hostCalls: number;
  /** Set when disposing the guest failed: a leak or a broken engine, never expected. */
  readonly disposeError?: string;
}

/**
 * The run's choices, answered by the embedder instead of the guest's seeded PRNG and
 * round-robin (the simulator explores and replays schedules with them). Called only when
 * there is a choice; what a call throws ends the run with that error.
 */
export interface GuestChoices {
  /** The domain of the next turn among `runnable` (two or more uids, ascending); `previous` is the last turn's, -1 at first. */
  pick(runnable: readonly number[], previous: number): number;
  /** A random draw in [0, bound), bound >= 2. */
  draw(bound: number): number;
}

/** The guest stack in a worker thread when none is given. */
export const DEFAULT_WORKER_STACK_BYTES = 1024 * 1024;

const MIB = 1024 * 1024;

/**
 * Runs `options.program` on `host` in a fresh guest and disposes it. Engine failures,
 * the CPU budget and host failures are reported, not thrown; what is thrown is the
 * embedder's own trouble (a broken bundle).
 */
export async function runInGuest(
  options: GuestRunOptions,
  host: Host,
  onLines: (lines: readonly string[]) => void,
  choices?: GuestChoices,
): Promise<GuestRunReport> {
  // Compile the wasm module first: its compile time is not the guest's.
  const module = options.engine === "node" ? null : await quickJSModule(options.engine);
  const budget = new CpuBudget(options.cpuBudgetMs);
  const state = new RunState(budget, options.memoryLimitMB !== undefined);
  // On V8 the memory limit is the worker's heap limit (worker-run.ts).
  const liftMemoryLimit = module === null || options.memoryLimitMB === undefined ? () => {} : limitMemoryGrowth(module, options.memoryLimitMB * MIB);
  try {
    return finish(options, state, await runGuest(options, host, onLines, choices, state));
  } finally {
    liftMemoryLimit();
  }
}

/** Creates the guest, drives the run and disposes the guest. */
async function runGuest(options: GuestRunOptions, host: Host, onLines: (lines: readonly string[]) => void, choices: GuestChoices | undefined, state: RunState): Promise<Ended> {
  const budget = state.budget;
  const now = (): number => state.call("now", () => host.now());
  const select = (deadline: unknown, out: unknown): HostWake =>
    state.call("select", () => jsonWake(host.select(deadline as number | null, (out ?? []) as Outgoing[])));
  let guest: Guest;
  try {
    guest = await createGuest(options.engine, {
      bundle: options.bundle,
      hostFunctions: {
        // The bundle's (Date.now and Miou.now outside a run), and the runner's (its run).
        __miou_now: now,
        __miou_select: select,
        [NOW_FUNCTION]: now,
        [SELECT_FUNCTION]: select,
        [LINES_FUNCTION]: (lines: unknown) => onLines(lines as string[]),
        [FAILED_FUNCTION]: (error: unknown) => state.failed(error as ErrorInfo),
        [PICK_FUNCTION]: (runnable: unknown, previous: unknown) => choices!.pick(runnable as number[], previous as number),
        [DRAW_FUNCTION]: (bound: unknown) => choices!.draw(bound as number),
      },
      ...(options.memoryLimitMB === undefined ? {} : { memoryLimitBytes: options.memoryLimitMB * MIB }),
      ...(options.stackSizeBytes === undefined ? {} : { stackSizeBytes: options.stackSizeBytes }),
      shouldInterrupt: () => budget.exceeded(),
      cpuBudgetMs: options.cpuBudgetMs,
    });
  } catch (error) {
    // The bundle itself hit a limit: a memory limit too small to load it, or the budget.
    return { decisions: 0, end: scriptFailed(state, error, null) };
  }
  try {
    return drive(guest, { ...options, choices: choices !== undefined }, state);
  } finally {
    state.disposeError = disposeGuest(guest);
  }
}

type Ended = { decisions: number; end: GuestRunEnd };

/** Runs the setup script, the program and the runner; reads how it ended. */
function drive(guest: Guest, options: GuestRunOptions, state: RunState): Ended {
  // Each script starts a new interval: the embedder, like a host call, had control.
  state.budget.rearm();
  try {
    guest.evalScript(SETUP_SCRIPT, "miou-embed-setup.js");
  } catch (error) {
    return { decisions: 0, end: scriptFailed(state, error, null) };
  }
  state.budget.rearm();
  try {
    guest.evalScript(options.program, options.programFile);
  } catch (error) {
    return { decisions: 0, end: scriptFailed(state, error, (info) => ({ kind: "bad-program", error: info })) };
  }
  let report: DriverReport;
  state.budget.rearm();
  try {
    const driver: DriverOptions = {
      seed: options.seed,
      domains: options.domains,
      pollEvery: options.pollEvery,
      maxDecisions: options.maxDecisions,
      lines: options.lines,
      choices: options.choices === true,
    };
    report = guest.evalJSON<DriverReport>(runScript(driver), "miou-embed-run.js");
  } catch (error) {
    // Only the engine giving up, the budget or a refused host call escape the runner.
    return { decisions: 0, end: scriptFailed(state, error, null) };
  }
  if (report.kind === "no-main") {
    const message = `${options.programFile} does not define main: write function* main() { ... }`;
    return { decisions: 0, end: { kind: "bad-program", error: { name: "TypeError", message } } };
  }
  const { outcome, decisions } = report;
  if (!outcome.ok) state.stopReason(outcome.error);
  const imposed = imposedEnd(state);
  if (imposed !== null) return { decisions, end: imposed };
  if (outcome.ok) return { decisions, end: { kind: "ok", valueJSON: outcome.valueJSON } };
  if (report.kind === "livelock") return { decisions, end: { kind: "livelock", error: outcome.error } };
  if (report.waiting !== null) return { decisions, end: { kind: "deadlock", error: outcome.error, waiting: report.waiting } };
  return { decisions, end: { kind: "failed", error: outcome.error } };
}

/**
 * A script of the run threw: a stop or a host failure explains it; else `otherwise`
 * decides, and with no `otherwise` it is the embedder's own trouble and is rethrown.
 */
function scriptFailed(state: RunState, error: unknown, otherwise: ((info: ErrorInfo) => GuestRunEnd) | null): GuestRunEnd {
  if (error instanceof GuestInterrupted) state.budget.trip();
  const info = errorInfo(error);
  state.stopReason(info);
  const imposed = imposedEnd(state);
  if (imposed !== null) return imposed;
  if (otherwise === null) throw error;
  return otherwise(info);
}

/** The end the embedder imposes (a stop, then a host failure), or null. */
function imposedEnd(state: RunState): GuestRunEnd | null {
  const reason = state.stopped;
  if (reason !== null) return { kind: "stopped", reason };
  if (state.hostFailure !== null) return { kind: "host-failed", message: state.hostFailure };
  return null;
}

function finish(options: GuestRunOptions, state: RunState, report: Ended): GuestRunReport {
  // A guest the embedder had to stop may have left its engine half-updated (a failed
  // allocation mid-operation): later guests get a fresh wasm module.
  if (options.engine !== "node" && (report.end.kind === "stopped" || state.disposeError !== undefined)) discardQuickJSModule(options.engine);
  return {
    end: report.end,
    decisions: report.decisions,
    hostCalls: state.hostCalls,
    ...(state.disposeError === undefined ? {} : { disposeError: state.disposeError }),
  };
}

function disposeGuest(guest: Guest): string | undefined {
  try {
    guest.dispose();
    return undefined;
  } catch (error) {
    return errorInfo(error).message;
  }
}

/** What the host functions learn while the guest runs. */
class RunState {
  hostCalls = 0;
  hostFailure: string | null = null;
  disposeError: string | undefined;
  #stop: StopReason | null = null;

  constructor(
    readonly budget: CpuBudget,
    readonly memoryLimited: boolean,
  ) {}

  /** Why the guest is stopped, or null. */
  get stopped(): StopReason | null {
    return this.budget.tripped ? "cpu-budget" : this.#stop;
  }

  /**
   * Makes a host call for the guest. Once the guest is stopped the host is not called
   * again (its output after the stop is not delivered); a host that throws is reported
   * as the run's end, whatever the guest does with the error.
   */
  call<T>(what: "now" | "select", body: () => T): T {
    if (this.stopped !== null) throw new Error("the guest was stopped by the embedder");
    this.hostCalls++;
    try {
      return body();
    } catch (error) {
      this.hostFailure ??= `host ${what} failed: ${errorInfo(error).message}`;
      throw error;
    } finally {
      this.budget.rearm();
    }
  }

  /** A task ended with `error`: true (and the guest stops) when the engine gave up. */
  failed(error: ErrorInfo): boolean {
    return this.stopReason(error) !== null;
  }

  /** Records a stop when `error` is an engine failure or the budget ran out; returns the reason. */
  stopReason(error: ErrorInfo): StopReason | null {
    if (this.budget.tripped) return "cpu-budget";
    this.#stop ??= engineFailure(error, this.memoryLimited);
    return this.#stop;
  }
}

/** A host's answer made JSON: bytes travel as `{ base64 }` (DESIGN §4). */
function jsonWake(wake: HostWake): HostWake {
  let events = wake.events;
  for (let i = 0; i < events.length; i++) {
    const bytes = bytesOf(events[i]!.data);
    if (bytes === null) continue;
    if (events === wake.events) events = events.slice();
    events[i] = { source: events[i]!.source, data: { base64: encodeBase64(bytes) } };
  }
  return events === wake.events ? wake : { ...wake, events };
}
