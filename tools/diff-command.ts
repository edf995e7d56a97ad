/** `miou diff A.jsonl B.jsonl`: the first differing decision of two decision traces (see tools/help.ts). */
import type { NumberedLine } from "../sim/json-lines.js";
import { firstDifference, headerDifferences, readTraceText } from "../sim/trace-diff.js";
import { parseArgs, UsageError } from "./cli-args.js";
import { ExitCode } from "./exit-codes.js";
import { readInput, type Output } from "./io.js";

/** Identical decisions shown before the first difference. */
const CONTEXT = 3;

/** Runs `miou diff` with the arguments after "diff"; returns the exit code. */
export function diffCommand(argv: readonly string[], output: Output): ExitCode | "help" {
  const args = parseArgs(argv, []);
  if (args.help) return "help";
  if (args.positionals.length !== 2) {
    throw new UsageError(`diff takes two decision traces A.jsonl B.jsonl, got ${args.positionals.length === 0 ? "none" : args.positionals.join(" ")}`);
  }
  const [fileA, fileB] = args.positionals as [string, string];
  const a = readTraceText(readInput(fileA, "decision trace").toString("utf8"), fileA);
  const b = readTraceText(readInput(fileB, "decision trace").toString("utf8"), fileB);
  const headers = headerDifferences(a, b);
  const note = headers.length === 0 ? "" : ` (the headers differ in ${headers.join(", ")})`;
  const d = firstDifference(a, b, CONTEXT);
  if (d === null) {
    output.out(`identical: ${a.records.length} decisions${note}`);
    return ExitCode.Ok;
  }
  const at = (file: string, r: NumberedLine | null, n: number) => (r === null ? `${file} ends after ${n} decisions` : `${file}:${r.line}`);
  output.out(`the traces differ at decision ${d.index + 1} (${at(fileA, d.a, a.records.length)}, ${at(fileB, d.b, b.records.length)})${note}`);
  if (d.fields.length > 0) output.out(`  fields that differ: ${d.fields.join(", ")}`);
  for (const r of d.context) output.out(`  = ${r.text}`);
  output.out(`  A ${d.a === null ? "(ended)" : d.a.text}`);
  output.out(`  B ${d.b === null ? "(ended)" : d.b.text}`);
  return ExitCode.Failed;
}
