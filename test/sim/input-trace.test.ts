import { describe, expect, it } from "vitest";
import { parseInputTrace } from "../../sim/input-trace.js";
import { rejection } from "./rejection.js";

const rejected = (text: string) => rejection(parseInputTrace, text, "events.jsonl");

describe("input traces", () => {
  it("reads records with JSON data and bytes, header optional, blank lines ignored", () => {
    const text = '{"miou":"input","v":1}\n\n{"t": 0, "source": "net0", "data": {"x": [1, "y"]}}\r\n   \n{"t": 1500000, "source": "net0", "data": {"base64": "AAEC"}}\n{"t": 1500000, "source": "tty", "data": null}\n';
    expect(parseInputTrace(text, "events.jsonl")).toEqual([
      { at_ns: 0, source: "net0", data: { x: [1, "y"] }, line: 3 },
      { at_ns: 1_500_000, source: "net0", data: { base64: "AAEC" }, line: 5 },
      { at_ns: 1_500_000, source: "tty", data: null, line: 6 },
    ]);
    expect(parseInputTrace('{"t":5,"source":"a","data":"no header"}', "x.jsonl")).toHaveLength(1);
    expect(parseInputTrace("", "empty.jsonl")).toEqual([]);
  });

  it("accepts every base64 padding form, and the empty payload", () => {
    for (const base64 of ["", "AA==", "AAA=", "AAAA", "+/+/"]) {
      expect(rejected(`{"t":0,"source":"a","data":{"base64":"${base64}"}}`)).toBe("");
    }
  });

  it.each([
    ["not JSON", '{"t": 1, "source": "a"', /^events\.jsonl:1: not JSON \(/],
    ["not an object", "[1, 2]", /^events\.jsonl:1: an input record must be a JSON object, got \[1,2\]$/],
    ["a missing t", '{"source": "a", "data": 1}', /^events\.jsonl:1: missing field "t" /],
    ["a missing source", '{"t": 1, "data": 1}', /^events\.jsonl:1: missing field "source" /],
    ["a missing data", '{"t": 1, "source": "a"}', /^events\.jsonl:1: missing field "data" .*use null for no data/],
    ["a t that is a string", '{"t": "abc", "source": "a", "data": 1}', /^events\.jsonl:1: field "t" must be a non-negative integer \(ns\), got "abc"$/],
    ["a negative t", '{"t": -1, "source": "a", "data": 1}', /^events\.jsonl:1: field "t" must be a non-negative integer \(ns\), got -1$/],
    ["a fractional t", '{"t": 1.5, "source": "a", "data": 1}', /^events\.jsonl:1: field "t" must be a non-negative integer \(ns\), got 1.5$/],
    ["an unsafe t", '{"t": 9007199254740993, "source": "a", "data": 1}', /^events\.jsonl:1: field "t" must be a non-negative integer/],
    ["a source that is a number", '{"t": 1, "source": 7, "data": 1}', /^events\.jsonl:1: field "source" must be a non-empty string, got 7$/],
    ["an empty source", '{"t": 1, "source": "", "data": 1}', /^events\.jsonl:1: field "source" must be a non-empty string, got ""$/],
    ["an unknown field", '{"t": 1, "source": "a", "data": 1, "extra": true}', /^events\.jsonl:1: unknown field "extra" in an input record \(known: t, source, data\)$/],
    ["bad base64", '{"t": 1, "source": "a", "data": {"base64": "A=A="}}', /^events\.jsonl:1: field "data": "base64" must be a standard base64 string/],
    ["base64 that is not a string", '{"t": 1, "source": "a", "data": {"base64": 12}}', /^events\.jsonl:1: field "data": "base64" must be a standard base64 string.*got 12$/],
    ["bytes with another field", '{"t": 1, "source": "a", "data": {"base64": "", "n": 0}}', /^events\.jsonl:1: field "data": bytes are written \{"base64": "..."\} with no other field/],
    ["an unknown header version", '{"miou": "input", "v": 2}', /^events\.jsonl:1: unknown input trace version 2: this miou reads version 1$/],
    ["a header of another format", '{"miou": "decisions", "v": 1}', /^events\.jsonl:1: header field "miou" must be "input" for an input trace, got "decisions"$/],
    ["a header with an unknown field", '{"miou": "input", "v": 1, "x": 0}', /^events\.jsonl:1: unknown field "x" in the header/],
    ["a header after the first line", '{"t": 1, "source": "a", "data": 1}\n{"miou": "input", "v": 1}', /^events\.jsonl:2: the header .* may only be the first line$/],
  ])("rejects %s with FILE:LINE", (_case, text, message) => {
    expect(rejected(text)).toMatch(message);
  });

  it("rejects time going backwards, naming both times", () => {
    const text = '{"t": 10, "source": "a", "data": 1}\n\n{"t": 5, "source": "a", "data": 2}';
    expect(rejected(text)).toBe(
      'events.jsonl:3: time goes backwards: "t" is 5 ns, after an event at 10 ns (records must be in non-decreasing "t")',
    );
  });

  it("reports every bad line, numbered as in the file, blank lines counted", () => {
    const text = '\n{"t": "x", "source": "a", "data": 1}\n{"t": 1, "source": "a", "data": 1}\nnope\n';
    expect(rejected(text).split("\n").map((l) => l.split(":").slice(0, 2).join(":"))).toEqual(["events.jsonl:2", "events.jsonl:4"]);
  });

  it("stops listing after twenty problems, and says how many more there were", () => {
    const message = rejected("x\n".repeat(25));
    const lines = message.split("\n");
    expect(lines).toHaveLength(21);
    expect(lines[20]).toBe("events.jsonl: 5 more problems not shown");
  });
});
