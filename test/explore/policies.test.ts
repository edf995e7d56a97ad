// Exploration policies (sim/explore/policies.ts): each is a function of the seed.
import { describe, expect, it } from "vitest";
import { makePolicy, parsePolicy, PCT_STARVATION_LIMIT, PolicySpecError } from "../../sim/explore/policies.js";

const picks = (spec: string, seed: number, runnable: number[], n: number) => {
  const p = makePolicy(parsePolicy(spec), seed, 2, 50);
  let previous = -1;
  return Array.from({ length: n }, () => (previous = p.pick(runnable, previous)));
};

describe("policies", () => {
  it("reads rr, random, pct and pct:D, and nothing else", () => {
    expect(parsePolicy("rr")).toEqual({ kind: "rr" });
    expect(parsePolicy("random")).toEqual({ kind: "random" });
    expect(parsePolicy("pct")).toEqual({ kind: "pct", depth: 3 });
    expect(parsePolicy("pct:5")).toEqual({ kind: "pct", depth: 5 });
    for (const bad of ["fifo", "pct:0", "pct:x", "pct:99"]) expect(() => parsePolicy(bad)).toThrow(PolicySpecError);
  });

  it("rr cycles through the runnable domains", () => {
    expect(picks("rr", 0, [0, 1, 2], 6)).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it("random and pct give the same picks for the same seed, and other picks for other seeds", () => {
    for (const spec of ["random", "pct:3"]) {
      expect(picks(spec, 5, [0, 1, 2], 40)).toEqual(picks(spec, 5, [0, 1, 2], 40));
      const seeds = Array.from({ length: 8 }, (_, seed) => picks(spec, seed, [0, 1, 2], 40).join(""));
      expect(new Set(seeds).size).toBeGreaterThan(1);
    }
  });

  it("random picks every runnable domain, and only those", () => {
    const chosen = picks("random", 1, [0, 2], 200);
    expect(new Set(chosen)).toEqual(new Set([0, 2]));
  });

  it("pct runs the highest-priority domain until a change point demotes it", () => {
    // Depth 1: no change point, so one domain runs whenever it can.
    const chosen = picks("pct:1", 3, [0, 1, 2], 30);
    expect(new Set(chosen).size).toBe(1);
    // Depth 3 over a horizon of 50 choices: the top domain changes at most twice.
    const changes = picks("pct:3", 3, [0, 1, 2], 50).filter((d, i, all) => i > 0 && d !== all[i - 1]).length;
    expect(changes).toBeLessThanOrEqual(2);
  });

  it("pct picks a domain passed over too long, so a spinning task cannot starve the others", () => {
    const chosen = picks("pct:1", 0, [0, 1, 2], 3 * PCT_STARVATION_LIMIT + 10);
    expect(new Set(chosen)).toEqual(new Set([0, 1, 2]));
  });
});
