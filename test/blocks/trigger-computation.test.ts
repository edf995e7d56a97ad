// Trigger and Computation (Miou_sync's one-shot cells). Reference §1.14, §1.13 cost table.
import { describe, expect, test } from "vitest";
import * as Miou from "../../runtime/index.js";
import { caught, caughtCall, NO_THROW, spinUntil, yields } from "./helpers.js";

describe("Trigger", () => {
  test("Initial, then Signaled; signal is idempotent", () => {
    const tr = Miou.Trigger.create();
    expect([Miou.Trigger.isInitial(tr), Miou.Trigger.isSignaled(tr)]).toEqual([true, false]);
    Miou.Trigger.signal(tr);
    expect([Miou.Trigger.isInitial(tr), Miou.Trigger.isSignaled(tr)]).toEqual([false, true]);
    Miou.Trigger.signal(tr);
    expect([Miou.Trigger.isInitial(tr), Miou.Trigger.isSignaled(tr)]).toEqual([false, true]);
  });

  test("onSignal: the action runs once, at the first signal; false once signalled; TypeError if already awaiting", () => {
    let runs = 0;
    const tr = Miou.Trigger.create();
    expect(Miou.Trigger.onSignal(tr, () => void runs++)).toBe(true);
    expect(Miou.Trigger.isInitial(tr)).toBe(false);
    expect(Miou.Trigger.isSignaled(tr)).toBe(false);
    expect(runs).toBe(0);
    expect(() => Miou.Trigger.onSignal(tr, () => {})).toThrow(TypeError);
    Miou.Trigger.signal(tr);
    Miou.Trigger.signal(tr);
    expect(runs).toBe(1);
    expect(Miou.Trigger.onSignal(tr, () => void runs++)).toBe(false);
    expect(runs).toBe(1);
  });

  test("await parks until another task signals, then returns null", () => {
    const log: string[] = [];
    Miou.run(function* () {
      const tr = Miou.Trigger.create();
      const p = yield* Miou.async(function* () {
        log.push("waiting");
        const r = yield* Miou.Trigger.await(tr);
        log.push(`woken ${String(r)}`);
      });
      yield* yields(5);
      log.push("signal");
      Miou.Trigger.signal(tr);
      yield* Miou.await(p);
    });
    expect(log).toEqual(["waiting", "signal", "woken null"]);
  });

  test("a signal from a worker domain wakes a task on dom0", () => {
    const got = Miou.run(
      function* () {
        const tr = Miou.Trigger.create();
        const p = yield* Miou.call(function* () {
          yield* yields(5);
          Miou.Trigger.signal(tr);
          return Miou.Domain.self();
        });
        const r = yield* Miou.Trigger.await(tr);
        const d = yield* Miou.awaitExn(p);
        return { r, d };
      },
      { domains: 2 },
    );
    expect(got.r).toBeNull();
    expect(got.d).not.toBe(0);
  });

  // Trigger.await on a signalled trigger being no scheduling point: see points.test.ts.

  test("a second task awaiting the same trigger gets a TypeError (Invalid_argument: already awaiting)", () => {
    const got = Miou.run(function* () {
      const tr = Miou.Trigger.create();
      const first = yield* Miou.async(function* () {
        return yield* Miou.Trigger.await(tr);
      });
      yield* yields(3);
      const second = yield* Miou.async(function* () {
        return yield* caught(Miou.Trigger.await(tr));
      });
      const e = yield* Miou.awaitExn(second);
      Miou.Trigger.signal(tr);
      return { e, first: yield* Miou.awaitExn(first) };
    });
    expect(got.e).toBeInstanceOf(TypeError);
    expect(got.first).toBeNull();
  });

  test("a task cancelled while awaiting a trigger ends with Cancelled", () => {
    const got = Miou.run(function* () {
      const tr = Miou.Trigger.create();
      let waiting = false;
      const p = yield* Miou.async(function* () {
        waiting = true;
        yield* Miou.Trigger.await(tr);
        return "woken";
      });
      yield* spinUntil(() => waiting, "waiting");
      yield* yields(2);
      yield* Miou.cancel(p);
      const r = yield* Miou.await(p);
      // The trigger is still usable: signalling it afterwards is harmless.
      const e = caughtCall(() => Miou.Trigger.signal(tr));
      return { cancelled: !r.ok && r.error instanceof Miou.Cancelled, e };
    });
    expect(got).toEqual({ cancelled: true, e: NO_THROW });
  });
});

