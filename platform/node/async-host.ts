/**
 * The host of `runAsync`: the real clock, and events that Node code queues from its own
 * callbacks (a settled Promise, a socket's data). Its `select` never blocks: `runAsync`
 * waits on Node's event loop instead (`until`), so timers, I/O and Promises keep running
 * while the Miou program waits.
 */
import type { Host, HostEvent, HostWake, Outgoing } from "../host.js";
import { monotonicClock, outputWriter, type OutputOptions } from "../quickjs/real-host.js";

/** A feed of events into an {@link AsyncHost}, from Node code on the same thread. */
export interface EventFeed {
  /** Queues an event (`data`: a JSON value or bytes) and wakes the run. */
  send(source: string, data?: unknown): void;
  /** Says this feed will send nothing more; once every feed closed the host may be idle. */
  close(): void;
}

/**
 * A host whose events come from the same thread. It is idle (a run waiting with no
 * deadline is a deadlock) only when no event is queued, no feed is open and no Promise
 * watched by `fromPromise` is pending.
 *
 * @example
 * const host = new AsyncHost();
 * const feed = host.open();
 * socket.on("data", (bytes) => feed.send("net0", bytes));
 * socket.on("close", () => feed.close());
 * await runAsync(main, { host });
 */
export class AsyncHost implements Host {
  /** Integer ns since this host was created. */
  readonly now = monotonicClock();
  readonly #write: (record: Outgoing) => void;
  #queue: HostEvent[] = [];
  /** Open feeds and pending watched Promises: while any, more events may come. */
  #sources = 0;
  /** Resolves the wait of `until`, if one is pending. */
  #wake: (() => void) | null = null;

  constructor(options: OutputOptions = {}) {
    this.#write = outputWriter(options);
  }

  /** Opens a feed of events. */
  open(): EventFeed {
    let open = true;
    this.#sources++;
    return {
      send: (source, data) => {
        if (!open) throw new Error(`AsyncHost: send("${source}") after close()`);
        this.#push(source, data);
      },
      close: () => {
        if (!open) return;
        open = false;
        this.#sources--;
        this.#notify();
      },
    };
  }

  /**
   * Watches `promise`: its settlement becomes one event on `source`, made by `settled`.
   * Until then the host is not idle.
   */
  watch<T>(source: string, promise: PromiseLike<T>, settled: (outcome: PromiseSettledResult<T>) => unknown): void {
    this.#sources++;
    const settle = (outcome: PromiseSettledResult<T>): void => {
      this.#sources--;
      this.#push(source, settled(outcome));
    };
    Promise.resolve(promise).then(
      (value) => settle({ status: "fulfilled", value }),
      (reason: unknown) => settle({ status: "rejected", reason }),
    );
  }

  /** Writes `out` and returns the queued events at once; never waits (see `until`). */
  select(deadline: number | null, out: Outgoing[]): HostWake {
    for (const record of out) this.#write(record);
    const events = this.#queue;
    this.#queue = [];
    const now = this.now();
    if (events.length === 0 && deadline === null && this.#sources === 0) return { now, events, idle: true };
    return { now, events };
  }

  /**
   * Resolves at the absolute `deadline` (ns), when an event is queued, or at once when
   * one already is or nothing could ever come: the moment `select` has news.
   */
  until(deadline: number | null): Promise<void> {
    if (this.#queue.length > 0 || (deadline === null && this.#sources === 0)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = deadline === null ? undefined : setTimeout(() => this.#notify(), Math.max(0, Math.ceil((deadline - this.now()) / 1e6)));
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  #push(source: string, data: unknown): void {
    this.#queue.push(data === undefined ? { source } : { source, data });
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }
}
