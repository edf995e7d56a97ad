// Output (DESIGN §4): Miou.send and the bundle's console buffer records that travel on the
// next host select, and a final poll flushes what is left when the run ends.
import { describe, expect, it } from "vitest";
import { guestConsole } from "../../platform/console.js";
import { formatArgs } from "../../platform/format.js";
import * as Miou from "../../platform/miou.js";
import { traceLines, virtualHost } from "./virtual-host.js";

const S = 1_000_000_000;

describe("Miou.send and console.log", () => {
  it("go out on the next host select, in order", () => {
    const host = virtualHost();
    Miou.runOn(host, function* () {
      Miou.send("net0", { seq: 1 });
      guestConsole.log("hello", 42);
      yield* Miou.sleep(1000);
      Miou.send("net0", "after");
    });
    expect(host.selects[0]).toEqual({
      deadline: 1 * S,
      at: 0,
      now: 1 * S,
      events: 0,
      out: [
        { sink: "net0", data: { seq: 1 } },
        { sink: "stdout", data: "hello 42" },
      ],
    });
    expect(host.sent.at(-1)).toEqual({ sink: "net0", data: "after" });
  });

  it("are flushed at the end by a final poll (a select with a deadline not after now)", () => {
    const host = virtualHost();
    Miou.runOn(host, function* () {
      guestConsole.log("only line");
      guestConsole.error("oops");
      return 1;
    });
    expect(host.calls.at(-1)).toBe("select");
    const last = host.selects.at(-1)!;
    expect(last.deadline).not.toBeNull();
    expect(last.deadline!).toBeLessThanOrEqual(last.now);
    expect(last.out).toEqual([
      { sink: "stdout", data: "only line" },
      { sink: "stderr", data: "oops" },
    ]);
  });

  it("are flushed at the end of a failed run too", () => {
    const host = virtualHost();
    expect(() =>
      Miou.runOn(host, function* () {
        Miou.send("log", "before the failure");
        throw new RangeError("boom");
      }),
    ).toThrow(RangeError);
    expect(host.sent).toEqual([{ sink: "log", data: "before the failure" }]);
  });

  it("send copies JSON data when called and sends bytes as base64", () => {
    const host = virtualHost();
    Miou.runOn(host, function* () {
      const data = { n: 1 };
      Miou.send("net0", data);
      data.n = 2; // too late: the record was taken
      Miou.send("net0", new Uint8Array([0, 1, 2, 255]));
      Miou.send("net0", new Uint8Array([104, 105]).buffer);
    });
    expect(host.sent).toEqual([
      { sink: "net0", data: { n: 1 } },
      { sink: "net0", data: { base64: "AAEC/w==" } },
      { sink: "net0", data: { base64: "aGk=" } },
    ]);
  });

  it("send rejects what is neither JSON nor bytes, and a sink that is not a string", () => {
    const results = Miou.runOn(virtualHost(), function* () {
      const names: string[] = [];
      for (const [sink, data] of [["s", () => 1], ["s", 10n], [1, "x"], ["s", undefined]] as const) {
        try {
          Miou.send(sink as string, data);
          names.push("sent");
        } catch (error) {
          names.push((error as Error).name);
        }
      }
      return names;
    });
    expect(results).toEqual(["TypeError", "TypeError", "TypeError", "TypeError"]);
  });

  it("are traced: an `out` record per send, a `log` record per console line", () => {
    const tr = traceLines();
    Miou.runOn(virtualHost(), function* () {
      Miou.send("net0", [1, "two"]);
      guestConsole.warn("careful", { a: 1 });
    }, { trace: tr.trace });
    const glue = tr.lines.filter((l) => l.includes('"kind":"out"') || l.includes('"kind":"log"'));
    expect(glue.map((l) => l.replace(/^\{"seq":\d+,/, "{"))).toEqual([
      '{"t":0,"kind":"out","sink":"net0","data":[1,"two"]}',
      '{"t":0,"kind":"log","sink":"stderr","text":"careful { a: 1 }"}',
    ]);
  });

  it("a line logged outside any run goes out on the next run's first select", () => {
    guestConsole.log("before the run");
    const host = virtualHost();
    Miou.runOn(host, function* () {});
    expect(host.sent).toEqual([{ sink: "stdout", data: "before the run" }]);
  });
});

describe("console formatting", () => {
  it("formats like Node for the common cases, the same on every engine", () => {
    expect(formatArgs(["a", 1, -0, true, null, undefined, 12n])).toBe("a 1 -0 true null undefined 12n");
    expect(formatArgs([[1, "x", [2, [3, [4]]]]])).toBe("[ 1, 'x', [ 2, [ 3, [Array] ] ] ]");
    expect(formatArgs([{ a: 1, "b-c": "d", e: {} }])).toBe("{ a: 1, 'b-c': 'd', e: {} }");
    expect(formatArgs([[]])).toBe("[]");
    expect(formatArgs([new RangeError("bad")])).toBe("RangeError: bad");
    expect(formatArgs([function named() {}, () => 0])).toBe("[Function: named] [Function (anonymous)]");
    expect(formatArgs([new Map([["k", 1]]), new Set([1, 2])])).toBe("Map(1) { 'k' => 1 } Set(2) { 1, 2 }");
    expect(formatArgs([new Uint8Array([1, 2]), new ArrayBuffer(3)])).toBe("Uint8Array(2) [ 1, 2 ] ArrayBuffer { byteLength: 3 }");
    expect(formatArgs([Symbol("s"), "it's"])).toBe("Symbol(s) it's");
    expect(formatArgs([["it's"]])).toBe("[ 'it\\'s' ]");
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    expect(formatArgs([new Point(1, 2)])).toBe("Point { x: 1, y: 2 }");
  });

  it("marks cycles and cuts long lists", () => {
    const o: Record<string, unknown> = { name: "o" };
    o.self = o;
    expect(formatArgs([o])).toBe("{ name: 'o', self: [Circular] }");
    const long = Array.from({ length: 102 }, (_, i) => i);
    expect(formatArgs([long]).endsWith("98, 99, ... 2 more items ]")).toBe(true);
  });

  it("substitutes Node's format specifiers in a first string argument", () => {
    expect(formatArgs(["%s is %d years", "Bob", 42])).toBe("Bob is 42 years");
    expect(formatArgs(["%i|%f|%j", 3.9, "2.5x", { a: [1] }])).toBe('3|2.5|{"a":[1]}');
    expect(formatArgs(["100%% %o, %O", [1], { a: { b: { c: { d: 1 } } } }])).toBe("100% [ 1 ], { a: { b: { c: [Object] } } }");
    expect(formatArgs(["%c styled", "color: red"])).toBe(" styled");
    expect(formatArgs(["%d %d %i %d %s", -0, 12n, 12n, {}, -0])).toBe("-0 12n 12n NaN -0");
    expect(formatArgs(["%s and %s", { x: 1 }, Symbol("q")])).toBe("{ x: 1 } and Symbol(q)");
    // Arguments left over are appended; a substituted value is not scanned again.
    expect(formatArgs(["%s", "%s", "b", { x: 1 }])).toBe("%s b { x: 1 }");
    // Specifiers with no argument left, unknown ones and a lone % stay as written.
    expect(formatArgs(["%d and %s", 1])).toBe("1 and %s");
    expect(formatArgs(["%x %", 1])).toBe("%x % 1");
    expect(formatArgs(["a%", "b"])).toBe("a% b");
    // Only a first argument followed by others is a format.
    expect(formatArgs([5, "%s", 6])).toBe("5 %s 6");
    expect(formatArgs(["100%% %d"])).toBe("100%% %d");
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(formatArgs(["%j", cycle])).toBe("[Circular]");
    expect(() => formatArgs(["%j", { toJSON: () => { throw new TypeError("circular, but not JSON's"); } }])).toThrow("circular, but not JSON's");
    expect(() => formatArgs(["%j", 1n])).toThrow(TypeError);
  });

  it("gives %s an object's own toString, else the object one level deep; %i parses as parseInt", () => {
    class Named {
      toString(): string {
        return "named!";
      }
    }
    const primitive = { [Symbol.toPrimitive]: () => "prim" };
    expect(formatArgs(["%s|%s|%s", new Named(), primitive, { a: { b: 1 }, c: [1, [2]] }])).toBe("named!|prim|{ a: [Object], c: [Array] }");
    expect(formatArgs(["%s", [1, [2, [3]]]])).toBe("[ 1, [Array] ]");
    expect(formatArgs(["%s %s %s", null, undefined, true])).toBe("null undefined true");
    expect(formatArgs(["%i %i %d", "0x10", "12px", "12px"])).toBe("16 12 NaN");
  });

  it("never calls a getter, and formats odd objects instead of throwing", () => {
    expect(formatArgs([{ get x(): number { throw new Error("called"); }, set y(_: number) {}, z: 1 }])).toBe("{ x: [Getter], y: [Setter], z: 1 }");
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    class Odd {
      static get name(): never {
        return Symbol("odd") as never;
      }
    }
    const symbolName = Object.assign(new Error("m"), { name: Symbol("n") });
    const throwingName = Object.defineProperty(new Error("m"), "name", {
      get(): never {
        throw new Error("no name");
      },
    });
    expect(formatArgs([proxy, Object.create(Date.prototype), Object.create(Map.prototype), new Odd(), symbolName, throwingName])).toBe(
      "[unformattable object] Date {} [unformattable object] {} Symbol(n): m [unformattable object]",
    );
  });
});
