// The vitest helper (sim/testing.ts, package export miou-js/testing): a generator function
// explored in this process, a script explored on an engine, a failure's message with its
// reproduction command, and the replay that command runs.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as Miou from "../../platform/miou.js";
import { random } from "../../platform/random.js";
import { runInProcess, type MainFunction } from "../../sim/explore/in-process.js";
import { simulate, SimulationFailure } from "../../sim/testing.js";
import { VirtualHost } from "../../sim/virtual-host.js";
import { commandLines, folder, ROOT } from "./cli-run.js";

const LOST = join(ROOT, "sim/scenarios/explore-lost-update");
/** Two bursts of two page views. */
const VIEWS = [
  { t: 1_000_000, source: "views", data: [{ n: 0, page: "home" }, { n: 1, page: "home" }] },
  { t: 2_000_000, source: "views", data: [{ n: 2, page: "shop" }, { n: 3, page: "shop" }] },
  { t: 3_000_000, source: "views", data: "end" },
];

/**
 * A page-view counter like sim/scenarios/explore-lost-update's, as a generator function:
 * each burst's views are counted by workers pinned to domains 1 and 2, with a scheduling
 * point between reading and writing a counter; `locked` holds a Mutex around both.
 */
function counter(locked: boolean) {
  type View = { n: number; page: string };
  const lock = Miou.Mutex.create();
  const counts = new Map<string, number>();
  function* count(view: View) {
    const before = counts.get(view.page) ?? 0;
    yield* Miou.yield();
    counts.set(view.page, before + 1);
  }
  const worker = locked ? (view: View) => Miou.Mutex.protect(lock, () => count(view)) : count;
  return function* main() {
    counts.clear();
    for (let expected = 0; ; ) {
      const burst = (yield* Miou.recv("views")) as "end" | View[];
      if (burst === "end") return Object.fromEntries(counts);
      const ps = [];
      for (const view of burst) ps.push(yield* Miou.callWith({ pin: 1 + (view.n % 2) }, worker, view));
      expected += ps.length;
      yield* Miou.awaitAll(ps);
      let total = 0;
      for (const n of counts.values()) total += n;
      Miou.assert(total === expected, `${expected - total} page view(s) lost`);
    }
  };
}

