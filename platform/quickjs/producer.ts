/**
 * The producer side of a real host's event channel (DESIGN §4): code in a worker thread
 * that feeds events to a guest blocked in `select`. A blocked main thread runs no Node
 * timers or message handlers, so producers live in worker threads and wake the host with
 * `Atomics.notify` on a shared counter; the host drains their messages synchronously.
 *
 * This module imports nothing but Node's worker_threads, so a producer worker loads it
 * cheaply.
 */
import type { MessagePort } from "node:worker_threads";

/**
 * What a worker receives to produce events for one host: hand it over in `workerData`
 * with `port` in the `transferList`.
 *
 * @example
 * const channel = host.channel();
 * new Worker(file, { workerData: { channel }, transferList: [channel.port] });
 */
export interface ProducerChannel {
  /** The producer's end of a MessageChannel whose other end the host drains. */
  readonly port: MessagePort;
  /** Int32Array(1) counter shared with the host: bumped after every message. */
  readonly wake: SharedArrayBuffer;
  /**
   * BigInt64Array(2) shared with the host: [0] the `process.hrtime` of the host's creation
   * (its clock's origin, the same in every thread of the process), [1] 1 + the host time
   * of the guest's first clock reading, 0 until then.
   */
  readonly clock: SharedArrayBuffer;
}

/** A message on a producer channel. */
export type ChannelMessage = { readonly kind: "event"; readonly source: string; readonly data?: unknown } | { readonly kind: "close" };

/** The producer side of a channel. */
export interface Producer {
  /**
   * Queues an event for the host and wakes it. `data` is a JSON value or bytes (an
   * ArrayBuffer or a typed array, copied). Events of one producer arrive in order.
   * @throws Error after `close()`.
   */
  send(source: string, data?: unknown): void;
  /**
   * Says this producer will send nothing more. When every producer of a host has closed,
   * a guest waiting with no deadline is deadlocked instead of waiting forever.
   */
  close(): void;
  /** The host's clock, read in this thread: integer ns since the host was created. */
  now(): number;
  /**
   * Resolves with the host time (ns) at which the guest first read the clock: the start
   * of its run, from which an input trace's times count.
   */
  guestStarted(): Promise<number>;
}

/**
 * Opens the producer side of `channel` (in the worker that received it).
 *
 * @example
 * // worker.mjs
 * import { workerData } from "node:worker_threads";
 * import { openProducer } from "miou-js/dist/node/platform/quickjs/producer.js";
 * const producer = openProducer(workerData.channel);
 * const t0 = await producer.guestStarted();
 * for (let i = 0; i < 3; i++) producer.send("ticks", i);
 * producer.close();
 */
export function openProducer(channel: ProducerChannel): Producer {
  const { port } = channel;
  const wake = new Int32Array(channel.wake);
  const clock = new BigInt64Array(channel.clock);
  let closed = false;
  // A worker that ends (or throws) without closing would leave the host waiting forever
  // for it: its exit closes the producer.
  const closeOnExit = (): void => producer.close();
  process.once("exit", closeOnExit);
  // Post first, then bump: the host reads the counter before it drains, so a message
  // it missed always comes with a counter change that stops its wait.
  const post = (message: ChannelMessage): void => {
    port.postMessage(message);
    Atomics.add(wake, 0, 1);
    Atomics.notify(wake, 0);
  };
  const producer: Producer = {
    send(source, data) {
      if (closed) throw new Error(`producer: send("${source}") after close()`);
      if (typeof source !== "string") throw new TypeError(`producer: the source must be a string, got ${typeof source}`);
      post(data === undefined ? { kind: "event", source } : { kind: "event", source, data });
    },
    close() {
      if (closed) return;
      closed = true;
      process.off("exit", closeOnExit);
      post({ kind: "close" });
      port.close();
    },
    now: () => Number(process.hrtime.bigint() - Atomics.load(clock, 0)),
    async guestStarted() {
      // Atomics.waitAsync: a worker's event loop keeps running while it waits.
      const waitAsync = (Atomics as unknown as { waitAsync: AtomicsWaitAsync }).waitAsync;
      // Node: a pending waitAsync does not keep a worker alive; with nothing else to do,
      // the worker would exit (closing this producer) before the guest starts.
      const keepAlive = setInterval(() => {}, 1 << 30);
      try {
        while (Atomics.load(clock, 1) === 0n) {
          const result = waitAsync(clock, 1, 0n);
          if (result.async) await result.value;
        }
      } finally {
        clearInterval(keepAlive);
      }
      return Number(Atomics.load(clock, 1) - 1n);
    },
  };
  return producer;
}

/** `Atomics.waitAsync` (ES2024; Node has it since 16), as this module uses it. */
type AtomicsWaitAsync = (
  array: BigInt64Array,
  index: number,
  value: bigint,
) => { async: false; value: "not-equal" | "timed-out" } | { async: true; value: Promise<"ok" | "timed-out"> };
