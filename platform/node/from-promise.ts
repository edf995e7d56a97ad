/**
 * `fromPromise`: an operation that suspends a task until a Promise settles. The
 * settlement travels as a host event (on source `promise N`, N counting the run's
 * fromPromise calls), so it is in the boundary log like any input and a recorded run
 * replays without the Promise: on a host that is not runAsync's (a replay), the Promise
 * is not watched, a thunk is not even called, and the recorded event answers instead.
 */
import { bytesOf } from "../bytes.js";
import { currentGlue, type Glue } from "../glue.js";
import { recv } from "../recv.js";
import type { AsyncHost } from "./async-host.js";

/** The AsyncHost of the runAsync step running now, or null (runOn, a replay). */
let active: AsyncHost | null = null;

/** Runs `body` with `host` as the running AsyncHost (runAsync wraps each step). */
export function withAsyncHost<T>(host: AsyncHost, body: () => T): T {
  const previous = active;
  active = host;
  try {
    return body();
  } finally {
    active = previous;
  }
}

/** fromPromise calls made in each run: the next source's number. */
const counts = new WeakMap<Glue, number>();

/**
 * How a settlement crosses the boundary as event data: bytes as themselves (the glue
 * hands the task an ArrayBuffer), a JSON value as `{ value }`, a rejection as
 * `{ error: { name, message } }`.
 */
type Settlement = { readonly value?: unknown } | { readonly error: { readonly name: string; readonly message: string } };

/** What a task receives for a Promise of T: bytes of any kind arrive as an ArrayBuffer. */
export type Settled<T> = T extends ArrayBuffer | ArrayBufferView ? ArrayBuffer : T;

/**
 * Suspends the task until `promise` settles; returns its value or throws its error (an
 * Error with the same name and message). The value must be JSON or bytes (an
 * ArrayBuffer or typed array, received as an ArrayBuffer). Pass a function returning the
 * Promise to keep a replay from starting the work again.
 * @example
 * const text = yield* fromPromise(() => readFile("notes.txt", "utf8"));
 */
export function fromPromise<T>(promise: PromiseLike<T> | (() => PromiseLike<T>)): Generator<unknown, Settled<T>, unknown> {
  if (typeof promise !== "function" && !isThenable(promise)) {
    throw new TypeError("fromPromise: expected a Promise or a function returning one");
  }
  return settle(promise);
}

function* settle<T>(promise: PromiseLike<T> | (() => PromiseLike<T>)): Generator<unknown, Settled<T>, unknown> {
  const glue = currentGlue("fromPromise");
  const n = (counts.get(glue) ?? 0) + 1;
  counts.set(glue, n);
  const source = `promise ${n}`;
  if (active !== null) {
    active.watch(source, typeof promise === "function" ? promise() : promise, settlement);
  } else if (typeof promise !== "function") {
    // Not watched (a replay answers from its log): its rejection must not go unhandled.
    Promise.resolve(promise).catch(() => {});
  }
  const data = yield* recv(source);
  if (data instanceof ArrayBuffer) return data as Settled<T>;
  const s = data as Settlement;
  if ("error" in s) {
    const error = new Error(s.error.message);
    error.name = s.error.name;
    throw error;
  }
  return s.value as Settled<T>;
}

function settlement<T>(outcome: PromiseSettledResult<T>): unknown {
  if (outcome.status === "rejected") {
    const reason: unknown = outcome.reason;
    return { error: reason instanceof Error ? { name: reason.name, message: reason.message } : { name: "Error", message: String(reason) } };
  }
  const value: unknown = outcome.value;
  const bytes = bytesOf(value);
  if (bytes !== null) return bytes;
  if (value === undefined) return {};
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined; // a cycle, a BigInt: not JSON either
  }
  if (text === undefined) return { error: { name: "TypeError", message: `fromPromise: the value must be JSON or bytes, got a ${typeof value}` } };
  return { value };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === "object" && typeof (value as { then?: unknown }).then === "function";
}
