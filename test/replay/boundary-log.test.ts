// The boundary log format (docs/formats.md, "Boundary log"): what the recorder writes
// reads back, and every bad input is rejected before anything runs, as FILE:LINE with
// exit 2 from `miou replay`.
import { describe, expect, it } from "vitest";
import { boundaryHeaderLine, nowLine, parseBoundaryLog, selectLine, stopLine, type BoundaryHeader } from "../../sim/boundary-log.js";
import { FormatError } from "../../sim/format-error.js";
import { folder } from "../explore/cli-run.js";

const HASH = "sha256:" + "ab".repeat(32);
const HEADER: BoundaryHeader = { engine: "quickjs", seed: 7, domains: 1, poll_every: 64, cpu_budget_ms: 5000, memory_limit_mb: null, program: HASH, input: null };
const HEADER_LINE = boundaryHeaderLine(HEADER);

/** The message of the FormatError that reading `lines` throws. */
function rejection(lines: string[]): string {
  try {
    parseBoundaryLog(lines.join("\n") + "\n", "log.jsonl");
  } catch (error) {
    if (error instanceof FormatError) return error.message;
    throw error;
  }
  throw new Error("the log was accepted");
}

describe("the boundary log", () => {
  it("writes its header with the fields in their documented order", () => {
    expect(HEADER_LINE).toBe(
      `{"miou":"boundary","v":1,"engine":"quickjs","seed":7,"domains":1,"poll_every":64,"cpu_budget_ms":5000,"memory_limit_mb":null,"program":"${HASH}","input":null}`,
    );
  });

  it("reads back every kind of record the recorder writes", () => {
    const text = [
      HEADER_LINE,
      nowLine(1, { now: 10 }),
      selectLine(2, null, [{ sink: "stdout", data: "hi" }], { now: 20, events: [{ source: "net0", data: { base64: "AQID" } }, { source: "tick" }], idle: false }),
      selectLine(3, 20, [], { error: { name: "Error", message: "device gone" } }),
      nowLine(4, { error: { name: "TypeError", message: "no clock" } }),
      stopLine(4, "cpu-budget", "guest exceeded its CPU budget of 200 ms"),
    ].join("\n");
    const log = parseBoundaryLog(text, "log.jsonl");
    expect(log.header).toEqual(HEADER);
    expect(log.calls).toEqual([
      { kind: "now", call: 1, line: 2, now: 10 },
      { kind: "select", call: 2, line: 3, deadline: null, out: [{ sink: "stdout", data: "hi" }], now: 20, events: [{ source: "net0", data: { base64: "AQID" } }, { source: "tick" }], idle: false },
      { kind: "select", call: 3, line: 4, deadline: 20, out: [], error: { name: "Error", message: "device gone" } },
      { kind: "now", call: 4, line: 5, error: { name: "TypeError", message: "no clock" } },
    ]);
    expect(log.stop).toEqual({ call: 4, line: 6, reason: "cpu-budget", message: "guest exceeded its CPU budget of 200 ms" });
  });

  it("accepts a killed run's prefix and a run stopped before any call", () => {
    expect(parseBoundaryLog(HEADER_LINE + "\n" + nowLine(1, { now: 5 }), "log.jsonl").calls).toHaveLength(1);
    expect(parseBoundaryLog([HEADER_LINE, stopLine(0, "stack-overflow", "guest overflowed its stack")].join("\n"), "log.jsonl").stop?.call).toBe(0);
  });

  it.each([
    ["an empty file", [], "log.jsonl:1: the first line must be the boundary log header"],
    ["another format's header", ['{"miou":"decisions","v":1}'], 'log.jsonl:1: the first line must be the header {"miou":"boundary","v":1,...}, got {"miou":"decisions","v":1}'],
    ["an unknown version", ['{"miou":"boundary","v":2}'], "log.jsonl:1: unknown boundary log version 2: this miou reads version 1"],
    ["an unknown header field", [HEADER_LINE.replace('"input":null', '"input":null,"quanta":1')], 'log.jsonl:1: unknown field "quanta" in the header'],
    ["a header field missing", [HEADER_LINE.replace(',"poll_every":64', "")], 'log.jsonl:1: the header lacks "poll_every"'],
    ["a mistyped header field", [HEADER_LINE.replace('"engine":"quickjs"', '"engine":"v8"')], 'log.jsonl:1: header field "engine" must be "node", or "quickjs", or "quickjs-ng", got "v8"'],
    ["a line that is not JSON", [HEADER_LINE, "{call"], "log.jsonl:2: not JSON"],
    ["an unknown kind", [HEADER_LINE, '{"call":1,"kind":"sleep"}'], 'log.jsonl:2: field "kind" must be "now", "select" or "stop", got "sleep"'],
    ["an unknown field", [HEADER_LINE, '{"call":1,"kind":"now","now":5,"at":5}'], 'log.jsonl:2: unknown field "at" in a "now" record (known: call, kind, now, error)'],
    ["a gap in the call numbers", [HEADER_LINE, nowLine(1, { now: 1 }), nowLine(3, { now: 2 })], 'log.jsonl:3: field "call" must be 2 (calls are numbered 1, 2, 3... in order), got 3'],
    ["a missing answer", [HEADER_LINE, '{"call":1,"kind":"select","deadline":null,"out":[],"now":5,"idle":false}'], 'log.jsonl:2: missing field "events" (or "error", for a call that threw)'],
    ["a mistyped deadline", [HEADER_LINE, '{"call":1,"kind":"select","deadline":"soon","out":[],"now":5,"events":[],"idle":false}'], 'log.jsonl:2: field "deadline" must be an integer (ns) or null, got "soon"'],
    ["a bad outgoing record", [HEADER_LINE, '{"call":1,"kind":"select","deadline":null,"out":[{"sink":"stdout"}],"now":5,"events":[],"idle":false}'], 'log.jsonl:2: field "out": record 0 must be {"sink": string, "data": value}, got {"sink":"stdout"}'],
    ["an event with no source", [HEADER_LINE, '{"call":1,"kind":"select","deadline":null,"out":[],"now":5,"events":[{"data":1}],"idle":false}'], 'log.jsonl:2: field "events": event 0 must be {"source": non-empty string, "data": value}'],
    ["bad bytes", [HEADER_LINE, '{"call":1,"kind":"select","deadline":null,"out":[],"now":5,"events":[{"source":"n","data":{"base64":"a"}}],"idle":false}'], 'log.jsonl:2: field "data": "base64" must be a standard base64 string'],
    ["an answer beside an error", [HEADER_LINE, '{"call":1,"kind":"now","now":5,"error":{"name":"Error","message":"x"}}'], 'log.jsonl:2: a call that threw has "error" and no "now"'],
    ["the clock going backwards", [HEADER_LINE, nowLine(1, { now: 9 }), nowLine(2, { now: 8 })], 'log.jsonl:3: the clock goes backwards: "now" is 8 ns, after 9 ns (host time is monotonic)'],
    ["an unknown stop reason", [HEADER_LINE, '{"call":0,"kind":"stop","reason":"tired","message":"x"}'], 'log.jsonl:2: field "reason" must be "cpu-budget", "out-of-memory", "stack-overflow", got "tired"'],
    ["a stop with another call number", [HEADER_LINE, nowLine(1, { now: 1 }), stopLine(2, "cpu-budget", "x")], 'log.jsonl:3: field "call" must be 1 (the last call\'s number), got 2'],
    ["a record after the stop", [HEADER_LINE, stopLine(0, "cpu-budget", "x"), nowLine(1, { now: 1 })], "log.jsonl:3: nothing may follow the stop record (line 2)"],
  ])("rejects %s", (_case, lines, message) => {
    expect(rejection(lines)).toContain(message);
  });

  it("reports every bad line, not only the first", () => {
    const message = rejection([HEADER_LINE, '{"call":1,"kind":"now","now":-1}', '{"call":2,"kind":"now"}', "[]"]);
    expect(message.split("\n")).toEqual([
      'log.jsonl:2: field "now" must be a non-negative integer (ns), got -1',
      'log.jsonl:3: missing field "now" (or "error", for a call that threw)',
      "log.jsonl:4: a boundary log record must be a JSON object, got []",
    ]);
  });
});

