// Event sources (issue 4 §2, DESIGN §4): one FIFO per source shared by every domain, first
// registered waiter served first, and a cancelled waiter loses nothing in either state.
import { describe, expect, it } from "vitest";
import * as Miou from "../../platform/miou.js";
import { traceLines, virtualHost } from "./virtual-host.js";

const S = 1_000_000_000;
const MS = 1_000_000;

function* receiver(source: string) {
  return yield* Miou.recv(source);
}

describe("Miou.recv", () => {
  it("serves the first registered waiter first, whatever its domain", () => {
    const host = virtualHost([
      { t: 1 * S, source: "net0", data: 1 },
      { t: 1 * S, source: "net0", data: 2 },
      { t: 1 * S, source: "net0", data: 3 },
    ]);
    const value = Miou.runOn(
      host,
      function* () {
        // Registered first on dom2, then on dom1 at 1 ms, then on dom0 at 2 ms.
        const onDom2 = yield* Miou.callWith({ pin: 2 }, receiver, "net0");
        const onDom1 = yield* Miou.callWith({ pin: 1 }, function* () {
          yield* Miou.sleep(1);
          return yield* Miou.recv("net0");
        });
        yield* Miou.sleep(2);
        const mine = yield* Miou.recv("net0");
        const dom1 = yield* Miou.awaitExn(onDom1);
        const dom2 = yield* Miou.awaitExn(onDom2);
        return { dom2, dom1, dom0: mine };
      },
      { domains: 2 },
    );
    expect(value).toEqual({ dom2: 1, dom1: 2, dom0: 3 });
  });

  it("keeps events in arrival order and hands them out one per recv", () => {
    const host = virtualHost([
      { t: 5 * MS, source: "net0", data: "a" },
      { t: 5 * MS, source: "net0", data: "b" },
      { t: 7 * MS, source: "net0", data: "c" },
    ]);
    const got = Miou.runOn(host, function* () {
      const out: unknown[] = [];
      for (let i = 0; i < 3; i++) out.push([yield* Miou.recv("net0"), Miou.now()]);
      return out;
    });
    expect(got).toEqual([
      ["a", 5 * MS],
      ["b", 5 * MS],
      ["c", 7 * MS],
    ]);
  });

  it("keeps sources apart", () => {
    const host = virtualHost([
      { t: 1 * MS, source: "a", data: "for a" },
      { t: 2 * MS, source: "b", data: "for b" },
    ]);
    const got = Miou.runOn(host, function* () {
      const b = yield* Miou.async(receiver, "b");
      const a = yield* Miou.recv("a");
      return [a, yield* Miou.awaitExn(b)];
    });
    expect(got).toEqual(["for a", "for b"]);
  });

  it("a waiter cancelled before its event came is removed: the next waiter gets the event", () => {
    const host = virtualHost([{ t: 1 * S, source: "net0", data: "first" }]);
    const tr = traceLines();
    const value = Miou.runOn(
      host,
      function* () {
        const early = yield* Miou.async(receiver, "net0");
        const late = yield* Miou.async(function* () {
          yield* Miou.sleep(1);
          return yield* Miou.recv("net0");
        });
        yield* Miou.sleep(500);
        yield* Miou.cancel(early);
        const r = yield* Miou.await(early);
        return { early: r.ok ? r.value : (r.error as Error).name, late: yield* Miou.awaitExn(late) };
      },
      { trace: tr.trace },
    );
    expect(value).toEqual({ early: "Cancelled", late: "first" });
    expect(tr.records().at(-1)).toMatchObject({ kind: "end", ok: true, left: {} });
  });

  it("an event handed to a waiter cancelled before it resumed goes back to the head of its queue", () => {
    // Both events come at 1 s, while only `early` waits: it is handed "first", and main,
    // woken by its own 1 s timer in the same select, cancels it before it resumes
    // (quanta 2: main's turn reaches the cancel). "first" must go back before "second".
    const host = virtualHost([
      { t: 1 * S, source: "net0", data: "first" },
      { t: 1 * S, source: "net0", data: "second" },
    ]);
    const tr = traceLines();
    const value = Miou.runOn(
      host,
      function* () {
        const early = yield* Miou.async(function* early() {
          return yield* Miou.recv("net0");
        });
        const late = yield* Miou.async(function* late() {
          yield* Miou.sleep(1500);
          return [yield* Miou.recv("net0"), yield* Miou.recv("net0")];
        });
        yield* Miou.sleepUntil(1 * S);
        yield* Miou.cancel(early);
        const r = yield* Miou.await(early);
        return { early: r.ok ? r.value : (r.error as Error).name, late: yield* Miou.awaitExn(late) };
      },
      { quanta: 2, trace: tr.trace },
    );
    expect(value).toEqual({ early: "Cancelled", late: ["first", "second"] });
    // The trace shows the state this test is about: early's recv was signalled, and its uid
    // reached a later select as cancelled.
    const records = tr.records();
    const suspend = records.find((r) => r.kind === "suspend" && r.task === 2)!;
    expect(suspend.name).toBe("recv net0");
    const signalAt = records.findIndex((r) => r.kind === "signal" && r.syscall === suspend.syscall);
    const cancelledAt = records.findIndex((r) => r.kind === "select" && (r.cancelled as number[]).includes(suspend.syscall as number));
    expect(signalAt).toBeGreaterThan(0);
    expect(cancelledAt).toBeGreaterThan(signalAt);
    expect(records.some((r) => r.kind === "run" && r.task === 2 && records.indexOf(r) > signalAt)).toBe(true);
    expect(records.at(-1)).toMatchObject({ kind: "end", ok: true, left: {} });
  });

  it("an event given back with no other waiter is reported as left at the end", () => {
    const host = virtualHost([{ t: 1 * S, source: "net0", data: "kept" }]);
    const tr = traceLines();
    Miou.runOn(
      host,
      function* () {
        const early = yield* Miou.async(receiver, "net0");
        yield* Miou.sleepUntil(1 * S);
        yield* Miou.cancel(early);
      },
      { quanta: 2, trace: tr.trace },
    );
    expect(tr.records().at(-1)).toEqual({ seq: expect.any(Number), t: 1 * S, kind: "end", ok: true, left: { net0: 1 } });
  });

  it("reports events nobody took, per source, in the end record", () => {
    const host = virtualHost([
      { t: 1 * MS, source: "net1", data: 1 },
      { t: 1 * MS, source: "net0", data: 2 },
      { t: 2 * MS, source: "net1", data: 3 },
      { t: 3 * MS, source: "net0", data: 4 },
    ]);
    const tr = traceLines();
    const got = Miou.runOn(host, function* () {
      yield* Miou.sleep(2);
      return yield* Miou.recv("net0");
    }, { trace: tr.trace });
    expect(got).toBe(2);
    expect(tr.records().at(-1)).toMatchObject({ kind: "end", ok: true, left: { net1: 2 } });
  });

  it("gives bytes as an ArrayBuffer of exactly the payload's length", () => {
    const big = new Uint8Array([9, 8, 7, 6, 5]);
    const buffer = new Uint8Array([4, 2]).buffer;
    const host = virtualHost([
      { t: 1, source: "net0", data: { base64: "AAEC/w==" } },
      { t: 2, source: "net0", data: big.subarray(1, 4) },
      { t: 3, source: "net0", data: buffer },
      { t: 4, source: "net0", data: { base64: "" } },
      { t: 5, source: "net0", data: { base64: "aGk" } },
    ]);
    const got = Miou.runOn(host, function* () {
      const out: ArrayBuffer[] = [];
      for (let i = 0; i < 5; i++) out.push((yield* Miou.recv("net0")) as ArrayBuffer);
      return out;
    });
    for (const b of got) expect(b).toBeInstanceOf(ArrayBuffer);
    expect(got.map((b) => [...new Uint8Array(b)])).toEqual([[0, 1, 2, 255], [8, 7, 6], [4, 2], [], [104, 105]]);
    expect(got[1]!.byteLength).toBe(3);
    expect(got[2]).not.toBe(buffer); // one copy: the host cannot change it afterwards
  });

  it("gives JSON values as copies, and undefined for an event without data", () => {
    const sent = { a: [1, { b: "c" }] };
    const host = virtualHost([
      { t: 1, source: "net0", data: sent },
      { t: 2, source: "net0" },
      { t: 3, source: "net0", data: null },
      { t: 4, source: "net0", data: "text" },
    ]);
    const got = Miou.runOn(host, function* () {
      const out: unknown[] = [];
      for (let i = 0; i < 4; i++) out.push(yield* Miou.recv("net0"));
      return out;
    });
    expect(got).toEqual([{ a: [1, { b: "c" }] }, undefined, null, "text"]);
    expect(got[0]).not.toBe(sent);
  });

  it("fails the run with a TypeError when the host sends bad base64", () => {
    const host = virtualHost([{ t: 1, source: "net0", data: { base64: "no!" } }]);
    expect(() => Miou.runOn(host, () => receiver("net0"))).toThrow(TypeError);
  });

  it("rejects a source that is not a string, when called", () => {
    expect(() => Miou.recv(1 as unknown as string)).toThrow(TypeError);
  });
});

