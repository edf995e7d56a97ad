/**
 * A domain's timers (the seed tutorial's `Sleepers` priority queue): a binary min-heap
 * keyed by (deadline, registration order), so equal deadlines fire in the order they were
 * registered. Each entry knows its index, so a cancelled timer is removed in O(log n)
 * rather than flagged and left to leak (seed tutorial: Cancellation).
 */
import { UidIndex } from "./uid-index.js";

export interface Timer<S> {
  readonly deadline_ns: number;
  /** Registration order, unique across every domain of the run. */
  readonly order: number;
  readonly syscall: S;
  readonly uid: number;
  /** Position in the heap's array, -1 once out. */
  index: number;
  chain: Timer<S> | null;
}

export class TimerHeap<S> {
  private readonly heap: Timer<S>[] = [];
  private readonly byUid = new UidIndex<Timer<S>>();

  get size(): number {
    return this.heap.length;
  }

  /** The earliest deadline, or null when there is no timer. */
  earliest(): number | null {
    return this.heap.length === 0 ? null : this.heap[0]!.deadline_ns;
  }

  add(uid: number, syscall: S, deadline_ns: number, order: number): void {
    const timer: Timer<S> = { deadline_ns, order, syscall, uid, index: this.heap.length, chain: null };
    this.byUid.add(timer);
    this.heap.push(timer);
    this.up(timer.index);
  }

  /** Removes the timer of syscall `uid`; false when there is none (fired, or not a timer). */
  remove(uid: number): boolean {
    const timer = this.byUid.delete(uid);
    if (timer === undefined) return false;
    const i = timer.index;
    const last = this.heap.pop()!;
    timer.index = -1;
    if (last !== timer) {
      this.heap[i] = last;
      last.index = i;
      this.down(i);
      this.up(last.index);
    }
    return true;
  }

  /** Whether the earliest timer is due by `now_ns`. */
  due(now_ns: number): boolean {
    return this.heap.length > 0 && this.heap[0]!.deadline_ns <= now_ns;
  }

  /** Removes and returns the earliest timer if it is due by `now_ns`, else null. */
  popDue(now_ns: number): Timer<S> | null {
    const top = this.heap[0];
    if (top === undefined || top.deadline_ns > now_ns) return null;
    this.remove(top.uid);
    return top;
  }

  clear(): void {
    for (const timer of this.heap) timer.index = -1;
    this.heap.length = 0;
    this.byUid.clear();
  }

  /** Every timer, in no particular order (for tests and reports). */
  entries(): readonly Timer<S>[] {
    return this.heap;
  }

  private up(i: number): void {
    const heap = this.heap;
    const timer = heap[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = heap[p]!;
      if (!before(timer, parent)) break;
      heap[i] = parent;
      parent.index = i;
      i = p;
    }
    heap[i] = timer;
    timer.index = i;
  }

  private down(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const timer = heap[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && before(heap[r]!, heap[l]!) ? r : l;
      const child = heap[c]!;
      if (!before(child, timer)) break;
      heap[i] = child;
      child.index = i;
      i = c;
    }
    heap[i] = timer;
    timer.index = i;
  }
}

function before<S>(a: Timer<S>, b: Timer<S>): boolean {
  return a.deadline_ns < b.deadline_ns || (a.deadline_ns === b.deadline_ns && a.order < b.order);
}
