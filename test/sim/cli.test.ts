// The built `miou` command line, spawned with plain node as a user would run it
// (`npm test` builds first). Every bad-input case checks its message and exit code.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ChromeTrace } from "../../sim/perfetto.js";
import { perfettoProblems } from "./perfetto-structure.js";

const ROOT = join(import.meta.dirname, "../..");
const CLI = join(ROOT, "dist/node/tools/miou.js");
const SCENARIOS = join(ROOT, "sim/scenarios");
const TMP = mkdtempSync(join(tmpdir(), "miou-cli-"));
let folders = 0;

/**
 * A fresh folder for one test (tests run concurrently, each spawning node), with
 * `miou ARGS` run inside it and `file` writing into it.
 */
function workspace() {
  const dir = join(TMP, String(++folders));
  mkdirSync(dir);
  return {
    dir,
    file(name: string, text: string): string {
      writeFileSync(join(dir, name), text);
      return name;
    },
    read: (name: string) => readFileSync(join(dir, name), "utf8"),
    miou: (...args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, [CLI, ...args], { cwd: dir, encoding: "utf8" }, (error, stdout, stderr) => {
          resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout, stderr });
        });
      }),
  };
}

const OK_PROGRAM = "function* main() { yield* Miou.sleep(1500); return { now_ns: Miou.now() }; }\n";

describe.concurrent("miou --help", () => {
  it("documents every command, option and exit code", async () => {
    const { miou } = workspace();
    const { code, stdout } = await miou("--help");
    expect(code).toBe(0);
    for (const text of ["miou sim PROGRAM.js", "miou export TRACE.jsonl --perfetto OUT.json", "--input", "--seed", "--domains", "--engine", "--trace", "--perfetto", "--result", "--max-decisions", "--poll-tick"]) {
      expect(stdout).toContain(text);
    }
    for (const code of ["0  success", "1  the program failed", "2  bad usage", "3  deadlock", "4  the guest was stopped", "5  a replay diverged"]) expect(stdout).toContain(code);
    expect((await miou("sim", "--help")).code).toBe(0);
  });

  it("prints the help and exits with 2 when given no command", async () => {
    const { miou } = workspace();
    const { code, stdout } = await miou();
    expect(code).toBe(2);
    expect(stdout).toContain("Usage:");
  });
});

