/**
 * Boundary logs (docs/formats.md, "Boundary log"): every call a guest made to its host,
 * `now()` and `select()`, with its arguments and the host's answer, in call order. A
 * recorded run (recorder.ts) writes one line per call as it happens; a replay
 * (replay-host.ts) answers each call from it and checks the arguments. This module holds
 * the format: the line writers and the reader, which checks the version, every field, the
 * call numbers and the clock, and reports problems as `FILE:LINE: what is wrong`.
 */
import { readFileSync } from "node:fs";
import type { HostEvent, Outgoing } from "../platform/host.js";
import type { Engine } from "../platform/quickjs/guest.js";
import type { ErrorInfo, StopReason } from "../platform/quickjs/stops.js";
import { ProblemList } from "./format-error.js";
import { checkData } from "./input-trace.js";
import { checkKnownFields, isObject, isTimeNs, numberedLines, parseObjectLine, show, type JsonObject } from "./json-lines.js";

/** The boundary log format version this miou writes and reads. */
export const BOUNDARY_LOG_VERSION = 1;

/** What a replay needs to run the program as it was recorded. */
export interface BoundaryHeader {
  /** The engine that recorded the run (a replay may use another). */
  readonly engine: Engine;
  /** Seed of the run's PRNG, in [0, 2^32). */
  readonly seed: number;
  /** Extra domains (dom0 not counted). */
  readonly domains: number;
  /** The glue's poll rhythm (`Miou.runOn`'s `pollEvery`). */
  readonly poll_every: number;
  /** The guest's CPU budget between two host calls, in ms. */
  readonly cpu_budget_ms: number;
  /** The guest's memory limit in MB, or null for none. */
  readonly memory_limit_mb: number | null;
  /** `sha256:<hex>` of the program's text. */
  readonly program: string;
  /** `sha256:<hex>` of the input trace fed to the run (`miou run --events`), or null. */
  readonly input: string | null;
}

/** A `now()` call: the time the host gave, or the error it threw. */
export type NowCall = { readonly kind: "now"; readonly call: number; readonly line: number } & ({ readonly now: number } | { readonly error: ErrorInfo });

/** A `select(deadline, out)` call: the host's answer, or the error it threw. */
export type SelectCall = {
  readonly kind: "select";
  readonly call: number;
  readonly line: number;
  readonly deadline: number | null;
  readonly out: readonly Outgoing[];
} & ({ readonly now: number; readonly events: readonly HostEvent[]; readonly idle: boolean } | { readonly error: ErrorInfo });

export type BoundaryCall = NowCall | SelectCall;

/** The embedder stopped the guest after call `call` (0: before any call). */
export interface BoundaryStop {
  readonly call: number;
  readonly line: number;
  readonly reason: StopReason;
  readonly message: string;
}

/** A boundary log read back. */
export interface BoundaryLog {
  readonly header: BoundaryHeader;
  readonly calls: readonly BoundaryCall[];
  /** The `stop` record, when the embedder stopped the recorded run. */
  readonly stop: BoundaryStop | null;
}

// The order fields are written in: part of the format.
const HEADER_FIELDS = ["miou", "v", "engine", "seed", "domains", "poll_every", "cpu_budget_ms", "memory_limit_mb", "program", "input"] as const;
const FIELDS: Readonly<Record<string, readonly string[]>> = {
  now: ["call", "kind", "now", "error"],
  select: ["call", "kind", "deadline", "out", "now", "events", "idle", "error"],
  stop: ["call", "kind", "reason", "message"],
};
const ENGINES: readonly string[] = ["node", "quickjs", "quickjs-ng"];
const STOP_REASONS: readonly string[] = ["cpu-budget", "out-of-memory", "stack-overflow"];
const HASH = /^sha256:[0-9a-f]{64}$/;

