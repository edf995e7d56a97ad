// Divergence (issue 5 §5): when the program asks for a call the log does not hold, or
// sends other output, the replay stops at that call with exit 5 and reports the call
// number, what the log holds, what came, and the last decisions before it. The replay's
// decisions up to there are the recorded ones.
import { beforeAll, describe, expect, it } from "vitest";
import { parseBoundaryLog } from "../../sim/boundary-log.js";
import { CONTEXT_DECISIONS } from "../../sim/replay.js";
import { exitCode } from "../../tools/replay-command.js";
import { folder } from "../explore/cli-run.js";
import { recordSimulated, replayKept, type Recording } from "./helpers.js";

// Two sleepers: calls 1-3 are now() (the run's start and the two sleeps), 4 waits until
// 1 s, 5 until 2 s with "a woke" out, 6 is the final poll with "b woke" out.
const PROGRAM = `function* sleeper(name, ms) { yield* Miou.sleep(ms); console.log(name + " woke"); return name; }
function* main() { const a = yield* Miou.async(sleeper, "a", 1000); const b = yield* Miou.async(sleeper, "b", 2000); return yield* Miou.awaitAll([a, b]); }
`;

let recording: Recording;
beforeAll(async () => {
  recording = await recordSimulated({ engine: "quickjs", program: PROGRAM });
});

/** The log's text with `from` replaced by `to` (which must be there). */
function edited(from: string, to: string): string {
  expect(recording.text).toContain(from);
  return recording.text.replace(from, to);
}

describe("a replay that diverges", () => {
  it("is the recorded run when nothing changed (the control)", async () => {
    expect(recording.log.calls.map((c) => c.kind)).toEqual(["now", "now", "now", "select", "select", "select"]);
    const r = await replayKept(recording.log, PROGRAM);
    expect(r.end).toEqual({ kind: "ok", valueJSON: '[{"ok":true,"value":"a"},{"ok":true,"value":"b"}]' });
    expect(r.trace).toEqual(recording.trace);
  });

  it.each([
    ["the log edited: other output", () => ({ log: edited('"data":"a woke"', '"data":"A woke"'), program: PROGRAM }), 5, 6, 'select with out[0] {"sink":"stdout","data":"A woke"}', 'select with out[0] {"sink":"stdout","data":"a woke"}'],
    ["the program changed: other output", () => ({ log: recording.text, program: PROGRAM.replace('" woke"', '" slept"') }), 5, 6, 'select with out[0] {"sink":"stdout","data":"a woke"}', 'select with out[0] {"sink":"stdout","data":"a slept"}'],
    ["the program changed: another deadline", () => ({ log: recording.text, program: PROGRAM.replace('"a", 1000', '"a", 1500') }), 4, 5, "select with deadline 1000000000", "select with deadline 1500000000"],
    ["the program changed: another call", () => ({ log: recording.text, program: PROGRAM.replace("return yield*", "Miou.now(); return yield*") }), 4, 5, 'select(deadline 1000000000, out [])', "now()"],
    // The clock read at the start 0.5 s later: the program asks to wait until 1.5 s.
    ["the log edited: another answer", () => ({ log: recording.text.replaceAll('"now":0}', '"now":500000000}'), program: PROGRAM }), 4, 5, "select with deadline 1000000000", "select with deadline 1500000000"],
  ])("%s: exit 5 at the first differing call", async (_case, make, call, logLine, holds, came) => {
    const { log, program } = make();
    const r = await replayKept(parseBoundaryLog(log, "edited.jsonl"), program);
    expect(exitCode(r.end)).toBe(5);
    if (r.end.kind !== "diverged") throw new Error(r.end.kind);
    const d = r.end.divergence;
    expect([d.call, d.logLine, d.holds, d.came]).toEqual([call, logLine, holds, came]);
    // The decisions before it, and only those, were made and reported.
    expect(r.trace).toHaveLength(d.decisions);
    expect(r.end.before).toEqual(r.trace.slice(-CONTEXT_DECISIONS));
    expect(r.answered).toBe(call - 1);
  });

  it("stops where a killed run's log ends", async () => {
    const prefix = recording.text.split("\n").slice(0, 5).join("\n") + "\n"; // header and calls 1-4
    const r = await replayKept(parseBoundaryLog(prefix, "prefix.jsonl"), PROGRAM);
    if (r.end.kind !== "diverged") throw new Error(r.end.kind);
    expect(r.end.divergence).toMatchObject({ call: 5, logLine: null, holds: "nothing: the log ends after call 4", came: 'select(deadline 2000000000, out [{"sink":"stdout","data":"a woke"}])' });
    // The recorded decisions, up to the call the log lacks.
    expect(r.trace).toEqual(recording.trace.slice(0, r.trace.length));
  });

  it("says so when the run ends while the log holds more", async () => {
    const program = `function* main() { yield* Miou.sleep(1000); return ["a", "b"]; }`;
    const r = await replayKept(recording.log, program);
    if (r.end.kind !== "diverged") throw new Error(r.end.kind);
    expect(r.end.divergence).toMatchObject({ call: 3, logLine: 4, holds: "now()" });
  });
});

describe.concurrent("miou replay reports a divergence", () => {
  it("with the call, what the log holds, what came, and the decisions before it: exit 5", async () => {
    const { miou, file } = folder();
    const program = file("p.js", PROGRAM);
    const log = file("edited.jsonl", edited('"data":"b woke"', '"data":"b slept"'));
    const { code, stdout, stderr } = await miou("replay", program, log);
    const lines = stderr.trimEnd().split("\n");
    expect(lines.slice(0, 4)).toEqual([
      "replay diverged at call 6 (edited.jsonl:7)",
      '  the log holds:    select with out[0] {"sink":"stdout","data":"b slept"}',
      '  the program made: select with out[0] {"sink":"stdout","data":"b woke"}',
      "the last decisions before it (46 in all):",
    ]);
    // The final poll: every decision but its poll record and the end record came before it.
    expect(lines.slice(4)).toEqual(recording.trace.slice(41, 46).map((line) => "  " + line));
    // What matched went out, as the recorded run sent it.
    expect(stdout).toBe("a woke\nreplayed 5 of 6 calls from edited.jsonl (recorded and replayed on quickjs), 46 decisions\n");
    expect(code).toBe(5);
  });

  it("and notes a program other than the recorded one", async () => {
    const { miou, file } = folder();
    const program = file("p.js", PROGRAM.replace('" woke"', '" slept"'));
    const log = file("run.jsonl", recording.text);
    const { code, stderr } = await miou("replay", program, log, "--engine", "node");
    expect(stderr.split("\n").slice(0, 2)).toEqual([
      "note: p.js is not the program run.jsonl recorded (its sha256 differs from the header's); replaying it anyway",
      "replay diverged at call 5 (run.jsonl:6)",
    ]);
    expect(code).toBe(5);
  });
});
