// Which building-block calls are scheduling points. Reference §1.13 (cost table: "Mutex.lock
// ... 1 (Self)", "care/take: 1", "Lazy.force: 0 if already forced, else Self", "Trigger.await:
// Await, unless already signalled (0)", "Condition.signal/broadcast = 0", "orphans, length:
// 0"); DESIGN §3 (each operation is one scheduling point); issue 3 (Ownership and Hook are
// plain calls in this port).
//
// The probe: main spawns a child that logs "child", then makes the call and logs "main".
// The parent continues in the same turn after a spawn (§1.13, test01), so if the call is no
// scheduling point main logs first; if it is one, main's turn ends there and the child's first
// slice runs before main's next turn.
import { describe, expect, test } from "vitest";
import * as Miou from "../../runtime/index.js";

function probe(call: () => Generator<unknown, unknown, unknown>): string[] {
  const log: string[] = [];
  Miou.run(function* () {
    const p = yield* Miou.async(function* () {
      log.push("child");
    });
    yield* call();
    log.push("main");
    yield* Miou.await(p);
  });
  return log;
}

const POINT = ["child", "main"];
const NOT_A_POINT = ["main", "child"];

describe("scheduling points (one each)", () => {
  test("Mutex.lock on a free mutex", () => {
    expect(
      probe(function* () {
        const m = Miou.Mutex.create();
        yield* Miou.Mutex.lock(m);
        Miou.Mutex.unlock(m);
      }),
    ).toEqual(POINT);
  });

  test("Mutex.protect on a free mutex (the lock)", () => {
    expect(
      probe(function* () {
        yield* Miou.Mutex.protect(Miou.Mutex.create(), function* () {});
      }),
    ).toEqual(POINT);
  });

  test("care and take", () => {
    expect(
      probe(function* () {
        yield* Miou.care(Miou.orphans());
      }),
    ).toEqual(POINT);
    expect(
      probe(function* () {
        yield* Miou.take(Miou.orphans());
      }),
    ).toEqual(POINT);
  });

  test("get (Self, Random)", () => {
    expect(
      probe(function* () {
        yield* Miou.get(Miou.orphans());
      }),
    ).toEqual(POINT);
  });

  test("Lazy.force of a Lazy not yet forced (Self)", () => {
    expect(
      probe(function* () {
        yield* Miou.Lazy.force(Miou.Lazy.fromFun(() => 1));
      }),
    ).toEqual(POINT);
  });
});

describe("plain calls (no scheduling point)", () => {
  test("Lazy.force of a forced Lazy", () => {
    expect(
      probe(function* () {
        yield* Miou.Lazy.force(Miou.Lazy.fromVal(1));
      }),
    ).toEqual(NOT_A_POINT);
  });

  test("Trigger.await of a signalled trigger", () => {
    expect(
      probe(function* () {
        const tr = Miou.Trigger.create();
        Miou.Trigger.signal(tr);
        yield* Miou.Trigger.await(tr);
      }),
    ).toEqual(NOT_A_POINT);
  });

  test("Computation.await of a completed computation", () => {
    expect(
      probe(function* () {
        const c = Miou.Computation.create<number>();
        Miou.Computation.tryReturn(c, 1);
        yield* Miou.Computation.await(c);
      }),
    ).toEqual(NOT_A_POINT);
  });

  test("protect itself (its body runs at once)", () => {
    expect(
      probe(function* () {
        yield* Miou.protect({}, function* () {});
      }),
    ).toEqual(NOT_A_POINT);
  });

  test("Condition.signal/broadcast, Mutex.tryLock/unlock, orphans, length, Ownership, Hook", () => {
    expect(
      probe(function* () {
        const c = Miou.Condition.create();
        Miou.Condition.signal(c);
        Miou.Condition.broadcast(c);
        const m = Miou.Mutex.create();
        Miou.Mutex.tryLock(m);
        Miou.Mutex.unlock(m);
        Miou.length(Miou.orphans());
        const r = Miou.Ownership.create(0, () => {});
        Miou.Ownership.own(r);
        Miou.Ownership.check(r);
        Miou.Ownership.disown(r);
        Miou.Hook.remove(Miou.Hook.add(() => {}));
      }),
    ).toEqual(NOT_A_POINT);
  });
});