/** The header line (no newline), fields in their documented order. */
export function boundaryHeaderLine(header: BoundaryHeader): string {
  const { engine, seed, domains, poll_every, cpu_budget_ms, memory_limit_mb, program, input } = header;
  return JSON.stringify({ miou: "boundary", v: BOUNDARY_LOG_VERSION, engine, seed, domains, poll_every, cpu_budget_ms, memory_limit_mb, program, input });
}

/** The line of a `now()` call that returned `now`, or threw `error`. */
export function nowLine(call: number, answer: { now: number } | { error: ErrorInfo }): string {
  return JSON.stringify("error" in answer ? { call, kind: "now", error: answer.error } : { call, kind: "now", now: answer.now });
}

/**
 * The line of a `select(deadline, out)` call and its answer (event data as JSON, bytes as
 * `{"base64": ...}`), or the error it threw.
 */
export function selectLine(
  call: number,
  deadline: number | null,
  out: readonly Outgoing[],
  answer: { now: number; events: readonly HostEvent[]; idle: boolean } | { error: ErrorInfo },
): string {
  if ("error" in answer) return JSON.stringify({ call, kind: "select", deadline, out, error: answer.error });
  return JSON.stringify({ call, kind: "select", deadline, out, now: answer.now, events: answer.events, idle: answer.idle });
}

/** The line saying the embedder stopped the guest after call `call`. */
export function stopLine(call: number, reason: StopReason, message: string): string {
  return JSON.stringify({ call, kind: "stop", reason, message });
}

/**
 * Reads a boundary log from its text; `file` names it in messages.
 * @throws FormatError listing every problem (at most 20), as `FILE:LINE: what is wrong`.
 * @example
 * const log = parseBoundaryLog(readFileSync("run.boundary.jsonl", "utf8"), "run.boundary.jsonl");
 * log.calls.length; // every now() and select() the recorded guest made
 */
export function parseBoundaryLog(text: string, file: string): BoundaryLog {
  const problems = new ProblemList(file);
  const lines = numberedLines(text);
  const first = lines[0];
  if (first === undefined || first.line !== 1) {
    problems.add(1, `the first line must be the boundary log header {"miou":"boundary","v":${BOUNDARY_LOG_VERSION},...}; this file does not start with one`);
    problems.throwIfAny();
  }
  const headerObject = parseObjectLine(problems, first!, "the header");
  const header = headerObject === null ? null : checkHeader(problems, first!.line, headerObject);
  // A log of another version may hold anything: its records are not read.
  problems.throwIfAny();

  const calls: BoundaryCall[] = [];
  let stop: BoundaryStop | null = null;
  let expected = 1;
  let last_ns = 0;
  for (const numbered of lines.slice(1)) {
    const { line } = numbered;
    const record = parseObjectLine(problems, numbered, "a boundary log record");
    if (record === null) continue;
    if (stop !== null) {
      problems.add(line, `nothing may follow the stop record (line ${stop.line})`);
      continue;
    }
    const kind = record.kind;
    // After a bad call number, count on from the one written: one mistake, one report.
    const resync = () => {
      if (kind !== "stop" && isTimeNs(record.call) && record.call > 0) expected = record.call + 1;
    };
    if (typeof kind !== "string" || !Object.hasOwn(FIELDS, kind)) {
      problems.add(line, `field "kind" must be "now", "select" or "stop", got ${show(kind)}`);
      resync();
      continue;
    }
    const known = checkKnownFields(problems, line, record, FIELDS[kind]!, `a ${JSON.stringify(kind)} record`);
    // A stop follows the last call: its number is that call's (0 when there was none).
    const call = kind === "stop" ? expected - 1 : expected;
    const inOrder = record.call === call;
    if (!inOrder) {
      problems.add(line, `field "call" must be ${call} (${kind === "stop" ? "the last call's number" : "calls are numbered 1, 2, 3... in order"}), got ${show(record.call)}`);
      resync();
    } else if (kind !== "stop") {
      expected++;
    }
    if (!known) continue;
    const check = new RecordCheck(problems, line);
    if (kind === "stop") {
      const s = check.stop(record);
      if (s !== null && inOrder) stop = { call, line, ...s };
      continue;
    }
    const parsed = kind === "now" ? check.now(record, call) : check.select(record, call);
    if (parsed === null || !inOrder) continue;
    if ("now" in parsed) {
      if (parsed.now < last_ns) {
        problems.add(line, `the clock goes backwards: "now" is ${parsed.now} ns, after ${last_ns} ns (host time is monotonic)`);
        continue;
      }
      last_ns = parsed.now;
    }
    calls.push(parsed);
  }
  problems.throwIfAny();
  return { header: header!, calls, stop };
}

