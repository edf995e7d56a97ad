// Sequence: Miou's mutable doubly linked list. Reference §1.1 (Sequence row): create, take dir,
// peek_node dir, add dir (returns the node), drop, length, exists, iter (from the Left),
// iter_node, is_empty, remove (no-op if already removed), data, to_list, Empty.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import * as Miou from "../../runtime/index.js";

describe("Sequence", () => {
  test("add at both ends; iteration and toList run from the left", () => {
    const s = Miou.Sequence.create<number>();
    expect(s.isEmpty()).toBe(true);
    s.add("right", 1);
    s.add("right", 2);
    s.add("left", 0);
    s.add("left", -1);
    expect(s.toList()).toEqual([-1, 0, 1, 2]);
    const seen: number[] = [];
    s.iter((x) => seen.push(x));
    expect(seen).toEqual([-1, 0, 1, 2]);
    expect(s.length()).toBe(4);
    expect(s.isEmpty()).toBe(false);
    expect(s.exists((x) => x === 1)).toBe(true);
    expect(s.exists((x) => x === 7)).toBe(false);
  });

  test("take and peekNode at each end", () => {
    const s = Miou.Sequence.create<string>();
    for (const x of ["a", "b", "c"]) s.add("right", x);
    expect(Miou.Sequence.data(s.peekNode("left"))).toBe("a");
    expect(Miou.Sequence.data(s.peekNode("right"))).toBe("c");
    expect(s.take("left")).toBe("a");
    expect(s.take("right")).toBe("c");
    expect(s.toList()).toEqual(["b"]);
    expect(s.take("right")).toBe("b");
    expect(s.isEmpty()).toBe(true);
  });

  test("Empty from take and peekNode on an empty sequence", () => {
    const s = Miou.Sequence.create<number>();
    expect(() => s.take("left")).toThrow(Miou.Empty);
    expect(() => s.take("right")).toThrow(Miou.Empty);
    expect(() => s.peekNode("left")).toThrow(Miou.Empty);
    expect(() => s.peekNode("right")).toThrow(Miou.Empty);
  });

  test("add returns the node; remove unlinks it; removing it again does nothing", () => {
    const s = Miou.Sequence.create<number>();
    s.add("right", 1);
    const n2 = s.add("right", 2);
    s.add("right", 3);
    expect(Miou.Sequence.data(n2)).toBe(2);
    s.remove(n2);
    expect(s.toList()).toEqual([1, 3]);
    s.remove(n2);
    expect(s.toList()).toEqual([1, 3]);
    expect(s.length()).toBe(2);
  });

  test("iterNode may remove the node it is given; drop empties the sequence", () => {
    const s = Miou.Sequence.create<number>();
    for (let i = 0; i < 6; i++) s.add("right", i);
    s.iterNode((node) => {
      if (Miou.Sequence.data(node) % 2 === 0) s.remove(node);
    });
    expect(s.toList()).toEqual([1, 3, 5]);
    s.drop();
    expect(s.isEmpty()).toBe(true);
    expect(s.length()).toBe(0);
    expect(s.toList()).toEqual([]);
  });

  test("property: behaves like an array model under random operations", () => {
    type Op =
      | { k: "add"; dir: "left" | "right"; v: number }
      | { k: "take"; dir: "left" | "right" }
      | { k: "remove"; i: number }
      | { k: "drop" };
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 5, arbitrary: fc.record({ k: fc.constant<"add">("add"), dir: fc.constantFrom<"left" | "right">("left", "right"), v: fc.integer() }) },
      { weight: 2, arbitrary: fc.record({ k: fc.constant<"take">("take"), dir: fc.constantFrom<"left" | "right">("left", "right") }) },
      { weight: 2, arbitrary: fc.record({ k: fc.constant<"remove">("remove"), i: fc.nat(50) }) },
      { weight: 1, arbitrary: fc.record({ k: fc.constant<"drop">("drop") }) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 150 }), (ops) => {
        const s = Miou.Sequence.create<number>();
        // The model keeps [value, node] pairs, left to right; `all` keeps every node ever made.
        let model: Array<{ v: number; node: ReturnType<typeof s.add> }> = [];
        const all: Array<ReturnType<typeof s.add>> = [];
        for (const o of ops) {
          if (o.k === "add") {
            const node = s.add(o.dir, o.v);
            all.push(node);
            if (o.dir === "left") model.unshift({ v: o.v, node });
            else model.push({ v: o.v, node });
          } else if (o.k === "take") {
            if (model.length === 0) expect(() => s.take(o.dir)).toThrow(Miou.Empty);
            else expect(s.take(o.dir)).toBe((o.dir === "left" ? model.shift() : model.pop())!.v);
          } else if (o.k === "remove") {
            if (all.length === 0) continue;
            // Any node ever added, possibly already removed (then a no-op).
            const node = all[o.i % all.length]!;
            s.remove(node);
            model = model.filter((e) => e.node !== node);
          } else {
            s.drop();
            model = [];
          }
          expect(s.toList()).toEqual(model.map((e) => e.v));
          expect(s.length()).toBe(model.length);
          expect(s.isEmpty()).toBe(model.length === 0);
        }
      }),
      { numRuns: 200 },
    );
  });
});
