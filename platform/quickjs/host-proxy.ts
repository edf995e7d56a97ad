/**
 * A host on another thread: a guest running in a worker calls the `Host` that lives on
 * the embedder's thread, synchronously, as it would call one on its own thread. The
 * worker posts the call and blocks in `Atomics.wait` on a shared counter; the embedder's
 * thread answers on the same MessagePort, bumps the counter and notifies; the worker
 * takes the answer with `receiveMessageOnPort`. Trace lines travel on the same port, so
 * they reach the embedder in order with the calls.
 */
import { receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import type { Host, HostWake, Outgoing } from "../host.js";
import { errorInfo, type ErrorInfo } from "./stops.js";

/** A message from the worker to the embedder's thread. */
export type WorkerMessage =
  /** The worker is loaded and about to create the guest: guest time starts. */
  | { readonly kind: "start" }
  | { readonly kind: "call"; readonly name: "now" }
  | { readonly kind: "call"; readonly name: "select"; readonly deadline: number | null; readonly out: Outgoing[] }
  | { readonly kind: "lines"; readonly lines: readonly string[] };

/** The embedder's answer to a call. */
type Reply = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: ErrorInfo };

/** The worker's side: a Host whose calls are answered by the embedder's thread. */
export class HostProxy implements Host {
  readonly #port: MessagePort;
  readonly #answered: Int32Array;

  constructor(port: MessagePort, answered: SharedArrayBuffer) {
    this.#port = port;
    this.#answered = new Int32Array(answered);
  }

  now(): number {
    return this.#call({ kind: "call", name: "now" }) as number;
  }

  select(deadline: number | null, out: Outgoing[]): HostWake {
    return this.#call({ kind: "call", name: "select", deadline, out }) as HostWake;
  }

  /** Says the worker is about to run guest code. */
  start(): void {
    this.#port.postMessage({ kind: "start" } satisfies WorkerMessage);
  }

  /** Sends trace lines ahead of the next call. */
  lines(lines: readonly string[]): void {
    this.#port.postMessage({ kind: "lines", lines } satisfies WorkerMessage);
  }

  #call(message: WorkerMessage): unknown {
    const seen = Atomics.load(this.#answered, 0);
    this.#port.postMessage(message);
    while (Atomics.load(this.#answered, 0) === seen) Atomics.wait(this.#answered, 0, seen);
    const received = receiveMessageOnPort(this.#port);
    if (received === undefined) throw new Error("host proxy: the embedder answered with no message");
    const reply = received.message as Reply;
    if (reply.ok) return reply.value;
    const error = new Error(reply.error.message);
    error.name = reply.error.name;
    throw error;
  }
}

/**
 * The embedder's side: answers one call from the worker with `host`, then wakes the
 * worker. A host that throws is answered with its error, which the worker rethrows.
 */
export function answerCall(host: Host, message: WorkerMessage & { kind: "call" }, port: MessagePort, answered: SharedArrayBuffer): void {
  let reply: Reply;
  try {
    const value = message.name === "now" ? host.now() : host.select(message.deadline, message.out);
    reply = { ok: true, value };
  } catch (error) {
    reply = { ok: false, error: errorInfo(error) };
  }
  try {
    port.postMessage(reply);
  } catch (error) {
    // An answer that cannot be cloned (a function in an event) is the host's failure.
    port.postMessage({ ok: false, error: errorInfo(error) } satisfies Reply);
  }
  const counter = new Int32Array(answered);
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
}
