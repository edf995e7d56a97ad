/**
 * The bundle's `Math.random` (DESIGN §4): the core's mulberry32, seeded from the run's
 * seed, so programs that use it are deterministic and replayable on every engine (32-bit
 * integer arithmetic only). Reseeded at the start of every run.
 */
import { Prng } from "../runtime/prng.js";

/** Kept apart from the scheduler's own draws, which the same seed also starts. */
const STREAM = 0x9e3779b9;

let prng = new Prng(STREAM);

/** Restarts the stream for a run with `seed` (an integer in [0, 2^32), already checked). */
export function reseedRandom(seed: number): void {
  prng = new Prng((seed ^ STREAM) >>> 0);
}

/** A number in [0, 1) with 32 random bits, like `Math.random`. */
export function random(): number {
  return prng.next() / 4294967296;
}
