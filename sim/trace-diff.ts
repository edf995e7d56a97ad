/**
 * The first difference between two decision traces (`miou diff`): records are compared
 * as the text the guest wrote, which is byte-identical for the same decisions on every
 * engine (docs/formats.md), so the first line that differs is the first decision that
 * differs. Headers are compared apart: two runs of one program may differ in their
 * header (another input file) and still make the same decisions.
 */
import { parseDecisionTrace } from "./decision-trace.js";
import { numberedLines, type NumberedLine } from "./json-lines.js";

/** A decision trace read for comparison: checked, then kept as numbered lines. */
export interface TraceText {
  readonly file: string;
  readonly header: Readonly<Record<string, unknown>>;
  /** The records' lines, after the header. */
  readonly records: readonly NumberedLine[];
}

/** Where two traces part. */
export interface TraceDifference {
  /** 0-based index of the first differing decision (its `seq` is index + 1). */
  readonly index: number;
  /** The differing record of each trace, or null where that trace had ended. */
  readonly a: NumberedLine | null;
  readonly b: NumberedLine | null;
  /** The identical records just before it (at most the context asked for). */
  readonly context: readonly NumberedLine[];
  /** The fields whose values differ, when both records are there. */
  readonly fields: readonly string[];
}

/**
 * Reads a decision trace for comparison, checking it like every reader does.
 * @throws FormatError as `FILE:LINE: what is wrong`.
 */
export function readTraceText(text: string, file: string): TraceText {
  parseDecisionTrace(text, file);
  const lines = numberedLines(text);
  return { file, header: JSON.parse(lines[0]!.text) as Record<string, unknown>, records: lines.slice(1) };
}

/** The first differing decision of `a` and `b` with up to `context` records before it, or null when they are the same. */
export function firstDifference(a: TraceText, b: TraceText, context = 3): TraceDifference | null {
  const n = Math.max(a.records.length, b.records.length);
  for (let i = 0; i < n; i++) {
    const ra = a.records[i] ?? null;
    const rb = b.records[i] ?? null;
    if (ra !== null && rb !== null && ra.text === rb.text) continue;
    return {
      index: i,
      a: ra,
      b: rb,
      context: a.records.slice(Math.max(0, i - context), i),
      fields: ra === null || rb === null ? [] : differingFields(ra.text, rb.text),
    };
  }
  return null;
}

/** The header fields whose values differ (the format's `miou` and `v` included). */
export function headerDifferences(a: TraceText, b: TraceText): string[] {
  const fields = new Set([...Object.keys(a.header), ...Object.keys(b.header)]);
  return [...fields].filter((f) => JSON.stringify(a.header[f]) !== JSON.stringify(b.header[f]));
}

function differingFields(a: string, b: string): string[] {
  const ra = JSON.parse(a) as Record<string, unknown>;
  const rb = JSON.parse(b) as Record<string, unknown>;
  const fields = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  return [...fields].filter((f) => JSON.stringify(ra[f]) !== JSON.stringify(rb[f]));
}
