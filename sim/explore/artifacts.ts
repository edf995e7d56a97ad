/**
 * A failure's folder (`explore --out DIR`, `shrink --failure DIR`): everything needed to
 * look at a failing run and to reproduce it with one `miou sim` command.
 * - failure.json: the seed, how the run failed, the flags and the command;
 * - input.jsonl: the mutated input trace (faults applied, sorted by time);
 * - faults.jsonl: where each event of input.jsonl came from and what was done to it;
 * - schedule.txt: the run's choices (docs/formats.md, "Schedule");
 * - trace.jsonl: the decision trace, as `miou sim --trace` writes it for the command;
 * - timeline.json: the decision trace as a Perfetto timeline.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { contentHash, headerLine } from "../decision-header.js";
import { parseDecisionTrace } from "../decision-trace.js";
import { ProblemList } from "../format-error.js";
import { parseInputTrace } from "../input-trace.js";
import { isObject, numberedLines, parseObjectLine } from "../json-lines.js";
import { toPerfetto } from "../perfetto.js";
import { failureExitCode, type Failure, type FailureKind } from "./failure.js";
import { FAULT_KINDS } from "./fault-spec.js";
import type { EventFault, MutatedEvent, MutatedInput } from "./faults.js";
import { formatSchedule, parseSchedule, type Schedule } from "./schedule.js";

export const FAILURE_VERSION = 1;
export const FAULTS_VERSION = 1;

/** failure.json. */
export interface FailureRecord {
  readonly seed: number;
  readonly kind: FailureKind;
  readonly error: { readonly name: string; readonly message: string };
  /** The exit code `miou sim` gives the command (DESIGN §7). */
  readonly exit: number;
  /** The program as named on the command line, or a description for a function. */
  readonly program: string;
  readonly program_hash: string;
  readonly engine: string;
  readonly domains: number;
  readonly policy: string;
  readonly faults: string;
  readonly max_decisions: number;
  readonly poll_tick_ns: number;
  /** The reproduction command. */
  readonly command: string;
}

/** What a folder is written from. */
export interface FailureArtifacts {
  readonly record: FailureRecord;
  readonly input: MutatedInput;
  readonly schedule: Schedule;
  /** The decision trace lines, without the header. */
  readonly lines: readonly string[];
  /** `# ...` lines for schedule.txt. */
  readonly comments?: readonly string[];
}

/** The input trace text of mutated events: a header, then `{"t","source","data"}` records. */
export function inputTraceText(events: readonly Pick<MutatedEvent, "at_ns" | "source" | "data">[]): string {
  let text = '{"miou":"input","v":1}\n';
  for (const e of events) text += JSON.stringify({ t: e.at_ns, source: e.source, data: e.data }) + "\n";
  return text;
}

/** faults.jsonl: a header with the dropped lines, then one record per event of input.jsonl. */
export function faultsText(input: MutatedInput, seed: number, spec: string): string {
  let text = JSON.stringify({ miou: "faults", v: FAULTS_VERSION, seed, faults: spec, dropped: input.dropped }) + "\n";
  for (const e of input.events) text += JSON.stringify({ line: e.line, t0: e.original_ns, faults: e.faults }) + "\n";
  return text;
}

/** Writes the folder (created if needed); returns the paths written, by file name. */
export function writeFailureDir(dir: string, a: FailureArtifacts): Record<string, string> {
  mkdirSync(dir, { recursive: true });
  const input = inputTraceText(a.input.events);
  const header = headerLine({
    seed: a.schedule.seed,
    domains: a.schedule.domains,
    poll_tick_ns: a.record.poll_tick_ns,
    max_decisions: a.record.max_decisions,
    program: a.record.program_hash,
    input: contentHash(input),
  });
  const trace = [header, ...a.lines].join("\n") + "\n";
  const files: Record<string, string> = {
    "failure.json": JSON.stringify({ miou: "failure", v: FAILURE_VERSION, ...a.record }, null, 2) + "\n",
    "input.jsonl": input,
    "faults.jsonl": faultsText(a.input, a.schedule.seed, a.record.faults),
    "schedule.txt": formatSchedule(a.schedule, a.comments),
    "trace.jsonl": trace,
    "timeline.json": JSON.stringify(toPerfetto(parseDecisionTrace(trace, join(dir, "trace.jsonl")))),
  };
  const paths: Record<string, string> = {};
  for (const [name, text] of Object.entries(files)) writeFileSync((paths[name] = join(dir, name)), text);
  return paths;
}

