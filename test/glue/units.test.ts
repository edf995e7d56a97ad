// The glue's small parts on their own: the timer heap, the uid index and base64.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesOf, decodeBase64, encodeBase64, toGuestData } from "../../platform/bytes.js";
import { TimerHeap } from "../../platform/timer-heap.js";
import { UidIndex } from "../../platform/uid-index.js";

describe("TimerHeap", () => {
  it("pops due timers by (deadline, registration order) and removes cancelled ones outright", () => {
    const heap = new TimerHeap<string>();
    heap.add(1, "late", 30, 1);
    heap.add(2, "tie-first", 10, 2);
    heap.add(3, "cancelled", 5, 3);
    heap.add(4, "tie-second", 10, 4);
    expect(heap.remove(3)).toBe(true);
    expect(heap.remove(3)).toBe(false);
    expect(heap.size).toBe(3);
    expect(heap.earliest()).toBe(10);
    expect(heap.popDue(9)).toBeNull();
    expect(heap.popDue(10)?.syscall).toBe("tie-first");
    expect(heap.popDue(10)?.syscall).toBe("tie-second");
    expect(heap.popDue(10)).toBeNull();
    expect(heap.popDue(100)?.syscall).toBe("late");
    expect(heap.size).toBe(0);
    expect(heap.earliest()).toBeNull();
  });

  it("stays a heap under any mix of adds and removals", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.boolean())), (ops) => {
        const heap = new TimerHeap<number>();
        const live = new Map<number, [number, number]>();
        ops.forEach(([deadline, removeOne], uid) => {
          heap.add(uid, uid, deadline, uid);
          live.set(uid, [deadline, uid]);
          if (removeOne) {
            const victim = [...live.keys()][Math.floor(live.size / 2)]!;
            expect(heap.remove(victim)).toBe(true);
            live.delete(victim);
          }
        });
        const expected = [...live.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, order]) => order);
        const popped: number[] = [];
        for (let t = heap.popDue(Infinity); t !== null; t = heap.popDue(Infinity)) popped.push(t.order);
        expect(popped).toEqual(expected);
      }),
    );
  });
});

describe("UidIndex", () => {
  interface Entry {
    readonly uid: number;
    chain: Entry | null;
  }
  const entry = (uid: number): Entry => ({ uid, chain: null });

  it("finds entries whose uids share a bucket, and removes one from the middle of a chain", () => {
    const index = new UidIndex<Entry>();
    // 16 buckets at first: 1, 17 and 33 chain together; 2^32 + 1 wraps to bucket 1 as well.
    const [a, b, c, far] = [entry(1), entry(17), entry(33), entry(2 ** 32 + 1)];
    for (const e of [a, b, c, far]) index.add(e);
    expect(index.size).toBe(4);
    expect(index.delete(17)).toBe(b);
    expect(b.chain).toBeNull();
    expect(index.delete(17)).toBeUndefined();
    expect([index.get(1), index.get(33), index.get(2 ** 32 + 1), index.get(17)]).toEqual([a, c, far, undefined]);
    expect(index.size).toBe(3);
    expect(() => index.add(entry(33))).toThrow(/uid indexed twice: 33/);
  });

  it("agrees with a Map under any mix of adds and deletes, across resizes", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.oneof(fc.nat(200), fc.nat({ max: Number.MAX_SAFE_INTEGER })))), (ops) => {
        const index = new UidIndex<Entry>();
        const model = new Map<number, Entry>();
        for (const [add, uid] of ops) {
          if (add && !model.has(uid)) {
            const e = entry(uid);
            index.add(e);
            model.set(uid, e);
          } else if (!add) {
            expect(index.delete(uid)).toBe(model.get(uid));
            model.delete(uid);
          }
        }
        expect(index.size).toBe(model.size);
        for (const [uid, e] of model) expect(index.get(uid)).toBe(e);
        expect(new Set(index.values())).toEqual(new Set(model.values()));
      }),
    );
  });
});

describe("base64", () => {
  it("decodes RFC 4648 vectors, with or without padding", () => {
    const vectors: Array<[string, string]> = [["", ""], ["Zg==", "f"], ["Zm8=", "fo"], ["Zm9v", "foo"], ["Zm9vYg==", "foob"], ["Zm9vYmE=", "fooba"], ["Zm9vYmFy", "foobar"], ["Zm9vYg", "foob"]];
    for (const [b64, text] of vectors) expect(new TextDecoder().decode(decodeBase64(b64))).toBe(text);
  });

  it("rejects what is not base64", () => {
    for (const bad of ["Z", "Zm9v!", "Zg=", "Z===", "Zm9v\n"]) expect(() => decodeBase64(bad)).toThrow(TypeError);
  });

  it("round-trips any bytes, and agrees with Node's encoder", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const text = encodeBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString("base64"));
        expect(new Uint8Array(decodeBase64(text))).toEqual(bytes);
      }),
    );
  });

  it("reads bytes from any view, and only `{ base64 }` exactly is bytes in JSON", () => {
    expect(bytesOf(new DataView(new Uint8Array([1, 2, 3]).buffer, 1, 1))).toEqual(new Uint8Array([2]));
    expect(bytesOf([1, 2])).toBeNull();
    expect(toGuestData({ base64: "AQ==", extra: 1 })).toEqual({ json: { base64: "AQ==", extra: 1 } });
    expect(toGuestData({ base64: 1 })).toEqual({ json: { base64: 1 } });
  });

  it("gives the guest what JSON would give back, whatever the value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 0, 1.5, "", "\ud800", true, null), (json, odd) => {
        for (const value of [json, odd, [odd], { odd }]) {
          expect(toGuestData(value)).toEqual({ json: JSON.parse(JSON.stringify(value)) });
        }
      }),
    );
    expect(Object.is((toGuestData(-0) as { json: unknown }).json, 0)).toBe(true);
  });
});
