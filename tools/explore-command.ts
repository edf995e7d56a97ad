/**
 * `miou explore PROGRAM.js --seeds N [options]`: runs a program under many seeds, each
 * driving the domain picks, the tie-breaks and the faults asked for, and reports the
 * lowest failing seed (every one with --keep-going) with a folder of artifacts and the
 * one `miou sim` command that reproduces it (see tools/help.ts, sim/explore/).
 */
import { join } from "node:path";
import type { Engine } from "../platform/node/create-guest.js";
import { contentHash } from "../sim/decision-header.js";
import { parseInputTrace, type InputEvent } from "../sim/input-trace.js";
import { explore, shardSeeds, type ExploreReport } from "../sim/explore/explore.js";
import { BadProgram, describeFailure, failureExitCode, sameFailure } from "../sim/explore/failure.js";
import { FaultSpecError, formatFaultSpec, parseFaultSpec } from "../sim/explore/fault-spec.js";
import { formatPolicy, parsePolicy, PolicySpecError } from "../sim/explore/policies.js";
import { ProgressReporter } from "../sim/explore/progress.js";
import { plainPath, shortPath } from "../sim/explore/reproduce.js";
import { saveFailure, type FailureContext, type SavedFailure } from "../sim/explore/save-failure.js";
import { NotReproduced, shrink } from "../sim/explore/shrink.js";
import { pctHorizon, runSeed, type ExploreSetup } from "../sim/explore/trial.js";
import { DEFAULT_MAX_DECISIONS } from "../sim/simulate.js";
import { choiceFlag, integerFlag, parseArgs, UsageError, type ParsedArgs } from "./cli-args.js";
import { ExitCode } from "./exit-codes.js";
import { readInput, type Output } from "./io.js";
import { copyProgram, ENGINES, printShrunk, saveShrunk } from "./shrink-command.js";

const FLAGS = ["--input", "--seeds", "--from", "--domains", "--policy", "--faults", "--workers", "--shard", "--engine", "--out", "--max-decisions", "--poll-tick"];
const SWITCHES = ["--keep-going", "--shrink"] as const;

export const DEFAULT_SEEDS = 100;
export const DEFAULT_OUT = "miou-explore";
const MAX_WORKERS = 64;

/** Where the progress goes: a terminal gets a bar, anything else plain lines. */
export interface ProgressSink {
  readonly tty: boolean;
  write(text: string): void;
}

const stderrSink: ProgressSink = { tty: process.stderr.isTTY === true, write: (text) => void process.stderr.write(text) };

