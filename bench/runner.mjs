/**
 * Runs one workload for one implementation on one engine, in this process, and prints
 * its samples as one line `BENCH_RESULT {json}` on stdout. tools/bench.mjs starts one
 * such process per row, so that implementations never share a JIT or a heap.
 *
 *   node --expose-gc bench/runner.mjs '{"workload":"switch","impl":"floor","engine":"quickjs","n":100000,"samples":3,"warmup":1}'
 *
 * A sample is { seconds, result } plus, per workload, `bytesPerTask` (suspended, on V8),
 * `cpuMs` (sleep-cpu) or `hostCalls` (service). Times are taken on the Node side around
 * the whole call, so a QuickJS sample includes the one host call that starts it.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import vm from "node:vm";
import { GUEST_METHODS, SERVICE_SHAPE } from "./plan.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const DIST = join(ROOT, "dist");
const read = (path) => readFileSync(join(ROOT, path), "utf8");
const importDist = (path) => import(pathToFileURL(join(DIST, path)).href);

const { workers: SERVICE_WORKERS, batch: SERVICE_BATCH } = SERVICE_SHAPE;
/** sim-trace: tasks reading the input trace. */
const SIM_READERS = 4;

const spec = JSON.parse(process.argv[2] ?? "{}");
const { workload, impl, engine, n } = spec;
/** The trace-hook row whose samples are paired with the compiled-out build's (see `paired`). */
const PAIRED = workload === "trace-hook" && impl === "miou-hook";
const MIOU_WORKLOADS = "bench/guest/miou-workloads.js";
const samples = spec.samples ?? 3;
const warmup = spec.warmup ?? 1;

function gc() {
  if (typeof globalThis.gc !== "function") throw new Error("run node with --expose-gc");
  globalThis.gc();
  globalThis.gc();
}

/**
 * Memory per suspended task on V8: the heap after gc() while every task waits, minus the
 * heap after gc() before the sample, over n. The probe's own time is taken off the sample.
 */
function memoryProbe() {
  const probe = { base: 0, bytes: NaN, seconds: 0 };
  probe.reset = () => {
    gc();
    probe.base = process.memoryUsage().heapUsed;
    probe.bytes = NaN;
    probe.seconds = 0;
  };
  probe.call = () => {
    const t0 = performance.now();
    gc();
    probe.bytes = process.memoryUsage().heapUsed - probe.base;
    probe.seconds = (performance.now() - t0) / 1000;
  };
  return probe;
}

/** Evaluates a guest script in this (main) context, where V8 optimises it like any module. */
function evalHere(source, filename) {
  vm.runInThisContext(source, { filename });
}

/** A QuickJS guest with `bundle` loaded and `scripts` evaluated after it. */
async function quickjsGuest(bundle, bundleName, scripts) {
  const { loadGuest } = await importDist("node/platform/quickjs/loader.js");
  const guest = await loadGuest({ engine, bundle, bundleName });
  for (const [source, name] of scripts) guest.evalScript(source, name);
  return guest;
}

/** The argument list a guest workload method takes. */
function guestArgs(n) {
  if (workload === "service") return [n, SERVICE_WORKERS, SERVICE_BATCH];
  if (impl === "miou-traced") return [n, true];
  return [n];
}

/**
 * CPU time of this thread in ms: the scheduler's count on Linux, else the process's. On
 * some kernels (this project's VM among them) the count moves by whole 4 ms ticks, so one
 * reading is ±4 ms: read the median over samples, and `processCpuMs` beside it.
 */
function threadCpuMs() {
  try {
    return Number(readFileSync("/proc/thread-self/schedstat", "utf8").split(" ")[0]) / 1e6;
  } catch {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  }
}

/** Counts the service's turns with the trace on (Miou only; not timed), set by `implementation`. */
let turns = null;

