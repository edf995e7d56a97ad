/**
 * Decision traces (docs/formats.md): the header line, then one JSON record per scheduler
 * or glue decision, as the guest serialised them. This module reads a whole trace back,
 * checking the version, the order of `seq` and `t`, and every record's fields.
 */
import { readFileSync } from "node:fs";
import { checkHeader, type DecisionHeader } from "./decision-header.js";
import { checkRecordFields, type DecisionRecord } from "./decision-records.js";
import { ProblemList } from "./format-error.js";
import { isTimeNs, numberedLines, parseObjectLine, show } from "./json-lines.js";

/** A decision trace read back. */
export interface DecisionTrace {
  readonly header: DecisionHeader;
  readonly records: readonly DecisionRecord[];
}

/**
 * Reads a decision trace from its text; `file` names it in messages.
 *
 * @throws FormatError listing every problem (at most 20), as `FILE:LINE: what is wrong`.
 * @example
 * const { header, records } = parseDecisionTrace(readFileSync("run.jsonl", "utf8"), "run.jsonl");
 */
export function parseDecisionTrace(text: string, file: string): DecisionTrace {
  const problems = new ProblemList(file);
  const lines = numberedLines(text);
  const first = lines[0];
  if (first === undefined || first.line !== 1) {
    problems.add(1, "the first line must be the decision trace header; this file does not start with one");
    problems.throwIfAny();
  }
  const headerObject = parseObjectLine(problems, first!, "the header");
  const header = headerObject === null ? null : checkHeader(problems, 1, headerObject);
  // A trace of another version may hold anything: its records are not read.
  problems.throwIfAny();
  const records: DecisionRecord[] = [];
  let previous: { seq: number; t: number } | null = null;
  for (const numbered of lines.slice(1)) {
    const record = parseObjectLine(problems, numbered, "a decision record");
    if (record === null) continue;
    const { seq, t } = record;
    let ok = true;
    if (!isTimeNs(seq)) {
      problems.add(numbered.line, `field "seq" must be a non-negative integer, got ${show(seq)}`);
      ok = false;
    } else if (previous !== null && seq !== previous.seq + 1) {
      problems.add(numbered.line, `field "seq" must follow ${previous.seq} with ${previous.seq + 1}, got ${seq}`);
      ok = false;
    }
    if (!isTimeNs(t)) {
      problems.add(numbered.line, `field "t" must be a non-negative integer (ns), got ${show(t)}`);
      ok = false;
    } else if (previous !== null && t < previous.t) {
      problems.add(numbered.line, `time goes backwards: "t" is ${t} ns, after a record at ${previous.t} ns`);
      ok = false;
    }
    if (!checkRecordFields(problems, numbered.line, record)) ok = false;
    if (isTimeNs(seq) && isTimeNs(t)) previous = { seq, t };
    if (ok) records.push(record as DecisionRecord);
  }
  problems.throwIfAny();
  return { header: header!, records };
}

/** Reads the decision trace file at `path` (named as given in messages). */
export function readDecisionTrace(path: string): DecisionTrace {
  return parseDecisionTrace(readFileSync(path, "utf8"), path);
}
