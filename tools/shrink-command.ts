/**
 * `miou shrink PROGRAM.js --failure DIR`: shrinks a failure folder written by `miou
 * explore` (sim/explore/shrink.ts) and writes the smallest failing run found to
 * DIR/shrunk (or --out), with its reproduction command. Exits with the failure's code.
 */
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Engine } from "../platform/node/create-guest.js";
import { contentHash } from "../sim/decision-header.js";
import { readFailureDir } from "../sim/explore/artifacts.js";
import { BadProgram, describeFailure, failureExitCode, type Failure } from "../sim/explore/failure.js";
import { plainPath, shortPath } from "../sim/explore/reproduce.js";
import type { Program } from "../sim/explore/run-once.js";
import { saveFailure, type FailureContext, type SavedFailure } from "../sim/explore/save-failure.js";
import { DEFAULT_MAX_RUNS, DEFAULT_MAX_SECONDS, NotReproduced, shrink, type ShrinkResult, type ShrinkSize } from "../sim/explore/shrink.js";
import { formatTime } from "../sim/report.js";
import { choiceFlag, integerFlag, parseArgs, UsageError } from "./cli-args.js";
import { ExitCode } from "./exit-codes.js";
import { readInput, type Output } from "./io.js";

const FLAGS = ["--failure", "--out", "--engine", "--max-runs", "--max-seconds"];
export const ENGINES: readonly Engine[] = ["node", "quickjs", "quickjs-ng"];

/** Runs `miou shrink` with the arguments after "shrink"; returns the exit code. */
export async function shrinkCommand(argv: readonly string[], output: Output): Promise<ExitCode | "help"> {
  const args = parseArgs(argv, FLAGS);
  if (args.help) return "help";
  if (args.positionals.length !== 1) {
    throw new UsageError(`shrink takes one PROGRAM.js, got ${args.positionals.length === 0 ? "none" : args.positionals.join(" ")}`);
  }
  const programFile = args.positionals[0]!;
  const dir = args.flags.get("--failure");
  if (dir === undefined) throw new UsageError("shrink needs --failure DIR, a folder written by miou explore --out DIR");
  const failed = readFailureDir(dir);
  const engine = choiceFlag(args, "--engine", ENGINES, failed.record.engine as Engine);
  const maxRuns = integerFlag(args, "--max-runs", 1, 1_000_000, DEFAULT_MAX_RUNS);
  const maxSeconds = integerFlag(args, "--max-seconds", 1, 1_000_000, DEFAULT_MAX_SECONDS);
  const out = args.flags.get("--out") ?? join(dir, "shrunk");
  if (!plainPath(out)) throw new UsageError(`--out ${JSON.stringify(out)}: use a folder path without spaces or shell characters, so that the reproduction command can be pasted`);
  const source = readInput(programFile, "program");
  const hash = contentHash(source);
  if (hash !== failed.record.program_hash) output.err(`miou: warning: ${programFile} is not the program ${dir} failed with (its hash differs); the failure may not happen`);
  const record = failed.record;
  const target: Failure = { kind: record.kind, name: record.error.name, message: record.error.message };
  const program: Program = { kind: "script", source: source.toString("utf8"), file: programFile, engine };
  output.out(`shrinking seed ${record.seed}'s failure: ${describeFailure(target)}`);
  let result: ShrinkResult;
  try {
    result = await shrink({ program, input: failed.input, schedule: failed.schedule, target, maxDecisions: record.max_decisions, pollTick_ns: record.poll_tick_ns, maxRuns, maxSeconds });
  } catch (error) {
    if (error instanceof BadProgram) {
      output.err(`miou: ${programFile} does not load: ${error.message}`);
      return ExitCode.Usage;
    }
    if (error instanceof NotReproduced) {
      output.err(`miou: ${dir}: ${error.message}`);
      return ExitCode.Diverged;
    }
    throw error;
  }
  const context: FailureContext = {
    programPath: programFile,
    programName: record.program,
    programHash: hash,
    engine,
    policy: record.policy,
    faults: record.faults,
    maxDecisions: record.max_decisions,
    pollTick_ns: record.poll_tick_ns,
  };
  printShrunk(output, result, saveShrunk(out, context, record.seed, target, result));
  return failureExitCode(target.kind);
}

/** Writes a shrunk run to `dir`; a program path with spaces is copied there first. */
export function saveShrunk(dir: string, context: FailureContext, seed: number, target: Failure, result: ShrinkResult): SavedFailure {
  const programPath = context.programPath !== null && !plainPath(context.programPath) ? copyProgram(context.programPath, dir) : context.programPath;
  // The shrunk run's own failure: the same, but a deadlock's task and syscall numbers may differ.
  return saveFailure(dir, { ...context, programPath }, seed, result.run.failure ?? target, result.input, result.run, [`shrunk from seed ${seed}'s failure by miou shrink`]);
}

/** Copies a program whose path cannot go in a command line into `dir`, and returns the copy's path. */
export function copyProgram(programFile: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const copy = join(dir, "program.js");
  copyFileSync(programFile, copy);
  return copy;
}

/** The sizes before and after, where the result went, and its reproduction command (last, alone on its line). */
export function printShrunk(output: Output, result: ShrinkResult, saved: SavedFailure): void {
  const { before, after } = result;
  const change = (what: string, a: number, b: number) => `${what} ${a} -> ${b}`;
  output.out(
    `shrunk in ${result.runs} runs: ${change("events", before.events, after.events)}, ${change("faults", before.faults, after.faults)}, ` +
      `${change("schedule choices", before.choices, after.choices)}, horizon ${horizon(before)} -> ${horizon(after)}`,
  );
  output.out(`  saved in ${shortPath(saved.dir)}: failure.json input.jsonl faults.jsonl schedule.txt trace.jsonl timeline.json`);
  output.out(saved.command);
}

function horizon(size: ShrinkSize): string {
  return size.events === 0 ? "no events" : formatTime(size.horizon_ns);
}
