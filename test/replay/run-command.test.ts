// `miou run` (issue 5 §4): the real clock, with miou sim's output, exit codes and
// --result. These runs wait for nothing (or a millisecond): the real-clock timings are
// checked in test/realtime/.
import { describe, expect, it } from "vitest";
import { folder } from "../explore/cli-run.js";

const SUMMARY = /^real time \d+\.\d{3} s, \d+ host calls?, \d+ events? received(, \d+ decisions?)?$/;

describe.concurrent("miou run", () => {
  it("is documented in miou --help, with replay and diff", async () => {
    const { miou } = folder();
    const { code, stdout } = await miou("--help");
    for (const text of ["miou run PROGRAM.js", "miou replay PROGRAM.js BOUNDARY.jsonl", "miou diff A.jsonl B.jsonl", "--events FILE.jsonl", "--record FILE.jsonl", "--cpu-budget MS", "--memory-limit MB"]) {
      expect(stdout).toContain(text);
    }
    expect(code).toBe(0);
    for (const command of ["run", "replay", "diff"]) expect((await miou(command, "--help")).code).toBe(0);
  });

  it("prints the output, main's value and a summary line, and writes --result: exit 0", async () => {
    const { miou, file, read } = folder();
    const program = file("p.js", 'function* main() { console.log("hi", 1); Miou.send("net0", { n: 1 }); yield* Miou.sleep(1); return { done: true }; }\n');
    const { code, stdout, stderr } = await miou("run", program, "--result", "r.json");
    const lines = stdout.trimEnd().split("\n");
    expect(lines.slice(0, 3)).toEqual(["hi 1", '[net0] {"n":1}', '{"done":true}']);
    expect(lines[3]).toMatch(SUMMARY);
    expect(stderr).toBe("");
    expect(JSON.parse(read("r.json"))).toEqual({ ok: true, value: { done: true } });
    expect(code).toBe(0);
  });

  it.each([
    ["a program that throws: exit 1", "function* main() { throw new RangeError('no'); }", [], 1, "RangeError: no\n"],
    ["a program that does not load: exit 2", "function* main( {", [], 2, "SyntaxError: "],
    ["a program without main: exit 2", "const x = 1;", [], 2, "TypeError: p.js does not define main: write function* main() { ... }\n"],
    ["a deadlock (a recv with no producer): exit 3", 'function* main() { return yield* Miou.recv("net0"); }', [], 3, "Deadlock: no task can make progress: no timer is set and the host will send no more events\n  task 1 (main) on domain 0 waits on syscall 1 (recv net0)\n"],
    ["a runaway loop: exit 4", "function* main() { for (;;) {} }", ["--cpu-budget", "100"], 4, "GuestStopped: guest exceeded its CPU budget of 100 ms\n"],
    ["a hog under a memory limit: exit 4", "function* main() { const hoard = []; for (;;) hoard.push({ a: hoard.length, b: [hoard.length] }); }", ["--memory-limit", "16"], 4, "GuestStopped: guest ran out of memory (limit 16 MB)\n"],
  ])("ends %s", async (_case, source, flags, exit, message) => {
    const { miou, file } = folder();
    const program = file("p.js", source + "\n");
    const { code, stdout, stderr } = await miou("run", program, ...flags);
    expect(stderr.startsWith(message), stderr).toBe(true);
    expect(stdout.trimEnd().split("\n").at(-1)).toMatch(SUMMARY);
    expect(code).toBe(exit);
  });

  it("records a run that miou replay reruns to the same decisions, on another engine too", async () => {
    const { miou, file, read } = folder();
    const program = file("p.js", 'function* w(ms) { yield* Miou.sleep(ms); return Math.random() < 2 ? Miou.now() : 0; }\nfunction* main() { const ps = [yield* Miou.async(w, 1), yield* Miou.call(w, 2)]; return (yield* Miou.awaitAll(ps)).length; }\n');
    const run = await miou("run", program, "--domains", "1", "--seed", "9", "--record", "run.jsonl", "--trace", "a.jsonl");
    expect(run.code, run.stderr).toBe(0);
    expect(read("run.jsonl").split("\n")[0]).toMatch(/^\{"miou":"boundary","v":1,"engine":"quickjs","seed":9,"domains":1,"poll_every":64,"cpu_budget_ms":5000,"memory_limit_mb":null,"program":"sha256:[0-9a-f]{64}","input":null\}$/);
    for (const engine of ["quickjs", "node"]) {
      const replayed = await miou("replay", program, "run.jsonl", "--engine", engine, "--trace", `b-${engine}.jsonl`, "--perfetto", "b.json");
      expect(replayed.code, replayed.stderr).toBe(0);
      expect(replayed.stdout.split("\n")[0]).toBe("2");
      expect(read(`b-${engine}.jsonl`)).toBe(read("a.jsonl"));
    }
    expect(JSON.parse(read("b.json")).traceEvents.length).toBeGreaterThan(0);
    expect(await miou("diff", "a.jsonl", "b-node.jsonl")).toMatchObject({ code: 0 });
  });

  it.each([
    ["an unknown option", ["--speed", "2"], "miou: unknown option --speed (options: --engine, --domains, --seed, --events, --record, --trace, --perfetto, --result, --cpu-budget, --memory-limit); see miou --help"],
    ["a CPU budget of 0", ["--cpu-budget", "0"], 'miou: option --cpu-budget must be an integer in [1, 2147483647], got "0"; see miou --help'],
    ["a bad input trace", ["--events", "bad.jsonl"], 'bad.jsonl:1: missing field "data" (a record is {"t": <ns>, "source": "<name>", "data": <value>}; use null for no data)'],
    ["a log that cannot be written", ["--record", "no/such/dir/run.jsonl"], "miou: cannot write no/such/dir/run.jsonl: ENOENT"],
  ])("exits with 2 on %s", async (_case, flags, message) => {
    const { miou, file } = folder();
    const program = file("p.js", "function* main() {}\n");
    file("bad.jsonl", '{"t": 0, "source": "net0"}\n');
    const { code, stderr } = await miou("run", program, ...flags);
    expect(stderr.startsWith(message), stderr).toBe(true);
    expect(code).toBe(2);
  });
});
