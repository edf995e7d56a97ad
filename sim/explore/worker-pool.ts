/**
 * Worker threads for `explore --workers K`: each loads the program once and runs the
 * seeds it is handed, one at a time, answering with the seed's failure (or none). Seeds
 * are handed out in ascending order as workers free up; the main thread decides what a
 * result means (explore.ts). A V8 guest (`--engine node`) cannot be interrupted inside
 * its worker, so the pool watches it (vm-watchdog.ts): a worker whose guest overran its
 * CPU budget is terminated, its seed counts as stopped, and a fresh worker takes its place.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { newWatchState, stalledFor } from "../../platform/node/vm-watchdog.js";
import { packageRoot } from "../../platform/quickjs/loader.js";
import { guestStoppedEnd } from "../simulate.js";
import { BadProgram, failureOf, type Failure } from "./failure.js";
import type { ExploreSetup } from "./trial.js";

/** What a worker posts back. */
export type SeedWorkerMessage =
  | { readonly kind: "result"; readonly seed: number; readonly failure: Failure | null }
  | { readonly kind: "bad-program"; readonly message: string }
  | { readonly kind: "error"; readonly message: string };

/** What a worker is started with (seed-worker.ts). */
export interface SeedWorkerData {
  readonly setup: ExploreSetup;
  /** Where the worker's V8 guests say how long they have run (vm-watchdog.ts). */
  readonly watch: SharedArrayBuffer;
}

interface Slot {
  readonly worker: Worker;
  readonly watch: SharedArrayBuffer;
  readonly seen: { activity: number; since_ms: number };
  seed: number | null;
  alive: boolean;
}

/** How often the pool looks for a guest past its CPU budget. */
const WATCH_EVERY_MS = 100;

export class WorkerPool {
  readonly #setup: ExploreSetup;
  readonly #slots: Slot[] = [];

  constructor(setup: ExploreSetup, size: number) {
    if (setup.program.kind !== "script") throw new TypeError("only script programs run in worker threads");
    this.#setup = setup;
    for (let i = 0; i < size; i++) this.#slots.push(this.#newSlot());
  }

  #newSlot(): Slot {
    const watch = newWatchState();
    const workerData: SeedWorkerData = { setup: this.#setup, watch };
    return { worker: new Worker(workerEntry(), { workerData }), watch, seen: { activity: -1, since_ms: 0 }, seed: null, alive: true };
  }

  /**
   * Hands out `seeds` in order while `shouldStart(seed)` says so; calls `onResult` for
   * each result. Resolves once no seed runs and none is left to start.
   */
  run(seeds: readonly number[], shouldStart: (seed: number) => boolean, onResult: (seed: number, failure: Failure | null) => void): Promise<void> {
    let next = 0;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (): void => {
        settled = true;
        clearInterval(watching);
      };
      const fail = (error: Error): void => {
        if (settled) return;
        settle();
        reject(error);
      };
      const dispatch = (): void => {
        if (settled) return;
        for (const slot of this.#slots) {
          if (!slot.alive || slot.seed !== null) continue;
          if (next >= seeds.length || !shouldStart(seeds[next]!)) break;
          slot.seed = seeds[next++]!;
          slot.worker.postMessage(slot.seed);
        }
        if (this.#slots.every((s) => !s.alive || s.seed === null)) {
          settle();
          resolve();
        }
      };
      const listen = (slot: Slot): void => {
        slot.worker.on("message", (message: SeedWorkerMessage) => {
          if (!slot.alive) return;
          if (message.kind === "bad-program") return fail(new BadProgram(message.message));
          if (message.kind === "error") return fail(new Error(`an exploration worker failed: ${message.message}`));
          slot.seed = null;
          onResult(message.seed, message.failure);
          dispatch();
        });
        slot.worker.on("error", (error) => fail(error));
        slot.worker.on("exit", () => {
          if (!slot.alive) return;
          slot.alive = false;
          fail(new Error(`an exploration worker exited while running seed ${String(slot.seed)}`));
        });
      };
      // A guest past its budget: its worker goes, its seed is stopped, a new worker comes.
      const watching = setInterval(() => {
        const now_ms = performance.now();
        this.#slots.forEach((slot, i) => {
          if (!slot.alive || slot.seed === null || !stalledFor(slot.watch, slot.seen, now_ms)) return;
          const seed = slot.seed;
          slot.alive = false;
          void slot.worker.terminate();
          const fresh = this.#newSlot();
          this.#slots[i] = fresh;
          listen(fresh);
          onResult(seed, failureOf(guestStoppedEnd("cpu-budget")));
          dispatch();
        });
      }, WATCH_EVERY_MS);
      this.#slots.forEach(listen);
      dispatch();
    });
  }

  /** Stops the workers running seeds above `seed`: their results no longer matter. */
  abandonAbove(seed: number): void {
    for (const slot of this.#slots) {
      if (slot.alive && slot.seed !== null && slot.seed > seed) {
        slot.alive = false;
        slot.seed = null;
        void slot.worker.terminate();
      }
    }
  }

  async close(): Promise<void> {
    await Promise.all(
      this.#slots.map((slot) => {
        slot.alive = false;
        return slot.worker.terminate();
      }),
    );
  }
}

/** The compiled worker entry: next to this file in dist/node, or the built one when running from sources. */
function workerEntry(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".js")) return join(here, "..", "seed-worker.js");
  const built = join(packageRoot(), "dist", "node", "sim", "explore", "seed-worker.js");
  if (!existsSync(built)) throw new Error(`${built} is missing: run npm run build (workers run compiled JavaScript)`);
  return built;
}
