// Memory and stack limits (issue 5 §1): an out-of-memory or stack-overflow error that ends
// a task stops the guest with exit 4 at once, before an awaiting parent could see it;
// what program code catches itself is its own affair. The process goes on, disposing the
// guest does not abort, and a later guest runs.
import { describe, expect, test } from "vitest";
import { quickJSModule } from "../../platform/quickjs/loader.js";
import { linearMemoryBytes, type WasmMemory } from "../../platform/quickjs/memory-limit.js";
import { EMBEDDER_ENGINES, keptHost, runKept } from "./helpers.js";

// The parent would print what it caught: the stop must come first.
const PARENT = `
  function* main() {
    const p = yield* Miou.async(child);
    try {
      yield* Miou.awaitExn(p);
    } catch (e) {
      console.log("parent caught " + e.name);
    }
    return "parent went on";
  }`;

/** WebAssembly as these tests use it (the project's Node types leave it out). */
const Wasm = (globalThis as unknown as { WebAssembly: { Memory: { new (d: { initial: number }): WasmMemory; prototype: WasmMemory } } }).WebAssembly;

const HOG = `
  function* child() {
    const hoard = [];
    yield* Miou.yield();
    for (;;) hoard.push({ a: hoard.length, b: [hoard.length] });
  }` + PARENT;

const DEEP = `
  function deep(n) { return deep(n + 1) + 1; }
  function* child() {
    yield* Miou.yield();
    return deep(0);
  }` + PARENT;

describe.each(EMBEDDER_ENGINES)("limits on %s", (engine) => {
  test("a task that runs out of memory stops the guest before its parent sees the error", async () => {
    const { host, stdout } = keptHost();
    const r = await runKept({ engine, host, program: HOG, memoryLimitMB: 16 });
    expect(r.exitCode).toBe(4);
    expect(r.end.kind === "stopped" && r.end.error.message).toBe("guest ran out of memory (limit 16 MB)");
    expect(r.end.kind === "stopped" && r.end.error.reason).toBe("out-of-memory");
    expect(stdout).toEqual([]);
    expect(r.disposeError).toBeUndefined();
    const later = await runKept({ engine, host, program: `function* main() { return [1, 2, 3].map((x) => x * 2); }`, memoryLimitMB: 16 });
    expect(later.end).toEqual({ kind: "ok", valueJSON: "[2,4,6]" });
  });

  test("running out of memory at the program's top level stops the guest too", async () => {
    const { host } = keptHost();
    const program = `const hoard = []; for (;;) hoard.push({ a: hoard.length, b: [hoard.length] });`;
    const r = await runKept({ engine, host, program, memoryLimitMB: 16 });
    expect(r.exitCode).toBe(4);
    expect(r.end.kind === "stopped" && r.end.error.message).toBe("guest ran out of memory (limit 16 MB)");
    expect(r.disposeError).toBeUndefined();
  });

  // QuickJS's own limit counts each block as 8 bytes in these wasm builds (no
  // malloc_usable_size): without the embedder's guard this program grew the engine's
  // memory to about a gigabyte before anything stopped it.
  test.runIf(engine !== "node")("big strings and arrays count in full: the engine's memory grows by at most the limit", async () => {
    const module = await quickJSModule(engine as Exclude<typeof engine, "node">);
    const before = linearMemoryBytes(module);
    // A host call that grows another wasm memory past the limit: only the guest's own is refused.
    const { host: inner } = keptHost();
    const other = new Wasm.Memory({ initial: 1 });
    const host = { now: () => (other.grow(512), inner.now()), select: inner.select.bind(inner) };
    const program = `
      function* main() {
        const keep = [];
        for (;;) {
          keep.push("x".repeat(1 << 20) + keep.length, new Array(1 << 16).fill(keep.length));
          Miou.now();
          yield* Miou.yield();
        }
      }`;
    const r = await runKept({ engine, host, program, memoryLimitMB: 16 });
    expect(r.end.kind === "stopped" && r.end.error.message).toBe("guest ran out of memory (limit 16 MB)");
    expect(linearMemoryBytes(module) - before).toBeLessThanOrEqual(16 * 1024 * 1024);
    expect(other.buffer.byteLength).toBeGreaterThan(16 * 1024 * 1024);
    // The guard is gone with the guest.
    expect(Wasm.Memory.prototype.grow.name).toBe("grow");
  });

  test("a task that overflows its stack stops the guest before its parent sees the error", async () => {
    const { host, stdout } = keptHost();
    const r = await runKept({ engine, host, program: DEEP });
    expect(r.exitCode).toBe(4);
    expect(r.end.kind === "stopped" && r.end.error.message).toBe("guest overflowed its stack");
    expect(r.end.kind === "stopped" && r.end.error.reason).toBe("stack-overflow");
    expect(stdout).toEqual([]);
    expect(r.disposeError).toBeUndefined();
    const later = await runKept({ engine, host, program: `function* main() { yield* Miou.yield(); return "fine"; }` });
    expect(later.end).toEqual({ kind: "ok", valueJSON: '"fine"' });
  });

  test("a stack overflow the program catches itself is its own affair", async () => {
    const { host, stdout } = keptHost();
    const program = `
      function deep(n) { return deep(n + 1) + 1; }
      function* main() {
        try { deep(0); } catch (e) { console.log("caught it"); }
        yield* Miou.yield();
        return "still running";
      }`;
    const r = await runKept({ engine, host, program });
    expect(r.end).toEqual({ kind: "ok", valueJSON: '"still running"' });
    expect(stdout).toEqual(["caught it\n"]);
  });

  // The core's `fatal` option ends the run inside the failing task's slice: the task never
  // finishes as far as the scheduler is concerned, and no later decision is made.
  test("the trace ends with the failing task's slice: no finish, no end, no parent resumed", async () => {
    const { host } = keptHost();
    const r = await runKept({ engine, host, program: DEEP });
    const last = JSON.parse(r.lines.at(-1)!) as { kind: string; task: number; then: string };
    expect([last.kind, last.task, last.then]).toEqual(["ran", 2, "done"]);
    const kinds = r.lines.map((line) => JSON.parse(line) as { kind: string; task?: number });
    expect(kinds.filter((k) => k.kind === "finish" || k.kind === "end")).toEqual([]);
    expect(kinds.filter((k) => k.kind === "wake" && k.task === 1)).toEqual([]);
  });
});

