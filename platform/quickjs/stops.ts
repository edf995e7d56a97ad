/**
 * How the embedder stops a guest, and the errors it reports: a runaway guest (its CPU
 * budget), and an engine that ran out of memory or stack under a task (DESIGN §7, exit 4);
 * a host function that threw (exit 1).
 */

/** Why the embedder stopped a guest. */
export type StopReason = "cpu-budget" | "out-of-memory" | "stack-overflow";

/** An error as it crosses a boundary (guest to host, worker to main thread): never a stack. */
export interface ErrorInfo {
  readonly name: string;
  readonly message: string;
}

/** The limits a stop message names. */
export interface StopLimits {
  readonly cpuBudgetMs: number;
  /** The guest's memory limit, when it has one. */
  readonly memoryLimitMB?: number;
}

/**
 * The guest was stopped by the embedder: exit code 4. The host process and every other
 * guest go on; the stopped guest's engine instance is thrown away.
 */
export class GuestStopped extends Error {
  override readonly name = "GuestStopped";
  readonly exitCode = 4;

  constructor(
    readonly reason: StopReason,
    message: string,
    /** Host calls the guest made before it was stopped (the `stop` record's call number). */
    readonly hostCalls: number,
  ) {
    super(message);
  }
}

/** A host function threw: the run ends with exit code 1. */
export class HostFailed extends Error {
  override readonly name = "HostFailed";
  readonly exitCode = 1;
}

/** The message of a stop, e.g. `guest exceeded its CPU budget of 5000 ms`. */
export function stopMessage(reason: StopReason, limits: StopLimits): string {
  switch (reason) {
    case "cpu-budget":
      return `guest exceeded its CPU budget of ${limits.cpuBudgetMs} ms`;
    case "out-of-memory":
      return limits.memoryLimitMB === undefined ? "guest ran out of memory" : `guest ran out of memory (limit ${limits.memoryLimitMB} MB)`;
    case "stack-overflow":
      return "guest overflowed its stack";
  }
}

/**
 * Whether an error is the engine giving up rather than program logic: QuickJS raises
 * `InternalError: out of memory` and `InternalError: stack overflow`; QuickJS-ng and V8
 * raise `RangeError: Maximum call stack size exceeded` (V8 kills a worker that runs out of
 * heap instead). With a memory limit, QuickJS may fail to allocate the error itself and
 * throw `null` or an InternalError with no message: under a memory limit, those count as
 * out of memory too. A program that throws such values itself is taken at its word.
 */
export function engineFailure(error: ErrorInfo, memoryLimited: boolean): StopReason | null {
  const { name, message } = error;
  if (name === "InternalError" && message === "out of memory") return "out-of-memory";
  if ((name === "InternalError" && message === "stack overflow") || (name === "RangeError" && message === "Maximum call stack size exceeded")) {
    return "stack-overflow";
  }
  if (memoryLimited && ((name === "InternalError" && message === "") || (name === "object" && message === "null") || message.startsWith(NON_ERROR))) {
    return "out-of-memory";
  }
  return null;
}

/** How the loader (guest.ts, GuestError.from) reports a thrown value that is not an Error. */
const NON_ERROR = "guest threw a non-error value: ";

/** An ErrorInfo of any thrown value. */
export function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: typeof error, message: String(error) };
}
