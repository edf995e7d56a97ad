/**
 * Schedules (docs/formats.md, "Schedule"): the choices one run made, written so that
 * `miou sim --schedule FILE` makes exactly the same ones, whatever way seeds are turned
 * into choices later. A schedule holds the domain picked at every turn where two or more
 * domains could run, every random draw (tie-breaks), and the host clock jumps. A run
 * that goes past the end of a list carries on with the fallback: the next runnable
 * domain after the previous turn's (round-robin), draws of 0, no more jumps. So trailing
 * choices equal to the fallback are left out, and a round-robin run's picks are empty.
 */
import { ProblemList } from "../format-error.js";
import { numberedLines } from "../json-lines.js";

export const SCHEDULE_VERSION = 1;

/** A random draw: `value` in [0, `bound`). */
export interface Draw {
  readonly value: number;
  readonly bound: number;
}

/** Before host call number `call` (1-based, `now` and `select` counted), the host clock jumps `ns` ahead. */
export interface ClockJump {
  readonly call: number;
  readonly ns: number;
}

export interface Schedule {
  /** The run's seed: the guest's `Math.random` stream (Miou.runOn's `seed`). */
  readonly seed: number;
  /** Extra domains besides dom0. */
  readonly domains: number;
  /** The domain of each turn at which two or more domains could run, in order. */
  readonly picks: readonly number[];
  readonly draws: readonly Draw[];
  /** In increasing `call` order. */
  readonly jumps: readonly ClockJump[];
}

/**
 * The domain a run picks when its schedule has no more picks (or, while shrinking, when
 * the scheduled one cannot run): the first runnable domain after `previous`, cyclically.
 */
export function roundRobin(runnable: readonly number[], previous: number): number {
  for (const uid of runnable) if (uid > previous) return uid;
  return runnable[0]!;
}

const TOKENS_PER_LINE = 24;

/**
 * The schedule as text, with optional `# comment` lines after the version line.
 * @example formatSchedule({ seed: 3, domains: 2, picks: [1, 1, 1, 0], draws: [{ value: 1, bound: 2 }], jumps: [] })
 * // "miou schedule 1\nseed 3\ndomains 2\npicks 1*3 0\ndraws 1/2\n"
 */
export function formatSchedule(s: Schedule, comments: readonly string[] = []): string {
  const lines = [`miou schedule ${SCHEDULE_VERSION}`, ...comments.map((c) => `# ${c}`), `seed ${s.seed}`, `domains ${s.domains}`];
  const picks: string[] = [];
  for (let i = 0; i < s.picks.length; ) {
    let j = i + 1;
    while (j < s.picks.length && s.picks[j] === s.picks[i]) j++;
    picks.push(j - i === 1 ? String(s.picks[i]) : `${s.picks[i]}*${j - i}`);
    i = j;
  }
  wrap(lines, "picks", picks);
  wrap(lines, "draws", s.draws.map((d) => `${d.value}/${d.bound}`));
  for (const j of s.jumps) lines.push(`jump ${j.call} ${j.ns}`);
  return lines.join("\n") + "\n";
}

function wrap(lines: string[], keyword: string, tokens: readonly string[]): void {
  for (let i = 0; i < tokens.length; i += TOKENS_PER_LINE) lines.push(`${keyword} ${tokens.slice(i, i + TOKENS_PER_LINE).join(" ")}`);
}

const UINT = /^\d+$/;
/** The longest run of picks one DOMAIN*COUNT token may stand for (a typo must not eat the memory). */
const MAX_RUN = 10_000_000;

/**
 * Reads a schedule; `file` names it in messages.
 * @throws FormatError listing every bad line as `FILE:LINE: what is wrong`.
 */
