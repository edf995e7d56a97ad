/**
 * The entry of an exploration worker thread (worker-pool.ts): `workerData` is the
 * exploration's setup and the state its V8 guests report to the pool; each message is a
 * seed to run; each answer is its failure.
 */
import { parentPort, workerData } from "node:worker_threads";
import { watchedByParent } from "../../platform/node/vm-watchdog.js";
import { BadProgram } from "./failure.js";
import { runSeed } from "./trial.js";
import type { SeedWorkerData, SeedWorkerMessage } from "./worker-pool.js";

const { setup, watch } = workerData as SeedWorkerData;
watchedByParent(watch);
const post = (message: SeedWorkerMessage): void => parentPort!.postMessage(message);

parentPort!.on("message", (seed: number) => {
  runSeed(setup, seed, false).then(
    ({ run }) => post({ kind: "result", seed, failure: run.failure }),
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      post(error instanceof BadProgram ? { kind: "bad-program", message } : { kind: "error", message });
    },
  );
});
