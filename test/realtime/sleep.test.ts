// Real-clock checks (issue 5 §2, §6): few, run serially after every other suite, and
// asserting upper bounds only. Behaviour is checked in the simulator; these only show the
// real host waits for real and burns no CPU while it does.
import { readFileSync } from "node:fs";
import { cpuUsage } from "node:process";
import { beforeAll, describe, expect, test } from "vitest";
import type { Host, HostWake, Outgoing } from "../../platform/host.js";
import { runProgram, type RunResult } from "../../platform/quickjs/embedder.js";
import { quickJSModule } from "../../platform/quickjs/loader.js";
import { RealHost } from "../../platform/quickjs/real-host.js";

/**
 * CPU time of this thread, in ms. V8 compiles wasm and collects garbage on helper
 * threads, so the process's figure says nothing about a thread that waits: on Linux the
 * scheduler's count for this thread is read (ns on the CPU), elsewhere the process's.
 */
function threadCpuMs(): number {
  try {
    return Number(readFileSync("/proc/thread-self/schedstat", "utf8").split(" ")[0]) / 1e6;
  } catch {
    const { user, system } = cpuUsage();
    return (user + system) / 1000;
  }
}

/** A real host that also measures the CPU the process uses while select waits. */
function measuredHost(): { host: Host; blockedCpuMs: () => number } {
  const real = new RealHost({ stdout: () => {} });
  let blocked = 0;
  return {
    host: {
      now: () => real.now(),
      select: (deadline: number | null, out: Outgoing[]): HostWake => {
        const before = threadCpuMs();
        try {
          return real.select(deadline, out);
        } finally {
          blocked += threadCpuMs() - before;
        }
      },
    },
    blockedCpuMs: () => blocked,
  };
}

/** The program's own measure of its run, in ms of the host clock. */
const elapsedMs = (r: RunResult): number => (r.end.kind === "ok" ? JSON.parse(r.end.valueJSON!).elapsed_ms : NaN);

beforeAll(async () => {
  // Compile both wasm modules first: their compile time is not what is measured.
  await Promise.all([quickJSModule("quickjs"), quickJSModule("quickjs-ng")]);
});

describe("on the real clock", () => {
  test.each([
    ["dom0", "yield* Miou.sleep(2000)"],
    ["domain 1", "yield* Miou.awaitExn(yield* Miou.call(function* () { yield* Miou.sleep(2000); }))"],
  ])("a 2 s sleep on %s finishes under 3 s and costs little CPU", async (_where, sleep) => {
    const { host, blockedCpuMs } = measuredHost();
    const program = `
      function* main() {
        const t0 = Miou.now();
        ${sleep};
        return { elapsed_ms: (Miou.now() - t0) / 1e6 };
      }`;
    const before = threadCpuMs();
    const r = await runProgram({ engine: "quickjs", host, program, domains: 1 });
    const total = threadCpuMs() - before;
    expect(r.end.kind).toBe("ok");
    expect(elapsedMs(r)).toBeLessThan(3000);
    // Idle means no CPU: the bound is 20 ms for the whole sleep; the thread's CPU
    // while it waits is held to it, the whole run with its bundle load to a generous 200 ms.
    expect(blockedCpuMs()).toBeLessThan(20);
    expect(total).toBeLessThan(200);
  });

  test("two concurrent sleeps of 1 s and 2 s finish together under 3 s", async () => {
    const { host } = measuredHost();
    const program = `
      function* sleeper(ms) { yield* Miou.sleep(ms); return ms; }
      function* main() {
        const t0 = Miou.now();
        const a = yield* Miou.async(sleeper, 1000);
        const b = yield* Miou.async(sleeper, 2000);
        yield* Miou.awaitAll([a, b]);
        return { elapsed_ms: (Miou.now() - t0) / 1e6 };
      }`;
    const r = await runProgram({ engine: "quickjs-ng", host, program });
    expect(r.end.kind).toBe("ok");
    expect(elapsedMs(r)).toBeLessThan(3000);
  });

  test("a 10 s sleep on another domain, cancelled at once, returns under 1 s", async () => {
    const { host } = measuredHost();
    const program = `
      function* main() {
        const t0 = Miou.now();
        const p = yield* Miou.call(function* () { yield* Miou.sleep(10000); });
        yield* Miou.cancel(p);
        return { elapsed_ms: (Miou.now() - t0) / 1e6 };
      }`;
    const start = performance.now();
    const r = await runProgram({ engine: "quickjs", host, program, domains: 1 });
    expect(r.end.kind).toBe("ok");
    expect(elapsedMs(r)).toBeLessThan(1000);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});
