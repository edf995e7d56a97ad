// The core inside real engines: dist/miou.js in bare QuickJS, QuickJS-ng and a Node vm
// context, driven by an `events` written in the guest program. The decision traces must be
// byte-identical across engines for the same seed (DESIGN §6, §7).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ENGINES, createGuest, type Guest } from "../../platform/node/create-guest.js";
import { readBundle } from "../../platform/quickjs/loader.js";

// A program with a virtual sleeper, two worker domains, awaitOne ties, cancellation of a
// sleeper on another domain, and parallel: every kind of decision the core makes.
const PROGRAM = String.raw`
var now = 0;
var sleepers = [];
function events(domain) {
  return {
    select(block, cancelled) {
      sleepers = sleepers.filter((s) => !cancelled.includes(Miou.uid(s.sc)));
      if (block && sleepers.length > 0) now = Math.max(now, Math.min(...sleepers.map((s) => s.at)));
      const due = sleepers.filter((s) => s.domain === domain && s.at <= now);
      sleepers = sleepers.filter((s) => !due.includes(s));
      return due.map((s) => Miou.signal(s.sc));
    },
    interrupt() {},
    finaliser() {},
  };
}
function* sleep(ms) {
  const sc = Miou.syscall("sleep " + ms);
  yield* Miou.suspend(sc, () => sleepers.push({ sc, at: now + ms, domain: Miou.Domain.self() }));
}
function* value(v) { yield* Miou.yield(); return v; }
function* main() {
  const a = yield* Miou.call(function* () { yield* sleep(10); return "a"; });
  const b = yield* Miou.call(function* () { yield* sleep(10); return "b"; });
  const long = yield* Miou.call(function* () { try { yield* sleep(1000); } finally { yield* Miou.yield(); } });
  const first = yield* Miou.awaitOne([a, b]);
  const rest = yield* Miou.awaitAll([a, b]);
  yield* Miou.cancel(long);
  const ties = [];
  for (let i = 0; i < 4; i++) {
    const x = yield* Miou.async(value, "x" + i);
    const y = yield* Miou.async(value, "y" + i);
    yield* Miou.yield();
    yield* Miou.yield();
    ties.push(yield* Miou.awaitFirst([x, y]));
  }
  const doubled = yield* Miou.parallel(function* (n) { return n * 2; }, [1, 2, 3]);
  return { first, rest, ties, doubled, long: yield* Miou.await(long), now };
}
`;

function runIn(guest: Guest, seed: number): { result: unknown; trace: string } {
  return guest.evalJSON(
    `(() => {
      now = 0;
      sleepers = [];
      const lines = [];
      let result;
      try {
        const v = Miou.run(main, { domains: 2, seed: ${seed}, events, trace: (r) => lines.push(JSON.stringify(r)) });
        result = { ok: true, value: v };
      } catch (e) {
        result = { ok: false, name: e.name, message: e.message };
      }
      return { result, trace: lines.join("\\n") };
    })()`,
    "drive.js",
  );
}

const guests = new Map<string, Guest>();

beforeAll(async () => {
  for (const engine of ENGINES) {
    const guest = await createGuest(engine, { bundle: readBundle("full") });
    guest.evalScript(PROGRAM, "program.js");
    guests.set(engine, guest);
  }
});

afterAll(() => {
  for (const guest of guests.values()) guest.dispose();
});

