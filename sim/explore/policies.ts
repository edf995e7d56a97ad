/**
 * Exploration policies (`--policy`): which domain takes the next turn when two or more
 * could (DESIGN §5). Each is driven by the seed alone, so a seed's run is the same on
 * any worker and any shard.
 * - `rr`: round-robin, the first runnable domain after the previous turn's;
 * - `random`: a domain drawn uniformly among the runnable ones;
 * - `pct:D`: probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010) with
 *   depth D (default 3): domains get random distinct priorities and the highest-priority
 *   runnable domain runs; at D - 1 change points drawn among the run's first `horizon`
 *   choices, the domain about to run is demoted below every other. A bug that needs D
 *   ordering constraints is found with probability at least 1/(n k^(D-1)) per seed.
 */
import { roundRobin } from "./schedule.js";
import { Stream, streamPrng } from "./keyed-random.js";

export type PolicySpec = { readonly kind: "rr" } | { readonly kind: "random" } | { readonly kind: "pct"; readonly depth: number };

export const DEFAULT_POLICY: PolicySpec = { kind: "random" };
export const DEFAULT_PCT_DEPTH = 3;

/** Picks the domain of a turn among `runnable` (two or more uids, ascending). */
export interface PickSource {
  pick(runnable: readonly number[], previous: number): number;
}

/** A policy the user got wrong. */
export class PolicySpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicySpecError";
  }
}

/**
 * Reads `rr`, `random`, `pct` or `pct:D` (D in [1, 16]).
 * @throws PolicySpecError for anything else.
 */
export function parsePolicy(text: string): PolicySpec {
  if (text === "rr") return { kind: "rr" };
  if (text === "random") return { kind: "random" };
  const m = /^pct(?::(\d+))?$/.exec(text);
  const depth = m === null ? NaN : m[1] === undefined ? DEFAULT_PCT_DEPTH : Number(m[1]);
  if (!(depth >= 1 && depth <= 16)) throw new PolicySpecError(`the policy is rr, random or pct:D with a depth D in [1, 16] (default ${DEFAULT_PCT_DEPTH}), got ${JSON.stringify(text)}`);
  return { kind: "pct", depth };
}

export function formatPolicy(spec: PolicySpec): string {
  return spec.kind === "pct" ? `pct:${spec.depth}` : spec.kind;
}

/**
 * The picks of `seed`'s run. `horizon` is PCT's estimate of how many choices a run makes
 * (the choices of a round-robin run of the same program and input, see explore.ts).
 */
export function makePolicy(spec: PolicySpec, seed: number, domains: number, horizon: number): PickSource {
  switch (spec.kind) {
    case "rr":
      return { pick: roundRobin };
    case "random": {
      const prng = streamPrng(seed, Stream.Picks);
      return { pick: (runnable) => runnable[prng.below(runnable.length)]! };
    }
    case "pct":
      return new Pct(seed, domains, spec.depth, horizon);
  }
}

/**
 * PCT is not fair: a domain spinning on `yield` while it waits for another would keep the
 * top priority forever and the run would end as a livelock, a bug of the policy, not the
 * program. A runnable domain passed over this many times in a row is picked.
 */
export const PCT_STARVATION_LIMIT = 1000;

class Pct implements PickSource {
  readonly #priority: number[] = [];
  /** Choice number -> the priority the domain about to run drops to. */
  readonly #changes = new Map<number, number>();
  readonly #passedOver: number[] = [];
  #choice = 0;

  constructor(seed: number, domains: number, depth: number, horizon: number) {
    const prng = streamPrng(seed, Stream.Picks);
    const n = domains + 1;
    // A random permutation (Fisher-Yates) of the priorities depth .. depth + n - 1.
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = prng.below(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (let d = 0; d < n; d++) {
      this.#priority[d] = depth + order[d]!;
      this.#passedOver[d] = 0;
    }
    // Change point j (1-based) demotes to priority j: below every initial priority.
    for (let j = 1; j < depth; j++) {
      const at = 1 + prng.below(Math.max(1, horizon));
      if (!this.#changes.has(at)) this.#changes.set(at, j);
    }
  }

  pick(runnable: readonly number[]): number {
    const choice = ++this.#choice;
    let chosen = this.#starved(runnable) ?? this.#best(runnable);
    const demoted = this.#changes.get(choice);
    if (demoted !== undefined) {
      this.#priority[chosen] = demoted;
      chosen = this.#starved(runnable) ?? this.#best(runnable);
    }
    for (const uid of runnable) this.#passedOver[uid] = uid === chosen ? 0 : this.#passedOver[uid]! + 1;
    return chosen;
  }

  #best(runnable: readonly number[]): number {
    let best = runnable[0]!;
    for (const uid of runnable) if (this.#priority[uid]! > this.#priority[best]!) best = uid;
    return best;
  }

  #starved(runnable: readonly number[]): number | null {
    for (const uid of runnable) if (this.#passedOver[uid]! >= PCT_STARVATION_LIMIT) return uid;
    return null;
  }
}
