/**
 * The CPU budget of a guest: the longest it may run between two host calls. The glue calls
 * the host at least every 4,096 turns (DESIGN §4), so only a runaway guest (a loop with no
 * operation in it) can exceed it. The budget re-arms on every return from a host call:
 * time spent blocked in `select` never counts.
 */
import { performance } from "node:perf_hooks";

/** The default budget, in ms. */
export const DEFAULT_CPU_BUDGET_MS = 5000;

/**
 * A budget armed at creation. Once exceeded it stays exceeded, so that a guest
 * interrupted in one frame cannot run on in another.
 *
 * @example
 * const budget = new CpuBudget(100);
 * runtime.setInterruptHandler(() => budget.exceeded());
 * // ...after every host call returns:
 * budget.rearm();
 */
export class CpuBudget {
  #armedAt = performance.now();
  #exceeded = false;

  /** @throws RangeError unless `ms` is a positive safe integer. */
  constructor(readonly ms: number) {
    if (!Number.isSafeInteger(ms) || ms <= 0) throw new RangeError(`the CPU budget must be a positive integer of ms, got ${ms}`);
  }

  /** Starts a new interval: the guest just got control back from the host. */
  rearm(): void {
    if (!this.#exceeded) this.#armedAt = performance.now();
  }

  /** Whether the guest has run longer than the budget since it was last re-armed (sticky). */
  exceeded(): boolean {
    if (!this.#exceeded && performance.now() - this.#armedAt > this.ms) this.#exceeded = true;
    return this.#exceeded;
  }

  /** Marks the budget exceeded: a watchdog elsewhere (a V8 guest's) found it so. */
  trip(): void {
    this.#exceeded = true;
  }

  /** Whether `exceeded()` has returned true, without looking at the clock. */
  get tripped(): boolean {
    return this.#exceeded;
  }
}
