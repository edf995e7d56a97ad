// Schedules (docs/formats.md, "Schedule"): the text format, its errors, and how a replay
// follows it, falls back past its end, or diverges.
import { describe, expect, it } from "vitest";
import { RecordingChooser, ReplayChooser, ScheduleDiverged } from "../../sim/explore/chooser.js";
import { formatSchedule, parseSchedule, roundRobin, type Schedule } from "../../sim/explore/schedule.js";
import { FormatError } from "../../sim/format-error.js";

const schedule: Schedule = {
  seed: 17,
  domains: 2,
  picks: [0, 1, 2, 2, 2, 1],
  draws: [
    { value: 1, bound: 2 },
    { value: 0, bound: 3 },
  ],
  jumps: [{ call: 12, ns: 1_000_000_000 }],
};

describe("the schedule format", () => {
  it("writes runs of picks compactly, and reads back what it wrote", () => {
    const text = formatSchedule(schedule, ["made by a test"]);
    expect(text).toBe("miou schedule 1\n# made by a test\nseed 17\ndomains 2\npicks 0 1 2*3 1\ndraws 1/2 0/3\njump 12 1000000000\n");
    expect(parseSchedule(text, "s.txt")).toEqual(schedule);
  });

  it("wraps long lists over several lines, read one after the other", () => {
    const picks = Array.from({ length: 100 }, (_, i) => i % 3);
    const text = formatSchedule({ ...schedule, picks });
    expect(text.split("\n").filter((l) => l.startsWith("picks ")).length).toBeGreaterThan(1);
    expect(parseSchedule(text, "s.txt").picks).toEqual(picks);
  });

  it.each([
    ["miou schedule 2\nseed 0\ndomains 0\n", "s.txt:1: unknown schedule version 2: this miou reads version 1"],
    ["seed 0\ndomains 0\n", 's.txt:1: the first line must be "miou schedule 1"'],
    ["miou schedule 1\nseed 0\n", 's.txt: missing "domains N"'],
    ["miou schedule 1\nseed 0\ndomains 1\npicks 0 x\n", 's.txt:4: a pick is a domain, or DOMAIN*COUNT for a run of picks, got "x"'],
    ["miou schedule 1\nseed 0\ndomains 1\npicks 0 1\npicks 1*3 2 3\n", "s.txt:5: a pick names domain 2, but the schedule has domains 0 to 1"],
    ["miou schedule 1\nseed 0\ndomains 1\ndraws 3/2\n", 's.txt:4: a draw is VALUE/BOUND with VALUE < BOUND, got "3/2"'],
    ["miou schedule 1\nseed 0\ndomains 1\njump 5 10\njump 5 10\n", "s.txt:5: jumps must be in increasing call order: call 5 after call 5"],
    ["miou schedule 1\nseed 0\nseed 1\ndomains 1\n", 's.txt:3: "seed" is given twice'],
    ["miou schedule 1\nseed 0\ndomains 1\nspeed 3\n", 's.txt:4: unknown entry "speed" (entries: seed, domains, picks, draws, jump)'],
  ])("rejects a bad schedule with FILE:LINE (%#)", (text, message) => {
    expect(() => parseSchedule(text, "s.txt")).toThrow(FormatError);
    expect(() => parseSchedule(text, "s.txt")).toThrow(message);
  });
});

describe("replaying a schedule", () => {
  it("makes the listed choices, then falls back to round-robin and draws of 0", () => {
    const c = new ReplayChooser({ picks: [2, 0], draws: [{ value: 2, bound: 3 }] }, true);
    expect(c.pick([0, 1, 2], -1)).toBe(2);
    expect(c.pick([0, 2], 2)).toBe(0);
    // Past the end: the first runnable domain after the previous turn's, cyclically.
    expect(c.pick([0, 1, 2], 0)).toBe(1);
    expect(c.pick([0, 1], 1)).toBe(0);
    expect(c.draw(3)).toBe(2);
    expect(c.draw(5)).toBe(0);
    expect(c.divergence).toBeNull();
  });

  it("strict: a pick that cannot run is a divergence, thrown and kept", () => {
    const c = new ReplayChooser({ picks: [2], draws: [] }, true);
    expect(() => c.pick([0, 1], -1)).toThrow(ScheduleDiverged);
    expect(c.divergence).toBe("pick 1 of the schedule is domain 2, but the domains that can run are 0, 1");
  });

  it("strict: a draw with another bound is a divergence", () => {
    const c = new ReplayChooser({ picks: [], draws: [{ value: 1, bound: 2 }] }, true);
    expect(() => c.draw(3)).toThrow("draw 1 of the schedule is 1/2, but the run draws in [0, 3)");
  });

  it("lenient (shrinking): the fallback instead of a divergence", () => {
    const c = new ReplayChooser({ picks: [2], draws: [{ value: 1, bound: 2 }] }, false);
    expect(c.pick([0, 1], 0)).toBe(1);
    expect(c.draw(3)).toBe(1);
    expect(c.divergence).toBeNull();
  });

  it("a recording keeps every answer and leaves out the trailing fallbacks", () => {
    const r = new RecordingChooser(new ReplayChooser({ picks: [1, 2, 0, 1], draws: [{ value: 1, bound: 2 }, { value: 0, bound: 2 }] }, true));
    // 1 after -1 is round-robin's own choice; 2 after 1 too; 0 after 2 too; 1 after 0 too.
    expect([r.pick([1, 2], -1), r.pick([0, 2], 1), r.pick([0, 1], 2), r.pick([0, 1], 0)]).toEqual([1, 2, 0, 1]);
    expect(r.trimmedPicks()).toEqual([]);
    expect([r.draw(2), r.draw(2)]).toEqual([1, 0]);
    expect(r.trimmedDraws()).toEqual([{ value: 1, bound: 2 }]);
    expect(r.choices).toBe(6);
  });

  it("round-robin takes the first runnable domain after the previous one, cyclically", () => {
    expect(roundRobin([0, 1, 2], -1)).toBe(0);
    expect(roundRobin([0, 1, 2], 1)).toBe(2);
    expect(roundRobin([0, 1], 2)).toBe(0);
    expect(roundRobin([1, 2], 1)).toBe(2);
  });
});
