/**
 * Paired A/B: two builds of Miou on one workload, in one process, their samples
 * alternating (ABBA...), reporting the median of the per-pair speed ratios. Separate
 * processes disagree by 10-30% on this machine (load, CPU frequency, when V8 tiers the
 * QuickJS interpreter's wasm up); the two halves of a pair share all of that, so a change
 * worth 3% shows. What `npm run bench` does for the trace-hook row, for any two builds:
 *
 *   cp -r dist /tmp/before          # then change the code and `npm run build`
 *   node bench/ab.mjs --a /tmp/before --b dist --workload switch --engine quickjs --n 50000
 *
 * A build is a dist directory (or its dist/miou.js or dist/esm/index.js): inside QuickJS
 * its guest bundle runs, on Node its ESM build. Both run bench/guest/miou-workloads.js.
 * Inside QuickJS a build against a copy of itself reads 1.00 ± 0.01; on Node two copies
 * of one build read up to 8% apart (V8 optimises each copy its own way): run it both ways.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { ENGINES, GUEST_METHODS, SERVICE_SHAPE } from "./plan.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const WORKLOADS = Object.keys(GUEST_METHODS).filter((w) => w !== "trace-hook");
const USAGE = `usage: node bench/ab.mjs --a BUILD --b BUILD --workload ${WORKLOADS.join("|")} [--engine ${ENGINES.join("|")}] [--n N] [--rounds N] [--warmup-ms MS]`;

function fail(message) {
  process.stderr.write(`bench/ab: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function options() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        a: { type: "string" },
        b: { type: "string" },
        workload: { type: "string" },
        engine: { type: "string", default: "quickjs" },
        n: { type: "string", default: "20000" },
        rounds: { type: "string", default: "15" },
        "warmup-ms": { type: "string", default: "1500" },
      },
    }));
  } catch (error) {
    fail(error.message);
  }
  if (values.a === undefined || values.b === undefined) fail("--a and --b are required");
  if (!WORKLOADS.includes(values.workload)) fail(`--workload: expected one of ${WORKLOADS.join(", ")}, got ${values.workload ?? "nothing"}`);
  if (!ENGINES.includes(values.engine)) fail(`--engine: expected one of ${ENGINES.join(", ")}, got ${values.engine}`);
  const count = (name, min) => {
    const v = Number(values[name]);
    if (!Number.isInteger(v) || v < min) fail(`--${name}: expected an integer >= ${min}, got ${values[name]}`);
    return v;
  };
  return { ...values, n: count("n", 1), rounds: count("rounds", 1), warmupMs: count("warmup-ms", 0) };
}

/** The file of `build` that `engine` runs: the guest bundle inside QuickJS, the ESM build on Node. */
function buildFile(build, engine) {
  const path = resolve(build);
  let isDir;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    fail(`no such build: ${build}`);
  }
  const file = isDir ? join(path, engine === "node" ? "esm/index.js" : "miou.js") : path;
  if (!existsSync(file)) fail(`build ${build} has no ${file}`);
  return file;
}

/** `MiouBench` of one build, as a function timing one call of the workload (ms). */
async function timer(file, engine, call) {
  const workloads = readFileSync(join(ROOT, "bench/guest/miou-workloads.js"), "utf8");
  if (engine === "node") {
    const module = await import(pathToFileURL(file).href);
    const bench = new Function("Miou", `${workloads}\nreturn MiouBench;`)({ ...module.Miou });
    const run = new Function("MiouBench", `return ${call};`);
    return () => {
      const t0 = performance.now();
      run(bench);
      return performance.now() - t0;
    };
  }
  const { loadGuest } = await import(pathToFileURL(join(ROOT, "dist/node/platform/quickjs/loader.js")).href);
  const guest = await loadGuest({ engine, bundle: readFileSync(file, "utf8"), bundleName: "miou.js" });
  guest.evalScript(workloads, "miou-workloads.js");
  return () => {
    const t0 = performance.now();
    guest.evalScript(call, "ab-call.js");
    return performance.now() - t0;
  };
}

function median(xs) {
  const sorted = xs.slice().sort((p, q) => p - q);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A build's timer, or a usage error naming the build (an ESM file given to QuickJS, a bundle to Node). */
async function load(flag, build, engine, call) {
  const file = buildFile(build, engine);
  try {
    const time = await timer(file, engine, call);
    time();
    return time;
  } catch (error) {
    const wanted = engine === "node" ? "an ESM build (dist/esm/index.js)" : "a guest bundle (dist/miou.js)";
    fail(`--${flag} ${build}: ${file} does not run ${call} on ${engine} (${wanted} expected): ${error.message}`);
  }
}

const o = options();
const args = o.workload === "service" ? [o.n, SERVICE_SHAPE.workers, SERVICE_SHAPE.batch] : [o.n];
const call = `MiouBench.${GUEST_METHODS[o.workload]}(${args.join(", ")})`;
const timeA = await load("a", o.a, o.engine, call);
const timeB = await load("b", o.b, o.engine, call);
const warmupEnd = performance.now() + o.warmupMs;
do {
  timeA();
  timeB();
} while (performance.now() < warmupEnd);
const a = [];
const b = [];
for (let r = 0; r < o.rounds; r++) {
  // Alternate which build goes first, so that neither always follows the other.
  if (r % 2 === 0) {
    a.push(timeA());
    b.push(timeB());
  } else {
    b.push(timeB());
    a.push(timeA());
  }
}
const speed = a.map((ms, i) => ms / b[i]);
const rate = (ms) => `${((o.n / ms) * 1000).toPrecision(3)}/s`;
console.log(
  `${o.workload} on ${o.engine}, n = ${o.n}, ${o.rounds} pairs: A ${rate(median(a))}, B ${rate(median(b))}; ` +
    `B/A speed ${median(speed).toFixed(3)} (min ${Math.min(...speed).toFixed(3)}, max ${Math.max(...speed).toFixed(3)})`,
);
