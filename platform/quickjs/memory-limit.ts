/**
 * The guest's memory limit as the QuickJS wasm builds can keep it. QuickJS's own limit
 * (`setMemoryLimit`) checks each allocation's size against it, but these builds count
 * every block as 8 bytes (emscripten has no `malloc_usable_size`: quickjs-emscripten issue
 * 271), so retained arrays and strings never add up to it. What does add up is the wasm
 * module's linear memory: while a guest runs, its module's memory may not grow more than
 * the limit past its size when the guest started. A growth that would is refused, so the
 * allocation behind it fails and QuickJS raises its own `out of memory`, at the very
 * allocation, as it does with a working limit.
 *
 * The refusal sits in `WebAssembly.Memory.prototype.grow`, patched while at least one
 * limited guest runs in this thread and restored after the last; it refuses only growths
 * of a limited guest's own memory. Space that earlier guests freed in the same module can
 * be used on top of the limit (a module is replaced after a guest it stopped).
 */
import type { QuickJSWASMModule } from "quickjs-emscripten-core";

const WASM_PAGE_BYTES = 65536;

/** What this module uses of a `WebAssembly.Memory` (the project's Node types leave WebAssembly out). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(delta: number): number;
}
const MEMORY_PROTOTYPE = (globalThis as unknown as { WebAssembly: { Memory: { prototype: WasmMemory } } }).WebAssembly.Memory.prototype;

interface Limit {
  readonly heap: () => Uint8Array;
  readonly end_bytes: number;
}

const active: Limit[] = [];
let originalGrow: ((this: WasmMemory, delta: number) => number) | null = null;

function guardedGrow(this: WasmMemory, delta: number): number {
  for (const limit of active) {
    // The module's heap view always covers its memory's current buffer.
    if (limit.heap().buffer === this.buffer && this.buffer.byteLength + delta * WASM_PAGE_BYTES > limit.end_bytes) {
      throw new RangeError("the guest's memory limit refuses this growth");
    }
  }
  return originalGrow!.call(this, delta);
}

/**
 * Keeps `module`'s wasm memory from growing more than `limit_bytes` past its size now;
 * returns the function that lifts the limit (call it once the guest is disposed).
 * @throws RangeError unless `limit_bytes` is a positive safe integer.
 */
export function limitMemoryGrowth(module: QuickJSWASMModule, limit_bytes: number): () => void {
  if (!Number.isSafeInteger(limit_bytes) || limit_bytes <= 0) throw new RangeError(`the memory limit must be a positive integer of bytes, got ${limit_bytes}`);
  const heap = (): Uint8Array => heapOf(module);
  const limit: Limit = { heap, end_bytes: heap().byteLength + limit_bytes };
  if (active.length === 0) {
    originalGrow = MEMORY_PROTOTYPE.grow;
    MEMORY_PROTOTYPE.grow = guardedGrow;
  }
  active.push(limit);
  let lifted = false;
  return () => {
    if (lifted) return;
    lifted = true;
    active.splice(active.indexOf(limit), 1);
    if (active.length === 0) {
      MEMORY_PROTOTYPE.grow = originalGrow!;
      originalGrow = null;
    }
  };
}

/** The size of `module`'s wasm linear memory in bytes: what its guests take from the host. */
export function linearMemoryBytes(module: QuickJSWASMModule): number {
  return heapOf(module).byteLength;
}

/**
 * quickjs-emscripten keeps the emscripten module as a TypeScript-private field; its
 * versions are pinned, and test/embedder/limits.test.ts checks that the heap still reads.
 */
function heapOf(module: QuickJSWASMModule): Uint8Array {
  const heap = (module as unknown as { module?: { HEAPU8?: Uint8Array } }).module?.HEAPU8;
  if (heap === undefined) throw new TypeError("this quickjs-emscripten build does not show its wasm memory: its guests' memory limits cannot be kept");
  return heap;
}
