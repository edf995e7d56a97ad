/**
 * Choosers answer the two questions a run asks its simulator: which domain takes a turn
 * when two or more could, and what a random draw gives (the core's tie-breaks). An
 * exploring chooser answers from the seed; a replaying one from a schedule; a recording
 * one wraps either and keeps what was answered, which becomes the run's schedule.
 */
import type { Prng } from "../../runtime/prng.js";
import type { PickSource } from "./policies.js";
import { roundRobin, type Draw, type Schedule } from "./schedule.js";

/** What the embedder asks (platform/quickjs/guest-run.ts, GuestChoices). */
export interface Chooser {
  /** The domain of the next turn among `runnable` (two or more uids, ascending); `previous` is the last turn's domain, -1 at first. */
  pick(runnable: readonly number[], previous: number): number;
  /** A draw in [0, bound), bound >= 2. */
  draw(bound: number): number;
}

/** The choices of a seed: picks by its policy, draws from its own stream. */
export function exploringChooser(policy: PickSource, draws: Prng): Chooser {
  return { pick: (runnable, previous) => policy.pick(runnable, previous), draw: (bound) => draws.below(bound) };
}

/** A replay that cannot follow its schedule: the program, input or flags are not those the schedule was made with. */
export class ScheduleDiverged extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScheduleDiverged";
  }
}

/**
 * Replays a schedule's picks and draws; past their end, the fallback (round-robin picks,
 * draws of 0). Strict (`miou sim --schedule`): a pick that cannot run or a draw with
 * another bound is a divergence, thrown as ScheduleDiverged and kept in `divergence`.
 * Lenient (shrinking, where the input changes under the schedule): the fallback instead.
 */
export class ReplayChooser implements Chooser {
  divergence: string | null = null;
  #pick = 0;
  #draw = 0;

  constructor(
    readonly schedule: Pick<Schedule, "picks" | "draws">,
    readonly strict: boolean,
  ) {}

  pick(runnable: readonly number[], previous: number): number {
    const i = this.#pick++;
    const fallback = roundRobin(runnable, previous);
    if (i >= this.schedule.picks.length) return fallback;
    const uid = this.schedule.picks[i]!;
    if (runnable.includes(uid)) return uid;
    return this.#diverged(`pick ${i + 1} of the schedule is domain ${uid}, but the domains that can run are ${runnable.join(", ")}`, fallback);
  }

  draw(bound: number): number {
    const i = this.#draw++;
    if (i >= this.schedule.draws.length) return 0;
    const d = this.schedule.draws[i]!;
    if (d.bound === bound) return d.value;
    return this.#diverged(`draw ${i + 1} of the schedule is ${d.value}/${d.bound}, but the run draws in [0, ${bound})`, d.value % bound);
  }

  #diverged(message: string, fallback: number): number {
    if (!this.strict) return fallback;
    this.divergence ??= message;
    throw new ScheduleDiverged(`the replay diverged from its schedule: ${message}`);
  }
}

/** Wraps a chooser and keeps its answers: the run's schedule. */
export class RecordingChooser implements Chooser {
  readonly picks: number[] = [];
  readonly draws: Draw[] = [];
  /** Index of the last pick that differs from the fallback, and of the last draw that is not 0. */
  #lastPick = -1;
  #lastDraw = -1;

  constructor(readonly inner: Chooser) {}

  pick(runnable: readonly number[], previous: number): number {
    const uid = this.inner.pick(runnable, previous);
    this.picks.push(uid);
    if (uid !== roundRobin(runnable, previous)) this.#lastPick = this.picks.length - 1;
    return uid;
  }

  draw(bound: number): number {
    const value = this.inner.draw(bound);
    this.draws.push({ value, bound });
    if (value !== 0) this.#lastDraw = this.draws.length - 1;
    return value;
  }

  /** How many choices were asked (picks and draws), fallbacks included. */
  get choices(): number {
    return this.picks.length + this.draws.length;
  }

  /** The picks, without the trailing ones a replay's fallback makes anyway. */
  trimmedPicks(): number[] {
    return this.picks.slice(0, this.#lastPick + 1);
  }

  /** The draws, without the trailing zeros. */
  trimmedDraws(): Draw[] {
    return this.draws.slice(0, this.#lastDraw + 1);
  }
}