describe("Miou.Deadlock from runOn", () => {
  it("is thrown when every task waits on a source and the host is idle, naming what each waits on", () => {
    const tr = traceLines();
    let error: unknown;
    try {
      Miou.runOn(virtualHost(), function* main() {
        return yield* Miou.recv("net0");
      }, { trace: tr.trace });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Miou.Deadlock);
    const deadlock = error as InstanceType<typeof Miou.Deadlock>;
    expect(deadlock.suspended).toEqual([{ task: 1, name: "main", domain: 0, waitsOn: "syscall 1 (recv net0)" }]);
    expect(deadlock.message).toContain("recv net0");
    expect(deadlock.message).toContain("host will send no more events");
    expect(tr.records().at(-1)).toMatchObject({ kind: "end", ok: false, error: { name: "Deadlock" } });
  });

  it("lists tasks on every domain, with sleeps that already fired gone", () => {
    let error: unknown;
    try {
      Miou.runOn(
        virtualHost([{ t: 5 * MS, source: "other", data: 1 }]),
        function* main() {
          const p = yield* Miou.call(function* worker() {
            yield* Miou.sleep(1);
            return yield* Miou.recv("net1");
          });
          yield* Miou.sleep(10);
          return yield* Miou.await(p);
        },
        { domains: 1 },
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Miou.Deadlock);
    const waits = (error as InstanceType<typeof Miou.Deadlock>).suspended.map((s) => [s.task, s.domain, s.waitsOn]);
    // Syscall uids in creation order: main's sleep 1, the worker's sleep 2, its recv 3.
    expect(waits).toEqual([
      [1, 0, "await task 2"],
      [2, 1, "syscall 3 (recv net1)"],
    ]);
  });
});