describe("dist/miou.js in every engine", () => {
  test("the program runs to the value the reference predicts", () => {
    const { result } = runIn(guests.get("quickjs")!, 0);
    const r = result as { ok: boolean; value: Record<string, unknown> };
    expect(r.ok).toBe(true);
    const v = r.value;
    // Both sleepers wake at virtual 10; awaitOne takes one of them, awaitAll then both.
    expect(["a", "b"]).toContain((v.first as { value: string }).value);
    expect(v.rest).toEqual([
      { ok: true, value: "a" },
      { ok: true, value: "b" },
    ]);
    // The 1000 ms sleeper was cancelled: no virtual time passed beyond the short sleeps.
    expect(v.now).toBe(10);
    expect((v.long as { ok: boolean; error: { name?: string } }).ok).toBe(false);
    // parallel keeps input order.
    expect(v.doubled).toEqual([
      { ok: true, value: 2 },
      { ok: true, value: 4 },
      { ok: true, value: 6 },
    ]);
  });

  test.each([0, 1, 7, 4294967295])("seed %i gives byte-identical traces on node, quickjs and quickjs-ng", (seed) => {
    const traces = ENGINES.map((engine) => runIn(guests.get(engine)!, seed));
    expect(traces[0]!.trace.length).toBeGreaterThan(1000);
    for (const t of traces.slice(1)) {
      expect(t.result).toEqual(traces[0]!.result);
      expect(t.trace).toBe(traces[0]!.trace);
    }
  });

  test("different seeds break awaitFirst ties differently", () => {
    const winners = new Set<string>();
    for (let seed = 0; seed < 16; seed++) {
      const { result } = runIn(guests.get("quickjs")!, seed);
      winners.add(JSON.stringify((result as { value: { ties: unknown } }).value.ties));
    }
    expect(winners.size).toBeGreaterThan(1);
  });
});

describe("inside QuickJS's 64 KB stack", () => {
  test.each(["quickjs", "quickjs-ng"] as const)("%s cancels a chain of 10,000 nested tasks, every finally once", async (engine) => {
    const guest = await createGuest(engine, { bundle: readBundle("full") });
    try {
      const got = guest.evalJSON<{ finallies: number; error: string }>(
        `(() => {
          let finallies = 0;
          function* nest(n) {
            try {
              if (n === 0) { for (;;) yield* Miou.yield(); }
              const p = yield* Miou.async(nest, n - 1);
              yield* Miou.await(p);
            } finally { finallies++; }
          }
          const r = Miou.run(function* () {
            const p = yield* Miou.async(nest, 10000);
            for (let i = 0; i < 20001; i++) yield* Miou.yield();
            yield* Miou.cancel(p);
            return yield* Miou.await(p);
          });
          return { finallies, error: r.error.name };
        })()`,
        "chain.js",
      );
      expect(got).toEqual({ finallies: 10001, error: "Cancelled" });
    } finally {
      guest.dispose();
    }
  });

  test.each(["quickjs", "quickjs-ng"] as const)("error names survive minification in %s", async (engine) => {
    const guest = await createGuest(engine, { bundle: readBundle("min") });
    try {
      const names = guest.evalJSON<string[]>(
        `["Cancelled", "StillHasChildren", "NotAChild", "NoDomainAvailable", "NoSelectProvided", "ResourceLeaked",
          "NotOwner", "MutexError", "LazyUndefined", "Empty"].map((n) => new Miou[n]("m").name + "/" + (new Miou[n]("m") instanceof Error))`,
        "names.js",
      );
      expect(names).toEqual(
        ["Cancelled", "StillHasChildren", "NotAChild", "NoDomainAvailable", "NoSelectProvided", "ResourceLeaked", "NotOwner", "MutexError", "LazyUndefined", "Empty"].map(
          (n) => `${n}/true`,
        ),
      );
      const thrown = guest.evalJSON<string>(
        `(() => { try { Miou.run(function* () { yield* Miou.async(function* () {}); }); } catch (e) { return e.name; } })()`,
        "still.js",
      );
      expect(thrown).toBe("StillHasChildren");
    } finally {
      guest.dispose();
    }
  });

  test("the bundle defines Miou and nothing else enumerable, and Miou is frozen", async () => {
    const guest = await createGuest("quickjs", { bundle: readBundle("full") });
    try {
      expect(guest.evalJSON(`[typeof Miou, Object.isFrozen(Miou), Object.keys(globalThis).length]`, "g.js")).toEqual(["object", true, 0]);
    } finally {
      guest.dispose();
    }
  });
});
