// `miou explore`, `miou shrink` and `miou sim --schedule`, spawned as a user runs them:
// exit codes (DESIGN §7), failure folders, the lowest failing seed, the same results
// whatever --workers and --shard, and bad usage.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../tools/cli.js";
import { commandLines, folder, ROOT } from "./cli-run.js";

const ORDERS = join(ROOT, "sim/scenarios/explore-duplicate-order");
/** Fails on some seeds only: 12 orders, each duplicated with probability 0.04. */
const SOME_FAIL = [join(ORDERS, "buggy.js"), "--input", join(ORDERS, "input.jsonl"), "--faults", "duplicate=0.04,delay=0.3:3ms", "--engine", "node"];
const FOLDER_FILES = ["failure.json", "faults.jsonl", "input.jsonl", "schedule.txt", "timeline.json", "trace.jsonl"];

/** Every file of a failure folder, failure.json without its command (it names the folder). */
function folderFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).filter((n) => n.includes("."))) {
    const text = readFileSync(join(dir, name), "utf8");
    out[name] = name === "failure.json" ? JSON.stringify({ ...JSON.parse(text), command: null }) : text;
  }
  return out;
}

describe.concurrent("miou explore: failures and exit codes", () => {
  it.each([
    ["the program throws", "function* main() { yield* Miou.sleep(1); throw new TypeError('boom'); }", [], 1, "error", "TypeError"],
    ["a Miou rule is broken", "function* main() { yield* Miou.async(function* () { yield* Miou.sleep(5); }); return 1; }", [], 1, "rule", "StillHasChildren"],
    ["a Miou.assert fails, even caught", "function* main() { try { Miou.assert(false, 'never'); } catch {} yield* Miou.sleep(1); }", [], 1, "invariant", "InvariantFailed"],
    ["it deadlocks", "function* main() { return yield* Miou.recv('never'); }", [], 3, "deadlock", "Deadlock"],
    ["it livelocks", "function* main() { for (;;) yield* Miou.yield(); }", ["--max-decisions", "500"], 4, "livelock", "Livelock"],
  ])("fails when %s, with the exit code of its kind", async (_what, program, extra, exit, kind, name) => {
    const f = folder();
    const file = f.file("p.js", program);
    const ran = await f.miou("explore", file, "--seeds", "3", "--engine", "node", ...(extra as string[]));
    expect(ran.code, ran.stdout + ran.stderr).toBe(exit);
    const record = JSON.parse(f.read("miou-explore/failure.json"));
    expect([record.seed, record.kind, record.error.name, record.exit]).toEqual([0, kind, name, exit]);
    expect(readdirSync(join(f.dir, "miou-explore")).sort()).toEqual(FOLDER_FILES);
    // The command reproduces it with the same exit code (the budget flag carried along).
    const [line] = commandLines(ran.stdout);
    expect(line).toBe(`miou sim p.js --domains 0 --input miou-explore/input.jsonl --schedule miou-explore/schedule.txt --engine node${extra.length > 0 ? " --max-decisions 500" : ""}`);
    expect((await f.command(line!)).code).toBe(exit);
  });

  it("exits with 0 and writes nothing when no seed fails", async () => {
    const f = folder();
    const file = f.file("ok.js", "function* main() { yield* Miou.sleep(Math.floor(Math.random() * 10)); return 1; }");
    const ran = await f.miou("explore", file, "--seeds", "5", "--engine", "node", "--domains", "2");
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toContain("explored 5 of 5 seeds");
    expect(commandLines(ran.stdout)).toEqual([]);
    expect(readdirSync(f.dir)).toEqual(["ok.js"]);
  });

  it("reports the lowest failing seed, abandoning the seeds above it", async () => {
    const f = folder();
    const ran = await f.miou("explore", ...SOME_FAIL, "--seeds", "30", "--out", "out");
    expect(ran.code).toBe(1);
    expect(ran.stdout).toContain("seed 1 fails: an invariant failed: InvariantFailed: order ");
    expect(ran.stdout).toContain("explored 2 of 30 seeds");
    expect(ran.stdout).toContain("the lowest failing seed is 1; the 28 seeds above it were abandoned");
    expect(JSON.parse(f.read("out/failure.json")).seed).toBe(1);
    expect(f.read("out/schedule.txt")).toContain("seed 1\n");
  });

  it("--keep-going reports every failing seed, each in its folder with its command", async () => {
    const f = folder();
    const ran = await f.miou("explore", ...SOME_FAIL, "--seeds", "30", "--out", "out", "--keep-going");
    expect(ran.code).toBe(1);
    expect(ran.stdout).toContain("12 failing seeds (1, 6, 9, 11, 12, 15, 18, 22, 23, 27, 28, 29)");
    const lines = commandLines(ran.stdout);
    expect(lines).toHaveLength(12);
    expect(lines[0]).toContain("--input out/seed-1/input.jsonl --schedule out/seed-1/schedule.txt");
    expect(readdirSync(join(f.dir, "out")).sort()).toContain("seed-29");
  });
});

