// The package's entry points resolve by name (Node's self-reference, as an installed
// package would) and run docs/host.md's examples: the loader with host functions of your
// own, record and replay of your own host, and the embedder. Needs `npm run build`.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");

const SCRIPT = `
import { Miou } from "miou-js";
import { loadGuest, readBundle } from "miou-js/loader";
import { runProgram } from "miou-js/embedder";
import { BoundaryRecorder, ReplayHost, boundaryHeaderLine, contentHash, parseBoundaryLog } from "miou-js/record-replay";

// A host over virtual time: select jumps to its deadline.
function virtualHost() {
  let now_ns = 0;
  return {
    now: () => now_ns,
    select(deadline) {
      if (deadline === null) return { now: now_ns, events: [], idle: true };
      now_ns = Math.max(now_ns, deadline);
      return { now: now_ns, events: [] };
    },
  };
}

const host = virtualHost();
const guest = await loadGuest({
  engine: "quickjs-ng",
  bundle: readBundle(),
  hostFunctions: { __miou_now: () => host.now(), __miou_select: (deadline, out) => host.select(deadline, out) },
});
let loader;
try {
  loader = [guest.evalJSON("typeof __miou_now", "probe.js"), guest.evalJSON("Miou.runOn(undefined, function* () { yield* Miou.sleep(1000); return Miou.now(); })", "main.js")];
} finally {
  guest.dispose();
}

const source = "function* main() { yield* Miou.sleep(5); yield* Miou.sleep(7); return Miou.now(); }";
function* main() {
  yield* Miou.sleep(5);
  yield* Miou.sleep(7);
  return Miou.now();
}
const lines = [boundaryHeaderLine({ engine: "node", seed: 0, domains: 0, poll_every: 64, cpu_budget_ms: 5000, memory_limit_mb: null, program: contentHash(source), input: null })];
const recorded = Miou.runOn(new BoundaryRecorder(virtualHost(), (line) => lines.push(line)), main);
const replaying = new ReplayHost(parseBoundaryLog(lines.join("\\n"), "run.jsonl"));
const replayed = Miou.runOn(replaying, main);

const run = await runProgram({ engine: "quickjs", program: source, host: virtualHost() });
console.log(JSON.stringify({ loader, recorded, replayed, divergence: replaying.finish(), calls: lines.length - 1, run: [run.end, run.exitCode] }));
`;

it("miou-js/loader, miou-js/embedder and miou-js/record-replay resolve and run the host guide's examples", async () => {
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ["--input-type=module", "-e", SCRIPT], { cwd: ROOT }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr }),
    );
  });
  expect(code, stderr).toBe(0);
  const got = JSON.parse(stdout) as Record<string, unknown>;
  expect(got).toEqual({
    loader: ["undefined", 1e9],
    recorded: 12_000_000,
    replayed: 12_000_000,
    divergence: null,
    calls: expect.any(Number),
    run: [{ kind: "ok", valueJSON: "12000000" }, 0],
  });
  expect(got.calls).toBeGreaterThan(2);
});
