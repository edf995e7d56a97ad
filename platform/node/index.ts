/**
 * Miou for Node programs: the scheduler and its glue on V8, on the real clock.
 * - `runAsync` drives a run from Node's event loop; `fromPromise` awaits a Promise in a
 *   task, its settlement recorded as a host event;
 * - `runBlocking` runs on the RealHost, blocking the thread, fed by producer workers;
 * - `runProgram` runs a program's source in a guest engine (QuickJS, QuickJS-ng, or V8 in
 *   a worker) under a CPU budget and memory and stack limits.
 * @example
 * import { Miou, runAsync, fromPromise } from "miou-js/dist/node/platform/node/index.js";
 * await runAsync(function* () { yield* Miou.sleep(10); return yield* fromPromise(fetchJSON()); });
 */
import * as Miou from "../miou.js";

export { Miou };
export { runAsync, type RunAsyncOptions } from "./run-async.js";
export { fromPromise, type Settled } from "./from-promise.js";
export { AsyncHost, type EventFeed } from "./async-host.js";
export { runBlocking, type RunBlockingOptions } from "./run-blocking.js";
export { RealHost, openProducer, type Producer, type ProducerChannel, type RealHostOptions } from "../quickjs/real-host.js";
export { runProgram, GuestStopped, HostFailed, type EmbedOptions, type RunResult, type RunEnd } from "../quickjs/embedder.js";
