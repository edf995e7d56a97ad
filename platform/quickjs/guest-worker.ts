/**
 * The entry of the embedder's worker thread: runs one program in a guest whose host lives
 * on the embedder's thread (host-proxy.ts), then posts the report. A worker gets its own
 * native stack (QuickJS guests with more than 64 KB of stack) and can be terminated (the
 * CPU budget of a guest on V8, which has no interrupt handler to call).
 */
import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import { runInGuest, type GuestRunOptions, type GuestRunReport } from "./guest-run.js";
import { HostProxy } from "./host-proxy.js";
import { errorInfo, type ErrorInfo } from "./stops.js";

/** What the embedder hands the worker in `workerData`. */
export interface GuestWorkerData {
  readonly options: GuestRunOptions;
  /** Calls, trace lines and the report go out on this port; answers come back on it. */
  readonly port: MessagePort;
  /** Int32Array(1): bumped by the embedder after each answer. */
  readonly answered: SharedArrayBuffer;
}

/** The worker's last message, on `parentPort`. */
export type GuestWorkerResult = { readonly ok: true; readonly report: GuestRunReport } | { readonly ok: false; readonly error: ErrorInfo };

const data = workerData as GuestWorkerData;
const host = new HostProxy(data.port, data.answered);
let result: GuestWorkerResult;
host.start();
try {
  result = { ok: true, report: await runInGuest(data.options, host, (lines) => host.lines(lines)) };
} catch (error) {
  result = { ok: false, error: errorInfo(error) };
}
// After the port's last lines: the embedder drains the port before it reads this.
parentPort!.postMessage(result);
data.port.close();