/** Returns `sample(n) → sample` (or a Promise of one) for the spec's implementation and engine. */
async function implementation() {
  const method = GUEST_METHODS[workload];
  if (impl === "miou-sim") return simulator();
  if (impl === "miou-replay") return replayer();
  if (workload === "sleep-cpu") return sleepCpu();
  const guestScript = {
    floor: () => [read("bench/floor.js") + "\n" + read("bench/guest/floor-workloads.js"), "floor.js", "FloorBench"],
  };
  if (engine === "node") {
    if (PAIRED) return pairedOnNode(method);
    let target;
    if (impl === "floor") {
      evalHere(guestScript.floor()[0], "floor.js");
      target = globalThis.FloorBench;
    } else if (impl.startsWith("miou")) {
      const module = await import(pathToFileURL(miouModule()).href);
      // A plain object, as the guest bundle installs it: esbuild's namespace (the trace-hook
      // builds) reads every export through a getter, which V8 does not always inline.
      globalThis.Miou = { ...module.Miou };
      evalHere(read(MIOU_WORKLOADS), "miou-workloads.js");
      target = globalThis.MiouBench;
    } else {
      target = (await import(`./node/${impl}.mjs`)).workloads;
    }
      if (typeof target[method] !== "function") throw new Error(`${impl} has no workload ${workload}`);
    const probe = memoryProbe();
    globalThis.__benchProbe = probe.call;
    turns = (size) => target.serviceTurns(size, SERVICE_WORKERS, SERVICE_BATCH);
    return async (size) => {
      if (workload === "suspended") probe.reset();
      const t0 = performance.now();
      const result = await target[method](...guestArgs(size), probe.call);
      const seconds = (performance.now() - t0) / 1000 - probe.seconds;
      const sample = { seconds, result };
      if (workload === "suspended") sample.bytesPerTask = probe.bytes / size;
      return sample;
    };
  }
  // QuickJS and QuickJS-ng: the floor or the bundle, then the workload script, via the loader.
  let guest, global;
  if (impl === "floor") {
    const [source, name, g] = guestScript.floor();
    guest = await quickjsGuest(source, name, []);
    global = g;
  } else if (impl.startsWith("miou")) {
    guest = await miouGuest(impl);
    global = "MiouBench";
  } else {
    throw new Error(`${impl} does not run on ${engine}`);
  }
  turns = (size) => guest.evalJSON(`${global}.serviceTurns(${size}, ${SERVICE_WORKERS}, ${SERVICE_BATCH})`, "bench-turns.js");
  const timed = (g) => (size) => {
    const call = `${global}.${method}(${guestArgs(size).join(", ")})`;
    const t0 = performance.now();
    const result = g.evalJSON(call, "bench-call.js");
    return { seconds: (performance.now() - t0) / 1000, result };
  };
  return PAIRED ? paired(timed(guest), timed(await miouGuest("miou-nohook"))) : timed(guest);
}

/**
 * The trace-hook row: the hook's cost is a few percent, less than what separates two
 * processes (V8 tiers the QuickJS interpreter's wasm up at its own pace in each, and
 * Node's JIT decides per process too). So the hook build's samples alternate with the
 * compiled-out build's in this process, each sample carrying its partner's `refSeconds`.
 */
function paired(time, timeRef) {
  return (size) => {
    const refSeconds = timeRef(size).seconds;
    return { ...time(size), refSeconds };
  };
}

/** The paired trace-hook row on Node: each build runs its own copy of the workload script, with `Miou` a closure variable. */
async function pairedOnNode(method) {
  const timed = async (build) => {
    const module = await import(pathToFileURL(miouModule(build)).href);
    const bench = new Function("Miou", `${read(MIOU_WORKLOADS)}\nreturn MiouBench;`)({ ...module.Miou });
    return (size) => {
      const t0 = performance.now();
      const result = bench[method](...guestArgs(size));
      return { seconds: (performance.now() - t0) / 1000, result };
    };
  };
  return paired(await timed("miou-hook"), await timed("miou-nohook"));
}

/** The ESM build of Miou an impl runs on Node. */
function miouModule(build = impl) {
  if (build === "miou-hook") return join(DIST, "bench/miou-hook.mjs");
  if (build === "miou-nohook") return join(DIST, "bench/miou-nohook.mjs");
  return join(DIST, "esm/index.js");
}

/** A QuickJS guest with an impl's Miou bundle and the workload script loaded. */
function miouGuest(build) {
  const file = build === "miou-hook" || build === "miou-nohook" ? `bench/${build}.js` : "miou.js";
  return quickjsGuest(readFileSync(join(DIST, file), "utf8"), "miou.js", [[read(MIOU_WORKLOADS), "miou-workloads.js"]]);
}

