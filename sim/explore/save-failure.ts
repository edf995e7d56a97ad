/**
 * Writes a failing run's folder and says how to reproduce it: what `explore`, `shrink`
 * and the test helper share once they hold a failing run with its decision trace.
 */
import { failureRecord, writeFailureDir, type FailureRecord } from "./artifacts.js";
import type { Failure } from "./failure.js";
import type { MutatedInput } from "./faults.js";
import { reproCommand } from "./reproduce.js";
import type { RunRecord } from "./run-once.js";

/** What every failure folder of one program and one set of flags shares. */
export interface FailureContext {
  /** The program file as the command line names it, or null for a generator function. */
  readonly programPath: string | null;
  /** How failure.json names the program (the path, or a function's description). */
  readonly programName: string;
  readonly programHash: string;
  readonly engine: string;
  readonly policy: string;
  readonly faults: string;
  readonly maxDecisions: number;
  readonly pollTick_ns: number;
  /** The reproduction command of a folder when there is no program file (the test helper's). */
  readonly commandFor?: (dir: string) => string;
}

export interface SavedFailure {
  readonly dir: string;
  readonly command: string;
  readonly record: FailureRecord;
}

/**
 * Writes `run` (which failed with `failure` and kept its decision trace) to `dir`.
 * @example saveFailure(dir, context, 17, run.failure!, input, run, ["made by miou explore, seed 17"])
 */
export function saveFailure(dir: string, context: FailureContext, seed: number, failure: Failure, input: MutatedInput, run: RunRecord, comments: readonly string[]): SavedFailure {
  const command =
    context.programPath === null
      ? (context.commandFor?.(dir) ?? "")
      : reproCommand({ program: context.programPath, dir, domains: run.schedule.domains, engine: context.engine, maxDecisions: context.maxDecisions, pollTick_ns: context.pollTick_ns });
  const record = failureRecord(seed, failure, {
    program: context.programName,
    program_hash: context.programHash,
    engine: context.engine,
    domains: run.schedule.domains,
    policy: context.policy,
    faults: context.faults,
    max_decisions: context.maxDecisions,
    poll_tick_ns: context.pollTick_ns,
    command,
  });
  writeFailureDir(dir, { record, input, schedule: run.schedule, lines: run.lines ?? [], comments });
  return { dir, command, record };
}
