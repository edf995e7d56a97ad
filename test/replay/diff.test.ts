// `miou diff A.jsonl B.jsonl` (issue 5 §5): the first differing decision of two decision
// traces with a few identical ones before it; exit 0 identical, 1 different, 2 bad input.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { folder, ROOT } from "../explore/cli-run.js";

const GOLDEN = readFileSync(join(ROOT, "sim/scenarios/two-sleepers/trace.jsonl"), "utf8");
const LINES = GOLDEN.trimEnd().split("\n");
const RECORDS = LINES.length - 1;
const withLine = (n: number, text: string) => [...LINES.slice(0, n), text, ...LINES.slice(n + 1)].join("\n") + "\n";

describe.concurrent("miou diff", () => {
  it("exits with 0 for traces with the same decisions", async () => {
    const { miou, file } = folder();
    const a = file("a.jsonl", GOLDEN);
    const b = file("b.jsonl", GOLDEN);
    expect(await miou("diff", a, b)).toEqual({ code: 0, stdout: `identical: ${RECORDS} decisions\n`, stderr: "" });
  });

  it("notes headers that differ, but compares decisions", async () => {
    const { miou, file } = folder();
    const a = file("a.jsonl", GOLDEN);
    const b = file("b.jsonl", GOLDEN.replace('"seed":0', '"seed":5').replace('"max_decisions":10000000', '"max_decisions":9007199254740991'));
    expect(await miou("diff", a, b)).toEqual({ code: 0, stdout: `identical: ${RECORDS} decisions (the headers differ in seed, max_decisions)\n`, stderr: "" });
  });

  it("prints the first differing decision, the fields that differ and three decisions before it: exit 1", async () => {
    const { miou, file } = folder();
    const a = file("a.jsonl", GOLDEN);
    // Decision 10 spawns task 3 under another name.
    const b = file("b.jsonl", withLine(10, LINES[10]!.replace('"sleepTwo"', '"sleepThree"')));
    const { code, stdout } = await miou("diff", a, b);
    expect(stdout).toBe(
      [
        "the traces differ at decision 10 (a.jsonl:11, b.jsonl:11)",
        "  fields that differ: name",
        `  = ${LINES[7]}`,
        `  = ${LINES[8]}`,
        `  = ${LINES[9]}`,
        `  A ${LINES[10]}`,
        `  B ${LINES[10]!.replace('"sleepTwo"', '"sleepThree"')}`,
        "",
      ].join("\n"),
    );
    expect(code).toBe(1);
  });

  it("says which trace ended first", async () => {
    const { miou, file } = folder();
    const a = file("a.jsonl", GOLDEN);
    const b = file("b.jsonl", LINES.slice(0, 3).join("\n") + "\n");
    const { code, stdout } = await miou("diff", a, b);
    expect(stdout.split("\n").slice(0, 2)).toEqual(["the traces differ at decision 3 (a.jsonl:4, b.jsonl ends after 2 decisions)", `  = ${LINES[1]}`]);
    expect(stdout).toContain(`  A ${LINES[3]}\n  B (ended)\n`);
    expect(code).toBe(1);
  });

  it.each([
    ["a file that is not a decision trace", ['{"miou":"boundary","v":1}'], 'b.jsonl:1: the first line must be the header {"miou":"decisions","v":1,...}, got {"miou":"boundary","v":1}'],
    ["a record with an unknown field", [LINES[0]!, '{"seq":1,"t":0,"kind":"run","task":1,"domain":0,"extra":1}'], 'b.jsonl:2: unknown field "extra" in a "run" record'],
  ])("exits with 2 on %s, naming FILE:LINE", async (_case, lines, message) => {
    const { miou, file } = folder();
    const a = file("a.jsonl", GOLDEN);
    const b = file("b.jsonl", lines.join("\n") + "\n");
    const { code, stdout, stderr } = await miou("diff", a, b);
    expect(stderr).toBe(message + "\n");
    expect(stdout).toBe("");
    expect(code).toBe(2);
  });

  it("exits with 2 without two traces, or with a missing one", async () => {
    const { miou, file } = folder();
    const a = file("a.jsonl", GOLDEN);
    expect(await miou("diff", a)).toMatchObject({ code: 2, stderr: "miou: diff takes two decision traces A.jsonl B.jsonl, got a.jsonl; see miou --help\n" });
    expect(await miou("diff", a, "none.jsonl")).toMatchObject({ code: 2, stderr: expect.stringMatching(/^miou: cannot read decision trace none\.jsonl: ENOENT/) });
  });
});