describe("miou explore: the same results whatever --workers and --shard", () => {
  it("finds the same lowest seed with the same folder on one thread, 3 workers, or 3 shards", async () => {
    const f = folder();
    const runs = await Promise.all([
      f.miou("explore", ...SOME_FAIL, "--seeds", "30", "--out", "one"),
      f.miou("explore", ...SOME_FAIL, "--seeds", "30", "--out", "three", "--workers", "3"),
      ...[0, 1, 2].map((i) => f.miou("explore", ...SOME_FAIL, "--seeds", "30", "--out", `shard-${i}`, "--shard", `${i}/3`, "--workers", "2")),
    ]);
    for (const ran of runs) expect(ran.code, ran.stderr).toBe(1);
    const seedOf = (dir: string) => JSON.parse(f.read(`${dir}/failure.json`)).seed as number;
    expect(seedOf("one")).toBe(1);
    expect(seedOf("three")).toBe(1);
    // Shard 1/3 holds seed 1, the lowest of all; the others find their own lowest.
    expect([seedOf("shard-0"), seedOf("shard-1"), seedOf("shard-2")]).toEqual([6, 1, 11]);
    expect(folderFiles(join(f.dir, "three"))).toEqual(folderFiles(join(f.dir, "one")));
    expect(folderFiles(join(f.dir, "shard-1"))).toEqual(folderFiles(join(f.dir, "one")));
  });

  it("with --keep-going, the shards' failures together are the unsharded run's, folder for folder", async () => {
    const f = folder();
    const [all, ...shards] = await Promise.all([
      f.miou("explore", ...SOME_FAIL, "--seeds", "20", "--out", "all", "--keep-going", "--workers", "2"),
      f.miou("explore", ...SOME_FAIL, "--seeds", "20", "--out", "s0", "--keep-going", "--shard", "0/2"),
      f.miou("explore", ...SOME_FAIL, "--seeds", "20", "--out", "s1", "--keep-going", "--shard", "1/2"),
    ]);
    expect(all!.code).toBe(1);
    const seeds = (dir: string) => readdirSync(join(f.dir, dir)).sort();
    expect([...seeds("s0"), ...seeds("s1")].sort()).toEqual(seeds("all"));
    for (const [i, shard] of shards.entries()) {
      expect(shard.code).toBe(1);
      for (const seed of seeds(`s${i}`)) expect(folderFiles(join(f.dir, `s${i}`, seed))).toEqual(folderFiles(join(f.dir, "all", seed)));
    }
  });
});

