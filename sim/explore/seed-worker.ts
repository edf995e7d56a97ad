/**
 * The entry of an exploration worker thread (worker-pool.ts): `workerData` is the
 * exploration's setup; each message is a seed to run; each answer is its failure.
 */
import { parentPort, workerData } from "node:worker_threads";
import { BadProgram } from "./failure.js";
import { runSeed, type ExploreSetup } from "./trial.js";
import type { SeedWorkerMessage } from "./worker-pool.js";

const setup = workerData as ExploreSetup;
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
