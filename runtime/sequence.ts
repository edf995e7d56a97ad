import { Empty } from "./errors.js";

/** Which end of a Sequence. */
export type Direction = "left" | "right";

/** A node of a Sequence; `remove` on a node already removed does nothing. */
export class SequenceNode<T> {
  prev: SequenceNode<T> | null = null;
  next: SequenceNode<T> | null = null;
  removed = false;

  constructor(
    readonly data: T,
    readonly owner: Sequence<T>,
  ) {}
}

/**
 * A mutable doubly linked list (Miou.Sequence). Iteration runs from the left end.
 * @example const s = Miou.Sequence.create(); const n = s.add("right", 1); s.remove(n);
 */
export class Sequence<T> {
  #left: SequenceNode<T> | null = null;
  #right: SequenceNode<T> | null = null;

  static create<T>(): Sequence<T> {
    return new Sequence<T>();
  }

  static readonly Empty = Empty;

  isEmpty(): boolean {
    return this.#left === null;
  }

  /** O(n), as in Miou. */
  length(): number {
    let n = 0;
    for (let node = this.#left; node !== null; node = node.next) n++;
    return n;
  }

  /** Adds `value` at one end and returns its node. */
  add(direction: Direction, value: T): SequenceNode<T> {
    const node = new SequenceNode(value, this);
    if (this.#left === null) {
      this.#left = this.#right = node;
    } else if (checkDirection(direction) === "left") {
      node.next = this.#left;
      this.#left.prev = node;
      this.#left = node;
    } else {
      node.prev = this.#right;
      this.#right!.next = node;
      this.#right = node;
    }
    return node;
  }

  /** Removes and returns the value at one end; throws Empty when empty. */
  take(direction: Direction): T {
    const node = this.peekNode(direction);
    this.remove(node);
    return node.data;
  }

  /** The node at one end; throws Empty when empty. */
  peekNode(direction: Direction): SequenceNode<T> {
    const node = checkDirection(direction) === "left" ? this.#left : this.#right;
    if (node === null) throw new Empty("Miou.Sequence.Empty");
    return node;
  }

  remove(node: SequenceNode<T>): void {
    if (!(node instanceof SequenceNode) || node.owner !== this) throw new TypeError("Miou.Sequence.remove: the node is not of this sequence");
    if (node.removed) return;
    node.removed = true;
    if (node.prev !== null) node.prev.next = node.next;
    else this.#left = node.next;
    if (node.next !== null) node.next.prev = node.prev;
    else this.#right = node.prev;
    node.prev = node.next = null;
  }

  /** Removes every element. */
  drop(): void {
    while (this.#left !== null) this.remove(this.#left);
  }

  exists(predicate: (value: T) => boolean): boolean {
    for (let node = this.#left; node !== null; node = node.next) if (predicate(node.data)) return true;
    return false;
  }

  iter(fn: (value: T) => void): void {
    this.iterNode((node) => fn(node.data));
  }

  /** Calls `fn` on every node from the left; `fn` may remove the node it is given. */
  iterNode(fn: (node: SequenceNode<T>) => void): void {
    for (let node = this.#left; node !== null; ) {
      const next: SequenceNode<T> | null = node.next;
      fn(node);
      node = next;
    }
  }

  toList(): T[] {
    const out: T[] = [];
    this.iter((value) => out.push(value));
    return out;
  }

  /** The value a node holds. */
  static data<T>(node: SequenceNode<T>): T {
    return node.data;
  }
}

function checkDirection(direction: Direction): Direction {
  if (direction !== "left" && direction !== "right") throw new TypeError(`Miou.Sequence: direction must be "left" or "right", got ${String(direction)}`);
  return direction;
}
