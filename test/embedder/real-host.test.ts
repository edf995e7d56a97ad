// The real host (issue 5 §2): the monotonic clock, output on select, Atomics.wait woken by
// producer worker threads, and `idle` once every producer has closed. These tests wait on
// real time only for what they need (a producer's bursts) and assert no durations.
import { Worker } from "node:worker_threads";
import { afterEach, describe, expect, test } from "vitest";
import { Miou, runBlocking } from "../../platform/node/index.js";
import { RealHost, type ProducerChannel } from "../../platform/quickjs/real-host.js";
import { EMBEDDER_ENGINES, keptHost, runKept } from "./helpers.js";

const PRODUCER = new URL("./fixtures/producer.mjs", import.meta.url);
const TIMED_PRODUCER = new URL("./fixtures/timed-producer.mjs", import.meta.url);

interface ProducerData {
  source: string;
  count: number;
  burst?: number;
  pauseMs?: number;
  startMs?: number;
  bytes?: number[];
  forgetToClose?: boolean;
}

const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.terminate()));
});

function startProducer(host: RealHost, data: ProducerData): Worker {
  const channel: ProducerChannel = host.channel();
  const worker = new Worker(PRODUCER, { workerData: { channel, ...data }, transferList: [channel.port] });
  workers.push(worker);
  return worker;
}

describe("RealHost", () => {
  test("counts integer ns from its creation, never backwards", () => {
    const host = new RealHost();
    const times = [host.now(), host.now(), host.now()];
    for (const t of times) expect(Number.isSafeInteger(t) && t >= 0).toBe(true);
    expect(times[1]! >= times[0]! && times[2]! >= times[1]!).toBe(true);
  });

  test("writes stdout and stderr lines, and hands other sinks to onOutgoing", () => {
    const { host, stdout, sent } = keptHost();
    const wake = host.select(0, [
      { sink: "stdout", data: "one" },
      { sink: "net0", data: { base64: "AQI=" } },
      { sink: "stderr", data: "two" },
      { sink: "stdout", data: { n: 3 } },
    ]);
    expect(stdout).toEqual(["one\n", "two\n", '{"n":3}\n']);
    expect(sent).toEqual([{ sink: "net0", data: { base64: "AQI=" } }]);
    expect(wake.events).toEqual([]);
  });

  test("a deadline in the past is a poll; a deadline ahead is waited for", () => {
    const host = new RealHost();
    expect(host.select(0, []).idle).toBeUndefined();
    const deadline = host.now() + 20_000_000;
    expect(host.select(deadline, []).now).toBeGreaterThanOrEqual(deadline);
  });

  test("with no producer open, waiting with no deadline is idle at once", () => {
    const host = new RealHost();
    expect(host.select(null, [])).toMatchObject({ events: [], idle: true });
  });

  test("drains a producer's events in order, then reports idle once it closed", () => {
    const host = new RealHost();
    startProducer(host, { source: "n", count: 300, burst: 50 });
    const got: unknown[] = [];
    for (;;) {
      const wake = host.select(null, []);
      for (const e of wake.events) got.push(e.data);
      if (wake.idle === true) break;
    }
    expect(got).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(host.openChannels).toBe(0);
  });

  test("a producer whose worker ends without closing is closed by its exit", () => {
    const host = new RealHost();
    startProducer(host, { source: "n", count: 3, forgetToClose: true });
    const got: unknown[] = [];
    for (;;) {
      const wake = host.select(null, []);
      for (const e of wake.events) got.push(e.data);
      if (wake.idle === true) break;
    }
    expect(got).toEqual([0, 1, 2]);
  });
});

