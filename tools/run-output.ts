/**
 * What the commands that run a program (`miou sim`, `run`, `replay`) print and write the
 * same way: outgoing records, how the run ended, `--result`, and the decision trace files
 * (`--trace` as the run goes, `--perfetto` at the end).
 */
import type { Outgoing } from "../platform/host.js";
import type { ErrorInfo, WaitingTask } from "../platform/quickjs/embedder.js";
import { headerLine, type DecisionHeader } from "../sim/decision-header.js";
import { parseDecisionTrace } from "../sim/decision-trace.js";
import { toPerfetto } from "../sim/perfetto.js";
import { deadlockReport } from "../sim/report.js";
import { DecisionTraceWriter } from "../sim/trace-writer.js";
import { UsageError } from "./cli-args.js";
import { writeOutput, type Output } from "./io.js";

/**
 * The `max_decisions` of a decision trace header for a run with no decision budget
 * (`miou run`, `miou replay`): the largest safe integer (docs/formats.md).
 */
export const NO_DECISION_BUDGET = Number.MAX_SAFE_INTEGER;

/** A run's end as the commands print it. */
export type PrintedEnd =
  | { readonly kind: "ok"; readonly valueJSON: string | undefined }
  | { readonly kind: "deadlock"; readonly error: ErrorInfo; readonly waiting: readonly WaitingTask[] }
  | { readonly kind: string; readonly error: ErrorInfo };

/** Console lines print as they are; other sinks as `[sink] data-as-JSON`. */
export function formatOutgoing(record: Outgoing): string {
  if (record.sink === "stdout" && typeof record.data === "string") return record.data;
  return `[${record.sink}] ${JSON.stringify(record.data)}`;
}

/** What `--result` holds: main's value, or the error's name and message. */
export function resultJSON(end: PrintedEnd): unknown {
  if (end.kind === "ok" && "valueJSON" in end) return { ok: true, value: end.valueJSON === undefined ? null : JSON.parse(end.valueJSON) };
  return { ok: false, error: "error" in end ? { name: end.error.name, message: end.error.message } : null };
}

/**
 * Prints how a run ended: main's value as JSON on stdout (undefined prints as null), a
 * deadlock report, or the error's name and message on stderr.
 */
export function printEnd(end: PrintedEnd, output: Output): void {
  if (end.kind === "ok" && "valueJSON" in end) output.out(end.valueJSON ?? "null");
  else if (end.kind === "deadlock" && "waiting" in end) output.err(deadlockReport(end.error.message, end.waiting));
  else if ("error" in end) output.err(`${end.error.name}: ${end.error.message}`);
}

/** `--trace` and `--perfetto` of one run: lines go in as the run makes them. */
export class TraceOutputs {
  readonly #writer: DecisionTraceWriter | null;
  /** Every line, kept only for the Perfetto export. */
  readonly #lines: string[] | null;
  #count = 0;

  /** @throws UsageError when the trace file cannot be created. */
  constructor(
    readonly header: DecisionHeader,
    readonly traceFile: string | undefined,
    readonly perfettoFile: string | undefined,
  ) {
    this.#writer = traceFile === undefined ? null : openWriter(traceFile, header);
    this.#lines = perfettoFile === undefined ? null : [headerLine(header)];
  }

  /** Whether anything wants the lines (a run without them can leave its trace off). */
  get wanted(): boolean {
    return this.#writer !== null || this.#lines !== null;
  }

  /** Lines received so far: the run's decisions. */
  get count(): number {
    return this.#count;
  }

  readonly line = (line: string): void => {
    this.#count++;
    this.#writer?.write(line);
    this.#lines?.push(line);
  };

  /** Closes the trace file (for a `finally`: the run may have thrown). */
  close(): void {
    this.#writer?.close();
  }

  /** Closes the trace file and writes the Perfetto timeline, once the run is over. */
  finish(): void {
    this.close();
    if (this.#lines === null) return;
    const trace = parseDecisionTrace(this.#lines.join("\n") + "\n", this.traceFile ?? "(decision trace)");
    writeOutput(this.perfettoFile!, JSON.stringify(toPerfetto(trace)));
  }
}

function openWriter(path: string, header: DecisionHeader): DecisionTraceWriter {
  try {
    return new DecisionTraceWriter(path, header);
  } catch (error) {
    throw new UsageError(`cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