describe("simulate() from miou-js/testing", () => {
  it("resolves when no seed fails, with how many ran", async () => {
    const summary = await simulate(counter(true), { seeds: 20, domains: 2, input: VIEWS, policy: "pct:3" });
    expect(summary.ran).toBe(20);
  });

  it("rejects with the lowest failing seed, its artifacts and a command that replays it", async () => {
    const f = folder();
    const error = await simulate(counter(false), { seeds: 20, domains: 2, input: VIEWS, out: f.dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SimulationFailure);
    const failure = error as SimulationFailure;
    expect(failure.seed).toBe(0);
    expect(failure.failure).toEqual({ kind: "invariant", name: "InvariantFailed", message: "1 page view(s) lost" });
    expect(failure.message).toContain("seed 0 (of seeds 0 to 19) failed: an invariant failed: InvariantFailed: 1 page view(s) lost");
    expect(failure.dir).toBe(join(f.dir, "seed-0"));
    expect(failure.message).toContain(`reproduce: MIOU_REPLAY=${failure.dir} npx vitest run test/explore/testing.test.ts -t "rejects with the lowest failing seed`);
    expect(JSON.parse(f.read("seed-0/failure.json")).program).toBe("function main");

    // What the command does: the same test again, replaying the folder exactly.
    const replayed = await simulate(counter(false), { domains: 2, input: VIEWS, replay: failure.dir }).catch((e: unknown) => e);
    expect((replayed as SimulationFailure).message).toContain("the replay of");
    expect((replayed as SimulationFailure).message).toContain("failed again: an invariant failed: InvariantFailed: 1 page view(s) lost");
    // The fixed function passes the failing run.
    expect(await simulate(counter(true), { domains: 2, input: VIEWS, replay: failure.dir })).toEqual({ ran: 1, elapsed_ms: 0 });
  });

  it("explores a script on an engine; its failure's command is a miou sim line that fails the same way", async () => {
    // The command's paths are relative to the folder the test runs in.
    const f = folder(process.cwd());
    const options = { seeds: 5, domains: 2, input: join(LOST, "input.jsonl"), engine: "quickjs" as const, out: join(f.dir, "out"), shrink: true };
    const error = (await simulate(join(LOST, "buggy.js"), options).catch((e: unknown) => e)) as SimulationFailure;
    expect(error).toBeInstanceOf(SimulationFailure);
    expect(error.message).toContain("(shrunk: 9 -> 1 events)");
    expect(error.command).toMatch(/^miou sim \S+buggy\.js --domains 2 --input \S+\/shrunk\/input\.jsonl --schedule \S+\/shrunk\/schedule\.txt$/);
    expect(commandLines(error.message.replace("reproduce: ", ""))).toEqual([error.command]);
    const ran = await f.command(error.command);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain("InvariantFailed: 1 page view(s) lost");
  });

  it("applies the faults asked for to an inline input, keyed by each event's index + 1", async () => {
    const input = Array.from({ length: 10 }, (_, i) => ({ t: (i + 1) * 1_000_000, source: "orders", data: { id: i } }));
    function* main() {
      const seen = new Set<number>();
      for (let i = 0; i < 10; i++) {
        const order = (yield* Miou.recv("orders")) as { id: number };
        Miou.assert(!seen.has(order.id), `order ${order.id} twice`);
        seen.add(order.id);
      }
    }
    await expect(simulate(main, { seeds: 5, input })).resolves.toMatchObject({ ran: 5 });
    const error = (await simulate(main, { seeds: 20, input, faults: "duplicate=0.2" }).catch((e: unknown) => e)) as SimulationFailure;
    expect(error.failure.kind).toBe("invariant");
    expect(error.failure.message).toMatch(/^order \d twice$/);
  });

  it("finds the bug of the README's example", async () => {
    type Accounts = { a: number; b: number };
    function* transfer(accounts: Accounts, from: keyof Accounts, to: keyof Accounts, amount: number) {
      const balance = accounts[from];
      yield* Miou.yield(); // another domain may run here
      accounts[from] = balance - amount;
      accounts[to] += amount;
    }
    const run = simulate(
      function* main() {
        const accounts = { a: 100, b: 100 };
        const p = yield* Miou.call(transfer, accounts, "a", "b", 30);
        const q = yield* Miou.call(transfer, accounts, "a", "b", 20);
        yield* Miou.awaitAll([p, q]);
        Miou.assert(accounts.a + accounts.b === 200, `money appeared: ${JSON.stringify(accounts)}`);
      },
      { seeds: 50, domains: 2, policy: "pct:3" },
    );
    await expect(run).rejects.toThrow(/^seed \d+ \(of seeds 0 to 49\) failed: an invariant failed: InvariantFailed: money appeared/);
  });

  it("gives a function the guest's Math.random and Date: seeded, and the virtual clock", async () => {
    const [hostDate, hostNow] = [Date, Date.now];
    const seen: number[][] = [];
    function* main() {
      const first = Math.random();
      yield* Miou.sleep(1500);
      seen.push([first, Date.now(), new Date().getTime(), new (new Date().constructor as DateConstructor)().getTime()]);
      Miou.assert(first < 0.9, `an unlucky draw: ${first}`);
    }
    const error = (await simulate(main, { seeds: 30 }).catch((e: unknown) => e)) as SimulationFailure;
    expect(error.failure.message).toMatch(/^an unlucky draw: 0\.9/);
    // Each seed draws its own numbers, the same when the failing seed runs again; the clock is virtual.
    const bySeed = seen.slice(0, error.seed + 1);
    expect(seen.at(-1)).toEqual(bySeed.at(-1));
    for (const [, ...now_ms] of seen) expect(now_ms).toEqual([1500, 1500, 1500]);
    expect(new Set(bySeed.map(([r]) => r)).size).toBe(bySeed.length);
    expect(Math.random).not.toBe(random);
    expect(Date).toBe(hostDate);
    expect(Date.now).toBe(hostNow);
    expect(new Date().constructor).toBe(hostDate);
  });

  it("is the package's export, and runs functions written against the package's Miou", async () => {
    // The built package, as a user's test imports it (npm test builds first).
    const testing = (await import(join(ROOT, "dist/node/sim/testing.js"))) as typeof import("../../sim/testing.js");
    const esm = (await import(join(ROOT, "dist/esm/index.js"))) as { Miou: typeof Miou };
    const error = await testing
      .simulate(function* main() {
        yield* esm.Miou.sleep(1);
        esm.Miou.assert(Math.random() < 0.5, "an unlucky draw");
      }, { seeds: 10 })
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe("SimulationFailure");
    expect((error as Error).message).toContain("InvariantFailed: an unlucky draw");
  });
});

describe("a function that loops without an operation", () => {
  // The simulator's budget is 5 s; here 200 ms. The watchdog is real time by nature.
  it("is stopped by the CPU budget, as a guest would be, and a later run goes on", async () => {
    const run = (main: MainFunction) =>
      runInProcess({ main, host: new VirtualHost({ events: [] }), seed: 0, domains: 0, maxDecisions: 1_000_000, choices: { pick: (r) => r[0]!, draw: () => 0 }, onLine: () => {}, cpuBudgetMs: 200 });
    const stopped = await run(function* () {
      yield* Miou.yield();
      for (;;);
    });
    expect(stopped.end).toEqual({ kind: "guest-stopped", error: { name: "GuestStopped", message: "guest exceeded its CPU budget of 200 ms" } });
    const later = await run(function* () {
      yield* Miou.sleep(5000); // virtual: the host's time, never the budget's
      return 42;
    });
    expect(later.end).toEqual({ kind: "ok", valueJSON: "42" });
  });
});