describe("Computation", () => {
  test("running, then the first completion wins", () => {
    const c = Miou.Computation.create<number>();
    expect(Miou.Computation.isRunning(c)).toBe(true);
    expect(Miou.Computation.peek(c)).toBeNull();
    expect(Miou.Computation.cancelled(c)).toBeNull();
    expect(Miou.Computation.tryReturn(c, 1)).toBe(true);
    expect(Miou.Computation.tryReturn(c, 2)).toBe(false);
    expect(Miou.Computation.tryCancel(c, new Error("late"))).toBe(false);
    expect(Miou.Computation.isRunning(c)).toBe(false);
    expect(Miou.Computation.peek(c)).toEqual({ ok: true, value: 1 });
    expect(Miou.Computation.cancelled(c)).toBeNull();
    expect(() => Miou.Computation.raiseIfErrored(c)).not.toThrow();
  });

  test("tryCancel: cancelled gives the error, raiseIfErrored throws it, peek reports it", () => {
    const c = Miou.Computation.create<number>();
    const e = new Error("stop");
    expect(Miou.Computation.tryCancel(c, e)).toBe(true);
    expect(Miou.Computation.tryReturn(c, 1)).toBe(false);
    expect(Miou.Computation.cancelled(c)).toBe(e);
    expect(() => Miou.Computation.raiseIfErrored(c)).toThrow(e);
    expect(Miou.Computation.peek(c)).toEqual({ ok: false, error: e });
  });

  test("tryCapture completes with the function's value or its exception", () => {
    const ok = Miou.Computation.create<number>();
    expect(Miou.Computation.tryCapture(ok, (a: number, b: number) => a + b, 2, 3)).toBe(true);
    expect(Miou.Computation.peek(ok)).toEqual({ ok: true, value: 5 });
    expect(Miou.Computation.tryCapture(ok, () => 9)).toBe(false);
    const bad = Miou.Computation.create<number>();
    const e = new Error("captured");
    expect(
      Miou.Computation.tryCapture(bad, (): number => {
        throw e;
      }),
    ).toBe(true);
    expect(Miou.Computation.cancelled(bad)).toBe(e);
  });

  test("attached triggers are signalled on completion; tryAttach is false once completed or for a signalled trigger", () => {
    const c = Miou.Computation.create<string>();
    const t1 = Miou.Trigger.create();
    const t2 = Miou.Trigger.create();
    const signalled = Miou.Trigger.create();
    Miou.Trigger.signal(signalled);
    expect(Miou.Computation.tryAttach(c, t1)).toBe(true);
    expect(Miou.Computation.tryAttach(c, t2)).toBe(true);
    expect(Miou.Computation.tryAttach(c, signalled)).toBe(false);
    // detach signals the trigger (§1.14).
    Miou.Computation.detach(c, t2);
    expect(Miou.Trigger.isSignaled(t2)).toBe(true);
    expect(Miou.Trigger.isSignaled(t1)).toBe(false);
    Miou.Computation.tryReturn(c, "done");
    expect(Miou.Trigger.isSignaled(t1)).toBe(true);
    expect(Miou.Computation.tryAttach(c, Miou.Trigger.create())).toBe(false);
  });

  test("await parks until another task completes it, across domains; awaitExn throws the error", () => {
    const got = Miou.run(
      function* () {
        const good = Miou.Computation.create<number>();
        const bad = Miou.Computation.create<number>();
        const boom = new Error("boom");
        const p = yield* Miou.call(function* () {
          yield* yields(5);
          Miou.Computation.tryReturn(good, 10);
          yield* yields(5);
          Miou.Computation.tryCancel(bad, boom);
        });
        const r = yield* Miou.Computation.await(good);
        const e = yield* caught(Miou.Computation.awaitExn(bad));
        yield* Miou.await(p);
        // Already completed: await returns the result again.
        const again = yield* Miou.Computation.await(good);
        return { r, e, again, boom };
      },
      { domains: 1 },
    );
    expect(got.r).toEqual({ ok: true, value: 10 });
    expect(got.e).toBe(got.boom);
    expect(got.again).toEqual({ ok: true, value: 10 });
  });

  test("a task cancelled while awaiting a computation ends with Cancelled; the computation is unaffected", () => {
    const got = Miou.run(function* () {
      const c = Miou.Computation.create<number>();
      let waiting = false;
      const p = yield* Miou.async(function* () {
        waiting = true;
        return yield* Miou.Computation.await(c);
      });
      yield* spinUntil(() => waiting, "waiting");
      yield* yields(2);
      yield* Miou.cancel(p);
      const r = yield* Miou.await(p);
      const completed = Miou.Computation.tryReturn(c, 1);
      return { cancelled: !r.ok && r.error instanceof Miou.Cancelled, completed };
    });
    expect(got).toEqual({ cancelled: true, completed: true });
  });
});