/**
 * Miou through the embedder or the simulator, host calls and all:
 * - sleeps: `simulate()` (what `miou sim` runs) on the program;
 * - service: `runProgram()` on a VirtualHost holding the events (host calls counted);
 * - sim-trace: an input trace of n records as JSONL text, parsed and simulated.
 */
async function simulator() {
  const { simulate } = await importDist("node/sim/simulate.js");
  const { VirtualHost } = await importDist("node/sim/virtual-host.js");
  const { parseInputTrace } = await importDist("node/sim/input-trace.js");
  const { runProgram } = await importDist("node/platform/quickjs/embedder.js");
  const script = read(MIOU_WORKLOADS);
  const program = (main) => `${script}\nfunction* main() { return yield* ${main}(); }\n`;
  const ok = (end) => {
    if (end.kind !== "ok") throw new Error(`the run ended ${end.kind}: ${JSON.stringify(end.error ?? end)}`);
    return end.valueJSON === undefined ? undefined : JSON.parse(end.valueJSON);
  };
  if (workload === "sleeps") {
    return async (size) => {
      const t0 = performance.now();
      const r = await simulate({ engine, program: program(`MiouBench.mains.sleeps(${size})`), programFile: "sleeps.js" });
      return { seconds: (performance.now() - t0) / 1000, result: ok(r.end), selects: r.selects };
    };
  }
  if (workload === "service") {
    return async (size) => {
      const total = Math.floor(size / SERVICE_WORKERS) * SERVICE_WORKERS;
      const events = [];
      for (let i = 0; i < total; i++) events.push({ at_ns: (Math.floor(i / SERVICE_BATCH) + 1) * 1_000_000, source: "req", data: i, line: i + 1 });
      const host = new VirtualHost({ events });
      const t0 = performance.now();
      const r = await runProgram({ engine, program: program(`MiouBench.mains.service(${size}, ${SERVICE_WORKERS})`), host, watchTasks: false });
      const seconds = (performance.now() - t0) / 1000;
      return { seconds, result: ok(r.end), hostCalls: r.hostCalls, events: total, selects: host.selects };
    };
  }
  if (workload === "sim-trace") {
    return async (size) => {
      const per = Math.floor(size / SIM_READERS);
      const lines = ['{"miou":"input","v":1}'];
      for (let i = 0; i < per * SIM_READERS; i++) lines.push(`{"t":${(i + 1) * 1000},"source":"net0","data":{"seq":${i}}}`);
      const text = lines.join("\n") + "\n";
      const reader = `function* reader() { let s = 0; for (let j = 0; j < ${per}; j++) s += (yield* Miou.recv("net0")).seq; return s; }\n`;
      const main =
        `function* main() { const ps = []; for (let k = 0; k < ${SIM_READERS}; k++) ps.push(yield* Miou.async(reader));` +
        ` let s = 0; for (const p of ps) s += yield* Miou.awaitExn(p); return s; }\n`;
      const t0 = performance.now();
      const events = parseInputTrace(text, "bench-input.jsonl");
      const r = await simulate({ engine, program: reader + main, programFile: "sim-trace.js", events });
      return { seconds: (performance.now() - t0) / 1000, result: ok(r.end), records: events.length, decisions: r.decisions };
    };
  }
  throw new Error(`miou-sim has no workload ${workload}`);
}

/**
 * `miou replay` (sim/replay.js, what the command runs) of a long boundary log: a run of
 * n real-clock sleeps of 1 µs, each reading the clock and waiting, is recorded once
 * (untimed, as `miou run --record` would); each sample parses the log and replays it.
 */
