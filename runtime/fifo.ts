/**
 * A first-in first-out queue on a growable ring buffer: O(1) push and shift with no
 * allocation per element, which `Array.prototype.shift` cannot promise.
 */
export class Fifo<T> {
  // Filled, not holey: QuickJS keeps a holey array as a slow dictionary (4x slower here).
  #items: (T | undefined)[] = new Array<T | undefined>(16).fill(undefined);
  #head = 0;
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(item: T): void {
    const capacity = this.#items.length;
    if (this.#length === capacity) this.#grow(capacity);
    this.#items[(this.#head + this.#length) & (this.#items.length - 1)] = item;
    this.#length++;
  }

  /** Removes and returns the oldest item; `undefined` when empty. */
  shift(): T | undefined {
    if (this.#length === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined; // let the GC have it
    this.#head = (this.#head + 1) & (this.#items.length - 1);
    this.#length--;
    return item;
  }

  /** Calls `fn` on each item, oldest first. */
  forEach(fn: (item: T) => void): void {
    const mask = this.#items.length - 1;
    for (let i = 0; i < this.#length; i++) fn(this.#items[(this.#head + i) & mask] as T);
  }

  #grow(capacity: number): void {
    // Capacity stays a power of two so that indices wrap with a mask.
    const next = new Array<T | undefined>(capacity * 2).fill(undefined);
    for (let i = 0; i < this.#length; i++) next[i] = this.#items[(this.#head + i) & (capacity - 1)];
    this.#items = next;
    this.#head = 0;
  }
}
