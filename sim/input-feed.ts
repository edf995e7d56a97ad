/**
 * An input trace fed to a real run (`miou run --events`): a producer worker sends each
 * event to the RealHost at its `t` after the guest's first `now()` and closes once the
 * trace is exhausted, so a guest then waiting on nothing else is a deadlock, as in the
 * simulator.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { packageRoot } from "../platform/quickjs/loader.js";
import type { ProducerChannel, RealHost } from "../platform/quickjs/real-host.js";
import type { InputEvent } from "./input-trace.js";

/** What the feed's worker receives. */
export interface InputFeedData {
  readonly channel: ProducerChannel;
  readonly events: ReadonlyArray<Pick<InputEvent, "at_ns" | "source" | "data">>;
}

/** A running feed. */
export interface InputFeed {
  /** Resolves once the worker is loaded and waits for the guest: start the run then. */
  readonly ready: Promise<void>;
  /**
   * Stops the feed (events not sent yet are dropped) and waits for its worker to end.
   * @throws the worker's error, if it failed.
   */
  stop(): Promise<void>;
}

/**
 * Starts a worker feeding `events` to `host`. Start the run once it is `ready`: the
 * worker then waits for the guest's first clock reading, and the host counts its channel
 * open until it closes.
 * @example
 * const feed = feedInput(host, readInputTrace("events.jsonl"));
 * await feed.ready;
 * const result = await runProgram({ engine: "quickjs", program, host });
 * await feed.stop();
 */
export function feedInput(host: RealHost, events: readonly InputEvent[]): InputFeed {
  const channel = host.channel();
  const workerData: InputFeedData = { channel, events: events.map(({ at_ns, source, data }) => ({ at_ns, source, data })) };
  const worker = new Worker(workerEntry(), { workerData, transferList: [channel.port] });
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  // Settles on the worker's message, or on its end if it never sends one.
  const ready = Promise.race([new Promise<void>((resolve) => worker.once("message", () => resolve())), exited]);
  // A worker that fails closes its producer on exit (producer.ts): the run sees no more
  // events, and `stop` reports the error.
  let failure: Error | null = null;
  worker.on("error", (error) => (failure ??= error));
  return {
    ready,
    async stop() {
      await worker.terminate();
      await exited;
      if (failure !== null) throw failure;
    },
  };
}

/** The compiled worker: next to this file in dist/node, or built from source by `npm run build`. */
function workerEntry(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".js")) return join(here, "..", "input-feed-worker.js");
  const built = join(packageRoot(), "dist", "node", "sim", "input-feed-worker.js");
  if (!existsSync(built)) throw new Error(`${built} is missing: run npm run build (workers run compiled JavaScript)`);
  return built;
}