/** Reads the boundary log file at `path` (named as given in messages). */
export function readBoundaryLog(path: string): BoundaryLog {
  return parseBoundaryLog(readFileSync(path, "utf8"), path);
}

function checkHeader(problems: ProblemList, line: number, value: JsonObject): BoundaryHeader | null {
  if (value.miou !== "boundary") {
    problems.add(line, `the first line must be the header {"miou":"boundary","v":${BOUNDARY_LOG_VERSION},...}, got ${show(value)}`);
    return null;
  }
  if (value.v !== BOUNDARY_LOG_VERSION) {
    problems.add(line, `unknown boundary log version ${show(value.v)}: this miou reads version ${BOUNDARY_LOG_VERSION}`);
    return null;
  }
  let ok = checkKnownFields(problems, line, value, HEADER_FIELDS, "the header");
  const missing = HEADER_FIELDS.filter((field) => !Object.hasOwn(value, field));
  if (missing.length > 0) {
    problems.add(line, `the header lacks ${missing.map((f) => JSON.stringify(f)).join(", ")} (fields: ${HEADER_FIELDS.join(", ")})`);
    return null;
  }
  const bad = (field: string, expected: string) => {
    problems.add(line, `header field ${JSON.stringify(field)} must be ${expected}, got ${show(value[field])}`);
    ok = false;
  };
  const { engine, seed, domains, poll_every, cpu_budget_ms, memory_limit_mb, program, input } = value;
  if (typeof engine !== "string" || !ENGINES.includes(engine)) bad("engine", ENGINES.map((e) => JSON.stringify(e)).join(", or "));
  if (!isTimeNs(seed) || seed >= 2 ** 32) bad("seed", "an integer in [0, 2^32)");
  if (!isTimeNs(domains)) bad("domains", "a non-negative integer");
  if (!isTimeNs(poll_every) || poll_every === 0) bad("poll_every", "a positive integer");
  if (!isTimeNs(cpu_budget_ms) || cpu_budget_ms === 0) bad("cpu_budget_ms", "a positive integer (ms)");
  if (memory_limit_mb !== null && (!isTimeNs(memory_limit_mb) || memory_limit_mb === 0)) bad("memory_limit_mb", "a positive integer (MB) or null");
  if (typeof program !== "string" || !HASH.test(program)) bad("program", '"sha256:<64 hex digits>"');
  if (input !== null && (typeof input !== "string" || !HASH.test(input))) bad("input", '"sha256:<64 hex digits>" or null');
  return ok ? ({ engine, seed, domains, poll_every, cpu_budget_ms, memory_limit_mb, program, input } as BoundaryHeader) : null;
}

/** The checks of one record's fields, reporting on its line. */
class RecordCheck {
  ok = true;

  constructor(
    readonly problems: ProblemList,
    readonly line: number,
  ) {}

  now(record: JsonObject, call: number): NowCall | null {
    const answer = this.#answer(record, ["now"]);
    if (answer === null) return null;
    if ("error" in answer) return { kind: "now", call, line: this.line, error: answer.error };
    const now = this.#time(record, "now");
    return this.ok ? { kind: "now", call, line: this.line, now } : null;
  }

