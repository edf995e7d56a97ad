/**
 * What the simulator tells its user at the end of a run: the one-line summary, and the
 * deadlock and livelock reports (DESIGN §6).
 */
import type { WaitingTask } from "../platform/quickjs/guest-driver.js";
import type { SimulationResult } from "./simulate.js";

/**
 * A virtual time for people: seconds with the ns kept exact, and the raw ns.
 * @example formatTime(1_500_000_000) // "1.5 s (1500000000 ns)"
 */
export function formatTime(at_ns: number): string {
  const seconds = Math.floor(at_ns / 1e9);
  const fraction = String(at_ns % 1e9).padStart(9, "0").replace(/0+$/, "");
  return `${seconds}${fraction === "" ? "" : "." + fraction} s (${at_ns} ns)`;
}

/**
 * The one-line summary of a run.
 * @example "virtual time 2 s (2000000000 ns), 38 decisions, 0 events delivered, 0 left"
 */
export function summaryLine(result: SimulationResult): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  return `virtual time ${formatTime(result.final_ns)}, ${plural(result.decisions, "decision")}, ${plural(result.delivered, "event")} delivered, ${result.left} left`;
}

/**
 * The deadlock report: the error's first line, then each waiting task and what it waits
 * on (a sleep deadline, a `recv` source, an awaited task...).
 */
export function deadlockReport(message: string, waiting: readonly WaitingTask[]): string {
  // The guest's message starts "Miou.Deadlock: " and lists the tasks itself: the report
  // keeps its reason and lists them from the structured snapshot.
  const headline = message.split("\n")[0]!.replace(/^Miou\.Deadlock: /, "");
  const lines = waiting.map((w) => `  task ${w.task} (${w.name}) on domain ${w.domain} waits on ${w.waitsOn}`);
  if (lines.length === 0) lines.push("  (no task is waiting)");
  return [`Deadlock: ${headline}`, ...lines].join("\n");
}

/**
 * The livelock report: the budget, and whether virtual time moved, which tells a task
 * spinning on a clock that cannot move from one that keeps working.
 */
export function livelockReport(maxDecisions: number, final_ns: number, pollTick_ns: number): string {
  const headline = `Livelock: the run made ${maxDecisions} decisions (--max-decisions) without finishing`;
  if (final_ns === 0) {
    const hint =
      pollTick_ns === 0
        ? "a task may be spinning (yield in a loop) on something only time can change, and time stands still while tasks run: try --poll-tick NS"
        : "even with --poll-tick, no poll happened: a task may be spinning without giving the scheduler a chance to poll";
    return `${headline}\n  virtual time did not move: it stayed at 0 ns; ${hint}`;
  }
  return `${headline}\n  virtual time moved, from 0 to ${formatTime(final_ns)}; if the program needs more decisions, raise --max-decisions`;
}
