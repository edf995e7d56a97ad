/**
 * Runs a program in a guest on the simulator's virtual host (DESIGN §6): the driver
 * behind `miou sim` and the scenario tests.
 */
import { createGuest, GuestError, type Engine } from "../platform/node/create-guest.js";
import { readBundle } from "../platform/quickjs/loader.js";
import { FLUSH_FUNCTION, runScript, SETUP_SCRIPT, type ErrorInfo, type RunnerReport, type WaitingTask } from "./guest-runner.js";
import type { InputEvent } from "./input-trace.js";
import { VirtualHost, type Outgoing } from "./virtual-host.js";

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
}

/** How a simulated run ended. */
export type SimulationEnd =
  /** main returned (`valueJSON` is its JSON text; undefined when main returned undefined). */
  | { readonly kind: "ok"; readonly valueJSON: string | undefined }
  /** main (or the run) failed with an error. */
  | { readonly kind: "failed"; readonly error: ErrorInfo }
  /** Nothing could ever make progress; `waiting` names each waiting task. */
  | { readonly kind: "deadlock"; readonly error: ErrorInfo; readonly waiting: readonly WaitingTask[] }
  /** The decision budget ran out before the run finished. */
  | { readonly kind: "livelock"; readonly error: ErrorInfo }
  /** The program could not be loaded (syntax error, no main, top-level throw). */
  | { readonly kind: "bad-program"; readonly error: ErrorInfo }
  /** The guest itself stopped (stack or memory exhausted outside any task). */
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
  let decisions = 0;
  let lastLine = "";
  const guest = await createGuest(options.engine, {
    bundle: options.bundle ?? readBundle(),
    hostFunctions: {
      __miou_now: () => host.now(),
      __miou_select: (deadline: unknown, out: unknown) => host.select(deadline as number | null, (out ?? []) as Outgoing[]),
      [FLUSH_FUNCTION]: (lines: unknown) => {
        for (const line of lines as string[]) onLine(line);
        decisions += (lines as string[]).length;
        lastLine = (lines as string[]).at(-1) ?? lastLine;
      },
    },
  });
  const result = (end: SimulationEnd): SimulationResult => {
    const queued = queuedAtEnd(lastLine);
    return { end, decisions, final_ns: host.now(), delivered: host.delivered - queued, left: host.left + queued, selects: host.selects };
  };
  try {
    guest.evalScript(SETUP_SCRIPT, "miou-sim-setup.js");
    try {
      guest.evalScript(options.program, options.programFile);
    } catch (error) {
      return result({ kind: "bad-program", error: errorInfo(error) });
    }
    let report: RunnerReport;
    try {
      report = guest.evalJSON<RunnerReport>(
        runScript({ seed: options.seed ?? 0, domains: options.domains ?? 0, maxDecisions: options.maxDecisions ?? DEFAULT_MAX_DECISIONS }),
        "miou-sim-run.js",
      );
    } catch (error) {
      if (error instanceof GuestError) return result({ kind: "guest-stopped", error: errorInfo(error) });
      throw error;
    }
    if (report.kind === "no-main") {
      return result({ kind: "bad-program", error: { name: "TypeError", message: `${options.programFile} does not define main: write function* main() { ... }` } });
    }
    const { outcome } = report;
    if (report.kind === "livelock") {
      return result({ kind: "livelock", error: { name: "Livelock", message: `the run made ${report.decisions} decisions without finishing` } });
    }
    if (outcome.ok) return result({ kind: "ok", valueJSON: outcome.valueJSON });
    if (report.waiting !== null) return result({ kind: "deadlock", error: outcome.error, waiting: report.waiting });
    return result({ kind: "failed", error: outcome.error });
  } finally {
    guest.dispose();
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

function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: typeof error, message: String(error) };
}
