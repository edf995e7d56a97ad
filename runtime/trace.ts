import type { ErrorInfo } from "./errors.js";

/**
 * One scheduler decision, as handed to the `trace` option. The schema is documented in
 * docs/formats.md; glue code adds records of its own kinds (logs, host events, polls).
 * Every field is a number, string, boolean, array of numbers or ErrorInfo, so records
 * serialise the same way on every engine.
 */
export type TraceRecord =
  /** A task was created (`parent` 0 for main). */
  | { kind: "spawn"; task: number; parent: number; domain: number; name: string }
  /** A run slice of `task` begins on `domain`. */
  | { kind: "run"; task: number; domain: number }
  /** The slice ends: the task was re-queued, parked on an operation, or terminated. */
  | { kind: "ran"; task: number; then: "queued" | "parked" | "done" }
  /** A parked task was made runnable again. */
  | { kind: "wake"; task: number }
  /** The task handled `yield`. */
  | { kind: "yield"; task: number }
  /** The task suspended on syscall `syscall`. */
  | { kind: "suspend"; task: number; syscall: number; name: string }
  /** `select` signalled a suspended syscall. */
  | { kind: "signal"; domain: number; syscall: number }
  /** A cancellation of `task` was requested by task `by` (0: by the scheduler). */
  | { kind: "cancel"; task: number; by: number }
  /** The cancellation of `task` finished: it and its subtree are done. */
  | { kind: "cancelled"; task: number }
  /** The task terminated. */
  | { kind: "finish"; task: number; ok: true }
  | { kind: "finish"; task: number; ok: false; error: ErrorInfo }
  /** `select` was called on `domain` and returned `signals` (syscall uids). */
  | { kind: "select"; domain: number; block: boolean; cancelled: number[]; signals: number[] }
  /** `interrupt` was called on `domain`. */
  | { kind: "interrupt"; domain: number }
  /** A random draw in [0, bound) from the run's PRNG or its `choices`. */
  | { kind: "draw"; bound: number; value: number }
  /** Glue records (platform/, sim/): any other kind with plain JSON fields. */
  | { kind: string; [field: string]: unknown };

export type Tracer = (record: TraceRecord) => void;
