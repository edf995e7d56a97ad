// When the glue calls the host (DESIGN §4): a poll every `pollEvery` selects while tasks
// run, a wait only when nothing can run, `now()` when a task asks and at least every 4,096
// turns; and what it does with bad answers.
import { describe, expect, it } from "vitest";
import { DomainEvents } from "../../platform/domain-events.js";
import { Glue } from "../../platform/glue.js";
import type { Host } from "../../platform/host.js";
import * as Miou from "../../platform/miou.js";
import { random } from "../../platform/random.js";
import { traceLines, virtualHost } from "./virtual-host.js";

const MS = 1_000_000;

/** main yields `n` times while a child sleeps 10 ms, so every turn is followed by a select. */
function* busyWhileSleeping(n: number) {
  const p = yield* Miou.async(function* () {
    yield* Miou.sleep(10);
  });
  for (let i = 0; i < n; i++) yield* Miou.yield();
  yield* Miou.await(p);
}

describe("polling", () => {
  for (const pollEvery of [1, 7, 64]) {
    it(`polls the host once every ${pollEvery} select calls while tasks can run`, () => {
      const host = virtualHost();
      const tr = traceLines();
      Miou.runOn(host, () => busyWhileSleeping(500), { pollEvery, trace: tr.trace });
      const atZero = tr.records().filter((r) => r.t === 0);
      const selects = atZero.filter((r) => r.kind === "select").length;
      const polls = host.selects.filter((s) => s.at === 0 && s.deadline === 0).length;
      expect(selects).toBeGreaterThanOrEqual(500);
      expect(polls).toBe(Math.floor(selects / pollEvery));
      // Never more than pollEvery selects in a row without a poll.
      let run = 0;
      for (const r of atZero) {
        if (r.kind === "poll") run = 0;
        else if (r.kind === "select") expect(++run).toBeLessThanOrEqual(pollEvery);
      }
    });
  }

  it("answers a non-blocking select from its own state: a queued event needs no host call", () => {
    const host = virtualHost([
      { t: 1 * MS, source: "net0", data: "a" },
      { t: 1 * MS, source: "net0", data: "b" },
    ]);
    const got = Miou.runOn(host, function* () {
      return [yield* Miou.recv("net0"), yield* Miou.recv("net0")];
    });
    expect(got).toEqual(["a", "b"]);
    // The clock read at the start, the wait that brought both events, the final poll.
    expect(host.calls).toEqual(["now", "select", "select"]);
  });

  it("waits on the host with the earliest deadline of any domain", () => {
    const host = virtualHost();
    Miou.runOn(
      host,
      function* () {
        const far = yield* Miou.callWith({ pin: 1 }, function* () {
          yield* Miou.sleep(30);
        });
        const near = yield* Miou.callWith({ pin: 2 }, function* () {
          yield* Miou.sleep(20);
        });
        yield* Miou.sleep(40);
        yield* Miou.awaitAll([far, near]);
      },
      { domains: 2 },
    );
    const waits = host.selects.filter((s) => s.deadline !== null && s.deadline > s.at).map((s) => s.deadline);
    expect(waits).toEqual([20 * MS, 30 * MS, 40 * MS]);
  });
});

describe("the heartbeat", () => {
  it("makes a host call at least every 4,096 turns, even in a loop of pure yields", () => {
    let turns = 0;
    const callTurns: number[] = [];
    const inner = virtualHost();
    const host: Host = {
      now: () => (callTurns.push(turns), inner.now()),
      select: (deadline, out) => (callTurns.push(turns), inner.select(deadline, out)),
    };
    Miou.runOn(
      host,
      function* () {
        for (let i = 0; i < 20_000; i++) yield* Miou.yield();
      },
      { trace: (line) => void (line.includes('"kind":"run"') && turns++) },
    );
    expect(turns).toBeGreaterThan(20_000);
    const marks = [0, ...callTurns, turns];
    for (let i = 1; i < marks.length; i++) expect(marks[i]! - marks[i - 1]!).toBeLessThanOrEqual(4096);
    expect(inner.calls.filter((c) => c === "now").length).toBeGreaterThanOrEqual(4);
  });
});

