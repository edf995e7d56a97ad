import { Empty } from "./errors.js";

/**
 * A binary min-heap ordered by `compare` (Miou.Pqueue). Equal elements come out in no
 * particular order: add a sequence number to the key when order matters.
 * @example const q = Miou.Pqueue.create((a, b) => a - b); q.insert(3); q.insert(1); q.extractMinExn(); // 1
 */
export class Pqueue<T> {
  readonly #heap: T[] = [];

  constructor(readonly compare: (a: T, b: T) => number) {
    if (typeof compare !== "function") throw new TypeError("Miou.Pqueue.create: expected a comparison function");
  }

  static create<T>(compare: (a: T, b: T) => number): Pqueue<T> {
    return new Pqueue(compare);
  }

  static readonly Empty = Empty;

  isEmpty(): boolean {
    return this.#heap.length === 0;
  }

  size(): number {
    return this.#heap.length;
  }

  /** The smallest element, or undefined when empty. */
  findMin(): T | undefined {
    return this.#heap[0];
  }

  /** The smallest element; throws Empty when empty. */
  findMinExn(): T {
    if (this.#heap.length === 0) throw new Empty("Miou.Pqueue.Empty");
    return this.#heap[0]!;
  }

  /** Removes the smallest element; throws Empty when empty. */
  deleteMinExn(): void {
    this.extractMinExn();
  }

  /** Removes and returns the smallest element; throws Empty when empty. */
  extractMinExn(): T {
    const heap = this.#heap;
    if (heap.length === 0) throw new Empty("Miou.Pqueue.Empty");
    const min = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) this.#siftDown(last);
    return min;
  }

  insert(value: T): void {
    const heap = this.#heap;
    let i = heap.length;
    heap.push(value);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.compare(heap[parent]!, value) <= 0) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = value;
  }

  /** Calls `fn` on every element, in no particular order. */
  iter(fn: (value: T) => void): void {
    for (const value of this.#heap) fn(value);
  }

  /** Places `value` from the root down (the root slot is free). */
  #siftDown(value: T): void {
    const heap = this.#heap;
    const n = heap.length;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.compare(heap[child + 1]!, heap[child]!) < 0) child++;
      if (this.compare(value, heap[child]!) <= 0) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = value;
  }
}
