/**
 * `Miou.recv`: waits for the next host event of a source (DESIGN §4). The waiter joins the
 * source's queue only inside `suspend`'s callback; sources.ts says who gets which event.
 */
import { Domain, suspend, syscall, uid } from "../runtime/index.js";
import { currentGlue } from "./glue.js";

/**
 * Suspends the task until the host delivers an event for `source`, and returns its data:
 * an ArrayBuffer (exactly the payload's bytes) or a JSON value. Waiters are served first
 * come, first served, across every domain; a cancelled waiter loses no event.
 * @example const packet = yield* Miou.recv("net0");
 */
export function recv(source: string): Generator<unknown, unknown, unknown> {
  if (typeof source !== "string") throw new TypeError(`Miou.recv: the source must be a string, got ${typeof source}`);
  return recvOn(source);
}

function* recvOn(source: string): Generator<unknown, unknown, unknown> {
  const sources = currentGlue("recv").sources;
  // The name shows in traces, snapshots and deadlock reports.
  const sc = syscall(`recv ${source}`);
  const id = uid(sc);
  const domain = Domain.self();
  yield* suspend(sc, () => sources.wait(id, source, domain, sc));
  const data = sources.take(id);
  return "bytes" in data ? data.bytes : data.json;
}
