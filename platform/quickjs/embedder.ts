/**
 * The embedder: what an application calls to run a Miou program inside a guest engine
 * (QuickJS, QuickJS-ng, or V8 in a worker) on a host it supplies: the real host
 * (real-host.ts), the simulator's virtual host, or a recording or replaying wrapper.
 * It enforces the guest's limits (DESIGN §4, §7):
 * - a CPU budget: the longest the guest may run between two host calls (QuickJS's
 *   interrupt handler; a watchdog terminating the worker on V8);
 * - a memory limit and a stack limit; a task that ends with the engine's out-of-memory or
 *   stack-overflow error stops the guest at once, before any parent sees the error (what
 *   program code catches itself stays its own affair);
 * - a host function that throws ends the run (`host select failed: ...`).
 * A stopped guest's wasm module is thrown away; the process and later guests go on.
 */
import type { Host } from "../host.js";
import type { Engine } from "../node/create-guest.js";
import { DEFAULT_CPU_BUDGET_MS } from "./cpu-budget.js";
import { runInGuest, type GuestRunEnd, type GuestRunOptions, type GuestRunReport } from "./guest-run.js";
import { readBundle } from "./loader.js";
import { GuestStopped, HostFailed, stopMessage, type ErrorInfo } from "./stops.js";
import { runInWorker } from "./worker-run.js";

export { DEFAULT_CPU_BUDGET_MS } from "./cpu-budget.js";
export { GuestStopped, HostFailed, type ErrorInfo, type StopReason } from "./stops.js";
export { MAX_WORKER_STACK_BYTES } from "./worker-run.js";
export { DEFAULT_WORKER_STACK_BYTES } from "./guest-run.js";
export type { WaitingTask } from "./guest-driver.js";

/** Options of {@link runProgram}. */
export interface EmbedOptions {
  readonly engine: Engine;
  /** The program's source: a script that defines `function* main()`. */
  readonly program: string;
  /** The program's file name, for stack traces and messages; default "program.js". */
  readonly programFile?: string;
  /** Answers the guest's `now()` and `select()`, on this thread whatever the engine. */
  readonly host: Host;
  readonly seed?: number;
  readonly domains?: number;
  /** The glue's poll rhythm (`Miou.runOn`'s `pollEvery`); default the glue's (64). */
  readonly pollEvery?: number;
  /** Decisions after which the run counts as a livelock (exit 4); default: no limit. */
  readonly maxDecisions?: number;
  /** Receives each decision trace line (no newline), in order. */
  readonly onLine?: (line: string) => void;
  /** The guest bundle's source; default the built dist/miou.js. */
  readonly bundle?: string;
  /** The longest the guest may run between two host calls, in ms; default 5000. */
  readonly cpuBudgetMs?: number;
  /**
   * The most memory the guest may take, in MB. QuickJS: its wasm module's memory may grow
   * by at most this much while the guest runs (memory-limit.ts says why QuickJS's own
   * limit is not enough); V8: the worker's old space.
   */
  readonly memoryLimitMB?: number;
  /**
   * The guest's stack in bytes: at most 64 KiB on Node's main thread (the default there),
   * up to 4 MiB in a worker (default 1 MiB).
   */
  readonly stackSizeBytes?: number;
  /** Run a QuickJS guest in a worker thread (for a larger stack). Guests on "node" always are. */
  readonly worker?: boolean;
}

/** How a run ended; `exitCode` in {@link RunResult} follows DESIGN §7. */
export type RunEnd =
  | Exclude<GuestRunEnd, { kind: "stopped" } | { kind: "host-failed" }>
  /** The embedder stopped the guest: `error.reason` says why, `error.message` says it. */
  | { readonly kind: "stopped"; readonly error: GuestStopped }
  /** A host function threw: `error.message` is `host select failed: ...`. */
  | { readonly kind: "host-failed"; readonly error: HostFailed };

/** A finished run. */
export interface RunResult {
  readonly end: RunEnd;
  /** 0 ok, 1 failed or host failed, 2 bad program, 3 deadlock, 4 stopped or livelock. */
  readonly exitCode: 0 | 1 | 2 | 3 | 4;
  /** Decision trace records made. */
  readonly decisions: number;
  /** Host calls (`now` and `select`) the guest made. */
  readonly hostCalls: number;
  /** Set when disposing the guest failed (a leaked handle, a broken engine): never expected. */
  readonly disposeError?: string;
}

const EXIT_CODES = { ok: 0, failed: 1, "host-failed": 1, "bad-program": 2, deadlock: 3, livelock: 4, stopped: 4 } as const;

/**
 * Runs a program in a fresh guest on `options.host` and reports how it ended. Program
 * failures, stops and host failures are results, not exceptions.
 *
 * @example
 * const host = new RealHost();
 * const result = await runProgram({ engine: "quickjs", program: "function* main() { yield* Miou.sleep(100); }", host });
 * if (result.end.kind === "stopped") console.error(result.end.error.message); // guest exceeded its CPU budget of 5000 ms
 * process.exitCode = result.exitCode;
 */
export async function runProgram(options: EmbedOptions): Promise<RunResult> {
  const cpuBudgetMs = options.cpuBudgetMs ?? DEFAULT_CPU_BUDGET_MS;
  const run: GuestRunOptions = {
    engine: options.engine,
    program: options.program,
    programFile: options.programFile ?? "program.js",
    bundle: options.bundle ?? readBundle(),
    seed: options.seed ?? 0,
    domains: options.domains ?? 0,
    pollEvery: options.pollEvery ?? null,
    maxDecisions: options.maxDecisions ?? -1,
    lines: options.onLine !== undefined,
    cpuBudgetMs,
    ...(options.memoryLimitMB === undefined ? {} : { memoryLimitMB: options.memoryLimitMB }),
    ...(options.stackSizeBytes === undefined ? {} : { stackSizeBytes: options.stackSizeBytes }),
  };
  const onLine = options.onLine;
  const onLines = onLine === undefined ? () => {} : (lines: readonly string[]) => lines.forEach((line) => onLine(line));
  const inWorker = options.engine === "node" || options.worker === true;
  const report = await (inWorker ? runInWorker(run, options.host, onLines) : runInGuest(run, options.host, onLines));
  return result(report, { cpuBudgetMs, ...(options.memoryLimitMB === undefined ? {} : { memoryLimitMB: options.memoryLimitMB }) });
}

function result(report: GuestRunReport, limits: { cpuBudgetMs: number; memoryLimitMB?: number }): RunResult {
  const end = runEnd(report.end, report.hostCalls, limits);
  return {
    end,
    exitCode: EXIT_CODES[end.kind],
    decisions: report.decisions,
    hostCalls: report.hostCalls,
    ...(report.disposeError === undefined ? {} : { disposeError: report.disposeError }),
  };
}

function runEnd(end: GuestRunEnd, hostCalls: number, limits: { cpuBudgetMs: number; memoryLimitMB?: number }): RunEnd {
  if (end.kind === "stopped") return { kind: "stopped", error: new GuestStopped(end.reason, stopMessage(end.reason, limits), hostCalls) };
  if (end.kind === "host-failed") return { kind: "host-failed", error: new HostFailed(end.message) };
  return end;
}

/** The error a run ended with, for messages: null when main returned. */
export function endError(end: RunEnd): ErrorInfo | null {
  return end.kind === "ok" ? null : end.error;
}