describe.concurrent("miou sim", () => {
  it("prints main's value as JSON and the summary line, and exits with 0", async () => {
    const { miou, file } = workspace();
    const program = file("ok.js", OK_PROGRAM);
    const { code, stdout, stderr } = await miou("sim", program);
    expect(stderr).toBe("");
    expect(stdout).toBe('{"now_ns":1500000000}\nvirtual time 1.5 s (1500000000 ns), 16 decisions, 0 events delivered, 0 left\n');
    expect(code, stderr).toBe(0);
  });

  it("prints console lines and outgoing records as the program sends them, before the value", async () => {
    const { miou, file } = workspace();
    const program = file("talk.js", 'function* main() { console.log("hi", 1, [2]); Miou.send("net0", { n: 1 }); yield* Miou.sleep(1); console.log("bye"); }\n');
    const { code, stdout } = await miou("sim", program, "--engine", "node");
    expect(stdout.split("\n").slice(0, 4)).toEqual(["hi 1 [ 2 ]", '[net0] {"n":1}', "bye", "null"]);
    expect(code).toBe(0);
  });

  it("writes the trace, the result and the Perfetto timeline; the trace is the scenario's golden one", async () => {
    const { miou, read } = workspace();
    const scenario = join(SCENARIOS, "two-sleepers");
    const { code } = await miou("sim", join(scenario, "program.js"), "--trace", "t.jsonl", "--result", "r.json", "--perfetto", "p.json");
    expect(code).toBe(0);
    expect(read("t.jsonl")).toBe(readFileSync(join(scenario, "trace.jsonl"), "utf8"));
    expect(JSON.parse(read("r.json"))).toEqual({ ok: true, value: { woke_ns: [1000000000, 2000000000], end_ns: 2000000000 } });
    const perfetto = JSON.parse(read("p.json")) as ChromeTrace;
    expect(perfettoProblems(perfetto)).toEqual([]);
  });

  it("gives the same decision trace on every engine, with an input trace and domains", async () => {
    const { miou, read } = workspace();
    const scenario = join(SCENARIOS, "recv-cancelled-handed");
    const traces = await Promise.all(
      ["node", "quickjs", "quickjs-ng"].map(async (engine) => {
        const out = `${engine}.jsonl`;
        const run = await miou("sim", join(scenario, "program.js"), "--input", join(scenario, "input.jsonl"), "--domains", "1", "--engine", engine, "--trace", out);
        expect(run.code).toBe(0);
        return read(out);
      }),
    );
    expect(traces[1]).toBe(traces[0]);
    expect(traces[2]).toBe(traces[0]);
    expect(traces[0]).toBe(readFileSync(join(scenario, "trace.jsonl"), "utf8"));
  });

  it("exits with 1 and prints the error's name and message when main throws", async () => {
    const { miou, file, read } = workspace();
    const program = file("fail.js", 'function* main() { yield* Miou.sleep(10); throw new RangeError("out of range at " + Miou.now()); }\n');
    const { code, stdout, stderr } = await miou("sim", program, "--result", "fail.json");
    expect(code, stderr).toBe(1);
    expect(stderr).toBe("RangeError: out of range at 10000000\n");
    expect(stdout).toMatch(/^virtual time 0\.01 s \(10000000 ns\), \d+ decisions, 0 events delivered, 0 left\n$/);
    expect(JSON.parse(read("fail.json"))).toEqual({ ok: false, error: { name: "RangeError", message: "out of range at 10000000" } });
  });

  it("exits with 3 on a deadlock and names each waiting task and what it waits on", async () => {
    const { miou, file } = workspace();
    const program = file("deadlock.js", 'function* main() { const p = yield* Miou.async(function* sleeper() { yield* Miou.sleep(5); }); yield* Miou.await(p); return yield* Miou.recv("tty"); }\n');
    const { code, stderr } = await miou("sim", program);
    expect(code, stderr).toBe(3);
    expect(stderr).toBe(
      "Deadlock: no task can make progress: no timer is set and the host will send no more events\n" + "  task 1 (main) on domain 0 waits on syscall 2 (recv tty)\n",
    );
  });

  it("exits with 4 on a livelock and says whether virtual time moved", async () => {
    const { miou, file, read } = workspace();
    const spin = join(SCENARIOS, "spin-until-timer-livelock", "program.js");
    const still = await miou("sim", spin, "--max-decisions", "500", "--result", "live.json");
    expect(still.code).toBe(4);
    expect(still.stderr).toContain("Livelock: the run made 500 decisions (--max-decisions) without finishing");
    expect(still.stderr).toContain("virtual time did not move");
    expect(still.stdout).toBe("virtual time 0 s (0 ns), 500 decisions, 0 events delivered, 0 left\n");
    expect(JSON.parse(read("live.json")).error.name).toBe("Livelock");

    const busy = file("busy.js", "function* main() { for (;;) { yield* Miou.sleep(1); } }\n");
    const moving = await miou("sim", busy, "--max-decisions", "300");
    expect(moving.code).toBe(4);
    expect(moving.stderr).toMatch(/virtual time moved, from 0 to 0\.0\d+ s/);
  });

  it("finishes the spinning program with --poll-tick", async () => {
    const { miou } = workspace();
    const spin = join(SCENARIOS, "spin-until-timer-poll-tick", "program.js");
    const { code, stdout } = await miou("sim", spin, "--poll-tick", "1000000");
    expect(code).toBe(0);
    expect(stdout.split("\n")[0]).toBe('{"end_ns":1000000}');
  });

  it.each([
    ["an unknown option", ["sim", "p.js", "--speed", "2"], "miou: unknown option --speed (options: --input, --seed, --domains, --engine, --trace, --perfetto, --result, --max-decisions, --poll-tick, --schedule); see miou --help"],
    ["an option without its value", ["sim", "p.js", "--seed"], "miou: option --seed needs a value; see miou --help"],
    ["a seed that is not a number", ["sim", "p.js", "--seed", "abc"], 'miou: option --seed must be an integer in [0, 4294967295], got "abc"; see miou --help'],
    ["a seed of 2^32", ["sim", "p.js", "--seed=4294967296"], 'miou: option --seed must be an integer in [0, 4294967295], got "4294967296"; see miou --help'],
    ["too many domains", ["sim", "p.js", "--domains", "257"], 'miou: option --domains must be an integer in [0, 256], got "257"; see miou --help'],
    ["an unknown engine", ["sim", "p.js", "--engine", "v8"], 'miou: option --engine must be one of node, quickjs, quickjs-ng, got "v8"; see miou --help'],
    ["a zero decision budget", ["sim", "p.js", "--max-decisions", "0"], 'miou: option --max-decisions must be an integer in [1, 9007199254740991], got "0"; see miou --help'],
    ["a negative poll tick", ["sim", "p.js", "--poll-tick", "-1"], 'miou: option --poll-tick must be an integer in [0, 9007199254740991], got "-1"; see miou --help'],
    ["no program", ["sim"], "miou: sim takes one PROGRAM.js, got none; see miou --help"],
    ["two programs", ["sim", "a.js", "b.js"], "miou: sim takes one PROGRAM.js, got a.js b.js; see miou --help"],
    ["an unknown command", ["launch", "p.js"], 'miou: unknown command "launch": the commands are sim, run, replay, diff, export, explore and shrink; see miou --help'],
  ])("exits with 2 on %s", async (_case, args, message) => {
    const { miou } = workspace();
    const { code, stderr } = await miou(...args);
    expect(stderr).toBe(message + "\n");
    expect(code, stderr).toBe(2);
  });

  it("exits with 2 when the program or the input trace cannot be read", async () => {
    const { miou, file } = workspace();
    const missing = await miou("sim", "missing.js");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^miou: cannot read program missing\.js: ENOENT/);
    const program = file("p.js", OK_PROGRAM);
    const noInput = await miou("sim", program, "--input", "none.jsonl");
    expect(noInput.code).toBe(2);
    expect(noInput.stderr).toMatch(/^miou: cannot read input trace none\.jsonl: ENOENT/);
  });

  it.each([
    ["a syntax error", "function* main() { yield* }\n", /^SyntaxError: /],
    ["no main", "function* notMain() {}\n", /^TypeError: nomain\.js does not define main: write function\* main\(\) \{ \.\.\. \}$/m],
  ])("exits with 2 on a program with %s", async (_case, text, message) => {
    const { miou, file } = workspace();
    const program = file(_case === "no main" ? "nomain.js" : "syntax.js", text);
    const { code, stderr } = await miou("sim", program);
    expect(code, stderr).toBe(2);
    expect(stderr).toMatch(message);
  });

  it.each([
    ["not JSON", "{oops\n", "events.jsonl:1: not JSON ("],
    ["a missing field", '{"t": 1, "source": "net0"}\n', 'events.jsonl:1: missing field "data" (a record is {"t": <ns>, "source": "<name>", "data": <value>}; use null for no data)'],
    ["a mistyped t", '\n{"t": "abc", "source": "net0", "data": 1}\n', 'events.jsonl:2: field "t" must be a non-negative integer (ns), got "abc"'],
    ["a mistyped source", '{"t": 1, "source": ["net0"], "data": 1}\n', 'events.jsonl:1: field "source" must be a non-empty string, got ["net0"]'],
    ["an unknown field", '{"t": 1, "source": "net0", "data": 1, "port": 80}\n', 'events.jsonl:1: unknown field "port" in an input record (known: t, source, data)'],
    ["time going backwards", '{"t": 5, "source": "a", "data": 1}\n{"t": 4, "source": "a", "data": 1}\n', 'events.jsonl:2: time goes backwards: "t" is 4 ns, after an event at 5 ns (records must be in non-decreasing "t")'],
    ["an unknown header version", '{"miou": "input", "v": 9}\n', "events.jsonl:1: unknown input trace version 9: this miou reads version 1"],
    ["bad base64", '{"t": 1, "source": "a", "data": {"base64": "***"}}\n', 'events.jsonl:1: field "data": "base64" must be a standard base64 string (A-Z a-z 0-9 + /, padded with =), got "***"'],
  ])("rejects an input trace with %s before the run, with FILE:LINE and exit 2", async (_case, text, message) => {
    const { miou, file } = workspace();
    const program = file("p.js", 'function* main() { console.log("ran"); }\n');
    file("events.jsonl", text);
    const { code, stdout, stderr } = await miou("sim", program, "--input", "events.jsonl");
    expect(stderr.startsWith(message)).toBe(true);
    expect(stderr.split("\n")).toHaveLength(2);
    expect(stdout).toBe(""); // nothing ran
    expect(code, stderr).toBe(2);
  });
});

