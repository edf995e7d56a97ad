/**
 * The `--faults` specification: which faults an exploration injects and how often.
 * `drop=0.05,duplicate=0.1,delay=0.1:5ms,reorder=0.05,clock-jump=0.01:1s,jitter=0.2:1ms`.
 * Nothing is injected unless asked (docs/formats.md, "Exploration faults").
 */

/** The fault kinds, in the order they are applied and written. */
export const FAULT_KINDS = ["drop", "duplicate", "delay", "reorder", "jitter", "clock-jump"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** A probability in [0, 1] and, for the timed kinds, a duration in ns. */
export interface FaultRate {
  readonly p: number;
  readonly ns: number;
}

/** How often each fault happens; p = 0 for the kinds not asked for. */
export type FaultSpec = { readonly [K in FaultKind]: FaultRate };

/** The durations used when a timed kind is given without one. */
export const DEFAULT_DURATION_NS: { readonly [K in FaultKind]: number } = {
  drop: 0,
  duplicate: 0,
  delay: 10_000_000,
  reorder: 0,
  jitter: 1_000_000,
  "clock-jump": 1_000_000_000,
};

const TIMED: readonly FaultKind[] = ["delay", "jitter", "clock-jump"];

/** No fault at all: the default. */
export const NO_FAULTS: FaultSpec = Object.freeze(
  Object.fromEntries(FAULT_KINDS.map((kind) => [kind, { p: 0, ns: DEFAULT_DURATION_NS[kind] }])) as FaultSpec,
);

const UNITS: Record<string, number> = { ns: 1, us: 1_000, ms: 1_000_000, s: 1_000_000_000 };

/** A fault specification the user got wrong: the message says what and how to write it. */
export class FaultSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FaultSpecError";
  }
}

/**
 * Reads a duration such as `5ms`, `1s`, `250us` or `100ns` into integer ns.
 * @throws FaultSpecError without a unit or with a negative or non-integer ns result.
 */
export function parseDuration(text: string, where: string): number {
  const m = /^(\d+(?:\.\d+)?)(ns|us|ms|s)$/.exec(text);
  if (m === null) throw new FaultSpecError(`${where}: a duration is a number with a unit (ns, us, ms or s), e.g. 5ms; got ${JSON.stringify(text)}`);
  const ns = Number(m[1]) * UNITS[m[2]!]!;
  if (!Number.isSafeInteger(ns) || ns <= 0) throw new FaultSpecError(`${where}: the duration must be a whole, positive number of ns, got ${JSON.stringify(text)}`);
  return ns;
}

/**
 * Reads a `--faults` value: comma-separated `kind=P` or, for delay, jitter and clock-jump,
 * `kind=P:DURATION`. An empty string or `none` is no fault.
 * @throws FaultSpecError naming the part that is wrong.
 * @example parseFaultSpec("drop=0.05,delay=0.1:5ms").delay // { p: 0.1, ns: 5000000 }
 */
export function parseFaultSpec(text: string): FaultSpec {
  const spec: Record<string, FaultRate> = { ...NO_FAULTS };
  if (text === "" || text === "none") return spec as FaultSpec;
  const seen = new Set<string>();
  for (const part of text.split(",")) {
    const eq = part.indexOf("=");
    const kind = (eq < 0 ? part : part.slice(0, eq)) as FaultKind;
    if (!FAULT_KINDS.includes(kind)) {
      throw new FaultSpecError(`unknown fault ${JSON.stringify(kind)} in ${JSON.stringify(part)} (faults: ${FAULT_KINDS.join(", ")})`);
    }
    if (seen.has(kind)) throw new FaultSpecError(`fault ${kind} is given twice`);
    seen.add(kind);
    if (eq < 0) throw new FaultSpecError(`fault ${kind} needs a probability, e.g. ${example(kind)}`);
    const [pText, durationText, ...rest] = part.slice(eq + 1).split(":");
    const p = /^(?:0|1|0?\.\d+|1\.0*)$/.test(pText!) ? Number(pText) : NaN;
    if (!(p >= 0 && p <= 1) || rest.length > 0) {
      throw new FaultSpecError(`fault ${kind}: expected a probability in [0, 1]${TIMED.includes(kind) ? " and an optional :DURATION" : ""}, e.g. ${example(kind)}; got ${JSON.stringify(part)}`);
    }
    if (durationText !== undefined && !TIMED.includes(kind)) throw new FaultSpecError(`fault ${kind} takes no duration, got ${JSON.stringify(part)}`);
    spec[kind] = { p, ns: durationText === undefined ? DEFAULT_DURATION_NS[kind] : parseDuration(durationText, `fault ${kind}`) };
  }
  return spec as FaultSpec;
}

function example(kind: FaultKind): string {
  return TIMED.includes(kind) ? `${kind}=0.1:${formatDuration(DEFAULT_DURATION_NS[kind])}` : `${kind}=0.1`;
}

/** A duration in its shortest exact unit: 5000000 -> "5ms". */
export function formatDuration(ns: number): string {
  for (const unit of ["s", "ms", "us"]) if (ns % UNITS[unit]! === 0) return `${ns / UNITS[unit]!}${unit}`;
  return `${ns}ns`;
}

/** The canonical text of a specification (kinds asked for, in FAULT_KINDS order), or "none". */
export function formatFaultSpec(spec: FaultSpec): string {
  const parts: string[] = [];
  for (const kind of FAULT_KINDS) {
    const { p, ns } = spec[kind];
    if (p === 0) continue;
    parts.push(TIMED.includes(kind) ? `${kind}=${p}:${formatDuration(ns)}` : `${kind}=${p}`);
  }
  return parts.length === 0 ? "none" : parts.join(",");
}

/** Whether any fault is asked for. */
export function anyFault(spec: FaultSpec): boolean {
  return FAULT_KINDS.some((kind) => spec[kind].p > 0);
}
