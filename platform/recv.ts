/**
 * `Miou.recv`: waits for the next host event of a source (DESIGN §4). The waiter joins the
 * source's queue only inside `suspend`'s callback; sources.ts says who gets which event.
 */
import { syscall, type Op, type Syscall } from "../runtime/index.js";
import { SuspendOp } from "../runtime/syscall.js";
import { currentGlue } from "./glue.js";
import type { Sources } from "./sources.js";

/**
 * Suspends the task until the host delivers an event for `source`, and returns its data:
 * an ArrayBuffer (exactly the payload's bytes) or a JSON value. Waiters are served first
 * come, first served, across every domain; a cancelled waiter loses no event.
 * @example const packet = yield* Miou.recv("net0");
 */
export function recv(source: string): Op<unknown> {
  if (typeof source !== "string") throw new TypeError(`Miou.recv: the source must be a string, got ${typeof source}`);
  const sources = currentGlue("recv").sources;
  // The name shows in traces, snapshots and deadlock reports.
  return new RecvOp(syscall(`recv ${source}`), sources, source);
}

/** Joins the source's waiters when the task suspends; takes the event when it resumes. */
class RecvOp extends SuspendOp<unknown> {
  constructor(
    syscall: Syscall,
    private readonly sources: Sources,
    private readonly source: string,
  ) {
    super(syscall);
  }

  override register(): void {
    const sc = this.syscall;
    this.sources.wait(sc.uid, this.source, sc.domain.uid, sc);
  }

  override resumed(): unknown {
    const data = this.sources.take(this.syscall.uid);
    return "bytes" in data ? data.bytes : data.json;
  }
}
