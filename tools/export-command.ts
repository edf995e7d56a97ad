/** `miou export TRACE.jsonl --perfetto OUT.json`: a decision trace as a Perfetto timeline. */
import { parseDecisionTrace } from "../sim/decision-trace.js";
import { toPerfetto } from "../sim/perfetto.js";
import { parseArgs, UsageError } from "./cli-args.js";
import { ExitCode } from "./exit-codes.js";
import { readInput, writeOutput, type Output } from "./io.js";

/** Runs `miou export` with the arguments after "export"; returns the exit code. */
export function exportCommand(argv: readonly string[], output: Output): ExitCode | "help" {
  const args = parseArgs(argv, ["--perfetto"]);
  if (args.help) return "help";
  if (args.positionals.length !== 1) {
    throw new UsageError(`export takes one TRACE.jsonl, got ${args.positionals.length === 0 ? "none" : args.positionals.join(" ")}`);
  }
  const traceFile = args.positionals[0]!;
  const perfettoFile = args.flags.get("--perfetto");
  if (perfettoFile === undefined) throw new UsageError("export needs --perfetto OUT.json (the only export format so far)");
  const trace = parseDecisionTrace(readInput(traceFile, "decision trace").toString("utf8"), traceFile);
  const perfetto = toPerfetto(trace);
  writeOutput(perfettoFile, JSON.stringify(perfetto));
  output.out(`${perfettoFile}: ${perfetto.traceEvents.length} trace events from ${trace.records.length} decisions; open it at https://ui.perfetto.dev`);
  return ExitCode.Ok;
}
