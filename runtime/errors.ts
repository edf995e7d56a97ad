/**
 * The errors Miou raises, as Error subclasses. Each sets `name` from a string literal so
 * that it survives minification (`err.name === "Cancelled"` in dist/miou.min.js too).
 * Miou's `Invalid_argument` cases are plain TypeError/RangeError with Miou's message.
 */

/**
 * An Error subclass whose `name` is the string literal given (so it survives minification)
 * and whose message defaults to Miou's printer string.
 */
function named(name: string, defaultMessage: string) {
  return class extends Error {
    constructor(message = defaultMessage, options?: ErrorOptions) {
      super(message, options);
      this.name = name;
    }
  };
}

/** The error a cancelled task is unwound with, and the error its awaiter receives. */
export class Cancelled extends named("Cancelled", "Miou.Cancelled") {}

/** A task returned normally while some of its children were neither awaited nor cancelled (rule 1). */
export class StillHasChildren extends named("StillHasChildren", "Miou.Still_has_children") {}

/** A task awaited or cancelled a promise that is not its direct child (rule 2). */
export class NotAChild extends named("NotAChild", "Miou.Not_a_child") {}

/** `call` or `parallel` found no worker domain other than the current one (rule 6). */
export class NoDomainAvailable extends named("NoDomainAvailable", "Miou.No_domain_available") {}

/** A task suspended on a syscall in a run that was given no `events`. */
export class NoSelectProvided extends named(
  "NoSelectProvided",
  "a task suspended on a syscall, but this run has no `events`: pass { events } to Miou.run, or run the program on a host with Miou.runOn",
) {}

/** What a task waits on, as reported in snapshots and deadlock reports. */
export interface SuspendedTask {
  /** The task's promise uid. */
  readonly task: number;
  /** The name of the task's generator function ("anonymous" when it has none). */
  readonly name: string;
  readonly domain: number;
  /** A short description: `syscall 3 (sleep)`, `await task 4`, `cancel task 5`, `mutex`... */
  readonly waitsOn: string;
}

/** Nothing can make progress: no task is runnable and none waits on the system. */
export class Deadlock extends Error {
  /** Every task that was waiting when the deadlock was detected. */
  readonly suspended: readonly SuspendedTask[];

  /** `reason` says why nothing can progress; by default, that no task waits on the system. */
  constructor(suspended: readonly SuspendedTask[], reason = "no task waits on the system") {
    const lines = suspended.map((s) => `  task ${s.task} (${s.name}) on domain ${s.domain} waits on ${s.waitsOn}`);
    super(`Miou.Deadlock: no task can make progress: ${reason}\n${lines.join("\n")}`);
    this.name = "Deadlock";
    this.suspended = suspended;
  }
}

/** A task ended normally while it still owned a resource (its finaliser has run). */
export class ResourceLeaked extends named("ResourceLeaked", "Miou.Resource_leaked") {}

/** The current task does not own the resource it used. */
export class NotOwner extends named("NotOwner", "Miou.Not_owner") {}

/** A Mutex was used against its ownership rules (Miou raises `Sys_error` with the same messages). */
export class MutexError extends named("MutexError", "Mutex: error") {}

/** A task forced a Lazy value that it is itself computing. */
export class LazyUndefined extends named("LazyUndefined", "Miou.Lazy.Undefined") {}

/** `protect`'s `finally` threw; `cause` holds what it threw. */
export class FinallyRaised extends Error {
  constructor(cause: unknown) {
    super(`Miou.protect: finally raised ${describe(cause)}`, { cause });
    this.name = "FinallyRaised";
  }
}

/** `protect`'s `onCancellation` threw; `cause` holds what it threw. */
export class OnCancellationRaised extends Error {
  constructor(cause: unknown) {
    super(`Miou.protect: onCancellation raised ${describe(cause)}`, { cause });
    this.name = "OnCancellationRaised";
  }
}

/** A plain `{ name, message }` for traces and reports: never a stack, same on every engine. */
export interface ErrorInfo {
  readonly name: string;
  readonly message: string;
}

export function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: typeof error, message: String(error) };
}

/** A one-line description of any thrown value, for messages. */
export function describe(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null || typeof value !== "object") return String(value);
  const ctor = (value as { constructor?: { name?: unknown } }).constructor;
  return typeof ctor?.name === "string" && ctor.name !== "" ? `a ${ctor.name}` : "an object";
}

/** Taking from an empty Pqueue or Sequence (Miou's `Empty` of both modules). */
export class Empty extends named("Empty", "Miou.Empty") {}