// A V8 guest cannot be interrupted from inside: on the main thread a watchdog signal ends
// its script, in explore's workers the pool ends the worker (platform/node/vm-watchdog.ts).
// Both take the simulator's 5 s CPU budget, so this test takes about 11 s.
describe("miou explore --engine node: a seed that loops forever", () => {
  it("is stopped in a worker and again on the main thread, exit 4, and the exploration goes on to report it", async () => {
    const f = folder();
    f.file("loop.js", "function* main() { for (;;) {} }\n");
    const r = await f.miou("explore", "loop.js", "--engine", "node", "--seeds", "3", "--workers", "2", "--out", "out");
    expect(r.code, r.stderr).toBe(4);
    expect(r.stdout).toContain("seed 0 fails: the guest was stopped: GuestStopped: guest exceeded its CPU budget of 5000 ms");
    expect(r.stdout).toMatch(/explored 1 of 3 seeds in .*: the lowest failing seed is 0; the 2 seeds above it were abandoned/);
    expect(JSON.parse(f.read("out/failure.json"))).toMatchObject({ seed: 0, kind: "stopped", error: { name: "GuestStopped" }, exit: 4 });
  }, 40_000);
});

describe("miou explore: bad usage (in this process)", () => {
  /** Runs `miou ARGS` through the command line's dispatch, here, capturing what it prints. */
  async function miou(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(args, { out: (line) => out.push(line), err: (line) => err.push(line) });
    return { code, stdout: out.join("\n"), stderr: err.join("\n") };
  }

  it.each([
    [["explore"], "explore takes one PROGRAM.js, got none"],
    [["explore", "p.js", "--faults", "drop=2"], "option --faults: fault drop: expected a probability in [0, 1]"],
    [["explore", "p.js", "--faults", "lose=0.1"], 'option --faults: unknown fault "lose"'],
    [["explore", "p.js", "--policy", "fifo"], "option --policy: the policy is rr, random or pct:D"],
    [["explore", "p.js", "--shard", "2/2"], "option --shard must be I/M with 0 <= I < M"],
    [["explore", "p.js", "--seeds", "0"], "option --seeds must be an integer in [1, "],
    [["explore", "p.js", "--out", "a b"], '--out "a b": use a folder path without spaces'],
    [["explore", "missing.js"], "cannot read program missing.js"],
    [["shrink", "p.js"], "shrink needs --failure DIR"],
  ])("%j exits with 2", async (args, message) => {
    const ran = await miou(...args);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain(message);
  });

  it("a program that does not load exits with 2, before any seed", async () => {
    const f = folder();
    const ran = await miou("explore", join(f.dir, f.file("bad.js", "function* main() { yield* ; }")), "--seeds", "3", "--engine", "node");
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain("bad.js does not load: SyntaxError");
  });

  it("documents the commands and their options in --help", async () => {
    const { stdout } = await miou("--help");
    for (const text of ["miou explore PROGRAM.js --seeds N", "miou shrink PROGRAM.js --failure DIR", "--schedule FILE", "--policy P", "--faults SPEC", "--workers K", "--shard I/M", "--keep-going", "--shrink", "--max-runs N"]) {
      expect(stdout).toContain(text);
    }
  });
});