export function parseSchedule(text: string, file: string): Schedule {
  const problems = new ProblemList(file);
  const lines = numberedLines(text).filter((l) => !l.text.trimStart().startsWith("#"));
  const first = lines[0];
  if (first === undefined || !/^miou schedule \d+$/.test(first.text.trim())) {
    problems.add(first?.line ?? 1, `the first line must be "miou schedule ${SCHEDULE_VERSION}", got ${JSON.stringify(first?.text ?? "")}`);
    problems.throwIfAny();
  }
  const version = Number(first!.text.trim().split(" ")[2]);
  if (version !== SCHEDULE_VERSION) {
    problems.add(first!.line, `unknown schedule version ${version}: this miou reads version ${SCHEDULE_VERSION}`);
    problems.throwIfAny();
  }
  let seed: number | null = null;
  let domains: number | null = null;
  const picks: number[] = [];
  /** The line of each pick token, checked against `domains` once the whole file is read. */
  const pickLines: { readonly domain: number; readonly line: number }[] = [];
  const draws: Draw[] = [];
  const jumps: ClockJump[] = [];
  const uint = (token: string | undefined, line: number, what: string, max = Number.MAX_SAFE_INTEGER): number | null => {
    const value = token !== undefined && UINT.test(token) ? Number(token) : NaN;
    if (!Number.isSafeInteger(value) || value > max) {
      problems.add(line, `${what} must be an integer in [0, ${max}], got ${JSON.stringify(token ?? "")}`);
      return null;
    }
    return value;
  };
  for (const { line, text: raw } of lines.slice(1)) {
    const [keyword, ...args] = raw.trim().split(/\s+/);
    switch (keyword) {
      case "seed":
      case "domains": {
        if (args.length !== 1) problems.add(line, `"${keyword}" takes one integer`);
        const value = uint(args[0], line, keyword, keyword === "seed" ? 2 ** 32 - 1 : 256);
        if ((keyword === "seed" ? seed : domains) !== null) problems.add(line, `"${keyword}" is given twice`);
        if (keyword === "seed") seed = value;
        else domains = value;
        break;
      }
      case "picks":
        for (const token of args) {
          const m = /^(\d+)(?:\*(\d+))?$/.exec(token);
          const count = m?.[2] === undefined ? 1 : Number(m[2]);
          if (m === null || count < 1 || count > MAX_RUN) {
            problems.add(line, `a pick is a domain, or DOMAIN*COUNT for a run of picks, got ${JSON.stringify(token)}`);
            continue;
          }
          for (let i = 0; i < count; i++) picks.push(Number(m[1]));
          pickLines.push({ domain: Number(m[1]), line });
        }
        break;
      case "draws":
        for (const token of args) {
          const m = /^(\d+)\/(\d+)$/.exec(token);
          if (m === null || Number(m[1]) >= Number(m[2])) {
            problems.add(line, `a draw is VALUE/BOUND with VALUE < BOUND, got ${JSON.stringify(token)}`);
            continue;
          }
          draws.push({ value: Number(m[1]), bound: Number(m[2]) });
        }
        break;
      case "jump": {
        if (args.length !== 2) {
          problems.add(line, `"jump" takes a host call number and a duration in ns, e.g. "jump 12 1000000000"`);
          break;
        }
        const call = uint(args[0], line, "the host call number");
        const ns = uint(args[1], line, "the jump (ns)");
        if (call === null || ns === null) break;
        if (call === 0 || ns === 0) problems.add(line, "a jump's call number and duration must be positive");
        else if (jumps.length > 0 && call <= jumps.at(-1)!.call) problems.add(line, `jumps must be in increasing call order: call ${call} after call ${jumps.at(-1)!.call}`);
        else jumps.push({ call, ns });
        break;
      }
      default:
        problems.add(line, `unknown entry ${JSON.stringify(keyword)} (entries: seed, domains, picks, draws, jump)`);
    }
  }
  if (seed === null) problems.add(0, 'missing "seed N"');
  if (domains === null) problems.add(0, 'missing "domains N"');
  const beyond = domains === null ? undefined : pickLines.find((p) => p.domain > domains!);
  if (beyond !== undefined) problems.add(beyond.line, `a pick names domain ${beyond.domain}, but the schedule has domains 0 to ${domains}`);
  problems.throwIfAny();
  return { seed: seed!, domains: domains!, picks, draws, jumps };
}

/** How many choices a schedule holds (picks, draws and jumps): its size for shrinking. */
export function scheduleSize(s: Schedule): number {
  return s.picks.length + s.draws.length + s.jumps.length;
}
