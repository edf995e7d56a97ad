/**
 * The scheduler core: Miou's tasks, domains and system interface. Operations (spawning,
 * awaiting, cancel, yield, suspend) are used with `yield*`; everything else is a plain call.
 */
export { run, start, type RunOptions, type Handle } from "./run.js";
export type { Outcome, Policy, Choices } from "./scheduler.js";
export { async, asyncWith, call, callWith, type AsyncOptions, type CallOptions } from "./spawn.js";
export { await_ as await, awaitExn, awaitOne, awaitFirst, awaitAll, parallel } from "./await.js";
export { cancel } from "./cancel.js";
export { yield_ as yield } from "./yield.js";
export { syscall, suspend, signal, uid, type Syscall } from "./syscall.js";
export type { Events, Signal } from "./domain.js";
export { Domain, Promise } from "./info.js";
export type { Result } from "./task.js";
export type { Op } from "./op.js";
export type { TraceRecord, Tracer } from "./trace.js";
export { orphans, care, take, get, length, type Orphans, type Care } from "./orphans.js";
export { Ownership, type Resource } from "./ownership.js";
export { Hook, type HookHandle } from "./hook.js";
export { protect, type ProtectHandlers } from "./protect.js";
export { MutexApi as Mutex } from "./mutex.js";
export { ConditionApi as Condition } from "./condition.js";
export { LazyApi as Lazy } from "./lazy.js";
export { TriggerApi as Trigger } from "./trigger.js";
export { ComputationApi as Computation } from "./computation.js";
export { Pqueue } from "./pqueue.js";
export { Sequence, type SequenceNode, type Direction } from "./sequence.js";
export {
  Cancelled,
  StillHasChildren,
  NotAChild,
  NoDomainAvailable,
  NoSelectProvided,
  Deadlock,
  ResourceLeaked,
  NotOwner,
  MutexError,
  LazyUndefined,
  FinallyRaised,
  OnCancellationRaised,
  Empty,
  type SuspendedTask,
  type ErrorInfo,
} from "./errors.js";
