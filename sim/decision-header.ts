/**
 * The header line of a decision trace (docs/formats.md, "Decision trace header"): what a
 * run needs to be reproduced, written by the simulator as the trace's first line.
 */
import { createHash } from "node:crypto";
import type { ProblemList } from "./format-error.js";
import { checkKnownFields, isTimeNs, show, type JsonObject } from "./json-lines.js";

/** The decision trace format version this simulator writes and reads. */
export const DECISION_TRACE_VERSION = 1;

/** The run a decision trace comes from. */
export interface DecisionHeader {
  /** Seed of the run's PRNG, in [0, 2^32). */
  readonly seed: number;
  /** Extra domains (dom0 not counted). */
  readonly domains: number;
  /** How far each poll moved virtual time (`--poll-tick`), 0 by default. */
  readonly poll_tick_ns: number;
  /** The decision budget (`--max-decisions`). */
  readonly max_decisions: number;
  /** `sha256:<hex>` of the program file's bytes. */
  readonly program: string;
  /** `sha256:<hex>` of the input trace file's bytes, or null for a run without input. */
  readonly input: string | null;
}

// The order fields are written in: part of the format, so headers compare as text.
const FIELDS = ["miou", "v", "seed", "domains", "poll_tick_ns", "max_decisions", "program", "input"] as const;
const HASH = /^sha256:[0-9a-f]{64}$/;

/** `sha256:<hex>` of some bytes, the way headers name programs and inputs. */
export function contentHash(bytes: string | Uint8Array): string {
  return "sha256:" + createHash("sha256").update(bytes).digest("hex");
}

/**
 * The header as its JSON line (no newline), fields in their documented order.
 * @example headerLine({ seed: 0, domains: 0, poll_tick_ns: 0, max_decisions: 1e7, program: contentHash(src), input: null })
 */
export function headerLine(header: DecisionHeader): string {
  const { seed, domains, poll_tick_ns, max_decisions, program, input } = header;
  return JSON.stringify({ miou: "decisions", v: DECISION_TRACE_VERSION, seed, domains, poll_tick_ns, max_decisions, program, input });
}

/** Checks a parsed first line; reports what is wrong and returns null when it is not a valid header. */
export function checkHeader(problems: ProblemList, line: number, value: JsonObject): DecisionHeader | null {
  if (value.miou !== "decisions") {
    problems.add(line, `the first line must be the header {"miou":"decisions","v":${DECISION_TRACE_VERSION},...}, got ${show(value)}`);
    return null;
  }
  if (value.v !== DECISION_TRACE_VERSION) {
    problems.add(line, `unknown decision trace version ${show(value.v)}: this miou reads version ${DECISION_TRACE_VERSION}`);
    return null;
  }
  let ok = checkKnownFields(problems, line, value, FIELDS, "the header");
  const { seed, domains, poll_tick_ns, max_decisions, program, input } = value;
  const bad = (field: string, expected: string, found: unknown) => {
    problems.add(line, `header field ${JSON.stringify(field)} must be ${expected}, got ${show(found)}`);
    ok = false;
  };
  if (!isTimeNs(seed) || seed >= 2 ** 32) bad("seed", "an integer in [0, 2^32)", seed);
  if (!isTimeNs(domains)) bad("domains", "a non-negative integer", domains);
  if (!isTimeNs(poll_tick_ns)) bad("poll_tick_ns", "a non-negative integer (ns)", poll_tick_ns);
  if (!isTimeNs(max_decisions) || max_decisions === 0) bad("max_decisions", "a positive integer", max_decisions);
  if (typeof program !== "string" || !HASH.test(program)) bad("program", '"sha256:<64 hex digits>"', program);
  if (input !== null && (typeof input !== "string" || !HASH.test(input))) bad("input", '"sha256:<64 hex digits>" or null', input);
  return ok ? ({ seed, domains, poll_tick_ns, max_decisions, program, input } as DecisionHeader) : null;
}
