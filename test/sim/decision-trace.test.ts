import { describe, expect, it } from "vitest";
import { contentHash, headerLine, type DecisionHeader } from "../../sim/decision-header.js";
import { parseDecisionTrace } from "../../sim/decision-trace.js";
import { rejection } from "./rejection.js";

const HEADER: DecisionHeader = { seed: 7, domains: 1, poll_tick_ns: 0, max_decisions: 1000, program: contentHash("function* main() {}"), input: null };
const RECORDS = [
  '{"seq":1,"t":0,"kind":"spawn","task":1,"parent":0,"domain":0,"name":"main"}',
  '{"seq":2,"t":0,"kind":"run","task":1,"domain":0}',
  '{"seq":3,"t":0,"kind":"suspend","task":1,"syscall":1,"name":"sleep until 5"}',
  '{"seq":4,"t":0,"kind":"ran","task":1,"then":"parked"}',
  '{"seq":5,"t":5,"kind":"poll","deadline":5,"out":0,"events":0,"idle":false}',
  '{"seq":6,"t":5,"kind":"select","domain":0,"block":true,"cancelled":[],"signals":[1]}',
  '{"seq":7,"t":5,"kind":"hook","domain":0,"error":{"name":"Error","message":"hook failed"}}',
  '{"seq":8,"t":5,"kind":"finaliser","task":1,"resource":3,"error":{"name":"Error","message":"close failed"}}',
  '{"seq":9,"t":5,"kind":"end","ok":true,"left":{"net0":2}}',
];
const trace = (header: string, ...records: string[]) => [header, ...records].join("\n") + "\n";

const rejected = (text: string) => rejection(parseDecisionTrace, text, "run.jsonl");

describe("decision traces", () => {
  it("write the header with its fields in the documented order", () => {
    expect(headerLine(HEADER)).toBe(
      `{"miou":"decisions","v":1,"seed":7,"domains":1,"poll_tick_ns":0,"max_decisions":1000,"program":"${HEADER.program}","input":null}`,
    );
    expect(contentHash("abc")).toBe("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("read back the header and every record", () => {
    const read = parseDecisionTrace(trace(headerLine(HEADER), ...RECORDS), "run.jsonl");
    expect(read.header).toEqual(HEADER);
    expect(read.records).toHaveLength(9);
    expect(read.records[4]).toEqual({ seq: 5, t: 5, kind: "poll", deadline: 5, out: 0, events: 0, idle: false });
  });

  it.each([
    ["an empty file", "", /^run\.jsonl:1: the first line must be the decision trace header/],
    ["a blank first line", "\n" + headerLine(HEADER), /^run\.jsonl:1: the first line must be the decision trace header/],
    ["a record first", RECORDS[0]!, /^run\.jsonl:1: the first line must be the header \{"miou":"decisions","v":1,\.\.\.\}/],
    ["another version", headerLine(HEADER).replace('"v":1', '"v":2'), /^run\.jsonl:1: unknown decision trace version 2: this miou reads version 1$/],
    ["an unknown header field", headerLine(HEADER).replace("}", ',"engine":"quickjs"}'), /^run\.jsonl:1: unknown field "engine" in the header/],
    ["a bad seed", headerLine(HEADER).replace('"seed":7', '"seed":-1'), /^run\.jsonl:1: header field "seed" must be an integer in \[0, 2\^32\), got -1$/],
    ["a bad program hash", headerLine(HEADER).replace(/"program":"[^"]*"/, '"program":"md5:x"'), /^run\.jsonl:1: header field "program" must be "sha256:<64 hex digits>"/],
  ])("reject %s", (_case, text, message) => {
    expect(rejected(text)).toMatch(message);
  });

  it.each([
    ["a gap in seq", '{"seq":3,"t":9,"kind":"run","task":1,"domain":0}', /^run\.jsonl:3: field "seq" must follow 1 with 2, got 3$/],
    ["time going backwards", '{"seq":2,"t":0,"kind":"run","task":1,"domain":0}', /^run\.jsonl:3: time goes backwards: "t" is 0 ns, after a record at 9 ns$/],
    ["an unknown kind", '{"seq":2,"t":9,"kind":"teleport","task":1}', /^run\.jsonl:3: unknown record kind "teleport" \(known: spawn, run, /],
    ["an unknown field", '{"seq":2,"t":9,"kind":"run","task":1,"domain":0,"cpu":3}', /^run\.jsonl:3: unknown field "cpu" in a "run" record$/],
    ["a missing field", '{"seq":2,"t":9,"kind":"run","task":1}', /^run\.jsonl:3: a "run" record needs field "domain"$/],
    ["a mistyped field", '{"seq":2,"t":9,"kind":"ran","task":1,"then":"later"}', /^run\.jsonl:3: field "then" of a "ran" record must be "queued", "parked" or "done", got "later"$/],
    ["a bad error", '{"seq":2,"t":9,"kind":"finish","task":1,"ok":false,"error":{"name":"E"}}', /^run\.jsonl:3: field "error" of a "finish" record must be an error/],
    ["a record that is not JSON", '{"seq":2,', /^run\.jsonl:3: not JSON/],
  ])("reject a record with %s, naming its line", (_case, record, message) => {
    const first = '{"seq":1,"t":9,"kind":"spawn","task":1,"parent":0,"domain":0,"name":"main"}';
    expect(rejected(trace(headerLine(HEADER), first, record))).toMatch(message);
  });
});