/** A failure folder read back. */
export interface FailureDir {
  readonly record: FailureRecord;
  readonly input: MutatedInput;
  readonly schedule: Schedule;
}

/**
 * Reads a folder written by {@link writeFailureDir}.
 * @throws FormatError naming the file and line of anything malformed.
 */
export function readFailureDir(dir: string): FailureDir {
  const file = (name: string) => join(dir, name);
  const recordFile = file("failure.json");
  const problems = new ProblemList(recordFile);
  let record: FailureRecord | null = null;
  try {
    record = checkRecord(JSON.parse(readFileSync(recordFile, "utf8")), problems);
  } catch (error) {
    problems.add(0, error instanceof SyntaxError ? `not JSON (${error.message})` : `cannot read it: ${(error as Error).message}`);
  }
  problems.throwIfAny();
  const events = parseInputTrace(readFileSync(file("input.jsonl"), "utf8"), file("input.jsonl"));
  const input = parseFaults(readFileSync(file("faults.jsonl"), "utf8"), file("faults.jsonl"), events);
  const schedule = parseSchedule(readFileSync(file("schedule.txt"), "utf8"), file("schedule.txt"));
  return { record: record!, input, schedule };
}

function checkRecord(value: unknown, problems: ProblemList): FailureRecord | null {
  if (!isObject(value) || value.miou !== "failure") {
    problems.add(0, 'not a failure record (expected {"miou": "failure", ...})');
    return null;
  }
  if (value.v !== FAILURE_VERSION) {
    problems.add(0, `unknown failure record version ${String(value.v)}: this miou reads version ${FAILURE_VERSION}`);
    return null;
  }
  const error = value.error;
  const ok =
    typeof value.kind === "string" &&
    isObject(error) &&
    typeof error.name === "string" &&
    typeof error.message === "string" &&
    typeof value.engine === "string" &&
    Number.isSafeInteger(value.max_decisions) &&
    Number.isSafeInteger(value.poll_tick_ns) &&
    typeof value.program_hash === "string";
  if (!ok) {
    problems.add(0, "a failure record needs kind, error {name, message}, engine, max_decisions, poll_tick_ns and program_hash");
    return null;
  }
  const { miou: _miou, v: _v, ...record } = value;
  return { ...(record as unknown as FailureRecord), exit: failureExitCode(value.kind as FailureKind) };
}

/** Reads faults.jsonl against the events of input.jsonl (one record each, in order). */
export function parseFaults(text: string, file: string, events: readonly { at_ns: number; source: string; data: unknown }[]): MutatedInput {
  const problems = new ProblemList(file);
  const lines = numberedLines(text);
  const header = lines[0] === undefined ? null : parseObjectLine(problems, lines[0], "the header");
  let dropped: number[] = [];
  if (header !== null) {
    if (header.miou !== "faults" || header.v !== FAULTS_VERSION) problems.add(lines[0]!.line, `the first line must be {"miou":"faults","v":${FAULTS_VERSION},...}`);
    else if (Array.isArray(header.dropped) && header.dropped.every((n) => Number.isSafeInteger(n))) dropped = header.dropped as number[];
    else problems.add(lines[0]!.line, '"dropped" must be an array of line numbers');
  } else if (lines.length === 0) problems.add(1, "empty file: expected a header line");
  const records = lines.slice(1);
  if (records.length !== events.length) problems.add(0, `${records.length} records for the ${events.length} events of the input trace`);
  const out: MutatedEvent[] = [];
  records.forEach((numbered, i) => {
    const r = parseObjectLine(problems, numbered, "a fault record");
    const e = events[i];
    if (r === null || e === undefined) return;
    const faults = r.faults;
    if (!Number.isSafeInteger(r.line) || !Number.isSafeInteger(r.t0) || !Array.isArray(faults) || !faults.every((f) => (FAULT_KINDS as readonly unknown[]).includes(f))) {
      problems.add(numbered.line, 'a fault record is {"line": N, "t0": NS, "faults": [KIND...]}');
      return;
    }
    out.push({ at_ns: e.at_ns, source: e.source, data: e.data, line: r.line as number, original_ns: r.t0 as number, faults: faults as EventFault[] });
  });
  problems.throwIfAny();
  return { events: out, dropped };
}

/** The record of a failure, from a run's outcome and the exploration's flags. */
export function failureRecord(seed: number, failure: Failure, rest: Omit<FailureRecord, "seed" | "kind" | "error" | "exit">): FailureRecord {
  return { seed, kind: failure.kind, error: { name: failure.name, message: failure.message }, exit: failureExitCode(failure.kind), ...rest };
}
