/**
 * The exploration loop: runs seeds in ascending order, on this thread or spread over
 * worker threads, and reports the lowest failing seed (every one with `keepGoing`).
 * Once a seed fails, seeds above it are abandoned and those below it still finish, so
 * the answer is the lowest failing seed whatever the number of workers; with shards
 * (`seed % count == index`), the lowest failure over all shards is the lowest of theirs.
 */
import { performance } from "node:perf_hooks";
import type { Failure } from "./failure.js";
import { runSeed, type ExploreSetup } from "./trial.js";
import { WorkerPool } from "./worker-pool.js";

/** A failing seed. */
export interface SeedFailure {
  readonly seed: number;
  readonly failure: Failure;
}

/** Where an exploration stands, for progress reports. */
export interface ExploreProgress {
  readonly done: number;
  readonly total: number;
  readonly failures: number;
  readonly elapsed_ms: number;
}

export interface ExploreRequest {
  readonly setup: ExploreSetup;
  /** The seeds to run, ascending. */
  readonly seeds: readonly number[];
  /** Worker threads; 1 runs every seed on this thread. Generator functions always run here. */
  readonly workers: number;
  readonly keepGoing: boolean;
  readonly onProgress?: (progress: ExploreProgress) => void;
}

export interface ExploreReport {
  /** Seeds that ran to their end. */
  readonly ran: number;
  /** The failures reported, by ascending seed: the lowest only, unless keepGoing. */
  readonly failures: readonly SeedFailure[];
  /** Seeds not run (or not waited for) because a lower seed failed. */
  readonly abandoned: number;
  readonly elapsed_ms: number;
}

/** The seeds of [from, from + count) that shard `index` of `shards` runs. */
export function shardSeeds(from: number, count: number, index: number, shards: number): number[] {
  const seeds: number[] = [];
  for (let seed = from; seed < from + count; seed++) if (seed % shards === index) seeds.push(seed);
  return seeds;
}

/**
 * Runs the seeds.
 * @throws BadProgram when the program does not load (no seed can run it).
 */
export async function explore(request: ExploreRequest): Promise<ExploreReport> {
  const started = performance.now();
  const useWorkers = request.workers > 1 && request.setup.program.kind === "script" && request.seeds.length > 1;
  const found = useWorkers ? await inWorkers(request, started) : await inThisThread(request, started);
  const failures = [...found.failures].sort((a, b) => a.seed - b.seed);
  const reported = request.keepGoing ? failures : failures.slice(0, 1);
  return { ran: found.ran, failures: reported, abandoned: request.seeds.length - found.ran, elapsed_ms: performance.now() - started };
}

interface Found {
  ran: number;
  failures: SeedFailure[];
}

async function inThisThread(request: ExploreRequest, started: number): Promise<Found> {
  const found: Found = { ran: 0, failures: [] };
  for (const seed of request.seeds) {
    const { run } = await runSeed(request.setup, seed, false);
    found.ran++;
    if (run.failure !== null) found.failures.push({ seed, failure: run.failure });
    progress(request, found, started);
    if (run.failure !== null && !request.keepGoing) break;
  }
  return found;
}

async function inWorkers(request: ExploreRequest, started: number): Promise<Found> {
  const found: Found = { ran: 0, failures: [] };
  const pool = new WorkerPool(request.setup, Math.min(request.workers, request.seeds.length));
  let lowest = Infinity;
  try {
    await pool.run(request.seeds, (seed) => seed < lowest, (seed, failure) => {
      // A result of a seed above the lowest failure arrives late: it was abandoned.
      if (seed > lowest) return;
      found.ran++;
      if (failure !== null) {
        found.failures.push({ seed, failure });
        if (!request.keepGoing) {
          lowest = seed;
          // Runs of seeds above it are abandoned now, not waited for.
          pool.abandonAbove(seed);
          found.failures = found.failures.filter((f) => f.seed <= seed);
        }
      }
      progress(request, found, started);
    });
  } finally {
    await pool.close();
  }
  if (!request.keepGoing && lowest !== Infinity) found.ran = request.seeds.filter((s) => s <= lowest).length;
  return found;
}

function progress(request: ExploreRequest, found: Found, started: number): void {
  request.onProgress?.({ done: found.ran, total: request.seeds.length, failures: found.failures.length, elapsed_ms: performance.now() - started });
}
