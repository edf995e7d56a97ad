/** `miou sim PROGRAM.js [options]`: runs a program over virtual time (see tools/help.ts). */
import type { Engine } from "../platform/node/create-guest.js";
import { contentHash, type DecisionHeader } from "../sim/decision-header.js";
import { parseInputTrace, type InputEvent } from "../sim/input-trace.js";
import { livelockReport, summaryLine } from "../sim/report.js";
import { DEFAULT_MAX_DECISIONS, simulate, type SimulationEnd } from "../sim/simulate.js";
import { parseSchedule } from "../sim/explore/schedule.js";
import { scheduleDisagreement, scheduleReplay } from "../sim/explore/schedule-replay.js";
import { choiceFlag, integerFlag, parseArgs, UsageError } from "./cli-args.js";
import { endExitCode, ExitCode } from "./exit-codes.js";
import { readInput, writeOutput, type Output } from "./io.js";
import { formatOutgoing, printEnd, resultJSON, TraceOutputs } from "./run-output.js";

const FLAGS = ["--input", "--seed", "--domains", "--engine", "--trace", "--perfetto", "--result", "--max-decisions", "--poll-tick", "--schedule"];
const ENGINES: readonly Engine[] = ["node", "quickjs", "quickjs-ng"];

/** Runs `miou sim` with the arguments after "sim"; returns the exit code. */
export async function simCommand(argv: readonly string[], output: Output): Promise<ExitCode | "help"> {
  const args = parseArgs(argv, FLAGS);
  if (args.help) return "help";
  if (args.positionals.length !== 1) {
    throw new UsageError(`sim takes one PROGRAM.js, got ${args.positionals.length === 0 ? "none" : args.positionals.join(" ")}`);
  }
  const programFile = args.positionals[0]!;
  const engine = choiceFlag(args, "--engine", ENGINES, "quickjs");
  // A schedule (miou explore's) gives the seed and domains, and every choice of the run.
  const scheduleFile = args.flags.get("--schedule");
  const schedule = scheduleFile === undefined ? null : parseSchedule(readInput(scheduleFile, "schedule").toString("utf8"), scheduleFile);
  const seed = integerFlag(args, "--seed", 0, 2 ** 32 - 1, schedule?.seed ?? 0);
  const domains = integerFlag(args, "--domains", 0, 256, schedule?.domains ?? 0);
  const disagreement = schedule === null ? null : scheduleDisagreement(schedule, seed, domains);
  if (disagreement !== null) throw new UsageError(`${scheduleFile}: ${disagreement}`);
  const replay = schedule === null ? null : scheduleReplay(schedule);
  const maxDecisions = integerFlag(args, "--max-decisions", 1, Number.MAX_SAFE_INTEGER, DEFAULT_MAX_DECISIONS);
  const pollTick_ns = integerFlag(args, "--poll-tick", 0, Number.MAX_SAFE_INTEGER, 0);
  const programBytes = readInput(programFile, "program");
  const inputFile = args.flags.get("--input");
  let events: InputEvent[] = [];
  let inputHash: string | null = null;
  if (inputFile !== undefined) {
    const inputBytes = readInput(inputFile, "input trace");
    events = parseInputTrace(inputBytes.toString("utf8"), inputFile);
    inputHash = contentHash(inputBytes);
  }
  const header: DecisionHeader = { seed, domains, poll_tick_ns: pollTick_ns, max_decisions: maxDecisions, program: contentHash(programBytes), input: inputHash };

  const outputs = new TraceOutputs(header, args.flags.get("--trace"), args.flags.get("--perfetto"));
  const resultFile = args.flags.get("--result");
  let result;
  try {
    result = await simulate({
      engine,
      program: programBytes.toString("utf8"),
      programFile,
      events,
      seed,
      domains,
      pollTick_ns,
      maxDecisions,
      onLine: outputs.line,
      onOutgoing: (record) => output.out(formatOutgoing(record)),
      ...(replay === null ? {} : { choices: replay.choices, wrapHost: replay.wrapHost }),
    });
  } finally {
    outputs.close();
  }
  outputs.finish();
  if (resultFile !== undefined) writeOutput(resultFile, JSON.stringify(resultJSON(result.end)) + "\n");
  const { end } = result;
  if (end.kind === "livelock") output.err(livelockReport(maxDecisions, result.final_ns, pollTick_ns));
  else printEnd(end, output);
  output.out(summaryLine(result));
  if (replay?.choices.divergence != null) {
    output.err(`miou: the run diverged from ${scheduleFile}: ${replay.choices.divergence}`);
    return ExitCode.Diverged;
  }
  return exitCode(end);
}

/** The exit code of a run's end (DESIGN §7). */
export function exitCode(end: SimulationEnd): ExitCode {
  return endExitCode(end.kind);
}
