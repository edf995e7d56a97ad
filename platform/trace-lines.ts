/**
 * Decision trace lines (docs/formats.md, "Decision trace records"): every record is
 * serialised here, in the guest, so that V8, QuickJS and QuickJS-ng give the same bytes.
 * `JSON.stringify` is exact on every engine for the values records hold (integers,
 * strings, booleans, null, arrays and plain objects in insertion order).
 */
import type { TraceRecord } from "../runtime/index.js";
import type { Clock } from "./clock.js";

export type TraceLineSink = (line: string) => void;

export class TraceLines {
  #seq = 0;

  constructor(
    readonly sink: TraceLineSink,
    readonly clock: Clock,
  ) {}

  /**
   * Writes `{"seq":N,"t":<ns>,` then the record's own fields in their order (kind first):
   * the time is the last the host gave, read without a host call.
   */
  write(record: TraceRecord): void {
    const fields = JSON.stringify(record);
    this.sink(`{"seq":${++this.#seq},"t":${this.clock.last_ns},${fields.slice(1)}`);
  }
}
