/**
 * Runs a guest in a worker thread while its host stays on this thread (host-proxy.ts).
 * QuickJS in a worker gets a native stack large enough for a guest stack over 64 KB;
 * a guest on V8 has no interrupt handler, so its CPU budget is a watchdog here that
 * terminates the worker, and its memory limit is the worker's heap limit.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { MessageChannel, receiveMessageOnPort, Worker, type ResourceLimits } from "node:worker_threads";
import type { Host } from "../host.js";
import type { GuestWorkerData, GuestWorkerResult } from "./guest-worker.js";
import { DEFAULT_WORKER_STACK_BYTES, type GuestRunOptions, type GuestRunReport } from "./guest-run.js";
import { answerCall, type WorkerMessage } from "./host-proxy.js";
import { packageRoot } from "./loader.js";

/**
 * The largest guest stack in a worker: the QuickJS wasm builds have a 5 MiB stack of
 * their own, which a larger limit would let the guest overrun.
 */
export const MAX_WORKER_STACK_BYTES = 4 * 1024 * 1024;

const MIB = 1024 * 1024;

/**
 * Runs `options.program` in a worker, answering its host calls with `host`. Resolves
 * with the worker's report, or with a stop when the watchdog or V8's heap limit ended it.
 * @throws RangeError for a guest stack over {@link MAX_WORKER_STACK_BYTES}.
 */
export function runInWorker(options: GuestRunOptions, host: Host, onLines: (lines: readonly string[]) => void): Promise<GuestRunReport> {
  const { port1, port2 } = new MessageChannel();
  const answered = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const workerData: GuestWorkerData = { options, port: port2, answered };
  const worker = new Worker(workerEntry(), { workerData, transferList: [port2], resourceLimits: resourceLimits(options) });
  return new Promise<GuestRunReport>((resolve, reject) => {
    let hostCalls = 0;
    let lines = 0;
    let settled = false;
    let watchdog: NodeJS.Timeout | undefined;
    const settle = (body: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(watchdog);
      drain();
      port1.close();
      body();
    };
    const stop = (reason: "cpu-budget" | "out-of-memory"): void =>
      settle(() => resolve({ end: { kind: "stopped", reason }, decisions: lines, hostCalls }));
    // V8 has no interrupt handler the embedder can use: the budget is a timer, cleared
    // while the host has the call and re-armed when the guest gets control back.
    const arm = (): void => {
      if (options.engine !== "node") return;
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        stop("cpu-budget");
        void worker.terminate();
      }, options.cpuBudgetMs);
    };
    const handle = (message: WorkerMessage): void => {
      if (message.kind === "start") return arm();
      if (message.kind === "lines") {
        lines += message.lines.length;
        onLines(message.lines);
        return;
      }
      // A stopped guest's host is not called again (its output after the stop is dropped).
      if (settled) return;
      clearTimeout(watchdog);
      hostCalls++;
      answerCall(host, message, port1, answered);
      arm();
    };
    // The report and the port's last lines travel on different channels: take the
    // lines still queued before reporting.
    const drain = (): void => {
      for (let m = receiveMessageOnPort(port1); m !== undefined; m = receiveMessageOnPort(port1)) handle(m.message as WorkerMessage);
    };
    port1.on("message", handle);
    worker.on("message", (result: GuestWorkerResult) =>
      settle(() => (result.ok ? resolve(result.report) : reject(Object.assign(new Error(result.error.message), { name: result.error.name })))),
    );
    worker.on("error", (error: Error & { code?: string }) => {
      if (error.code === "ERR_WORKER_OUT_OF_MEMORY") stop("out-of-memory");
      else settle(() => reject(error));
    });
    worker.on("exit", (code) => settle(() => reject(new Error(`the guest worker exited (code ${code}) without a report`))));
  });
}

/** The worker's stack and heap limits. */
function resourceLimits(options: GuestRunOptions): ResourceLimits {
  if (options.engine === "node") {
    return {
      ...(options.stackSizeBytes === undefined ? {} : { stackSizeMb: Math.max(1, options.stackSizeBytes / MIB) }),
      ...(options.memoryLimitMB === undefined ? {} : { maxOldGenerationSizeMb: options.memoryLimitMB }),
    };
  }
  const stackSizeBytes = options.stackSizeBytes ?? DEFAULT_WORKER_STACK_BYTES;
  if (stackSizeBytes > MAX_WORKER_STACK_BYTES) {
    throw new RangeError(`stackSizeBytes ${stackSizeBytes} is more than the ${MAX_WORKER_STACK_BYTES} a QuickJS guest may have`);
  }
  // Measured: a QuickJS frame takes about 4 times its guest-stack size on the native stack
  // (wasm frames run on V8's stack); 2 MB more for the worker's own frames.
  return { stackSizeMb: Math.ceil((4 * stackSizeBytes) / MIB) + 2 };
}

/** The compiled worker entry: next to this file in dist/node, or built from source by `npm run build`. */
function workerEntry(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".js")) return join(here, "..", "guest-worker.js");
  const built = join(packageRoot(), "dist", "node", "platform", "quickjs", "guest-worker.js");
  if (!existsSync(built)) throw new Error(`${built} is missing: run npm run build (workers run compiled JavaScript)`);
  return built;
}
