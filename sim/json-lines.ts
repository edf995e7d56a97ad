/**
 * What the JSON Lines readers share: splitting a file into numbered lines, parsing each,
 * and checking an object's fields with messages that say what was expected and what
 * was found.
 */
import type { ProblemList } from "./format-error.js";

/** A non-blank line of a JSON Lines file, with its 1-based number. */
export interface NumberedLine {
  readonly line: number;
  readonly text: string;
}

/** The non-blank lines of `text` (a `\r` before `\n` is dropped; blank lines are ignored). */
export function numberedLines(text: string): NumberedLine[] {
  const out: NumberedLine[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() !== "") out.push({ line: i + 1, text: line });
  }
  return out;
}

/** A JSON object read from a file. */
export type JsonObject = { [field: string]: unknown };

/** Parses one line as a JSON object, or reports why it is not one and returns null. */
export function parseObjectLine(problems: ProblemList, { line, text }: NumberedLine, what: string): JsonObject | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    problems.add(line, `not JSON (${error instanceof Error ? error.message : String(error)}): ${excerpt(text)}`);
    return null;
  }
  if (!isObject(value)) {
    problems.add(line, `${what} must be a JSON object, got ${show(value)}`);
    return null;
  }
  return value;
}

/** True for a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reports fields of `record` not in `known` (DESIGN §6: readers reject unknown fields).
 * Returns false when there was any.
 */
export function checkKnownFields(problems: ProblemList, line: number, record: JsonObject, known: readonly string[], what: string): boolean {
  let ok = true;
  for (const field of Object.keys(record)) {
    if (!known.includes(field)) {
      problems.add(line, `unknown field ${JSON.stringify(field)} in ${what} (known: ${known.join(", ")})`);
      ok = false;
    }
  }
  return ok;
}

/** True for an integer number of nanoseconds that stays exact (DESIGN §4). */
export function isTimeNs(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/** A short rendering of a found value for messages. */
export function show(value: unknown): string {
  if (value === undefined) return "nothing";
  return excerpt(JSON.stringify(value) ?? String(value));
}

function excerpt(text: string): string {
  return text.length > 60 ? text.slice(0, 57) + "..." : text;
}