describe.concurrent("miou sim --schedule and miou shrink", () => {
  const LOST = join(ROOT, "sim/scenarios/explore-lost-update");
  const found = async () => {
    const f = folder();
    const ran = await f.miou("explore", join(LOST, "buggy.js"), "--input", join(LOST, "input.jsonl"), "--domains", "2", "--seeds", "5", "--engine", "node", "--out", "found");
    expect(ran.code).toBe(1);
    return f;
  };

  it("takes the seed and domains from the schedule, and refuses flags that disagree", async () => {
    const f = await found();
    const base = ["sim", join(LOST, "buggy.js"), "--input", "found/input.jsonl", "--schedule", "found/schedule.txt", "--engine", "node"];
    expect((await f.miou(...base)).code).toBe(1);
    const seed = await f.miou(...base, "--seed", "99");
    expect(seed.code).toBe(2);
    expect(seed.stderr).toContain("found/schedule.txt: --seed 99 is not the schedule's seed 0");
    expect((await f.miou(...base, "--domains", "1")).stderr).toContain("--domains 1 is not the schedule's domains 2");
  });

  it("exits with 5 when the run cannot follow its schedule", async () => {
    const f = await found();
    // Domain 0 cannot run while main waits for its workers.
    f.file("wrong.txt", "miou schedule 1\nseed 0\ndomains 2\npicks 0*40\n");
    const ran = await f.miou("sim", join(LOST, "buggy.js"), "--input", "found/input.jsonl", "--schedule", "wrong.txt", "--engine", "node");
    expect(ran.code, ran.stderr).toBe(5);
    expect(ran.stderr).toMatch(/ScheduleDiverged: the replay diverged from its schedule: pick \d+ of the schedule is domain 0, but the domains that can run are 1, 2/);
    expect(ran.stderr).toContain("miou: the run diverged from wrong.txt");
  });

  it("rejects a malformed schedule with FILE:LINE and exit 2", async () => {
    const f = folder();
    f.file("p.js", "function* main() {}");
    f.file("s.txt", "miou schedule 1\nseed 0\ndomains 0\npicks zero\n");
    const ran = await f.miou("sim", "p.js", "--schedule", "s.txt");
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain('s.txt:4: a pick is a domain, or DOMAIN*COUNT for a run of picks, got "zero"');
  });

  it("shrink writes DIR/shrunk, reports the sizes and exits with the failure's code", async () => {
    const f = await found();
    const ran = await f.miou("shrink", join(LOST, "buggy.js"), "--failure", "found");
    expect(ran.code, ran.stderr).toBe(1);
    expect(ran.stdout).toContain("shrinking seed 0's failure: an invariant failed: InvariantFailed: 1 page view(s) lost");
    expect(ran.stdout).toMatch(/shrunk in \d+ runs: events 9 -> 1, faults 0 -> 0, schedule choices \d+ -> \d+, horizon 0\.009 s \(9000000 ns\) -> 0\.001 s \(1000000 ns\)/);
    expect(readdirSync(join(f.dir, "found/shrunk")).sort()).toEqual(FOLDER_FILES);
    const [line] = commandLines(ran.stdout);
    expect(line).toBe(`miou sim ${join(LOST, "buggy.js")} --domains 2 --input found/shrunk/input.jsonl --schedule found/shrunk/schedule.txt --engine node`);
  });

  it("shrink exits with 5 when the failure does not happen again (another program)", async () => {
    const f = await found();
    const ran = await f.miou("shrink", join(LOST, "fixed.js"), "--failure", "found");
    expect(ran.code).toBe(5);
    expect(ran.stderr).toContain("is not the program found failed with");
    expect(ran.stderr).toContain("does not fail with InvariantFailed: 1 page view(s) lost when replayed");
  });
});

describe("shrinking a deadlock", () => {
  it("drops the events whose loss does not matter, though the waiting task's numbers change", async () => {
    const f = folder();
    const program = f.file("until-end.js", 'function* main() { for (let n = 0; ; n++) if ((yield* Miou.recv("net")) === "end") return n; }');
    const lines = ['{"miou":"input","v":1}', ...Array.from({ length: 10 }, (_, i) => JSON.stringify({ t: (i + 1) * 1000, source: "net", data: i })), '{"t":20000,"source":"net","data":"end"}'];
    f.file("in.jsonl", lines.join("\n") + "\n");
    const ran = await f.miou("explore", program, "--input", "in.jsonl", "--faults", "drop=0.1", "--seeds", "20", "--engine", "node", "--shrink");
    expect(ran.code, ran.stderr).toBe(3);
    expect(ran.stdout).toContain("seed 10 fails: deadlock: Deadlock: Miou.Deadlock: no task can make progress");
    expect(ran.stdout).toContain("shrunk in 6 runs: events 9 -> 0");
    const [, shrunk] = commandLines(ran.stdout);
    const again = await f.command(shrunk!);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain("task 1 (main) on domain 0 waits on syscall 1 (recv net)");
  });
});