describe("a domain's events", () => {
  function glueOn(host: Host) {
    const glue = new Glue(host, { pollEvery: 64, trace: null });
    return { glue, d0: glue.events(0) as DomainEvents, d1: glue.events(1) as DomainEvents };
  }

  it("interrupt is sticky: the next blocking select does not wait, the one after does", () => {
    const host = virtualHost();
    const { glue, d0 } = glueOn(host);
    glue.sources.wait(1, "net0", 0, { uid: 1 });
    d0.interrupt();
    d0.interrupt();
    expect(d0.select(true, [])).toEqual([]);
    expect(host.calls).toEqual([]);
    // No deadline, nothing ready, and the host says it is idle: a deadlock.
    expect(() => d0.select(true, [])).toThrow(Miou.Deadlock);
    expect(host.selects.map((s) => s.deadline)).toEqual([null]);
  });

  it("does not wait when no task waits on a timer or a source (nothing could wake anyone)", () => {
    const host = virtualHost();
    const { d0 } = glueOn(host);
    expect(d0.select(true, [])).toEqual([]);
    expect(host.calls).toEqual([]);
  });

  it("a cancelled recv waiter leaves its queue, and the finaliser gives back a held event", () => {
    const { glue, d0, d1 } = glueOn(virtualHost());
    glue.sources.wait(1, "net0", 0, { uid: 1 });
    glue.sources.wait(2, "net0", 1, { uid: 2 });
    d0.select(false, [1]);
    glue.sources.arrive("net0", { json: "e" });
    // Waiter 2 (domain 1) was handed the event; the run ends before it takes it.
    expect(glue.sources.anyReady).toBe(true);
    d1.finaliser();
    expect(glue.sources.anyReady).toBe(false);
    expect(glue.sources.anyWaiter).toBe(false);
    expect(glue.sources.left()).toEqual({ net0: 1 });
  });

  it("the finaliser frees the domain's timers", () => {
    const { d1 } = glueOn(virtualHost());
    d1.timers.add(7, null as never, 5 * MS, 1); // never signalled: the syscall is not needed
    expect(d1.deadline()).toBe(5 * MS);
    d1.finaliser();
    expect(d1.deadline()).toBeNull();
    expect(d1.timers.size).toBe(0);
  });
});

describe("bad hosts and options", () => {
  const main = function* () {
    yield* Miou.sleep(1);
  };

  it("rejects a clock that is not a safe integer or goes backwards", () => {
    expect(() => Miou.runOn({ now: () => 1.5, select: () => ({ now: 2, events: [] }) }, main)).toThrow(TypeError);
    expect(() => Miou.runOn({ now: () => 10, select: () => ({ now: 5, events: [] }) }, main)).toThrow(/went backwards/);
    expect(() => Miou.runOn({ now: () => 0, select: () => ({ now: 1 * MS }) as never }, main)).toThrow(/events must be an array/);
  });

  it("ends the run with the host's error and calls the host no more", () => {
    const calls: string[] = [];
    const host: Host = {
      now: () => (calls.push("now"), 0),
      select: () => {
        calls.push("select");
        throw new Error("device gone");
      },
    };
    expect(() => Miou.runOn(host, main)).toThrow("device gone");
    expect(calls).toEqual(["now", "now", "select"]);
  });

  it("checks its options", () => {
    const host = virtualHost();
    expect(() => Miou.runOn(host, main, { pollEvery: 0 })).toThrow(RangeError);
    expect(() => Miou.runOn(host, main, { pollEvery: 1.5 })).toThrow(RangeError);
    expect(() => Miou.runOn(host, main, { heartbeat: () => 0 } as never)).toThrow(/unknown option "heartbeat"/);
    expect(() => Miou.runOn(host, main, { trace: 1 } as never)).toThrow(TypeError);
    expect(() => Miou.runOn({ now: () => 0 } as never, main)).toThrow(TypeError);
    expect(() => Miou.runOn(host, main, { seed: -1 })).toThrow(RangeError);
  });

  it("has no host to fall back on outside the bundle", () => {
    expect(() => Miou.runOn(undefined, main)).toThrow(/no host given/);
    expect(() => Miou.now()).toThrow(TypeError);
  });
});

describe("Math.random's generator", () => {
  function draws(seed: number, run: "runOn" | "run") {
    const body = function* () {
      return [random(), random(), random()];
    };
    return run === "runOn" ? Miou.runOn(virtualHost(), body, { seed }) : Miou.run(body, { seed });
  }

  it("restarts from the run's seed: same seed, same numbers; another seed, others", () => {
    expect(draws(7, "runOn")).toEqual(draws(7, "runOn"));
    expect(draws(7, "run")).toEqual(draws(7, "runOn"));
    expect(draws(8, "runOn")).not.toEqual(draws(7, "runOn"));
    for (const x of draws(123456789, "runOn")) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });
});