describe.each(["quickjs", "quickjs-ng"] as const)("QuickJS guests on %s", (engine) => {
  test("a stopped guest's wasm module is thrown away: the next guest gets a fresh one", async () => {
    const { host } = keptHost();
    const before = quickJSModule(engine);
    await runKept({ engine, host, program: `function* main() { yield* Miou.yield(); return 1; }` });
    expect(quickJSModule(engine)).toBe(before);
    const r = await runKept({ engine, host, program: DEEP });
    expect(r.end.kind).toBe("stopped");
    const fresh = quickJSModule(engine);
    expect(fresh).not.toBe(before);
    expect(await fresh).not.toBe(await before);
  });

  test("more than 64 KiB of guest stack needs a worker", async () => {
    const { host } = keptHost();
    await expect(runKept({ engine, host, program: DEEP, stackSizeBytes: 256 * 1024 })).rejects.toThrow(/worker/);
  });

  test("a guest in a worker gets a larger stack, and overflows it the same way", async () => {
    const { host } = keptHost();
    const depth = `
      function depth(n) { try { return depth(n + 1); } catch (e) { return n; } }
      function* main() { return depth(0); }`;
    const small = await runKept({ engine, host, program: depth });
    const large = await runKept({ engine, host, program: depth, worker: true, stackSizeBytes: 1024 * 1024 });
    expect(small.end.kind).toBe("ok");
    expect(large.end.kind).toBe("ok");
    const frames = (r: typeof small) => (r.end.kind === "ok" ? Number(r.end.valueJSON) : 0);
    expect(frames(large)).toBeGreaterThan(8 * frames(small));
    const stopped = await runKept({ engine, host, program: DEEP, worker: true, stackSizeBytes: 1024 * 1024 });
    expect(stopped.end.kind === "stopped" && stopped.end.error.message).toBe("guest overflowed its stack");
  });
});
