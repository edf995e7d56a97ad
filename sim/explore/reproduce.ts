/**
 * The one line that reproduces a failure: `miou sim PROGRAM.js --domains N --input
 * DIR/input.jsonl --schedule DIR/schedule.txt` (plus the engine and budgets when they are
 * not the defaults), with paths relative to the current folder when that is shorter, and
 * no spaces inside any argument, so it can be copied and pasted as it is.
 */
import { isAbsolute, join, relative } from "node:path";
import { DEFAULT_MAX_DECISIONS } from "../simulate.js";

export interface ReproParts {
  readonly program: string;
  /** The failure's folder (input.jsonl and schedule.txt). */
  readonly dir: string;
  readonly domains: number;
  readonly engine: string;
  readonly maxDecisions: number;
  readonly pollTick_ns: number;
}

/** A path as short as it can be said from the current folder. */
export function shortPath(path: string): string {
  const rel = relative(process.cwd(), path);
  if (rel === "") return ".";
  return rel.startsWith("..") || isAbsolute(rel) ? (isAbsolute(path) ? path : rel) : rel;
}

/** Whether `path` can be written in a command line without quoting. */
export function plainPath(path: string): boolean {
  return !/[\s'"\\$`;&|<>()*?!#~]/.test(shortPath(path));
}

/** The reproduction command of a failure folder. */
export function reproCommand(p: ReproParts): string {
  const args = ["miou", "sim", shortPath(p.program), "--domains", String(p.domains), "--input", shortPath(join(p.dir, "input.jsonl")), "--schedule", shortPath(join(p.dir, "schedule.txt"))];
  if (p.engine !== "quickjs") args.push("--engine", p.engine);
  if (p.maxDecisions !== DEFAULT_MAX_DECISIONS) args.push("--max-decisions", String(p.maxDecisions));
  if (p.pollTick_ns !== 0) args.push("--poll-tick", String(p.pollTick_ns));
  return args.join(" ");
}