describe.concurrent("miou export", () => {
  it("turns a decision trace into a Perfetto timeline", async () => {
    const { miou, read } = workspace();
    const { code, stdout } = await miou("export", join(SCENARIOS, "packet-service", "trace.jsonl"), "--perfetto", "packets.json");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^packets\.json: \d+ trace events from 52 decisions; open it at https:\/\/ui\.perfetto\.dev\n$/);
    expect(perfettoProblems(JSON.parse(read("packets.json")) as ChromeTrace)).toEqual([]);
  });

  it.each([
    ["another version", (t: string) => t.replace('"v":1', '"v":3'), "run.jsonl:1: unknown decision trace version 3: this miou reads version 1"],
    ["no header", (t: string) => t.slice(t.indexOf("\n") + 1), 'run.jsonl:1: the first line must be the header {"miou":"decisions","v":1,...}, got'],
    ["an unknown field", (t: string) => t.replace('"kind":"run","task":1,"domain":0}', '"kind":"run","task":1,"domain":0,"core":2}'), 'run.jsonl:3: unknown field "core" in a "run" record'],
  ])("rejects a trace with %s with FILE:LINE and exit 2", async (_case, edit, message) => {
    const { miou, file } = workspace();
    const golden = readFileSync(join(SCENARIOS, "two-sleepers", "trace.jsonl"), "utf8");
    file("run.jsonl", edit(golden));
    const { code, stderr } = await miou("export", "run.jsonl", "--perfetto", "out.json");
    expect(stderr.startsWith(message)).toBe(true);
    expect(code, stderr).toBe(2);
  });

  it("needs --perfetto", async () => {
    const { miou } = workspace();
    const { code, stderr } = await miou("export", "run.jsonl");
    expect(stderr).toBe("miou: export needs --perfetto OUT.json (the only export format so far); see miou --help\n");
    expect(code, stderr).toBe(2);
  });
});
