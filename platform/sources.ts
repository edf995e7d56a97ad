/**
 * Event sources (DESIGN §4): one FIFO of events per source, shared by every domain, and
 * one FIFO of waiters per source; the waiter registered first gets the next event,
 * whatever its domain. A cancelled waiter loses nothing: if its event had not come it is
 * removed; if the event was handed over but the task had not resumed, the event goes back
 * to the head of its queue (ordered by arrival, so several returned events keep their
 * order) and on to the next waiter.
 */
import { assert } from "../runtime/assert.js";
import { Fifo } from "../runtime/fifo.js";
import type { Signal } from "../runtime/index.js";
import type { GuestData } from "./bytes.js";
import { UidIndex } from "./uid-index.js";

interface QueuedEvent {
  /** Arrival order across every source: where a returned event goes back. */
  readonly seq: number;
  readonly data: GuestData;
}

const enum WaiterState {
  /** In its source's waiter list. */
  Waiting,
  /** Handed an event; its signal waits for its domain's next `select`. */
  Handed,
  /** Its signal was returned by `select`; the task has not resumed yet. */
  Signalled,
  /** Cancelled while waiting: skipped when its turn in the waiter queue comes. */
  Gone,
}

interface Waiter {
  readonly uid: number;
  chain: Waiter | null;
  readonly source: string;
  readonly domain: number;
  readonly signal: Signal;
  state: WaiterState;
  event: QueuedEvent | null;
}

interface Source {
  /** Queued events from `head` on (an index, so taking the oldest is O(1)). */
  events: QueuedEvent[];
  head: number;
  /** Waiters in registration order; cancelled ones stay as Gone until their turn. */
  readonly waiters: Fifo<Waiter>;
}

/** Compact a source's event array once this many taken slots lead it. */
const COMPACT_AFTER = 1024;

export class Sources {
  private readonly sources = new Map<string, Source>();
  private readonly byUid = new UidIndex<Waiter>();
  /** Per domain: waiters handed an event, in hand-over order, whose signal is not yet returned. */
  private readonly ready: Waiter[][] = [];
  private seq = 0;
  private handed = 0;

  /** Whether some domain has a waiter to signal. */
  get anyReady(): boolean {
    return this.handed > 0;
  }

  /** Whether any task waits on a source (or holds an event it has not taken yet). */
  get anyWaiter(): boolean {
    return this.byUid.size > 0;
  }

  /** Queues an event from the host and hands it on if someone waits for it. */
  arrive(source: string, data: GuestData): void {
    const s = this.source(source);
    s.events.push({ seq: ++this.seq, data });
    this.dispatch(s);
  }

  /** Registers the waiter of syscall `uid` (call it from `suspend`'s callback). */
  wait(uid: number, source: string, domain: number, signal: Signal): void {
    const s = this.source(source);
    const w: Waiter = { uid, chain: null, source, domain, signal, state: WaiterState.Waiting, event: null };
    this.byUid.add(w);
    s.waiters.push(w);
    this.dispatch(s);
  }

  /** The resumed task of syscall `uid` takes its event's data. */
  take(uid: number): GuestData {
    const w = this.byUid.delete(uid);
    assert(w !== undefined && w.state === WaiterState.Signalled && w.event !== null, "recv syscall resumed without an event", uid);
    return w.event.data;
  }

  /** Whether `domain` has a waiter to signal. */
  readyFor(domain: number): boolean {
    const ready = this.ready[domain];
    return ready !== undefined && ready.length > 0;
  }

  /** Signals of `domain`'s waiters that were handed an event, in hand-over order. */
  takeReady(domain: number, into: Signal[]): void {
    const ready = this.ready[domain];
    if (ready === undefined || ready.length === 0) return;
    for (const w of ready) {
      w.state = WaiterState.Signalled;
      into.push(w.signal);
    }
    this.handed -= ready.length;
    ready.length = 0;
  }

  /**
   * Forgets the cancelled syscall `uid`, giving back its event if it had one; false when
   * `uid` is not a recv of this run.
   */
  cancel(uid: number): boolean {
    const w = this.byUid.get(uid);
    if (w === undefined) return false;
    this.release(w);
    this.dispatch(this.source(w.source));
    return true;
  }

  /** The run ends on `domain`: its waiters go, and any event they held goes back to its queue. */
  finalise(domain: number): void {
    for (const w of this.byUid.values()) if (w.domain === domain) this.release(w);
    this.ready[domain] = [];
  }

  /** Events not taken by any task, per source with some left, sources sorted by name. */
  left(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const name of [...this.sources.keys()].sort()) {
      const s = this.sources.get(name)!;
      const n = s.events.length - s.head;
      if (n > 0) out[name] = n;
    }
    return out;
  }

  private source(name: string): Source {
    let s = this.sources.get(name);
    if (s === undefined) this.sources.set(name, (s = { events: [], head: 0, waiters: new Fifo<Waiter>() }));
    return s;
  }

  /** Hands queued events to waiters, oldest to oldest. */
  private dispatch(s: Source): void {
    while (s.head < s.events.length && s.waiters.length > 0) {
      const w = s.waiters.shift()!;
      if (w.state === WaiterState.Gone) continue;
      w.event = s.events[s.head]!;
      s.events[s.head++] = undefined as never; // let the GC have it
      if (s.head >= COMPACT_AFTER && s.head * 2 >= s.events.length) {
        s.events = s.events.slice(s.head);
        s.head = 0;
      }
      w.state = WaiterState.Handed;
      let ready = this.ready[w.domain];
      if (ready === undefined) this.ready[w.domain] = ready = [];
      ready.push(w);
      this.handed++;
    }
  }

  /** Removes waiter `w` wherever it is; an event it held goes back in arrival order. */
  private release(w: Waiter): void {
    this.byUid.delete(w.uid);
    const s = this.source(w.source);
    if (w.state === WaiterState.Waiting) {
      w.state = WaiterState.Gone;
      return;
    }
    if (w.state === WaiterState.Handed) {
      const ready = this.ready[w.domain]!;
      ready.splice(ready.indexOf(w), 1);
      this.handed--;
    }
    const e = w.event!;
    w.event = null;
    let i = s.head;
    while (i < s.events.length && s.events[i]!.seq < e.seq) i++;
    s.events.splice(i, 0, e);
  }
}
