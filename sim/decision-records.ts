/**
 * The fields of each decision record kind, so that the decision trace reader rejects
 * unknown kinds and fields (DESIGN §6). Scheduler kinds come from runtime/trace.ts; the
 * glue's kinds are documented in docs/formats.md, "Decision trace records".
 */
import type { ProblemList } from "./format-error.js";
import { isObject, isTimeNs, show, type JsonObject } from "./json-lines.js";

/** One record of a decision trace, after the header. */
export interface DecisionRecord {
  /** Position in the trace. */
  readonly seq: number;
  /** Virtual time of the decision, in ns. */
  readonly t: number;
  readonly kind: string;
  readonly [field: string]: unknown;
}

type FieldType = "uint" | "uintOrNull" | "string" | "boolean" | "uints" | "counts" | "error" | "json" | "then";

/** The fields of each kind besides seq, t and kind; a `?` suffix marks an optional field. */
const KINDS: Readonly<Record<string, Readonly<Record<string, FieldType>>>> = {
  spawn: { task: "uint", parent: "uint", domain: "uint", name: "string" },
  run: { task: "uint", domain: "uint" },
  ran: { task: "uint", then: "then" },
  wake: { task: "uint" },
  yield: { task: "uint" },
  suspend: { task: "uint", syscall: "uint", name: "string" },
  signal: { domain: "uint", syscall: "uint" },
  cancel: { task: "uint", by: "uint" },
  cancelled: { task: "uint" },
  finish: { task: "uint", ok: "boolean", "error?": "error" },
  select: { domain: "uint", block: "boolean", cancelled: "uints", signals: "uints" },
  interrupt: { domain: "uint" },
  draw: { bound: "uint", value: "uint" },
  /** A hook threw (it is removed); a resource's finaliser threw. */
  hook: { domain: "uint", error: "error" },
  finaliser: { task: "uint", resource: "uint", error: "error" },
  // The glue's records (platform/).
  poll: { deadline: "uintOrNull", out: "uint", events: "uint", idle: "boolean" },
  event: { source: "string", "bytes?": "uint", "data?": "json" },
  log: { sink: "string", text: "string" },
  out: { sink: "string", data: "json" },
  end: { ok: "boolean", "error?": "error", left: "counts" },
  /** A `Miou.assert` failed in task `task` (platform/invariant.ts). */
  invariant: { task: "uint", message: "string" },
};

/** The record kinds the reader knows, in the order docs/formats.md lists them. */
export const RECORD_KINDS: readonly string[] = Object.keys(KINDS);

/**
 * Checks one record's fields against its kind; reports every problem on `line` and
 * returns false when there was any. `seq` and `t` are checked by the caller.
 */
export function checkRecordFields(problems: ProblemList, line: number, record: JsonObject): boolean {
  const kind = record.kind;
  if (typeof kind !== "string") {
    problems.add(line, `field "kind" must be a string, got ${show(kind)}`);
    return false;
  }
  const schema = Object.hasOwn(KINDS, kind) ? KINDS[kind]! : null;
  if (schema === null) {
    problems.add(line, `unknown record kind ${JSON.stringify(kind)} (known: ${RECORD_KINDS.join(", ")})`);
    return false;
  }
  let ok = true;
  const expected = new Map<string, { type: FieldType; optional: boolean }>();
  for (const [key, type] of Object.entries(schema)) {
    const optional = key.endsWith("?");
    expected.set(optional ? key.slice(0, -1) : key, { type, optional });
  }
  for (const field of Object.keys(record)) {
    if (field === "seq" || field === "t" || field === "kind" || expected.has(field)) continue;
    problems.add(line, `unknown field ${JSON.stringify(field)} in a ${JSON.stringify(kind)} record`);
    ok = false;
  }
  for (const [field, { type, optional }] of expected) {
    if (!Object.hasOwn(record, field)) {
      if (optional) continue;
      problems.add(line, `a ${JSON.stringify(kind)} record needs field ${JSON.stringify(field)}`);
      ok = false;
    } else if (!hasType(record[field], type)) {
      problems.add(line, `field ${JSON.stringify(field)} of a ${JSON.stringify(kind)} record must be ${describeType(type)}, got ${show(record[field])}`);
      ok = false;
    }
  }
  return ok;
}

function hasType(value: unknown, type: FieldType): boolean {
  switch (type) {
    case "uint":
      return isTimeNs(value);
    case "uintOrNull":
      return value === null || isTimeNs(value);
    case "counts":
      return isObject(value) && Object.values(value).every(isTimeNs);
    case "string":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
    case "uints":
      return Array.isArray(value) && value.every(isTimeNs);
    case "error":
      return isObject(value) && typeof value.name === "string" && typeof value.message === "string" && Object.keys(value).length === 2;
    case "then":
      return value === "queued" || value === "parked" || value === "done";
    case "json":
      return value !== undefined;
  }
}

function describeType(type: FieldType): string {
  switch (type) {
    case "uint":
      return "a non-negative integer";
    case "uintOrNull":
      return "a non-negative integer or null";
    case "counts":
      return "an object of non-negative integers";
    case "string":
      return "a string";
    case "boolean":
      return "true or false";
    case "uints":
      return "an array of non-negative integers";
    case "error":
      return 'an error {"name": ..., "message": ...}';
    case "then":
      return '"queued", "parked" or "done"';
    case "json":
      return "a JSON value";
  }
}
