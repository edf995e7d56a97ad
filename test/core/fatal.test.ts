// The `fatal` option: embedders end the run at the task whose error is fatal (an engine's
// out-of-memory, say), before any awaiter can see or swallow it.
import { expect, test } from "vitest";
import * as Miou from "../../runtime/index.js";

class EngineOutOfMemory extends Error {}

test("a fatal task error ends the run at once: the parent never resumes with it", () => {
  const log: string[] = [];
  const run = () =>
    Miou.run(
      function* () {
        const p = yield* Miou.async(function* () {
          throw new EngineOutOfMemory("oom");
        });
        const r = yield* Miou.await(p);
        log.push(`parent saw ${String(r.ok)}`);
        return "survived";
      },
      { fatal: (e) => e instanceof EngineOutOfMemory },
    );
  expect(run).toThrow(EngineOutOfMemory);
  expect(log).toEqual([]);
});

test("errors the predicate rejects, and cancellations, are delivered as usual", () => {
  const seen: unknown[] = [];
  const value = Miou.run(
    function* () {
      const p = yield* Miou.async(function* () {
        throw new RangeError("ordinary");
      });
      const q = yield* Miou.async(function* () {
        for (;;) yield* Miou.yield();
      });
      const r = yield* Miou.await(p);
      yield* Miou.cancel(q);
      const c = yield* Miou.await(q);
      return [r.ok, c.ok];
    },
    {
      fatal: (e) => {
        seen.push(e);
        return !(e instanceof RangeError) && !(e instanceof Miou.Cancelled);
      },
    },
  );
  expect(value).toEqual([false, false]);
  // Cancellation is never asked about: it is the scheduler's own error, not the task's.
  expect(seen.map((e) => (e as Error).name)).toEqual(["RangeError"]);
});
