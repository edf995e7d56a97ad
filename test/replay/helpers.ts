// Helpers for the record-and-replay suites: recording a program's run through the same
// recorder `miou run --record` uses, on the simulator's host (fast and deterministic),
// and replaying a log with its lines kept. Expectations are written in the tests.
import type { Engine } from "../../platform/quickjs/guest.js";
import type { RunResult } from "../../platform/quickjs/embedder.js";
import { parseBoundaryLog, type BoundaryLog } from "../../sim/boundary-log.js";
import type { InputEvent } from "../../sim/input-trace.js";
import { recordProgram } from "../../sim/recorder.js";
import { replay, type ReplayResult } from "../../sim/replay.js";
import { VirtualHost } from "../../sim/virtual-host.js";

/** A recorded run: the log's text and lines, the run's decision trace and result. */
export interface Recording {
  readonly text: string;
  readonly log: BoundaryLog;
  readonly trace: string[];
  readonly result: RunResult;
}

export interface RecordOptions {
  readonly engine: Engine;
  readonly program: string;
  readonly events?: readonly InputEvent[];
  readonly seed?: number;
  readonly domains?: number;
  readonly pollTick_ns?: number;
  readonly cpuBudgetMs?: number;
}

/** Records a run of `program` on a virtual host through the recorder. */
export async function recordSimulated(options: RecordOptions): Promise<Recording> {
  const lines: string[] = [];
  const trace: string[] = [];
  const result = await recordProgram(
    {
      engine: options.engine,
      program: options.program,
      host: new VirtualHost({ events: options.events ?? [], pollTick_ns: options.pollTick_ns ?? 0 }),
      seed: options.seed ?? 0,
      domains: options.domains ?? 0,
      ...(options.cpuBudgetMs === undefined ? {} : { cpuBudgetMs: options.cpuBudgetMs }),
      onLine: (line) => trace.push(line),
    },
    (line) => lines.push(line),
  );
  const text = lines.join("\n") + "\n";
  return { text, log: parseBoundaryLog(text, "recorded.jsonl"), trace, result };
}

/** Replays `log` with `program` on `engine`, keeping the decision trace and the output. */
export async function replayKept(log: BoundaryLog, program: string, engine?: Engine): Promise<ReplayResult & { trace: string[]; outgoing: unknown[] }> {
  const trace: string[] = [];
  const outgoing: unknown[] = [];
  const result = await replay({
    ...(engine === undefined ? {} : { engine }),
    program,
    programFile: "program.js",
    log,
    onLine: (line) => trace.push(line),
    onOutgoing: (record) => outgoing.push(record),
  });
  return { ...result, trace, outgoing };
}
