/**
 * Input traces (docs/formats.md, "Input trace"): the external events a simulated run
 * receives, as JSON Lines. An optional header `{"miou":"input","v":1}`, then records
 * `{"t": <ns>, "source": "<name>", "data": <JSON value or {"base64": "..."}>}` in
 * non-decreasing `t`. Every problem is reported before the run, as `FILE:LINE: ...`.
 */
import { readFileSync } from "node:fs";
import { ProblemList } from "./format-error.js";
import { checkKnownFields, isObject, isTimeNs, numberedLines, parseObjectLine, show, type JsonObject } from "./json-lines.js";

/** The input trace format version this reader understands. */
export const INPUT_TRACE_VERSION = 1;

/** One external event of an input trace. */
export interface InputEvent {
  /** When the event becomes ready, in virtual ns since the run started. */
  readonly at_ns: number;
  readonly source: string;
  /** The payload as written in the file: a JSON value, or `{ base64 }` for bytes. */
  readonly data: unknown;
  /** The line of the file it came from, for reports. */
  readonly line: number;
}

const RECORD_FIELDS = ["t", "source", "data"] as const;
const HEADER_FIELDS = ["miou", "v"] as const;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Reads an input trace from its text; `file` names it in messages.
 *
 * @throws FormatError listing every bad line (at most 20), as `FILE:LINE: what is wrong`.
 * @example
 * parseInputTrace('{"t": 1500000, "source": "net0", "data": "ping"}\n', "events.jsonl");
 * // [{ at_ns: 1500000, source: "net0", data: "ping", line: 1 }]
 */
export function parseInputTrace(text: string, file: string): InputEvent[] {
  const problems = new ProblemList(file);
  const events: InputEvent[] = [];
  let last_ns = 0;
  let first = true;
  for (const numbered of numberedLines(text)) {
    const record = parseObjectLine(problems, numbered, "an input record");
    const isFirst = first;
    first = false;
    if (record === null) continue;
    if (Object.hasOwn(record, "miou")) {
      if (isFirst) checkHeader(problems, numbered.line, record);
      else problems.add(numbered.line, `the header {"miou":"input","v":${INPUT_TRACE_VERSION}} may only be the first line`);
      continue;
    }
    const event = checkRecord(problems, numbered.line, record);
    if (event === null) continue;
    if (event.at_ns < last_ns) {
      problems.add(numbered.line, `time goes backwards: "t" is ${event.at_ns} ns, after an event at ${last_ns} ns (records must be in non-decreasing "t")`);
      continue;
    }
    last_ns = event.at_ns;
    events.push(event);
  }
  problems.throwIfAny();
  return events;
}

/** Reads the input trace file at `path` (named as given in messages). */
export function readInputTrace(path: string): InputEvent[] {
  return parseInputTrace(readFileSync(path, "utf8"), path);
}

function checkHeader(problems: ProblemList, line: number, header: JsonObject): void {
  if (!checkKnownFields(problems, line, header, HEADER_FIELDS, "the header")) return;
  if (header.miou !== "input") {
    problems.add(line, `header field "miou" must be "input" for an input trace, got ${show(header.miou)}`);
  } else if (header.v !== INPUT_TRACE_VERSION) {
    problems.add(line, `unknown input trace version ${show(header.v)}: this miou reads version ${INPUT_TRACE_VERSION}`);
  }
}

function checkRecord(problems: ProblemList, line: number, record: JsonObject): InputEvent | null {
  let ok = checkKnownFields(problems, line, record, RECORD_FIELDS, "an input record");
  for (const field of RECORD_FIELDS) {
    if (!Object.hasOwn(record, field)) {
      problems.add(line, `missing field ${JSON.stringify(field)} (a record is {"t": <ns>, "source": "<name>", "data": <value>}; use null for no data)`);
      return null;
    }
  }
  if (!isTimeNs(record.t)) {
    problems.add(line, `field "t" must be a non-negative integer (ns), got ${show(record.t)}`);
    ok = false;
  }
  if (typeof record.source !== "string" || record.source === "") {
    problems.add(line, `field "source" must be a non-empty string, got ${show(record.source)}`);
    ok = false;
  }
  if (!checkData(problems, line, record.data)) ok = false;
  return ok ? { at_ns: record.t as number, source: record.source as string, data: record.data, line } : null;
}

/**
 * An object with a "base64" field is bytes, and must be exactly `{"base64": "<standard base64>"}`.
 * Also used for the event data of boundary logs.
 */
export function checkData(problems: ProblemList, line: number, data: unknown): boolean {
  if (!isObject(data) || !Object.hasOwn(data, "base64")) return true;
  const fields = Object.keys(data);
  if (fields.length !== 1) {
    problems.add(line, `field "data": bytes are written {"base64": "..."} with no other field, got fields ${fields.join(", ")}`);
    return false;
  }
  if (typeof data.base64 !== "string" || !BASE64.test(data.base64)) {
    problems.add(line, `field "data": "base64" must be a standard base64 string (A-Z a-z 0-9 + /, padded with =), got ${show(data.base64)}`);
    return false;
  }
  return true;
}
