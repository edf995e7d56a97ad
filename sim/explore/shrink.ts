/**
 * Shrinking a failing run (delta debugging, Zeller and Hildebrandt 2002): smaller inputs
 * and schedules are tried while the same failure (kind, error name and message) still
 * happens. The moves, repeated until none helps or the run budget is spent:
 * 1. shorten the horizon: keep only the events before some time (binary search);
 * 2. drop events, in chunks halving down to one;
 * 3. drop faults: an event's delay, jitter or reorder is undone (back to its own time),
 *    a clock jump is removed;
 * 4. shorten the schedule: keep a prefix of its picks and draws, the rest falling back
 *    to round-robin and 0.
 * Candidates replay leniently (a pick that cannot run falls back); each accepted one
 * keeps the schedule its run actually made, so the result replays exactly.
 */
import { performance } from "node:perf_hooks";
import type { Failure } from "./failure.js";
import { sameFailure } from "./failure.js";
import type { MutatedEvent, MutatedInput } from "./faults.js";
import type { Program, RunRecord } from "./run-once.js";
import type { Schedule } from "./schedule.js";
import { replay } from "./trial.js";

export const DEFAULT_MAX_RUNS = 400;
export const DEFAULT_MAX_SECONDS = 120;

/** How big a failing run is. */
export interface ShrinkSize {
  readonly events: number;
  /** Faults on the events left, and clock jumps. */
  readonly faults: number;
  /** Picks, draws and jumps of the schedule. */
  readonly choices: number;
  /** The time of the last event (0 with none). */
  readonly horizon_ns: number;
}

export interface ShrinkRequest {
  readonly program: Program;
  readonly input: MutatedInput;
  readonly schedule: Schedule;
  /** The failure to keep. */
  readonly target: Failure;
  readonly maxDecisions: number;
  readonly pollTick_ns: number;
  /** Runs allowed, the first check included; default 400. */
  readonly maxRuns?: number;
  /** Time allowed, in seconds; default 120. Shrinking stops with the smallest run found so far. */
  readonly maxSeconds?: number;
}

export interface ShrinkResult {
  readonly input: MutatedInput;
  readonly schedule: Schedule;
  /** The final run, replayed exactly, with its decision trace. */
  readonly run: RunRecord;
  readonly before: ShrinkSize;
  readonly after: ShrinkSize;
  readonly runs: number;
}

/** The failing run cannot be shrunk: it does not fail the same way when replayed. */
export class NotReproduced extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotReproduced";
  }
}

export function shrinkSize(input: MutatedInput, schedule: Schedule): ShrinkSize {
  let faults = schedule.jumps.length;
  for (const e of input.events) faults += e.faults.length;
  return {
    events: input.events.length,
    faults,
    choices: schedule.picks.length + schedule.draws.length + schedule.jumps.length,
    horizon_ns: input.events.at(-1)?.at_ns ?? 0,
  };
}

/** Lexicographic: fewer events first, then fewer faults, then fewer choices. */
function smaller(a: ShrinkSize, b: ShrinkSize): boolean {
  if (a.events !== b.events) return a.events < b.events;
  if (a.faults !== b.faults) return a.faults < b.faults;
  return a.choices < b.choices;
}

interface State {
  events: MutatedEvent[];
  schedule: Schedule;
}

/**
 * Shrinks a failing run.
 * @throws NotReproduced when the run given does not fail with `target` on replay.
 */
