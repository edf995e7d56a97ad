// Exploration progress (sim/explore/progress.ts): a bar redrawn in place on a terminal,
// plain lines every few seconds otherwise; and how run ends are classified as failures.
import { describe, expect, it } from "vitest";
import { describeFailure, failureExitCode, failureOf } from "../../sim/explore/failure.js";
import { formatEta, ProgressReporter, progressText } from "../../sim/explore/progress.js";

const at = (done: number, elapsed_ms: number, failures = 0) => ({ done, total: 100, failures, elapsed_ms });

describe("progress", () => {
  it("says seeds done, failures, seeds per second and the time left", () => {
    expect(progressText(at(20, 4000, 1))).toBe("20/100 seeds, 1 failing, 5.0 seeds/s, 16 s left");
    expect(formatEta(125)).toBe("2 min 5 s");
    expect(formatEta(7300)).toBe("2 h 1 min");
  });

  it("on a terminal, redraws one bar in place, at most every 100 ms, and clears it at the end", () => {
    const writes: string[] = [];
    const p = new ProgressReporter({ tty: true, write: (t) => writes.push(t), width: 10 });
    p.update(at(10, 50));
    p.update(at(11, 60));
    p.update(at(50, 200, 2));
    p.finish();
    expect(writes).toEqual([
      "\r\x1b[2K[#.........] 10/100 seeds, 0 failing, 200 seeds/s, 0 s left",
      "\r\x1b[2K[#####.....] 50/100 seeds, 2 failing, 250 seeds/s, 0 s left",
      "\r\x1b[2K",
    ]);
  });

  it("elsewhere, writes a plain line per interval, and the last state at the end", () => {
    const writes: string[] = [];
    const p = new ProgressReporter({ tty: false, write: (t) => writes.push(t), interval_ms: 1000 });
    for (let ms = 100; ms <= 2500; ms += 100) p.update(at(ms / 100, ms));
    p.finish();
    p.finish();
    expect(writes).toEqual([
      "explore: 10/100 seeds, 0 failing, 10 seeds/s, 9 s left\n",
      "explore: 20/100 seeds, 0 failing, 10 seeds/s, 8 s left\n",
      "explore: 25/100 seeds, 0 failing, 10 seeds/s, 8 s left\n",
    ]);
  });
});

describe("failures", () => {
  it("classifies every end of a run, with the exit code of DESIGN §7", () => {
    const error = (name: string, message = "m") => ({ name, message });
    const cases = [
      [{ kind: "failed", error: error("TypeError") }, "error", 1],
      [{ kind: "failed", error: error("NotAChild") }, "rule", 1],
      [{ kind: "failed", error: error("InvariantFailed") }, "invariant", 1],
      [{ kind: "deadlock", error: error("Deadlock"), waiting: [] }, "deadlock", 3],
      [{ kind: "livelock", error: error("Livelock") }, "livelock", 4],
      [{ kind: "guest-stopped", error: error("GuestStopped", "guest exceeded its CPU budget of 5000 ms") }, "stopped", 4],
    ] as const;
    for (const [end, kind, exit] of cases) {
      const f = failureOf(end);
      expect(f?.kind).toBe(kind);
      expect(failureExitCode(f!.kind)).toBe(exit);
    }
    expect(failureOf({ kind: "ok", valueJSON: "1" })).toBeNull();
    expect(() => failureOf({ kind: "bad-program", error: error("SyntaxError") })).toThrow("SyntaxError: m");
    expect(describeFailure({ kind: "deadlock", name: "Deadlock", message: "Miou.Deadlock: stuck\n  task 1" })).toBe("deadlock: Deadlock: Miou.Deadlock: stuck");
  });
});
