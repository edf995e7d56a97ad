/**
 * What `npm run bench` measures: the workloads, who runs each on which engine, at what
 * size, the issue's reference figures and the targets. tools/bench.mjs runs the plan;
 * bench/runner.mjs runs one row of it.
 */

export const ENGINES = ["node", "quickjs", "quickjs-ng"];
const QJS = ["quickjs", "quickjs-ng"];
const NODE_PEERS = ["floor", "miou", "async", "effect", "effection"];

/**
 * One workload. `sizes[engine]` is [full, quick] (n per sample); `implSizes[impl]`
 * overrides it for implementations too slow for the common size. `metric` turns a
 * sample into the figure shown: "rate" is n / seconds.
 */
export const WORKLOADS = [
  {
    name: "spawn-await",
    title: "spawn + await, one at a time",
    unit: "spawns/s",
    metric: "rate",
    impls: { node: NODE_PEERS, quickjs: ["floor", "miou"], "quickjs-ng": ["floor", "miou"] },
    sizes: { node: [1_000_000, 100_000], quickjs: [100_000, 5_000] },
    implSizes: { effection: [20_000, 2_000], effect: [200_000, 20_000] },
  },
  {
    name: "fan-out",
    title: "spawn all, then await all",
    unit: "spawns/s",
    metric: "rate",
    impls: { node: NODE_PEERS, quickjs: ["floor", "miou"], "quickjs-ng": ["floor", "miou"] },
    sizes: { node: [100_000, 20_000], quickjs: [50_000, 5_000] },
    implSizes: { effection: [10_000, 2_000], effect: [100_000, 20_000] },
  },
  {
    name: "switch",
    title: "two tasks yielding to each other",
    unit: "switches/s",
    metric: "rate",
    impls: { node: NODE_PEERS, quickjs: ["floor", "miou"], "quickjs-ng": ["floor", "miou"] },
    sizes: { node: [4_000_000, 400_000], quickjs: [400_000, 20_000] },
    implSizes: { effection: [200_000, 20_000], effect: [400_000, 40_000] },
  },
  {
    name: "sleeps",
    title: "sleeps resolved in virtual time (1,000 tasks, 1-10 ms each)",
    unit: "sleeps/s",
    metric: "rate",
    // node: miou on a virtual host in the same realm; miou-sim is the simulator
    // (simulate(): the guest, its decision trace and the VirtualHost, as `miou sim` runs it).
    // async and effection use @sinonjs/fake-timers, effect its TestClock.
    impls: { node: [...NODE_PEERS, "miou-sim"], quickjs: ["floor", "miou", "miou-sim"], "quickjs-ng": ["floor", "miou", "miou-sim"] },
    sizes: { node: [1_000_000, 50_000], quickjs: [100_000, 5_000] },
    implSizes: { effection: [20_000, 2_000], effect: [20_000, 2_000], async: [100_000, 10_000], "miou-sim": [50_000, 1_000] },
    samples: { "miou-sim": [5, 2] },
  },
  {
    name: "suspended",
    title: "tasks suspended at once in recv, then woken",
    unit: "tasks/s",
    metric: "rate",
    // Memory per task is read from the same samples on V8 (see MEMORY below).
    impls: { node: NODE_PEERS, quickjs: ["floor", "miou"], "quickjs-ng": ["floor", "miou"] },
    // The issue's 100 k everywhere in the full run (about 3 s a sample inside QuickJS).
    sizes: { node: [100_000, 20_000], quickjs: [100_000, 5_000] },
    implSizes: { effection: [20_000, 2_000] },
    samples: { effection: [2, 1] },
  },
  {
    name: "service",
    title: "service loop: 1,000 tasks in recv, 16 events per wait",
    unit: "events/s",
    metric: "rate",
    // miou-sim: the embedder (runProgram) on a VirtualHost, every event crossing the boundary.
    impls: { node: ["floor", "miou"], quickjs: ["floor", "miou", "miou-sim"], "quickjs-ng": ["floor", "miou", "miou-sim"] },
    sizes: { node: [200_000, 20_000], quickjs: [50_000, 5_000] },
    implSizes: { "miou-sim": [20_000, 2_000] },
    samples: { "miou-sim": [5, 2] },
  },
  {
    name: "sim-trace",
    title: "simulator over a long input trace (parse + run)",
    unit: "records/s",
    metric: "rate",
    impls: { node: ["miou-sim"], quickjs: ["miou-sim"], "quickjs-ng": ["miou-sim"] },
    sizes: { node: [100_000, 10_000], quickjs: [50_000, 1_000] },
    samples: { all: [5, 2] },
  },
  {
    name: "replay",
    title: "miou replay of a long boundary log (parse + replay; n = recorded 1 µs sleeps)",
    unit: "host calls/s",
    metric: "rate",
    impls: { node: ["miou-replay"], quickjs: ["miou-replay"], "quickjs-ng": ["miou-replay"] },
    sizes: { node: [20_000, 1_000], quickjs: [20_000, 1_000] },
    samples: { all: [5, 2] },
    // Recording the log (untimed) already warms the engine up.
    warmup: 0,
    // Skipped, with a note, where `miou replay` is not built (dist/node/sim/replay.js).
    needs: "node/sim/replay.js",
    reference: null,
  },
  {
    name: "trace-hook",
    title: "switch workload: trace hook off vs compiled out vs on",
    unit: "switches/s",
    metric: "rate",
    // miou-hook: the core as shipped, trace off; miou-nohook: the same build with every
    // trace branch compiled out; miou-traced: trace on (a tracer that drops records).
    impls: { node: ["miou-nohook", "miou-hook", "miou-traced"], quickjs: ["miou-nohook", "miou-hook", "miou-traced"], "quickjs-ng": ["miou-nohook", "miou-hook", "miou-traced"] },
    sizes: { node: [4_000_000, 400_000], quickjs: [400_000, 20_000] },
    reference: "miou-nohook",
    samples: { all: [9, 3] },
  },
  {
    name: "sleep-cpu",
    title: "CPU time of a program that only sleeps 2 s on the real host",
    unit: "ms CPU",
    metric: "cpuMs",
    impls: { node: ["miou", "async"], quickjs: ["miou"], "quickjs-ng": ["miou"] },
    sizes: { node: [2_000, 2_000], quickjs: [2_000, 2_000] },
    samples: { all: [3, 1] },
    // One run sleeping 0 ms first: the wasm module's compile and tier-up are not the sleep's.
    warmupSize: 0,
    reference: null,
  },
];

