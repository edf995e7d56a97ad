/**
 * One seed of an exploration: the seed mutates the input (faults.ts), drives the policy's
 * picks, the draws and the clock jumps, and the run's choices come back as a schedule.
 */
import type { InputEvent } from "../input-trace.js";
import { exploringChooser, ReplayChooser } from "./chooser.js";
import type { FaultSpec } from "./fault-spec.js";
import { applyFaults, unmutated, type MutatedInput } from "./faults.js";
import { keyedJumps, NO_JUMPS, scheduledJumps } from "./jumping-host.js";
import { Stream, streamPrng } from "./keyed-random.js";
import { makePolicy, type PolicySpec } from "./policies.js";
import { runOnce, type Program, type RunEvent, type RunRecord } from "./run-once.js";
import type { Schedule } from "./schedule.js";

/** Everything an exploration runs each seed with. */
export interface ExploreSetup {
  readonly program: Program;
  /** The input trace as read (lines are the file's: fault decisions are keyed by them). */
  readonly events: readonly InputEvent[];
  readonly domains: number;
  readonly policy: PolicySpec;
  readonly faults: FaultSpec;
  readonly maxDecisions: number;
  readonly pollTick_ns: number;
  /** PCT's horizon: how many choices a run makes (see pctHorizon); unused by other policies. */
  readonly horizon: number;
}

/** A seed's run: its mutated input and what happened. */
export interface SeedRun {
  readonly seed: number;
  readonly input: MutatedInput;
  readonly run: RunRecord;
}

/** Runs seed `seed` of an exploration; `keepLines` keeps its decision trace. */
export async function runSeed(setup: ExploreSetup, seed: number, keepLines: boolean): Promise<SeedRun> {
  const input = applyFaults(setup.events, setup.faults, seed);
  const chooser = exploringChooser(makePolicy(setup.policy, seed, setup.domains, setup.horizon), streamPrng(seed, Stream.Draws));
  const run = await runOnce({
    program: setup.program,
    events: input.events,
    seed,
    domains: setup.domains,
    maxDecisions: setup.maxDecisions,
    pollTick_ns: setup.pollTick_ns,
    chooser,
    jumps: keyedJumps(seed, setup.faults["clock-jump"]),
    keepLines,
  });
  return { seed, input, run };
}

/**
 * PCT's horizon for a program and input: the choices of one round-robin run with no
 * fault and every draw 0. It depends on neither seed nor shard, so every worker and
 * every machine of a sharded exploration computes the same.
 */
export async function pctHorizon(setup: Omit<ExploreSetup, "horizon">): Promise<number> {
  if (setup.policy.kind !== "pct" || setup.domains === 0) return 1;
  const run = await runOnce({
    program: setup.program,
    events: unmutated(setup.events).events,
    seed: 0,
    domains: setup.domains,
    maxDecisions: setup.maxDecisions,
    pollTick_ns: setup.pollTick_ns,
    chooser: new ReplayChooser({ picks: [], draws: [] }, false),
    jumps: NO_JUMPS,
    keepLines: false,
  });
  return Math.max(1, run.choices);
}

/** What a replay needs besides the program, the events and the schedule. */
export interface ReplaySettings {
  readonly maxDecisions: number;
  readonly pollTick_ns: number;
  readonly keepLines: boolean;
  /** Strict: a choice the schedule cannot make is a divergence; lenient: the fallback is made. */
  readonly strict: boolean;
}

/** Replays `schedule` on `events`; `chooser.divergence` says whether a strict replay diverged. */
export async function replay(program: Program, events: readonly RunEvent[], schedule: Schedule, settings: ReplaySettings): Promise<{ run: RunRecord; divergence: string | null }> {
  const chooser = new ReplayChooser(schedule, settings.strict);
  const run = await runOnce({
    program,
    events,
    seed: schedule.seed,
    domains: schedule.domains,
    maxDecisions: settings.maxDecisions,
    pollTick_ns: settings.pollTick_ns,
    chooser,
    jumps: scheduledJumps(schedule.jumps),
    keepLines: settings.keepLines,
  });
  return { run, divergence: chooser.divergence };
}
