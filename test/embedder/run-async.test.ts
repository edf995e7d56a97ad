// runAsync and fromPromise (issue 5 §3): a Miou run driven from Node's event loop, with
// Promises settled by real Node I/O delivered as host events, so a recorded run replays
// on Miou.runOn without the Promises.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Host, HostWake, Outgoing } from "../../platform/host.js";
import { AsyncHost, fromPromise, Miou, runAsync } from "../../platform/node/index.js";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "miou-run-async-"));
  await writeFile(join(dir, "notes.txt"), "three little notes");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** One host call and its answer, as a boundary log holds it. */
type Call = { call: "now"; result: number } | { call: "select"; deadline: number | null; out: Outgoing[]; result: HostWake };

function recording(host: Host, log: Call[]): Host {
  return {
    now: () => {
      const result = host.now();
      log.push({ call: "now", result });
      return result;
    },
    select: (deadline, out) => {
      const result = host.select(deadline, out);
      log.push({ call: "select", deadline, out: structuredClone(out), result: structuredClone(result) });
      return result;
    },
  };
}

/** Answers every call from `log`, checking the calls are the recorded ones. */
function replaying(log: Call[]): Host {
  let i = 0;
  const next = (kind: Call["call"]): Call => {
    const entry = log[i++];
    if (entry?.call !== kind) throw new Error(`replay diverged at call ${i}: got ${kind}, the log holds ${entry?.call ?? "nothing"}`);
    return entry;
  };
  return {
    now: () => (next("now") as Call & { call: "now" }).result,
    select: (deadline, out) => {
      const entry = next("select") as Call & { call: "select" };
      expect([deadline, out]).toEqual([entry.deadline, entry.out]);
      return structuredClone(entry.result);
    },
  };
}

const quiet = (): { host: AsyncHost; stdout: string[] } => {
  const stdout: string[] = [];
  return { host: new AsyncHost({ stdout: (t) => stdout.push(t), stderr: (t) => stdout.push(t) }), stdout };
};

describe("runAsync", () => {
  test("awaits a real file read and a real timer through fromPromise", async () => {
    const { host, stdout } = quiet();
    const value = await runAsync(
      function* () {
        const text = yield* fromPromise(() => readFile(join(dir, "notes.txt"), "utf8"));
        const waited = yield* fromPromise(delay(20, "timer fired"));
        Miou.send("stdout", `${text} / ${waited}`);
        return [text, waited];
      },
      { host },
    );
    expect(value).toEqual(["three little notes", "timer fired"]);
    expect(stdout).toEqual(["three little notes / timer fired\n"]);
  });

  test("keeps Node's event loop running while tasks sleep", async () => {
    const { host } = quiet();
    let ticks = 0;
    const interval = setInterval(() => ticks++, 5);
    try {
      await runAsync(function* () {
        yield* Miou.sleep(60);
      }, { host });
    } finally {
      clearInterval(interval);
    }
    expect(ticks).toBeGreaterThan(0);
  });

  test("bytes arrive as an ArrayBuffer; a rejection is thrown in the task", async () => {
    const { host } = quiet();
    const value = await runAsync(
      function* () {
        const bytes = yield* fromPromise(() => readFile(join(dir, "notes.txt")));
        let caught = "";
        try {
          yield* fromPromise(() => readFile(join(dir, "missing.txt")));
        } catch (e) {
          caught = e instanceof Error ? `${e.name}: ${e.message.split(":")[0]}` : "not an Error";
        }
        return [bytes instanceof ArrayBuffer, bytes.byteLength, caught];
      },
      { host },
    );
    expect(value).toEqual([true, 18, "Error: ENOENT"]);
  });

  test("concurrent fromPromise in tasks on two domains", async () => {
    const { host } = quiet();
    const value = await runAsync(
      function* () {
        const slow = yield* Miou.call(function* () {
          return yield* fromPromise(delay(30, "slow"));
        });
        const fast = yield* Miou.async(function* () {
          return yield* fromPromise(delay(5, "fast"));
        });
        return yield* Miou.awaitAll([slow, fast]);
      },
      { host, domains: 1 },
    );
    expect(value).toEqual([
      { ok: true, value: "slow" },
      { ok: true, value: "fast" },
    ]);
  });

  test("a task waiting for an event nothing can send is a deadlock", async () => {
    const { host } = quiet();
    await expect(
      runAsync(function* () {
        yield* Miou.recv("nobody");
      }, { host }),
    ).rejects.toMatchObject({ name: "Deadlock" });
  });

  test("a recorded run replays on Miou.runOn to the identical decision trace, without the Promises", async () => {
    const { host } = quiet();
    const log: Call[] = [];
    const recorded: string[] = [];
    let reads = 0;
    const main = function* (): Generator<unknown, unknown, unknown> {
      const sleeper = yield* Miou.async(function* () {
        yield* Miou.sleep(10);
        return "slept";
      });
      const text = yield* fromPromise(() => {
        reads++;
        return readFile(join(dir, "notes.txt"), "utf8");
      });
      const timer = yield* fromPromise(() => delay(15, 42));
      Miou.send("stdout", `read ${text}`);
      return [text, timer, yield* Miou.awaitExn(sleeper)];
    };
    const value = await runAsync(main, { host, seed: 7, wrapHost: (h) => recording(h, log), trace: (l) => recorded.push(l) });
    expect(value).toEqual(["three little notes", 42, "slept"]);
    expect(reads).toBe(1);

    const replayed: string[] = [];
    const again = Miou.runOn(replaying(log), main, { seed: 7, trace: (l) => replayed.push(l) });
    expect(again).toEqual(value);
    expect(replayed).toEqual(recorded);
    // The replay answered from the log: the file was not read again.
    expect(reads).toBe(1);
  });
});
