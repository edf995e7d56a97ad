/**
 * Runs a program in a guest on the simulator's virtual host (DESIGN §6): the driver
 * behind `miou sim` and the scenario tests. The guest itself is driven by the embedder's
 * `runInGuest` (platform/quickjs/guest-run.ts), the same code that runs programs on a
 * real host: the simulator only supplies the host and reads the outcome.
 */
import type { Engine } from "../platform/node/create-guest.js";
import { DEFAULT_CPU_BUDGET_MS } from "../platform/quickjs/cpu-budget.js";
import type { WaitingTask } from "../platform/quickjs/guest-driver.js";
import { runInGuest, type GuestChoices, type GuestRunEnd } from "../platform/quickjs/guest-run.js";
import type { Host } from "../platform/host.js";
import { readBundle } from "../platform/quickjs/loader.js";
import { stopMessage, type ErrorInfo, type StopReason } from "../platform/quickjs/stops.js";
import type { InputEvent } from "./input-trace.js";
import { VirtualHost, type Outgoing } from "./virtual-host.js";

export type { ErrorInfo, WaitingTask };

/** The default decision budget (DESIGN §6). */
export const DEFAULT_MAX_DECISIONS = 10_000_000;

/** Options of {@link simulate}. */
export interface SimulationOptions {
  readonly engine: Engine;
  /** The program's source: a script that defines `function* main()`. */
  readonly program: string;
  /** The program's file name, for the guest's stack traces and messages. */
  readonly programFile: string;
  readonly events?: readonly InputEvent[];
  readonly seed?: number;
  readonly domains?: number;
  readonly pollTick_ns?: number;
  readonly maxDecisions?: number;
  /** Receives each decision trace line (without newline), in order, as the guest hands them over. */
  readonly onLine?: (line: string) => void;
  /** Receives each outgoing record (console lines on sink "stdout", `Miou.send`), in order. */
  readonly onOutgoing?: (record: Outgoing) => void;
  /** The guest bundle's source; default: the built dist/miou.js. */
  readonly bundle?: string;
  /** Answers the run's domain picks and random draws (exploration, schedule replay); default: the guest's own. */
  readonly choices?: GuestChoices;
  /** Wraps the virtual host before the guest gets it (exploration's clock jumps). */
  readonly wrapHost?: (host: VirtualHost) => Host;
}

/**
 * How a simulated run ended: as the embedder reports it (ok, failed, deadlock, livelock,
 * bad-program), except that a host failure counts as a failure and a stop (stack, memory,
 * CPU budget) carries its message like every other end.
 */
export type SimulationEnd =
  | Exclude<GuestRunEnd, { readonly kind: "host-failed" | "stopped" }>
  | { readonly kind: "guest-stopped"; readonly error: ErrorInfo };

/** A finished simulation: how it ended and what the virtual host saw. */
export interface SimulationResult {
  readonly end: SimulationEnd;
  /** Decision trace records the guest made (the header not counted). */
  readonly decisions: number;
  /** Virtual time when the run ended, in ns. */
  readonly final_ns: number;
  /** Input events a task took (with `Miou.recv`). */
  readonly delivered: number;
  /** Input events no task took: still queued in the guest at the end, or their time never came. */
  readonly left: number;
  /** `select` calls the guest made. */
  readonly selects: number;
}

/**
 * Runs `options.program` on `options.engine` over virtual time. Never sleeps: a run
 * takes the time its decisions take to compute, whatever its virtual time.
 *
 * @example
 * const lines: string[] = [];
 * const r = await simulate({ engine: "quickjs", program: "function* main() { yield* Miou.sleep(1000); return Miou.now(); }", programFile: "p.js", onLine: (l) => lines.push(l) });
 * // r.end: { kind: "ok", valueJSON: "1000000000" }, r.final_ns: 1_000_000_000
 */
export async function simulate(options: SimulationOptions): Promise<SimulationResult> {
  const host = new VirtualHost({ events: options.events ?? [], pollTick_ns: options.pollTick_ns, onOutgoing: options.onOutgoing });
  const onLine = options.onLine ?? (() => {});
  let lastLine = "";
  const report = await runInGuest(
    {
      engine: options.engine,
      program: options.program,
      programFile: options.programFile,
      bundle: options.bundle ?? readBundle(),
      seed: options.seed ?? 0,
      domains: options.domains ?? 0,
      pollEvery: null,
      maxDecisions: options.maxDecisions ?? DEFAULT_MAX_DECISIONS,
      // The lines are always wanted: the last one, the glue's `end` record, says what was left.
      lines: true,
      // Only a loop with no operation in it can run this long between two host calls.
      cpuBudgetMs: DEFAULT_CPU_BUDGET_MS,
    },
    options.wrapHost?.(host) ?? host,
    (lines) => {
      for (const line of lines) onLine(line);
      lastLine = lines.at(-1) ?? lastLine;
    },
    options.choices,
  );
  const queued = queuedAtEnd(lastLine);
  return {
    end: simulationEnd(report.end),
    decisions: report.decisions,
    final_ns: host.now(),
    delivered: host.delivered - queued,
    left: host.left + queued,
    selects: host.selects,
  };
}

/** How a guest the embedder stopped ends a simulation (explore's worker pool stops some itself). */
export function guestStoppedEnd(reason: StopReason, cpuBudgetMs = DEFAULT_CPU_BUDGET_MS): SimulationEnd {
  return { kind: "guest-stopped", error: { name: "GuestStopped", message: stopMessage(reason, { cpuBudgetMs }) } };
}

function simulationEnd(end: GuestRunEnd): SimulationEnd {
  switch (end.kind) {
    case "host-failed":
      // The virtual host throws only on a select the glue should never make: a bug, reported as a failure.
      return { kind: "failed", error: { name: "HostFailed", message: end.message } };
    case "stopped":
      return guestStoppedEnd(end.reason);
    default:
      return end;
  }
}

/**
 * Events the guest still held in its queues when the run ended, from the glue's final
 * `end` record (`"left": {"net0": 2}`); 0 when the trace stopped before it (a livelock).
 */
function queuedAtEnd(lastLine: string): number {
  if (!lastLine.includes('"kind":"end"')) return 0;
  const left: unknown = (JSON.parse(lastLine) as { left?: unknown }).left;
  if (typeof left !== "object" || left === null) return 0;
  let queued = 0;
  for (const n of Object.values(left)) if (typeof n === "number") queued += n;
  return queued;
}
