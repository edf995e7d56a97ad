import { afterEach, describe, expect, it } from "vitest";
import { createGuest, ENGINES, GuestError, type Guest, type GuestOptions } from "../../platform/node/create-guest.js";

// A stand-in for dist/miou.js, which these tests must not need: like the real bundle it
// takes a host function, removes it from the global scope, and defines one global.
const BUNDLE = `
  const hostEcho = globalThis.echo;
  delete globalThis.echo;
  globalThis.Probe = { version: 1, echo: (...args) => hostEcho(...args) };
`;

const guests: Guest[] = [];
afterEach(() => {
  for (const guest of guests.splice(0)) guest.dispose();
});

describe.each(ENGINES)("a guest on %s", (engine) => {
  async function start(options: Partial<GuestOptions> = {}): Promise<Guest> {
    const guest = await createGuest(engine, { bundle: BUNDLE, ...options });
    guests.push(guest);
    return guest;
  }

  it("sees the globals the bundle defines, and not the host functions it removed", async () => {
    const guest = await start({ hostFunctions: { echo: () => undefined } });
    expect(guest.engine).toBe(engine);
    expect(guest.evalJSON("typeof Probe", "probe.js")).toBe("object");
    expect(guest.evalJSON("Probe.version", "probe.js")).toBe(1);
    expect(guest.evalJSON("typeof echo", "probe.js")).toBe("undefined");
  });

  it("keeps state between scripts", async () => {
    const guest = await start();
    guest.evalScript("var counter = 40; globalThis.bump = () => ++counter;", "setup.js");
    guest.evalScript("bump()", "bump.js");
    expect(guest.evalJSON("bump()", "read.js")).toBe(42);
  });

  it("returns completion values through JSON", async () => {
    const guest = await start();
    expect(guest.evalJSON("({ a: [1, 'two', { three: null }], b: true })", "object.js")).toEqual({
      a: [1, "two", { three: null }],
      b: true,
    });
    expect(guest.evalJSON("[1, [2, [3]]]", "array.js")).toEqual([1, [2, [3]]]);
    expect(guest.evalJSON("'h\\u00e9llo \\u2713'", "string.js")).toBe("héllo ✓");
    expect(guest.evalJSON("undefined", "undefined.js")).toBeUndefined();
    expect(guest.evalJSON("var x = 1", "statement.js")).toBeUndefined();
    expect(guest.evalJSON("(function () {})", "function.js")).toBeUndefined();
    expect(guest.evalJSON("({ toJSON: () => 'custom' })", "tojson.js")).toBe("custom");
  });

  it("passes JSON arguments to a host function and its result back", async () => {
    const received: unknown[][] = [];
    const echo = (...args: unknown[]) => {
      received.push(args);
      return { got: args.length, first: args[0] };
    };
    const guest = await start({ hostFunctions: { echo } });
    const result = guest.evalJSON("const r = Probe.echo({ x: [1, 2] }, 'y', undefined); [r, Array.isArray(r.first.x)]", "echo.js");
    expect(received).toEqual([[{ x: [1, 2] }, "y", undefined]]);
    // Plain host values, not objects of the guest's realm.
    expect(Object.getPrototypeOf(received[0]![0])).toBe(Object.prototype);
    expect(result).toEqual([{ got: 3, first: { x: [1, 2] } }, true]);
  });

  it("gives undefined to the guest when a host function returns nothing", async () => {
    const guest = await start({ hostFunctions: { nothing: () => undefined } });
    expect(guest.evalJSON("[typeof nothing(), nothing() === undefined]", "nothing.js")).toEqual(["undefined", true]);
  });

  it("brings a guest throw back as a GuestError with name, message and guest stack", async () => {
    const guest = await start();
    let caught: unknown;
    try {
      guest.evalScript("function thrower() { throw new RangeError('x'); }\nthrower();", "throw.js");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GuestError);
    const error = caught as GuestError;
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("RangeError");
    expect(error.message).toBe("x");
    expect(error.guestStack).toContain("thrower");
    expect(error.guestStack).toContain("throw.js");
  });

  it("keeps a custom error name set by the guest", async () => {
    const guest = await start();
    const run = () => guest.evalScript("class Boom extends Error { constructor(m) { super(m); this.name = 'Boom'; } }\nthrow new Boom('bang')", "boom.js");
    expect(run).toThrow(expect.objectContaining({ name: "Boom", message: "bang" }));
  });

  it("reports a syntax error in guest code as a GuestError", async () => {
    const guest = await start();
    expect(() => guest.evalScript("let = = 1", "bad.js")).toThrow(expect.objectContaining({ name: "SyntaxError" }));
  });

  it("rejects a bundle that throws while loading", async () => {
    await expect(start({ bundle: "throw new TypeError('bad bundle')" })).rejects.toThrow(
      expect.objectContaining({ name: "TypeError", message: "bad bundle" }),
    );
  });

  it("surfaces a throwing host function as a guest Error the guest can catch", async () => {
    const fail = () => {
      throw new TypeError("host says no");
    };
    const guest = await start({ hostFunctions: { fail } });
    const seen = guest.evalJSON("try { fail(); 'not thrown' } catch (e) { [e instanceof Error, e.name, e.message] }", "catch.js");
    expect(seen).toEqual([true, "TypeError", "host says no"]);
    expect(() => guest.evalScript("fail()", "uncaught.js")).toThrow(
      expect.objectContaining({ name: "TypeError", message: "host says no" }),
    );
  });

  it("fails deep recursion cleanly with a stack overflow, and keeps working", async () => {
    const guest = await start();
    const recurse = () => guest.evalScript("function f(n) { return n ? f(n - 1) + 1 : 0; }\nf(1e6);", "deep.js");
    expect(recurse).toThrow(GuestError);
    expect(recurse).toThrow(/stack/i);
    expect(guest.evalJSON("f(100)", "shallow.js")).toBe(100);
    const next = await start();
    expect(next.evalJSON("Probe.version", "next.js")).toBe(1);
  });

  it("can be disposed twice, and not used after", async () => {
    const guest = await start();
    guest.dispose();
    guest.dispose();
    expect(() => guest.evalJSON("1", "late.js")).toThrow(/disposed/);
  });

  it("has no host globals: no require, process, console, timers or real clock", async () => {
    const guest = await start();
    const names = ["require", "process", "module", "Buffer", "console", "setTimeout", "setInterval",
      "setImmediate", "queueMicrotask", "performance", "WebAssembly"];
    const types = guest.evalJSON(`${JSON.stringify(names)}.map((name) => typeof globalThis[name])`, "globals.js");
    expect(types).toEqual(names.map(() => "undefined"));
  });
});

describe("QuickJS limits", () => {
  it("refuses a guest stack above 64 KiB on Node's main thread", async () => {
    await expect(createGuest("quickjs", { bundle: BUNDLE, stackSizeBytes: 1 << 20 })).rejects.toThrow(RangeError);
    await expect(createGuest("quickjs-ng", { bundle: BUNDLE, stackSizeBytes: 0 })).rejects.toThrow(RangeError);
  });

  it("stops a guest that goes over its memory limit, and keeps working", async () => {
    const guest = await createGuest("quickjs", { bundle: BUNDLE, memoryLimitBytes: 4 << 20 });
    guests.push(guest);
    expect(() => guest.evalScript("let s = 'x'; for (;;) s += s;", "hog.js")).toThrow(GuestError);
    expect(guest.evalJSON("1 + 1", "after.js")).toBe(2);
  });
});
