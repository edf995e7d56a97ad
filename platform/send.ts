/**
 * `Miou.send`: a plain call that buffers an outgoing record for the host (DESIGN §4). It
 * goes out on the next host `select` (a poll, a wait, or the final poll of the run).
 */
import { toOutgoingData } from "./bytes.js";
import { runningGlue } from "./glue.js";
import { pushOutgoing } from "./output.js";

/**
 * Sends `data` to the host's `sink`: bytes (ArrayBuffer or typed array; they travel as
 * `{ base64 }`) or a JSON value, copied now. Traced as an `out` record.
 * @throws TypeError when `sink` is not a string or `data` is neither bytes nor JSON.
 * @example Miou.send("net0", new Uint8Array([1, 2, 3]));
 */
export function send(sink: string, data: unknown): void {
  if (typeof sink !== "string") throw new TypeError(`Miou.send: the sink must be a string, got ${typeof sink}`);
  const value = toOutgoingData(data, "Miou.send");
  pushOutgoing(sink, value);
  runningGlue()?.trace?.write({ kind: "out", sink, data: value });
}
