// dist/miou.js in a bare engine (QuickJS, QuickJS-ng, a Node vm context) with the two host
// functions: they are taken and hidden, the glue works through them, and every engine
// gives the same bytes. Needs `npm run build` first (`npm test` does it).
import { afterEach, describe, expect, it } from "vitest";
import { createGuest, ENGINES, type Guest } from "../../platform/node/create-guest.js";
import { readBundle } from "../../platform/quickjs/loader.js";
import { virtualHost, type TimedEvent, type VirtualHost } from "./virtual-host.js";

const guests: Guest[] = [];
afterEach(() => {
  for (const g of guests.splice(0)) g.dispose();
});

async function start(engine: (typeof ENGINES)[number], input: TimedEvent[] = [], bundle = readBundle()): Promise<{ guest: Guest; host: VirtualHost }> {
  const host = virtualHost(input);
  const guest = await createGuest(engine, {
    bundle,
    hostFunctions: {
      __miou_now: () => host.now(),
      __miou_select: (deadline, out) => host.select(deadline as number | null, out as never),
    },
  });
  guests.push(guest);
  return { guest, host };
}

const SLEEPERS = `
  Miou.runOn(undefined, function* () {
    const a = yield* Miou.async(function* () { yield* Miou.sleep(1000); return Miou.now(); });
    const b = yield* Miou.async(function* () { yield* Miou.sleep(2000); return Miou.now(); });
    const r = yield* Miou.awaitAll([a, b]);
    console.log("done at", Date.now(), "ms");
    return { woke: r.map((x) => x.value), now: Miou.now() };
  })`;

