/**
 * Entries found by syscall uid (the timers and recv waiters the glue must find again when
 * `select` hands it cancelled uids): a hash table chained through the entries themselves,
 * so adding one allocates nothing.
 *
 * Why not a Map: uids are consecutive small integers, which quickjs-ng's Map hashes into
 * a few buckets (a lookup among 1,000 entries costs ~4 µs there, against ~0.2 µs in
 * QuickJS). Their low bits are the best hash there is.
 */
import { assert } from "../runtime/assert.js";

/** What the index holds: an entry with its uid and the link the index owns. */
export interface Indexed<E> {
  readonly uid: number;
  /** The next entry in the same bucket; only the index touches it. */
  chain: E | null;
}

const MIN_BUCKETS = 16;

export class UidIndex<E extends Indexed<E>> {
  private buckets: (E | null)[] = new Array<E | null>(MIN_BUCKETS).fill(null);
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(uid: number): E | undefined {
    for (let e: E | null = this.buckets[uid & (this.buckets.length - 1)]!; e !== null; e = e.chain) if (e.uid === uid) return e;
    return undefined;
  }

  has(uid: number): boolean {
    return this.get(uid) !== undefined;
  }

  /** Adds `entry`; its uid must not be in the index. */
  add(entry: E): void {
    assert(!this.has(entry.uid), "uid indexed twice", entry.uid);
    if (this.count >= this.buckets.length) this.resize(this.buckets.length * 2);
    const i = entry.uid & (this.buckets.length - 1);
    entry.chain = this.buckets[i]!;
    this.buckets[i] = entry;
    this.count++;
  }

  /** Removes and returns the entry of `uid`, or undefined when there is none. */
  delete(uid: number): E | undefined {
    const i = uid & (this.buckets.length - 1);
    let prev: E | null = null;
    for (let e: E | null = this.buckets[i]!; e !== null; prev = e, e = e.chain) {
      if (e.uid !== uid) continue;
      if (prev === null) this.buckets[i] = e.chain;
      else prev.chain = e.chain;
      e.chain = null;
      this.count--;
      return e;
    }
    return undefined;
  }

  /** Every entry, in no particular (but deterministic) order. */
  values(): E[] {
    const out: E[] = [];
    for (const head of this.buckets) for (let e = head; e !== null; e = e.chain) out.push(e);
    return out;
  }

  clear(): void {
    for (const e of this.values()) e.chain = null;
    this.buckets = new Array<E | null>(MIN_BUCKETS).fill(null);
    this.count = 0;
  }

  private resize(buckets: number): void {
    const old = this.buckets;
    this.buckets = new Array<E | null>(buckets).fill(null);
    for (let head of old) {
      while (head !== null) {
        const next: E | null = head.chain;
        const i = head.uid & (buckets - 1);
        head.chain = this.buckets[i]!;
        this.buckets[i] = head;
        head = next;
      }
    }
  }
}
