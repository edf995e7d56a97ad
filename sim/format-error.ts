/**
 * Errors in files the user hands to the simulator (input traces, decision traces,
 * scenario files), located as `FILE:LINE: what is wrong` (DESIGN §7).
 */

/** One problem at one line of one file. */
export interface FormatProblem {
  readonly file: string;
  /** 1-based line number; 0 when the problem is about the whole file. */
  readonly line: number;
  readonly message: string;
}

/** Formats a problem the way every reader reports it: `FILE:LINE: message`. */
export function formatProblem(problem: FormatProblem): string {
  return problem.line > 0 ? `${problem.file}:${problem.line}: ${problem.message}` : `${problem.file}: ${problem.message}`;
}

/**
 * A file was rejected. `problems` lists every problem found (at most
 * {@link MAX_PROBLEMS}); the message holds one `FILE:LINE: ...` line per problem.
 *
 * @example
 * try { parseInputTrace(text, "events.jsonl"); }
 * catch (e) { if (e instanceof FormatError) console.error(e.message); } // events.jsonl:3: ...
 */
export class FormatError extends Error {
  readonly problems: readonly FormatProblem[];

  constructor(problems: readonly FormatProblem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "FormatError";
    this.problems = problems;
  }
}

/** A file with thousands of bad lines is reported by its first ones: more would be noise. */
export const MAX_PROBLEMS = 20;

/** Collects problems while a reader walks a file, and throws them all at the end. */
export class ProblemList {
  readonly #problems: FormatProblem[] = [];
  #more = 0;

  constructor(readonly file: string) {}

  add(line: number, message: string): void {
    if (this.#problems.length < MAX_PROBLEMS) this.#problems.push({ file: this.file, line, message });
    else this.#more++;
  }

  get empty(): boolean {
    return this.#problems.length === 0;
  }

  /** Throws a FormatError when any problem was added. */
  throwIfAny(): void {
    if (this.empty) return;
    const problems = [...this.#problems];
    if (this.#more > 0) problems.push({ file: this.file, line: 0, message: `${this.#more} more problems not shown` });
    throw new FormatError(problems);
  }
}