export async function shrink(request: ShrinkRequest): Promise<ShrinkResult> {
  const maxRuns = request.maxRuns ?? DEFAULT_MAX_RUNS;
  const deadline_ms = performance.now() + 1000 * (request.maxSeconds ?? DEFAULT_MAX_SECONDS);
  const dropped = request.input.dropped;
  let runs = 0;
  const attempt = async (events: MutatedEvent[], schedule: Schedule): Promise<RunRecord | null> => {
    runs++;
    const { run } = await replay(request.program, events, schedule, { maxDecisions: request.maxDecisions, pollTick_ns: request.pollTick_ns, keepLines: false, strict: false });
    return run.failure !== null && sameFailure(run.failure, request.target) ? run : null;
  };
  const first = await attempt([...request.input.events], request.schedule);
  if (first === null) throw new NotReproduced(`the run does not fail with ${request.target.name}: ${request.target.message.split("\n")[0]} when replayed`);
  const state: State = { events: [...request.input.events], schedule: first.schedule };
  const before = shrinkSize(request.input, request.schedule);
  const budgetLeft = () => runs < maxRuns && performance.now() < deadline_ms;

  /** Tries a candidate; adopts it (with the schedule its run made) when it fails the same way and is smaller. */
  const tryCandidate = async (events: MutatedEvent[], schedule: Schedule): Promise<boolean> => {
    if (!budgetLeft()) return false;
    const current = shrinkSize({ events: state.events, dropped }, state.schedule);
    if (!smaller(shrinkSize({ events, dropped }, schedule), current)) return false;
    const run = await attempt(events, schedule);
    if (run === null || !smaller(shrinkSize({ events, dropped }, run.schedule), current)) return false;
    state.events = events;
    state.schedule = run.schedule;
    return true;
  };

  for (let progress = true; progress && budgetLeft(); ) {
    progress = false;
    // 1. The horizon: the shortest prefix of the events (they are in time order).
    {
      let lo = 0;
      let hi = state.events.length;
      while (lo < hi && budgetLeft()) {
        const mid = Math.floor((lo + hi) / 2);
        if (await tryCandidate(state.events.slice(0, mid), state.schedule)) {
          hi = mid;
          progress = true;
        } else lo = mid + 1;
        hi = Math.min(hi, state.events.length);
      }
    }
    // 2. Events, in chunks.
    for (let chunk = Math.ceil(state.events.length / 2); chunk >= 1 && budgetLeft(); ) {
      let removed = false;
      for (let i = 0; i < state.events.length && budgetLeft(); ) {
        const candidate = [...state.events.slice(0, i), ...state.events.slice(i + chunk)];
        if (await tryCandidate(candidate, state.schedule)) removed = progress = true;
        else i += chunk;
      }
      if (!removed) chunk = chunk === 1 ? 0 : Math.ceil(chunk / 2);
    }
    // 3. Faults: undo an event's time fault; remove a clock jump.
    for (let i = 0; i < state.events.length && budgetLeft(); i++) {
      const e = state.events[i]!;
      const timed = e.faults.filter((f) => f !== "duplicate");
      if (timed.length === 0) continue;
      if (await tryCandidate(undoTimeFaults(state.events, i), state.schedule)) {
        progress = true;
        i = -1;
      }
    }
    for (let i = 0; i < state.schedule.jumps.length && budgetLeft(); ) {
      const jumps = state.schedule.jumps.filter((_, j) => j !== i);
      if (await tryCandidate(state.events, { ...state.schedule, jumps })) progress = true;
      else i++;
    }
    // 4. The schedule's horizon: a prefix of its picks, then of its draws.
    for (const list of ["picks", "draws"] as const) {
      let lo = 0;
      let hi = state.schedule[list].length;
      while (lo < hi && budgetLeft()) {
        const mid = Math.floor((lo + hi) / 2);
        if (await tryCandidate(state.events, { ...state.schedule, [list]: state.schedule[list].slice(0, mid) })) {
          progress = true;
          hi = Math.min(mid, state.schedule[list].length);
        } else lo = mid + 1;
      }
    }
  }
  // The result replays exactly: its schedule is the one its run made.
  const final = await replay(request.program, state.events, state.schedule, { maxDecisions: request.maxDecisions, pollTick_ns: request.pollTick_ns, keepLines: true, strict: true });
  runs++;
  if (final.run.failure === null || !sameFailure(final.run.failure, request.target)) {
    throw new NotReproduced(`the shrunk run did not fail the same way on an exact replay (${final.divergence ?? "no divergence"}): a nondeterministic program?`);
  }
  const input: MutatedInput = { events: state.events, dropped };
  return { input, schedule: final.run.schedule, run: final.run, before, after: shrinkSize(input, final.run.schedule), runs };
}

/**
 * The events with event `i`'s delay, jitter and reorder undone: back at its own time,
 * placed among the others by (time, original line).
 */
function undoTimeFaults(events: readonly MutatedEvent[], i: number): MutatedEvent[] {
  const e = events[i]!;
  const restored: MutatedEvent = { ...e, at_ns: e.original_ns, faults: e.faults.filter((f) => f === "duplicate") };
  const rest = [...events.slice(0, i), ...events.slice(i + 1)];
  let at = 0;
  while (at < rest.length && (rest[at]!.at_ns < restored.at_ns || (rest[at]!.at_ns === restored.at_ns && rest[at]!.line <= restored.line))) at++;
  rest.splice(at, 0, restored);
  return rest;
}
