/**
 * The run's seeded pseudo-random generator (mulberry32). Pure 32-bit integer arithmetic,
 * so every engine draws the same numbers for the same seed (DESIGN §7).
 */
export class Prng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed | 0;
  }

  /** The next unsigned 32-bit value. */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) | 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** An integer in [0, bound). Exact for bound <= 2^21 (the product stays a safe integer). */
  below(bound: number): number {
    return Math.floor((this.next() * bound) / 4294967296);
  }
}

/** Checks a seed: an integer in [0, 2^32). */
export function checkSeed(seed: unknown): number {
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed >= 4294967296) {
    throw new RangeError(`Miou.run: seed must be an integer in [0, 2^32), got ${String(seed)}`);
  }
  return seed;
}