describe("a producer on the host's clock", () => {
  test("knows when the guest first read the clock, and sends after it on the same clock", async () => {
    const { host } = keptHost();
    const channel = host.channel();
    workers.push(new Worker(TIMED_PRODUCER, { workerData: { channel, afterMs: 30 }, transferList: [channel.port] }));
    const program = `
      function* main() {
        const first = Miou.now();
        const e = yield* Miou.recv("timed");
        return { first, received: Miou.now(), started: e.started, sent: e.sent };
      }`;
    const r = await runKept({ engine: "quickjs", host, program });
    const t = JSON.parse(r.end.kind === "ok" ? r.end.valueJSON! : "null") as { first: number; received: number; started: number; sent: number };
    // runOn reads the clock once before main: the program's first reading comes after it.
    expect(t.started).toBeLessThanOrEqual(t.first);
    expect(t.sent).toBeGreaterThanOrEqual(t.started + 30e6);
    expect(t.received).toBeGreaterThanOrEqual(t.sent);
  });

  // Node: a pending Atomics.waitAsync does not keep a worker alive. A producer with nothing
  // else to do must not exit (closing its channel) while it waits for a late guest.
  test("stays alive while it waits for a guest that starts late", async () => {
    const { host } = keptHost();
    const channel = host.channel();
    const worker = new Worker(TIMED_PRODUCER, { workerData: { channel, afterMs: 1 }, transferList: [channel.port] });
    workers.push(worker);
    let exited = false;
    worker.once("exit", () => (exited = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(exited).toBe(false);
    expect(host.openChannels).toBe(1);
    host.now();
    expect(host.select(null, []).events.map((e) => e.source)).toEqual(["timed"]);
  });
});

describe.each(EMBEDDER_ENGINES)("a guest on %s fed by producer workers", (engine) => {
  test("1,000 events sent while the guest blocks in select each arrive once, in order", async () => {
    const { host } = keptHost();
    startProducer(host, { source: "n", count: 1000, burst: 100, pauseMs: 2, startMs: 50 });
    const program = `
      function* main() {
        const got = [];
        for (let i = 0; i < 1000; i++) got.push(yield* Miou.recv("n"));
        return got;
      }`;
    const r = await runKept({ engine, host, program });
    expect(r.end.kind).toBe("ok");
    expect(JSON.parse(r.end.kind === "ok" ? r.end.valueJSON! : "null")).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    // Every event is in the trace once: nothing was delivered twice or dropped.
    const events = r.lines.map((l) => JSON.parse(l) as { kind: string; source?: string; data?: unknown }).filter((rec) => rec.kind === "event");
    expect(events.map((e) => e.data)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  test("bytes from a producer reach the program as an ArrayBuffer", async () => {
    const { host } = keptHost();
    startProducer(host, { source: "n", count: 0, bytes: [1, 2, 255] });
    const program = `
      function* main() {
        const b = yield* Miou.recv("bytes");
        return [b instanceof ArrayBuffer, Array.from(new Uint8Array(b))];
      }`;
    const r = await runKept({ engine, host, program });
    expect(r.end).toEqual({ kind: "ok", valueJSON: "[true,[1,2,255]]" });
  });

  test("once every producer has closed, a task waiting for an event is a deadlock: exit 3", async () => {
    const { host } = keptHost();
    startProducer(host, { source: "n", count: 2 });
    startProducer(host, { source: "n", count: 1, startMs: 30 });
    const program = `function* main() { for (;;) yield* Miou.recv("n"); }`;
    const r = await runKept({ engine, host, program });
    expect(r.exitCode).toBe(3);
    expect(r.end.kind).toBe("deadlock");
    expect(r.end.kind === "deadlock" && r.end.waiting.map((w) => w.waitsOn)).toEqual([expect.stringContaining("recv n")]);
    const received = r.lines.filter((l) => l.includes('"kind":"event"'));
    expect(received).toHaveLength(3);
  });
});

describe("runBlocking: the glue on this thread's V8 with the real host", () => {
  test("a producer's events reach recv in order, then the run is deadlocked", () => {
    const { host } = keptHost();
    startProducer(host, { source: "n", count: 50, burst: 10, startMs: 20 });
    const got: unknown[] = [];
    expect(() =>
      runBlocking(
        function* () {
          for (;;) got.push(yield* Miou.recv("n"));
        },
        { host },
      ),
    ).toThrow(expect.objectContaining({ name: "Deadlock" }) as Error);
    expect(got).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