async function replayer() {
  const { recordProgram } = await importDist("node/sim/recorder.js");
  const { parseBoundaryLog } = await importDist("node/sim/boundary-log.js");
  const { replay } = await importDist("node/sim/replay.js");
  const { RealHost } = await importDist("node/platform/quickjs/real-host.js");
  const logs = new Map();
  const program = (size) => `function* main() { let s = 0; for (let i = 0; i < ${size}; i++) { s += Miou.now() % 2; yield* Miou.sleep(0.001); } return s; }\n`;
  const record = async (size) => {
    const lines = [];
    const r = await recordProgram({ engine, program: program(size), host: new RealHost({ stdout: () => {} }) }, (line) => lines.push(line));
    if (r.end.kind !== "ok") throw new Error(`the recorded run ended ${r.end.kind}`);
    return lines.join("\n") + "\n";
  };
  return async (size) => {
    if (!logs.has(size)) logs.set(size, await record(size));
    const text = logs.get(size);
    const t0 = performance.now();
    const log = parseBoundaryLog(text, "bench.boundary.jsonl");
    const r = await replay({ program: program(size), programFile: "replay.js", log });
    const seconds = (performance.now() - t0) / 1000;
    if (r.end.kind !== "ok") throw new Error(`the replay ended ${r.end.kind}: ${JSON.stringify(r.end.divergence ?? r.end.error ?? "")}`);
    return { seconds, calls: r.answered, result: JSON.parse(r.end.valueJSON ?? "null") };
  };
}

/**
 * CPU time of a program that only sleeps `n` ms on the real host. V8 compiles wasm and
 * collects garbage on helper threads, so the figure is this thread's (Linux: its
 * schedstat; elsewhere the process's), as in test/realtime. Each sample runs the program
 * twice, sleeping n ms and 0 ms: `cpuMs` is the first's CPU, `sleepingCpuMs` the
 * difference (the CPU spent waiting rather than starting a guest); `processCpuMs` counts
 * every thread of the process.
 */
async function sleepCpu() {
  const measure = async (body) => {
    const c0 = process.cpuUsage();
    const th0 = threadCpuMs();
    const t0 = performance.now();
    await body();
    const cpu = process.cpuUsage(c0);
    return { seconds: (performance.now() - t0) / 1000, cpuMs: threadCpuMs() - th0, processCpuMs: (cpu.user + cpu.system) / 1000 };
  };
  let program;
  if (impl === "async") {
    const { workloads } = await import("./node/async.mjs");
    program = (ms) => workloads.sleepReal(ms);
  } else if (impl !== "miou") {
    throw new Error(`sleep-cpu has no implementation ${impl}`);
  } else if (engine === "node") {
    const { Miou, runBlocking } = await importDist("node/platform/node/index.js");
    program = (ms) =>
      runBlocking(function* () {
        yield* Miou.sleep(ms);
      });
  } else {
    const { runProgram } = await importDist("node/platform/quickjs/embedder.js");
    const { RealHost } = await importDist("node/platform/quickjs/real-host.js");
    program = async (ms) => {
      const r = await runProgram({ engine, program: `function* main() { yield* Miou.sleep(${ms}); }`, host: new RealHost() });
      if (r.end.kind !== "ok") throw new Error(`the sleep ended ${r.end.kind}`);
    };
  }
  return async (ms) => {
    const slept = await measure(() => program(ms));
    const idle = await measure(() => program(0));
    return { ...slept, sleepingCpuMs: slept.cpuMs - idle.cpuMs, startCpuMs: idle.cpuMs };
  };
}

const sample = await implementation();
// Warm up by time as well as by runs: V8 tiers the QuickJS interpreter's wasm up only after
// a few hundred ms of running, and short samples before that time the baseline tier (the
// floor's 5,000 switches took 27 ms cold, 4 ms warm).
const warmupStart = performance.now();
for (let i = 0; i < warmup || (warmup > 0 && performance.now() - warmupStart < (spec.warmupMs ?? 0)); i++) await sample(spec.warmupN ?? n);
const results = [];
for (let i = 0; i < samples; i++) {
  // No gc() between samples: after a forced full collection V8 starts again from a small
  // young generation, and the next 100 k spawns took twice as long (measured), whatever
  // the implementation. Each sample pays for its share of collections, as a program would.
  results.push(await sample(n));
}
// The traced rerun that counts turns is slow: a quarter of the size tells the same ratio.
const extra = workload === "service" && impl === "miou" ? { turns: turns(Math.max(4 * SERVICE_WORKERS, Math.floor(n / 4))) } : {};
process.stdout.write(`BENCH_RESULT ${JSON.stringify({ workload, impl, engine, n, samples: results, ...extra })}\n`);