/** Workload names (as the driver spells them) → method names of the guest scripts and baselines. */
export const GUEST_METHODS = {
  "spawn-await": "spawnAwait",
  "fan-out": "fanOut",
  switch: "switches",
  sleeps: "sleeps",
  suspended: "suspended",
  service: "service",
  "trace-hook": "switches",
};

/** The service workload's shape: tasks in recv, events per wait. */
export const SERVICE_SHAPE = { workers: 1000, batch: 16 };

/** Every row with a warm-up keeps warming up for at least this long (wasm tier-up inside QuickJS). */
export const WARMUP_MS = 500;

/** Samples per row (after `warmup` unmeasured ones), [full, quick]. */
export const SAMPLES = [5, 3];
/** The memory figure derived from the suspended workload's samples (V8 only). */
export const MEMORY = { name: "suspended-memory", title: "memory per suspended task (heap after gc, V8)", unit: "B/task" };

/** The issue's figures (Node 20, this machine, when it was filed): [low, high]. */
export const ISSUE = {
  "spawn-await": { floor: [6.7e6, 6.7e6], async: [12e6, 20e6], effect: [0.7e6, 0.7e6], effection: [19e3, 19e3] },
  "fan-out": { floor: [1.8e6, 1.8e6], async: [4.5e6, 4.5e6], effect: [0.7e6, 0.85e6], effection: [9.7e3, 9.7e3] },
  switch: { floor: [27e6, 36e6], async: [8e6, 18e6], effect: [0.6e6, 0.6e6], effection: [0.5e6, 0.5e6] },
  sleeps: { floor: [0.88e6, 0.88e6], async: [0.23e6, 0.28e6], effect: [41e3, 41e3], effection: [9.4e3, 9.4e3] },
};
/** Inside QuickJS (quickjs-emscripten), from the issue. */
export const ISSUE_QUICKJS = { "spawn-await": { floor: [0.24e6, 0.33e6] }, switch: { floor: [0.84e6, 1.24e6] } };
