/** `miou replay PROGRAM.js BOUNDARY.jsonl [options]`: replays a recorded run (see tools/help.ts). */
import { ENGINES } from "../platform/node/create-guest.js";
import { parseBoundaryLog } from "../sim/boundary-log.js";
import { contentHash, type DecisionHeader } from "../sim/decision-header.js";
import { divergenceReport, replay, type ReplayEnd, type ReplayResult } from "../sim/replay.js";
import { choiceFlag, parseArgs, UsageError } from "./cli-args.js";
import { endExitCode, type ExitCode } from "./exit-codes.js";
import { readInput, writeOutput, type Output } from "./io.js";
import { formatOutgoing, NO_DECISION_BUDGET, printEnd, resultJSON, TraceOutputs } from "./run-output.js";

const FLAGS = ["--engine", "--trace", "--perfetto", "--result"];

/** Runs `miou replay` with the arguments after "replay"; returns the exit code. */
export async function replayCommand(argv: readonly string[], output: Output): Promise<ExitCode | "help"> {
  const args = parseArgs(argv, FLAGS);
  if (args.help) return "help";
  if (args.positionals.length !== 2) {
    throw new UsageError(`replay takes PROGRAM.js and BOUNDARY.jsonl, got ${args.positionals.length === 0 ? "none" : args.positionals.join(" ")}`);
  }
  const [programFile, logFile] = args.positionals as [string, string];
  const engine = args.flags.has("--engine") ? choiceFlag(args, "--engine", ENGINES, "quickjs") : undefined;
  const programBytes = readInput(programFile, "program");
  const log = parseBoundaryLog(readInput(logFile, "boundary log").toString("utf8"), logFile);
  const { header } = log;
  const traceHeader: DecisionHeader = {
    seed: header.seed,
    domains: header.domains,
    poll_tick_ns: 0,
    max_decisions: NO_DECISION_BUDGET,
    program: contentHash(programBytes),
    input: header.input,
  };
  const outputs = new TraceOutputs(traceHeader, args.flags.get("--trace"), args.flags.get("--perfetto"));
  const program = programBytes.toString("utf8");
  if (contentHash(program) !== header.program) {
    output.err(`note: ${programFile} is not the program ${logFile} recorded (its sha256 differs from the header's); replaying it anyway`);
  }
  let result: ReplayResult;
  try {
    result = await replay({
      ...(engine === undefined ? {} : { engine }),
      program,
      programFile,
      log,
      onLine: outputs.line,
      onOutgoing: (record) => output.out(formatOutgoing(record)),
    });
  } finally {
    outputs.close();
  }
  outputs.finish();
  const { end } = result;
  const resultFile = args.flags.get("--result");
  if (resultFile !== undefined) writeOutput(resultFile, JSON.stringify(resultJSON(printable(end))) + "\n");
  if (end.kind === "diverged") output.err(divergenceReport(end, logFile));
  else if (end.kind === "stopped") {
    output.err(`GuestStopped: ${end.stop.message}`);
    output.err(`replayed to the stop (${logFile}:${end.stop.line}): the recorded run was stopped there after call ${end.stop.call} (${end.stop.reason})`);
  } else printEnd(end, output);
  const recorded = header.engine === result.engine ? `recorded and replayed on ${header.engine}` : `recorded on ${header.engine}, replayed on ${result.engine}`;
  output.out(`replayed ${result.answered} of ${log.calls.length} calls from ${logFile} (${recorded}), ${result.decisions} decisions`);
  return exitCode(end);
}

/** A replay's end as `--result` and the messages give it. */
function printable(end: ReplayEnd) {
  if (end.kind === "diverged") return { kind: end.kind, error: { name: "ReplayDiverged", message: `the replay diverged at call ${end.divergence.call}` } };
  return end;
}

/** The exit code of a replay (DESIGN §7): the recorded run's, or 5 when it diverged. */
export function exitCode(end: ReplayEnd): ExitCode {
  return endExitCode(end.kind);
}
