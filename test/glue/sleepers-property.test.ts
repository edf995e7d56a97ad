// The sleepers property (issue 4, Checks): for random sets of sleeps, cancels and domains,
// every live sleeper wakes exactly at its deadline in virtual time, in (deadline,
// registration) order, and a cancelled one never.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as Miou from "../../platform/miou.js";
import { traceLines, virtualHost } from "./virtual-host.js";

const MS = 1_000_000;

interface Plan {
  domain: number;
  delay_ms: number;
  /** sleepUntil(delay) rather than sleep(delay): both start at virtual time 0. */
  absolute: boolean;
  /** Cancelled by main at this time when it is before the deadline; else left to wake. */
  cancel_ms: number | null;
}

const plan = fc.record({
  domain: fc.nat(3),
  // A small range, so that equal deadlines are common.
  delay_ms: fc.integer({ min: 0, max: 12 }),
  absolute: fc.boolean(),
  cancel_ms: fc.option(fc.integer({ min: 0, max: 12 })),
});

describe("sleepers", () => {
  it("wake exactly at their deadline, in (deadline, registration) order; cancelled ones never", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 }), fc.array(plan, { maxLength: 12 }), fc.integer({ min: 1, max: 8 }), (domains, plans, pollEvery) => {
        const sleepers = plans.map((p) => ({ ...p, domain: p.domain % (domains + 1) }));
        const cancelled = (s: Plan) => s.cancel_ms !== null && s.cancel_ms < s.delay_ms;
        const woke: Array<{ i: number; t: number; domain: number }> = [];
        const host = virtualHost();
        const tr = traceLines();

        function* sleeper(i: number) {
          const s = sleepers[i]!;
          if (s.absolute) yield* Miou.sleepUntil(s.delay_ms * MS);
          else yield* Miou.sleep(s.delay_ms);
          woke.push({ i, t: Miou.now(), domain: Miou.Domain.self() });
        }

        Miou.runOn(
          host,
          function* () {
            const ps = [];
            for (let i = 0; i < sleepers.length; i++) {
              const d = sleepers[i]!.domain;
              ps.push(d === 0 ? yield* Miou.async(sleeper, i) : yield* Miou.callWith({ pin: d }, sleeper, i));
            }
            const times = [...new Set(sleepers.filter(cancelled).map((s) => s.cancel_ms!))].sort((a, b) => a - b);
            for (const t of times) {
              yield* Miou.sleepUntil(t * MS);
              for (let i = 0; i < sleepers.length; i++) if (cancelled(sleepers[i]!) && sleepers[i]!.cancel_ms === t) yield* Miou.cancel(ps[i]!);
            }
            for (let i = 0; i < sleepers.length; i++) if (!cancelled(sleepers[i]!)) yield* Miou.awaitExn(ps[i]!);
          },
          { domains, pollEvery, trace: tr.trace },
        );

        // Registration order: the suspend records, sleeper i being task i + 2 (main is 1).
        const registered = tr
          .records()
          .filter((r) => r.kind === "suspend" && (r.task as number) >= 2)
          .map((r) => (r.task as number) - 2);
        const rank = (i: number) => registered.indexOf(i);

        // Every live sleeper woke once, a cancelled one never.
        const live = sleepers.map((s, i) => (cancelled(s) ? -1 : i)).filter((i) => i >= 0);
        expect(woke.map((w) => w.i).sort((a, b) => a - b)).toEqual(live);
        // Exactly at its deadline, on its own domain.
        for (const w of woke) {
          expect(w.t).toBe(sleepers[w.i]!.delay_ms * MS);
          expect(w.domain).toBe(sleepers[w.i]!.domain);
        }
        // Time never goes back from one wake to the next.
        for (let k = 1; k < woke.length; k++) expect(woke[k]!.t).toBeGreaterThanOrEqual(woke[k - 1]!.t);
        // On each domain, in (deadline, registration) order.
        for (let d = 0; d <= domains; d++) {
          const mine = woke.filter((w) => w.domain === d);
          for (let k = 1; k < mine.length; k++) {
            const a = mine[k - 1]!;
            const b = mine[k]!;
            expect(a.t < b.t || (a.t === b.t && rank(a.i) < rank(b.i))).toBe(true);
          }
        }
        // The host only ever waited for a live deadline or one of main's cancel times.
        const allowed = new Set([...sleepers.filter((s) => !cancelled(s)).map((s) => s.delay_ms * MS), ...sleepers.filter(cancelled).map((s) => s.cancel_ms! * MS)]);
        for (const s of host.selects) if (s.deadline !== null && s.deadline > s.at) expect(allowed.has(s.deadline)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
