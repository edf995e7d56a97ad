// Pqueue: a binary min-heap ordered by a comparison; Empty on an empty queue. Reference §1.1.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import * as Miou from "../../runtime/index.js";

describe("Pqueue", () => {
  test("extracts in ascending order of the comparison", () => {
    const q = Miou.Pqueue.create((a: number, b: number) => a - b);
    for (const x of [5, 1, 4, 1, 9, 2, 6]) q.insert(x);
    expect(q.size()).toBe(7);
    expect(q.findMin()).toBe(1);
    expect(q.findMinExn()).toBe(1);
    const out: number[] = [];
    while (!q.isEmpty()) out.push(q.extractMinExn());
    expect(out).toEqual([1, 1, 2, 4, 5, 6, 9]);
    expect(q.size()).toBe(0);
  });

  test("a reversed comparison makes a max-heap; objects with keys", () => {
    const q = Miou.Pqueue.create((a: { k: number }, b: { k: number }) => b.k - a.k);
    for (const k of [3, 8, 1]) q.insert({ k });
    expect(q.extractMinExn().k).toBe(8);
    q.deleteMinExn();
    expect(q.findMinExn().k).toBe(1);
  });

  test("Empty from findMinExn, extractMinExn and deleteMinExn on an empty queue; findMin is undefined", () => {
    const q = Miou.Pqueue.create((a: number, b: number) => a - b);
    expect(q.isEmpty()).toBe(true);
    expect(q.findMin()).toBeUndefined();
    expect(() => q.findMinExn()).toThrow(Miou.Empty);
    expect(() => q.extractMinExn()).toThrow(Miou.Empty);
    expect(() => q.deleteMinExn()).toThrow(Miou.Empty);
    q.insert(1);
    q.extractMinExn();
    expect(() => q.extractMinExn()).toThrow(Miou.Empty);
  });

  test("iter visits every element once", () => {
    const q = Miou.Pqueue.create((a: number, b: number) => a - b);
    for (const x of [3, 1, 2, 3]) q.insert(x);
    const seen: number[] = [];
    q.iter((x) => seen.push(x));
    expect(seen.sort()).toEqual([1, 2, 3, 3]);
  });

  test("property: any interleaving of inserts and extracts behaves like a sorted multiset", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: -50, max: 50 }), fc.constant<"pop">("pop")), { maxLength: 200 }), (ops) => {
        const q = Miou.Pqueue.create((a: number, b: number) => a - b);
        const model: number[] = [];
        for (const op of ops) {
          if (op === "pop") {
            if (model.length === 0) {
              expect(() => q.extractMinExn()).toThrow(Miou.Empty);
            } else {
              model.sort((a, b) => a - b);
              expect(q.extractMinExn()).toBe(model.shift());
            }
          } else {
            q.insert(op);
            model.push(op);
          }
          expect(q.size()).toBe(model.length);
          expect(q.findMin()).toBe(model.length === 0 ? undefined : Math.min(...model));
        }
      }),
      { numRuns: 200 },
    );
  });
});