describe.concurrent("miou replay with a bad boundary log", () => {
  it("exits with 2 and says FILE:LINE: what is wrong", async () => {
    const { miou, file } = folder();
    const program = file("p.js", "function* main() {}\n");
    const log = file("bad.jsonl", [HEADER_LINE, nowLine(1, { now: 1 }), '{"call":2,"kind":"now","now":1,"extra":true}'].join("\n") + "\n");
    const { code, stdout, stderr } = await miou("replay", program, log);
    expect(stderr).toBe('bad.jsonl:3: unknown field "extra" in a "now" record (known: call, kind, now, error)\n');
    expect(stdout).toBe("");
    expect(code).toBe(2);
  });

  it("exits with 2 for a missing log, a missing program and a missing argument", async () => {
    const { miou, file } = folder();
    const program = file("p.js", "function* main() {}\n");
    expect(await miou("replay", program, "none.jsonl")).toMatchObject({ code: 2, stderr: expect.stringMatching(/^miou: cannot read boundary log none\.jsonl: ENOENT/) });
    expect(await miou("replay", "none.js", "none.jsonl")).toMatchObject({ code: 2, stderr: expect.stringMatching(/^miou: cannot read program none\.js: ENOENT/) });
    expect(await miou("replay", program)).toMatchObject({ code: 2, stderr: "miou: replay takes PROGRAM.js and BOUNDARY.jsonl, got p.js; see miou --help\n" });
  });
});