/** Runs `miou explore` with the arguments after "explore"; returns the exit code. */
export async function exploreCommand(argv: readonly string[], output: Output, progressSink: ProgressSink = stderrSink): Promise<ExitCode | "help"> {
  const switches = new Set(argv.filter((a) => (SWITCHES as readonly string[]).includes(a)));
  const args = parseArgs(
    argv.filter((a) => !switches.has(a)),
    FLAGS,
  );
  if (args.help) return "help";
  if (args.positionals.length !== 1) {
    throw new UsageError(`explore takes one PROGRAM.js, got ${args.positionals.length === 0 ? "none" : args.positionals.join(" ")}`);
  }
  const programFile = args.positionals[0]!;
  const keepGoing = switches.has("--keep-going");
  const from = integerFlag(args, "--from", 0, 2 ** 32 - 1, 0);
  const count = integerFlag(args, "--seeds", 1, 2 ** 32 - from, DEFAULT_SEEDS);
  const workers = integerFlag(args, "--workers", 1, MAX_WORKERS, 1);
  const shard = shardFlag(args);
  const engine = choiceFlag(args, "--engine", ENGINES, "quickjs");
  const out = args.flags.get("--out") ?? DEFAULT_OUT;
  if (!plainPath(out)) throw new UsageError(`--out ${JSON.stringify(out)}: use a folder path without spaces or shell characters, so that the reproduction command can be pasted`);
  const policy = specFlag(args, "--policy", parsePolicy, "random");
  const faults = specFlag(args, "--faults", parseFaultSpec, "none");
  const source = readInput(programFile, "program");
  const inputFile = args.flags.get("--input");
  const events: InputEvent[] = inputFile === undefined ? [] : parseInputTrace(readInput(inputFile, "input trace").toString("utf8"), inputFile);
  const partial: Omit<ExploreSetup, "horizon"> = {
    program: { kind: "script", source: source.toString("utf8"), file: programFile, engine },
    events,
    domains: integerFlag(args, "--domains", 0, 256, 0),
    policy,
    faults,
    maxDecisions: integerFlag(args, "--max-decisions", 1, Number.MAX_SAFE_INTEGER, DEFAULT_MAX_DECISIONS),
    pollTick_ns: integerFlag(args, "--poll-tick", 0, Number.MAX_SAFE_INTEGER, 0),
  };
  const seeds = shardSeeds(from, count, shard.index, shard.count);
  const shardText = shard.count === 1 ? "" : ` (shard ${shard.index}/${shard.count}: ${seeds.length} seeds)`;
  output.out(
    `explore ${programFile}: seeds ${from} to ${from + count - 1}${shardText}, policy ${formatPolicy(policy)}, ${partial.domains} extra domains, ` +
      `faults ${formatFaultSpec(faults)}, engine ${engine}, ${workers} ${workers === 1 ? "thread" : "worker threads"}`,
  );
  const progress = new ProgressReporter({ tty: progressSink.tty, write: (text) => progressSink.write(text) });
  let setup: ExploreSetup;
  let report: ExploreReport;
  try {
    setup = { ...partial, horizon: await pctHorizon(partial) };
    report = await explore({ setup, seeds, workers, keepGoing, onProgress: (p) => progress.update(p) });
  } catch (error) {
    if (!(error instanceof BadProgram)) throw error;
    progress.finish();
    output.err(`miou: ${programFile} does not load: ${error.message}`);
    return ExitCode.Usage;
  } finally {
    progress.finish();
  }

  // A program path that cannot go in a command line is copied next to the failure, when there is one.
  const context: FailureContext = {
    programPath: plainPath(programFile) || report.failures.length === 0 ? programFile : copyProgram(programFile, out),
    programName: programFile,
    programHash: contentHash(source),
    engine,
    policy: formatPolicy(policy),
    faults: formatFaultSpec(faults),
    maxDecisions: setup.maxDecisions,
    pollTick_ns: setup.pollTick_ns,
  };
  const madeBy = (seed: number) => `made by miou explore --policy ${context.policy} --faults ${context.faults}, seed ${seed}`;
  let first: { saved: SavedFailure; seed: number } | null = null;
  for (const { seed, failure } of report.failures) {
    // Run again on this thread, keeping the trace: the same run whatever worker found it.
    const again = await runSeed(setup, seed, true);
    if (again.run.failure === null || !sameFailure(again.run.failure, failure)) {
      output.err(`miou: warning: seed ${seed} did not fail the same way when run again: is the program deterministic?`);
    }
    const dir = keepGoing ? join(out, `seed-${seed}`) : out;
    const saved = saveFailure(dir, context, seed, again.run.failure ?? failure, again.input, again.run, [madeBy(seed)]);
    output.out(`seed ${seed} fails: ${describeFailure(failure)}`);
    output.out(`  saved in ${shortPath(dir)}: failure.json input.jsonl faults.jsonl schedule.txt trace.jsonl timeline.json`);
    output.out(saved.command);
    if (first === null) first = { saved, seed };
    if (switches.has("--shrink") && first.seed === seed && again.run.failure !== null) {
      const target = again.run.failure;
      try {
        const result = await shrink({ program: setup.program, input: again.input, schedule: again.run.schedule, target, maxDecisions: setup.maxDecisions, pollTick_ns: setup.pollTick_ns });
        printShrunk(output, result, saveShrunk(join(dir, "shrunk"), context, seed, target, result));
      } catch (error) {
        if (!(error instanceof NotReproduced)) throw error;
        output.err(`miou: warning: seed ${seed} could not be shrunk: ${error.message}`);
      }
    }
  }
  output.out(summary(report, seeds.length, keepGoing));
  const lowest = report.failures[0];
  return lowest === undefined ? ExitCode.Ok : failureExitCode(lowest.failure.kind);
}

function summary(report: ExploreReport, total: number, keepGoing: boolean): string {
  const seconds = report.elapsed_ms / 1000;
  const rate = seconds > 0 ? report.ran / seconds : 0;
  const head = `explored ${report.ran} of ${total} seeds in ${seconds.toFixed(1)} s (${rate.toFixed(rate < 10 ? 1 : 0)} seeds/s)`;
  if (report.failures.length === 0) return `${head}: no seed failed`;
  if (keepGoing) return `${head}: ${report.failures.length} failing seeds (${report.failures.map((f) => f.seed).join(", ")})`;
  const abandoned = report.abandoned === 0 ? "" : `; the ${report.abandoned} seeds above it were abandoned`;
  return `${head}: the lowest failing seed is ${report.failures[0]!.seed}${abandoned}`;
}

/** `--shard I/M`: run only the seeds with seed % M == I (0-based). */
function shardFlag(args: ParsedArgs): { index: number; count: number } {
  const text = args.flags.get("--shard");
  if (text === undefined) return { index: 0, count: 1 };
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (m === null || !(count >= 1 && count <= 2 ** 32) || !(index < count)) {
    throw new UsageError(`option --shard must be I/M with 0 <= I < M (0-based: --shard 0/4 to --shard 3/4), got ${JSON.stringify(text)}`);
  }
  return { index, count };
}

function specFlag<T>(args: ParsedArgs, flag: string, parse: (text: string) => T, fallback: string): T {
  try {
    return parse(args.flags.get(flag) ?? fallback);
  } catch (error) {
    if (error instanceof FaultSpecError || error instanceof PolicySpecError) throw new UsageError(`option ${flag}: ${error.message}`);
    throw error;
  }
}
