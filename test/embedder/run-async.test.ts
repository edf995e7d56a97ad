// runAsync and fromPromise (issue 5 §3): a Miou run driven from Node's event loop, with
// Promises settled by real Node I/O delivered as host events, so a recorded run replays
// on Miou.runOn without the Promises.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { AsyncHost, fromPromise, Miou, runAsync } from "../../platform/node/index.js";
import { boundaryHeaderLine, parseBoundaryLog } from "../../sim/boundary-log.js";
import { BoundaryRecorder } from "../../sim/recorder.js";
import { ReplayHost } from "../../sim/replay-host.js";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "miou-run-async-"));
  await writeFile(join(dir, "notes.txt"), "three little notes");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

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
    // The boundary log `miou run --record` writes (its header's hash is not checked here).
    const header = { engine: "node", seed: 7, domains: 0, poll_every: 64, cpu_budget_ms: 5000, memory_limit_mb: null, program: "sha256:" + "0".repeat(64), input: null } as const;
    const log: string[] = [boundaryHeaderLine(header)];
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
    const value = await runAsync(main, { host, seed: 7, wrapHost: (h) => new BoundaryRecorder(h, (line) => log.push(line)), trace: (l) => recorded.push(l) });
    expect(value).toEqual(["three little notes", 42, "slept"]);
    expect(reads).toBe(1);

    const replayed: string[] = [];
    const replayHost = new ReplayHost(parseBoundaryLog(log.join("\n") + "\n", "run-async.jsonl"));
    const again = Miou.runOn(replayHost, main, { seed: 7, trace: (l) => replayed.push(l) });
    expect(again).toEqual(value);
    expect(replayHost.divergence).toBeNull();
    expect(replayHost.finish()).toBeNull();
    expect(replayed).toEqual(recorded);
    // The replay answered from the log: the file was not read again.
    expect(reads).toBe(1);
  });
});
