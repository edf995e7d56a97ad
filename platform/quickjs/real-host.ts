/**
 * The real host (DESIGN §4): the process's monotonic clock, and a `select` that blocks
 * the thread for real with `Atomics.wait` until the deadline or until a producer thread
 * wakes it. A blocked thread burns no CPU, and runs no Node timers or message handlers:
 * events come from producer worker threads (producer.ts) through MessagePorts drained
 * synchronously with `receiveMessageOnPort`.
 */
import { MessageChannel, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import type { Host, HostEvent, HostWake, Outgoing } from "../host.js";
import type { ChannelMessage, ProducerChannel } from "./producer.js";

export { openProducer, type Producer, type ProducerChannel } from "./producer.js";

/** Where a host writes what the guest sends out (RealHost, and platform/node's AsyncHost). */
export interface OutputOptions {
  /** Receives what the guest writes on sink "stdout", one line at a time; default: process.stdout. */
  readonly stdout?: (text: string) => void;
  /** Receives what the guest writes on sink "stderr"; default: process.stderr. */
  readonly stderr?: (text: string) => void;
  /**
   * Receives the records of every other sink (`Miou.send`); default: a line
   * `sink NAME: JSON` on stderr, so that nothing sent is lost unseen.
   */
  readonly onOutgoing?: (record: Outgoing) => void;
}

/** The process's monotonic clock as a host's `now`: integer ns since this call. */
export function monotonicClock(): () => number {
  const origin = process.hrtime.bigint();
  return () => Number(process.hrtime.bigint() - origin);
}

/**
 * Writes outgoing records: console lines (stdout, stderr) as text lines, JSON data of
 * those sinks as its JSON text, every other sink to `onOutgoing`.
 */
export function outputWriter(options: OutputOptions): (record: Outgoing) => void {
  const stdout = options.stdout ?? ((text: string) => void process.stdout.write(text));
  const stderr = options.stderr ?? ((text: string) => void process.stderr.write(text));
  const onOutgoing = options.onOutgoing ?? ((record: Outgoing) => stderr(`sink ${record.sink}: ${JSON.stringify(record.data)}\n`));
  return ({ sink, data }) => {
    if (sink !== "stdout" && sink !== "stderr") return onOutgoing({ sink, data });
    const text = (typeof data === "string" ? data : JSON.stringify(data)) + "\n";
    (sink === "stdout" ? stdout : stderr)(text);
  };
}

/** Options of {@link RealHost}. */
export type RealHostOptions = OutputOptions;

/** Milliseconds in a nanosecond, for `Atomics.wait`'s timeout. */
const MS_PER_NS = 1e-6;

/**
 * A host on the real clock. `now()` counts integer ns since the host was created;
 * `select` writes the outgoing records, then waits.
 *
 * @example
 * const host = new RealHost();
 * const channel = host.channel();
 * new Worker("./producer.mjs", { workerData: { channel }, transferList: [channel.port] });
 * host.select(host.now() + 1_000_000_000, []); // up to 1 s, or less when the worker sends
 */
export class RealHost implements Host {
  /** [0] the clock's origin (hrtime), [1] 1 + the guest's first reading: see ProducerChannel. */
  readonly #clock = new BigInt64Array(new SharedArrayBuffer(2 * BigInt64Array.BYTES_PER_ELEMENT));
  readonly #wake = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  /** Host ends of the channels whose producer has not closed, in creation order. */
  #open: MessagePort[] = [];
  readonly #write: (record: Outgoing) => void;

  constructor(options: RealHostOptions = {}) {
    this.#write = outputWriter(options);
    Atomics.store(this.#clock, 0, process.hrtime.bigint());
  }

  /** Integer ns since this host was created (a safe integer for 104 days). */
  readonly now = (): number => this.#started(this.#read());

  /**
   * A new event channel for one producer: hand it to a worker, which calls
   * `openProducer(channel)`. The host counts it open until that producer closes.
   */
  channel(): ProducerChannel {
    const { port1, port2 } = new MessageChannel();
    // Drained only by receiveMessageOnPort: the port must never keep Node's loop alive.
    port1.unref();
    this.#open.push(port1);
    return { port: port2, wake: this.#wake.buffer as SharedArrayBuffer, clock: this.#clock.buffer as SharedArrayBuffer };
  }

  /** How many channels are open (producers that have not closed). */
  get openChannels(): number {
    return this.#open.length;
  }

  /**
   * Writes `out`, then returns at once with the events already sent, or waits until the
   * absolute `deadline` (ns) or the next event. With no deadline and every producer
   * closed, returns `idle: true`: nothing could ever wake the guest.
   */
  select(deadline: number | null, out: Outgoing[]): HostWake {
    for (const record of out) this.#write(record);
    for (;;) {
      // Read the counter before draining: a message posted after the drain changes it,
      // so the wait below returns at once instead of missing the message.
      const seen = Atomics.load(this.#wake, 0);
      const events = this.#drain();
      const now = this.#started(this.#read());
      if (events.length > 0 || (deadline !== null && now >= deadline)) return { now, events };
      if (deadline === null && this.#open.length === 0) return { now, events, idle: true };
      Atomics.wait(this.#wake, 0, seen, deadline === null ? Infinity : (deadline - now) * MS_PER_NS);
    }
  }

  /** Closes the host ends of every channel still open; producers' later sends go nowhere. */
  close(): void {
    for (const port of this.#open) port.close();
    this.#open = [];
  }

  #read(): number {
    return Number(process.hrtime.bigint() - this.#clock[0]!);
  }

  /** Notes the guest's first clock reading for producers (guestStarted), then gives `now`. */
  #started(now: number): number {
    if (this.#clock[1] === 0n) {
      Atomics.store(this.#clock, 1, BigInt(now) + 1n);
      Atomics.notify(this.#clock, 1);
    }
    return now;
  }

  /** Every message waiting on the open channels, channel by channel, in order. */
  #drain(): HostEvent[] {
    const events: HostEvent[] = [];
    const stillOpen: MessagePort[] = [];
    for (const port of this.#open) {
      if (drainPort(port, events)) stillOpen.push(port);
      else port.close();
    }
    this.#open = stillOpen;
    return events;
  }
}

/** Moves the events waiting on `port` to `events`; false once its producer closed. */
function drainPort(port: MessagePort, events: HostEvent[]): boolean {
  for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
    const message = m.message as ChannelMessage;
    if (message.kind === "close") return false;
    events.push(message.data === undefined ? { source: message.source } : { source: message.source, data: message.data });
  }
  return true;
}
