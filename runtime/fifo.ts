/**
 * A first-in first-out queue on a growable ring buffer: O(1) push and shift with no
 * allocation per element, which `Array.prototype.shift` cannot promise.
 *
 * Plain fields, no `#private` and no getter: the scheduler touches two of these every
 * turn, and inside QuickJS a getter or a private field costs twice a plain read.
 */
export class Fifo<T> {
  /** Number of items; read it, never write it. */
  length = 0;
  // Filled, not holey: QuickJS keeps a holey array as a slow dictionary (4x slower here).
  private items: (T | undefined)[] = new Array<T | undefined>(16).fill(undefined);
  private head = 0;

  push(item: T): void {
    let items = this.items;
    if (this.length === items.length) items = this.grow();
    items[(this.head + this.length) & (items.length - 1)] = item;
    this.length++;
  }

  /** Removes and returns the oldest item; `undefined` when empty. */
  shift(): T | undefined {
    if (this.length === 0) return undefined;
    const items = this.items;
    const item = items[this.head];
    items[this.head] = undefined; // let the GC have it
    this.head = (this.head + 1) & (items.length - 1);
    this.length--;
    return item;
  }

  /** Calls `fn` on each item, oldest first. */
  forEach(fn: (item: T) => void): void {
    const mask = this.items.length - 1;
    for (let i = 0; i < this.length; i++) fn(this.items[(this.head + i) & mask] as T);
  }

  private grow(): (T | undefined)[] {
    // Capacity stays a power of two so that indices wrap with a mask.
    const capacity = this.items.length;
    const next = new Array<T | undefined>(capacity * 2).fill(undefined);
    for (let i = 0; i < this.length; i++) next[i] = this.items[(this.head + i) & (capacity - 1)];
    this.items = next;
    this.head = 0;
    return next;
  }
}
