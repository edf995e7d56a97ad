// runProgram's ends and exit codes (DESIGN §7), on every engine: the program's value, its
// failure, a program that does not load, a deadlock, a livelock, and what the program can
// see of the embedder (nothing).
import { describe, expect, test } from "vitest";
import { EMBEDDER_ENGINES, keptHost, runKept } from "./helpers.js";

describe.each(EMBEDDER_ENGINES)("runProgram on %s", (engine) => {
  test("main's value comes back as JSON with exit 0; the trace has one line per decision", async () => {
    const { host, stdout } = keptHost();
    const program = `function* main() { console.log("hello", 1); yield* Miou.sleep(1); return { a: [1, "b"] }; }`;
    const r = await runKept({ engine, host, program });
    expect(r.end).toEqual({ kind: "ok", valueJSON: '{"a":[1,"b"]}' });
    expect(r.exitCode).toBe(0);
    expect(stdout).toEqual(["hello 1\n"]);
    expect(r.lines).toHaveLength(r.decisions);
    expect(r.lines.map((l) => (JSON.parse(l) as { kind: string }).kind)).toContain("log");
  });

  test("the program sees neither the host functions nor the embedder's", async () => {
    const { host } = keptHost();
    const program = `
      const names = ["__miou_now", "__miou_select", "__miou_embed_lines", "__miou_embed_failed"];
      const seenAtLoad = names.filter((n) => n in globalThis);
      function* main() { return [seenAtLoad, names.filter((n) => n in globalThis)]; }`;
    const r = await runKept({ engine, host, program });
    expect(r.end).toEqual({ kind: "ok", valueJSON: "[[],[]]" });
  });

  test("main's error is exit 1", async () => {
    const { host } = keptHost();
    const r = await runKept({ engine, host, program: `function* main() { yield* Miou.yield(); throw new RangeError("no luck"); }` });
    expect(r.end).toEqual({ kind: "failed", error: { name: "RangeError", message: "no luck" } });
    expect(r.exitCode).toBe(1);
  });

  test("a program that does not load, or has no main, is exit 2", async () => {
    const { host } = keptHost();
    const syntax = await runKept({ engine, host, program: `function* main( {`, programFile: "broken.js" });
    expect(syntax.end.kind).toBe("bad-program");
    expect(syntax.exitCode).toBe(2);
    const noMain = await runKept({ engine, host, program: `function* mian() {}`, programFile: "typo.js" });
    expect(noMain.end).toEqual({ kind: "bad-program", error: { name: "TypeError", message: "typo.js does not define main: write function* main() { ... }" } });
  });

  test("a deadlock is exit 3 and names what each task waits on", async () => {
    const { host } = keptHost();
    const r = await runKept({ engine, host, program: `function* main() { return yield* Miou.recv("nobody"); }` });
    expect(r.exitCode).toBe(3);
    expect(r.end.kind === "deadlock" && r.end.waiting).toEqual([{ task: 1, name: "main", domain: 0, waitsOn: expect.stringContaining("recv nobody") }]);
  });

  test("a run past its decision budget is a livelock, exit 4", async () => {
    const { host } = keptHost();
    const r = await runKept({ engine, host, program: `function* main() { for (;;) yield* Miou.yield(); }`, maxDecisions: 1000 });
    expect(r.end).toEqual({ kind: "livelock", error: { name: "Livelock", message: "the run made 1000 decisions without finishing" } });
    expect(r.exitCode).toBe(4);
  });
});