describe.each(ENGINES)("dist/miou.js on %s", (engine) => {
  it("takes the host functions off the global scope and defines only Miou and console", async () => {
    const bare = await createGuest(engine, { bundle: "" });
    guests.push(bare);
    const before = bare.evalJSON<string[]>("Object.getOwnPropertyNames(globalThis)", "names.js");
    const { guest } = await start(engine);
    const after = guest.evalJSON<string[]>("Object.getOwnPropertyNames(globalThis)", "names.js");
    expect(after.filter((n) => !before.includes(n)).sort()).toEqual(["Miou", "console"]);
    expect(guest.evalJSON("[typeof __miou_now, typeof __miou_select, typeof Miou.runOn, typeof console.log]", "probe.js")).toEqual([
      "undefined",
      "undefined",
      "function",
      "function",
    ]);
  });

  it("runs the seed's two sleepers in 2 s of virtual time, through the host functions", async () => {
    const { guest, host } = await start(engine);
    expect(guest.evalJSON(SLEEPERS, "sleepers.js")).toEqual({ woke: [1e9, 2e9], now: 2e9 });
    expect(host.time()).toBe(2e9);
    expect(host.sent).toEqual([{ sink: "stdout", data: "done at 2000 ms" }]);
  });

  it("gives bytes as an ArrayBuffer of the guest's realm, of the payload's length", async () => {
    const { guest } = await start(engine, [{ t: 5, source: "net0", data: { base64: "AAEC/w==" } }]);
    const got = guest.evalJSON(
      `Miou.runOn(undefined, function* () {
        const d = yield* Miou.recv("net0");
        return [d instanceof ArrayBuffer, d.byteLength, Array.from(new Uint8Array(d))];
      })`,
      "bytes.js",
    );
    expect(got).toEqual([true, 4, [0, 1, 2, 255]]);
  });

  it("seeds Math.random from the run's seed and reads Date.now from the host", async () => {
    const { guest } = await start(engine);
    const draws = (seed: number) =>
      guest.evalJSON<number[]>(`Miou.runOn(undefined, function* () { return [Math.random(), Math.random()]; }, { seed: ${seed} })`, "random.js");
    const seven = draws(7);
    expect(draws(7)).toEqual(seven);
    expect(draws(8)).not.toEqual(seven);
    expect(guest.evalJSON("Date.now()", "date.js")).toBe(0);
  });

  it("makes new Date() and Date() the host's now too, and leaves the rest of Date the engine's", async () => {
    const { guest } = await start(engine);
    const got = guest.evalJSON<unknown[]>(
      `Miou.runOn(undefined, function* () {
        yield* Miou.sleep(1500);
        class Stamp extends Date {}
        const d = new Date();
        return [
          Date.now(), d.getTime(), new Stamp().getTime(), new d.constructor().getTime(),
          Object.getPrototypeOf(Date) === Function.prototype, Object.getOwnPropertyNames(Date).sort().join(),
          Date() === new Date(1500).toString(),
          d instanceof Date, new Stamp() instanceof Stamp,
          new Date(86400000).toISOString(), new Date(1970, 0, 2, 3).getHours(), Date.UTC(1970, 0, 2), Date.parse("1970-01-01T00:00:02Z"),
          Date.name, Date.length, Date.now.name,
        ];
      })`,
      "date.js",
    );
    // The engine's Date is out of reach: the statics are copied, not inherited.
    expect(got).toEqual([1500, 1500, 1500, 1500, true, "UTC,length,name,now,parse,prototype", true, true, true, "1970-01-02T00:00:00.000Z", 3, 86400000, 2000, "Date", 7, "now"]);
  });

  it("without a host clock, new Date() throws naming Date, and dates from a time still work", async () => {
    const guest = await createGuest(engine, { bundle: readBundle() });
    guests.push(guest);
    expect(() => guest.evalJSON("new Date()", "date.js")).toThrow("Date needs a host clock: call it in a task of Miou.runOn, or load the bundle with __miou_now");
    expect(() => guest.evalJSON("Date.now()", "date.js")).toThrow("Date needs a host clock");
    expect(guest.evalJSON("new Date(0).toISOString()", "date.js")).toBe("1970-01-01T00:00:00.000Z");
  });

  it("formats console.log's format specifiers, the same way on every engine", async () => {
    const { guest, host } = await start(engine);
    guest.evalJSON(
      `Miou.runOn(undefined, function* () {
        yield* Miou.sleep(2);
        const cycle = {};
        cycle.self = cycle;
        console.log("%s at %d ms: %j %j %o%%", "tick", Date.now(), { n: 1 }, cycle, new Date());
      })`,
      "format.js",
    );
    expect(host.sent).toEqual([{ sink: "stdout", data: 'tick at 2 ms: {"n":1} [Circular] 1970-01-01T00:00:00.002Z%' }]);
  });

  it("reports a deadlock with what each task waits on", async () => {
    const { guest } = await start(engine);
    const got = guest.evalJSON(
      `try { Miou.runOn(undefined, function* main() { yield* Miou.recv("net0"); }); "no error" }
       catch (e) { [e instanceof Miou.Deadlock, e.suspended[0].waitsOn] }`,
      "deadlock.js",
    );
    expect(got).toEqual([true, "syscall 1 (recv net0)"]);
  });
});

describe("dist/miou.js across engines", () => {
  it("gives byte-identical decision traces and the same Math.random on V8, QuickJS and QuickJS-ng", async () => {
    const program = `
      const lines = [];
      Miou.runOn(undefined, function* () {
        const p = yield* Miou.call(function* () { return yield* Miou.recv("net0"); });
        console.log("random", Math.random(), { at: Miou.now() });
        yield* Miou.sleep(3);
        const d = yield* Miou.await(p);
        Miou.send("net1", d.value);
      }, { seed: 42, domains: 2, trace: (l) => lines.push(l) });
      lines`;
    const traces: string[][] = [];
    for (const engine of ENGINES) {
      const { guest } = await start(engine, [{ t: 1_000_000, source: "net0", data: { base64: "aGVsbG8=" } }]);
      traces.push(guest.evalJSON<string[]>(program, "trace.js"));
    }
    expect(traces[0]!.length).toBeGreaterThan(20);
    expect(traces[1]).toEqual(traces[0]);
    expect(traces[2]).toEqual(traces[0]);
  });

  it("dist/miou.min.js runs the sleepers the same way", async () => {
    const { guest } = await start("quickjs", [], readBundle("min"));
    expect(guest.evalJSON(SLEEPERS, "sleepers.js")).toEqual({ woke: [1e9, 2e9], now: 2e9 });
  });

  it("refuses to load with only one of the two host functions", async () => {
    await expect(createGuest("quickjs", { bundle: readBundle(), hostFunctions: { __miou_now: () => 0 } })).rejects.toThrow(/both/);
  });
});