  select(record: JsonObject, call: number): SelectCall | null {
    const answer = this.#answer(record, ["now", "events", "idle"]);
    const { deadline } = record;
    if (!Object.hasOwn(record, "deadline") || (deadline !== null && !isTimeNs(deadline))) {
      this.#bad(`field "deadline" must be an integer (ns) or null, got ${show(deadline)}`);
    }
    const out = this.#out(record.out);
    if (answer === null || out === null || !this.ok) return null;
    const base = { kind: "select" as const, call, line: this.line, deadline: deadline as number | null, out };
    if ("error" in answer) return { ...base, error: answer.error };
    const now = this.#time(record, "now");
    const events = this.#events(record.events);
    if (typeof record.idle !== "boolean") this.#bad(`field "idle" must be a boolean, got ${show(record.idle)}`);
    return this.ok && events !== null ? { ...base, now, events, idle: record.idle as boolean } : null;
  }

  stop(record: JsonObject): { reason: StopReason; message: string } | null {
    const { reason, message } = record;
    if (typeof reason !== "string" || !STOP_REASONS.includes(reason)) {
      this.#bad(`field "reason" must be ${STOP_REASONS.map((r) => JSON.stringify(r)).join(", ")}, got ${show(reason)}`);
    }
    if (typeof message !== "string") this.#bad(`field "message" must be a string, got ${show(message)}`);
    return this.ok ? { reason: reason as StopReason, message: message as string } : null;
  }

  /** The call's answer: its fields, or an `error` in their place. */
  #answer(record: JsonObject, fields: readonly string[]): { error: ErrorInfo } | { ok: true } | null {
    if (Object.hasOwn(record, "error")) {
      const present = fields.filter((f) => Object.hasOwn(record, f));
      if (present.length > 0) return this.#bad(`a call that threw has "error" and no ${present.map((f) => JSON.stringify(f)).join(", ")}`);
      const error = record.error;
      if (!isObject(error) || typeof error.name !== "string" || typeof error.message !== "string" || Object.keys(error).length !== 2) {
        return this.#bad(`field "error" must be {"name": string, "message": string}, got ${show(error)}`);
      }
      return { error: { name: error.name, message: error.message } };
    }
    for (const field of fields) {
      if (!Object.hasOwn(record, field)) return this.#bad(`missing field ${JSON.stringify(field)} (or "error", for a call that threw)`);
    }
    return { ok: true };
  }

  #time(record: JsonObject, field: string): number {
    const value = record[field];
    if (!isTimeNs(value)) this.#bad(`field ${JSON.stringify(field)} must be a non-negative integer (ns), got ${show(value)}`);
    return value as number;
  }

  #out(value: unknown): Outgoing[] | null {
    if (!Array.isArray(value)) return this.#bad(`field "out" must be an array of {"sink": string, "data": value}, got ${show(value)}`);
    for (let i = 0; i < value.length; i++) {
      const o: unknown = value[i];
      if (!isObject(o) || typeof o.sink !== "string" || !Object.hasOwn(o, "data") || Object.keys(o).length !== 2) {
        return this.#bad(`field "out": record ${i} must be {"sink": string, "data": value}, got ${show(o)}`);
      }
    }
    return value as Outgoing[];
  }

  #events(value: unknown): HostEvent[] | null {
    if (!Array.isArray(value)) return this.#bad(`field "events" must be an array of {"source": string, "data": value}, got ${show(value)}`);
    for (let i = 0; i < value.length; i++) {
      const e: unknown = value[i];
      const fields = isObject(e) ? Object.keys(e) : [];
      if (!isObject(e) || typeof e.source !== "string" || e.source === "" || fields.some((f) => f !== "source" && f !== "data")) {
        return this.#bad(`field "events": event ${i} must be {"source": non-empty string, "data": value} ("data" left out for none), got ${show(e)}`);
      }
      if (!checkData(this.problems, this.line, e.data)) this.ok = false;
    }
    return value as HostEvent[];
  }

  #bad(message: string): null {
    this.problems.add(this.line, message);
    this.ok = false;
    return null;
  }
}
