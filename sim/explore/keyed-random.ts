/**
 * Randomness of an exploration, all derived from the seed with 32-bit integer arithmetic
 * (DESIGN §7). Fault decisions are *keyed*: a pure function of (seed, stream, key), where
 * the key is an event's original line or a host call's number. So removing an event does
 * not change the faults of the others, unlike draws from one shared stream.
 */
import { Prng } from "../../runtime/prng.js";

/** The independent streams a seed drives; each fault kind has its own. */
export const Stream = {
  Drop: 1,
  Duplicate: 2,
  Delay: 3,
  DelayAmount: 4,
  Reorder: 5,
  Jitter: 6,
  JitterAmount: 7,
  ClockJump: 8,
  Picks: 9,
  Draws: 10,
} as const;

export type Stream = (typeof Stream)[keyof typeof Stream];

/** murmur3's 32-bit finaliser: every input bit flips about half of the output bits. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of (seed, stream, key); `key` is a safe integer >= 0. */
export function keyedHash(seed: number, stream: Stream, key: number): number {
  let h = fmix32((seed ^ Math.imul(stream, 0x9e3779b9)) >>> 0);
  h = fmix32((h ^ (key >>> 0)) >>> 0);
  // Keys beyond 2^32 (host call numbers never get there, lines neither): fold the high part in.
  const high = Math.floor(key / 4294967296);
  return high === 0 ? h : fmix32((h ^ high) >>> 0);
}

/** A number in [0, 1) keyed by (seed, stream, key). */
export function keyedUniform(seed: number, stream: Stream, key: number): number {
  return keyedHash(seed, stream, key) / 4294967296;
}

/** Whether the event (or call) `key` gets the fault of `stream`, with probability `p`. */
export function keyedChance(seed: number, stream: Stream, key: number, p: number): boolean {
  return p > 0 && keyedUniform(seed, stream, key) < p;
}

/** An integer in [0, bound) keyed by (seed, stream, key); exact for bound <= 2^21. */
export function keyedBelow(seed: number, stream: Stream, key: number, bound: number): number {
  return Math.floor(keyedUniform(seed, stream, key) * bound);
}

/** A sequential generator for `stream` of `seed` (domain picks, tie-break draws). */
export function streamPrng(seed: number, stream: Stream): Prng {
  return new Prng(keyedHash(seed, stream, 0));
}
