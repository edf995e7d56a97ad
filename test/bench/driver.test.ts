// The benchmark driver and the paired A/B tool start and run one tiny workload (issue 7:
// `npm test` may check that the bench driver starts; benchmarks themselves are never part
// of it, and nothing here looks at a time).
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const ZX = join(ROOT, "node_modules/.bin/zx");

interface Row {
  workload: string;
  engine: string;
  impl: string;
  median: number | null;
  ratio: number | null;
  error: string | null;
}

function run(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: ROOT }, (error, stdout, stderr) => resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr }));
  });
}

it("the bench driver (--quick) runs spawn-await for the floor and Miou and writes its results", async () => {
  const out = join(mkdtempSync(join(tmpdir(), "miou-bench-")), "results.json");
  const args = ["tools/bench.mjs", "--quick", "--only", "spawn-await", "--engine", "node", "--impl", "floor,miou", "--samples", "1", "--out", out];
  const { code, stdout, stderr } = await run(ZX, args);
  expect(code, stderr + stdout).toBe(0);
  expect(stdout).toContain("spawn-await: spawn + await, one at a time");
  const results = JSON.parse(readFileSync(out, "utf8")) as { quick: boolean; rows: Row[] };
  expect(results.quick).toBe(true);
  expect(results.rows.map((r) => [r.workload, r.engine, r.impl, r.error])).toEqual([
    ["spawn-await", "node", "floor", null],
    ["spawn-await", "node", "miou", null],
  ]);
  for (const row of results.rows) expect(row.median).toBeGreaterThan(0);
  expect(results.rows[0]!.ratio).toBe(1);
});

it("bench/ab.mjs pairs a build with itself inside QuickJS, and names a bad option", async () => {
  const ab = ["bench/ab.mjs", "--a", "dist", "--b", "dist/miou.js", "--workload", "switch", "--n", "2000", "--rounds", "3", "--warmup-ms", "0"];
  const ok = await run(process.execPath, ab);
  expect(ok.code, ok.stderr).toBe(0);
  expect(ok.stdout).toMatch(/^switch on quickjs, n = 2000, 3 pairs: A \S+\/s, B \S+\/s; B\/A speed \d\.\d{3} \(min \d\.\d{3}, max \d\.\d{3}\)\n$/);
  const bad = await run(process.execPath, [...ab.slice(0, 5), "--workload", "switches"]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/^bench\/ab: --workload: expected one of spawn-await, fan-out, switch, .* got switches\n/);
  const esm = await run(process.execPath, [...ab.slice(0, 3), "--b", "dist/esm/index.js", ...ab.slice(5)]);
  expect(esm.code).toBe(2);
  expect(esm.stderr).toMatch(/^bench\/ab: --b dist\/esm\/index.js: .* does not run MiouBench.switches\(2000\) on quickjs \(a guest bundle \(dist\/miou.js\) expected\)/);
});
