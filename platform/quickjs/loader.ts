/**
 * The Node-side QuickJS loader: a fresh QuickJS runtime and context per guest, named
 * host functions as globals, the bundle evaluated as a global script.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isMainThread } from "node:worker_threads";
import quickjsVariant from "@jitl/quickjs-wasmfile-release-sync";
import quickjsNgVariant from "@jitl/quickjs-ng-wasmfile-release-sync";
import {
  newQuickJSWASMModuleFromVariant,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSRuntime,
  type QuickJSWASMModule,
} from "quickjs-emscripten-core";
import {
  callHost,
  DEFAULT_BUNDLE_NAME,
  GuestError,
  parseJSONText,
  REMOVE_ENGINE_EXTRAS,
  type Guest,
  type GuestOptions,
  type HostFunction,
} from "./guest.js";

export { GuestError, type Guest, type GuestOptions, type HostFunction } from "./guest.js";

/** The QuickJS builds a guest can run on (both are the "release sync" wasm variants). */
export type QuickJSEngine = "quickjs" | "quickjs-ng";

/** Resource limits of a QuickJS guest. */
export interface QuickJSLimits {
  /**
   * QuickJS's own heap limit; default: none. In these wasm builds it bounds each
   * allocation, not their total: the embedder also limits the module's memory growth
   * (memory-limit.ts).
   */
  memoryLimitBytes?: number;
  /**
   * Guest stack limit; default and maximum on Node's main thread: 64 KiB
   * ({@link MAIN_THREAD_STACK_BYTES}).
   */
  stackSizeBytes?: number;
  /**
   * Polled by QuickJS while the guest runs (every few thousand bytecodes); returning true
   * throws an uncatchable `InternalError: interrupted` through every guest frame. The
   * embedder's CPU budget lives here.
   */
  shouldInterrupt?: () => boolean;
}

/** Options of {@link loadGuest}. */
export interface QuickJSGuestOptions extends GuestOptions, QuickJSLimits {
  engine: QuickJSEngine;
}

/**
 * The guest stack allowed on Node's main thread. QuickJS measures its stack in wasm
 * memory, but every guest frame also takes room on the thread's native stack, which V8
 * would overflow first with a larger limit, leaving QuickJS broken mid-call.
 */
export const MAIN_THREAD_STACK_BYTES = 64 * 1024;

const VARIANTS = { quickjs: quickjsVariant, "quickjs-ng": quickjsNgVariant } as const;
const modules = new Map<QuickJSEngine, Promise<QuickJSWASMModule>>();

/** The wasm module of `engine`, compiled once per process and shared by every guest. */
export function quickJSModule(engine: QuickJSEngine): Promise<QuickJSWASMModule> {
  let module = modules.get(engine);
  if (module === undefined) {
    if (!Object.hasOwn(VARIANTS, engine)) throw new TypeError(`unknown QuickJS engine ${JSON.stringify(engine)}`);
    module = newQuickJSWASMModuleFromVariant(VARIANTS[engine]);
    module.catch(() => modules.delete(engine)); // a failed load may be retried
    modules.set(engine, module);
  }
  return module;
}

/**
 * Forgets the compiled wasm module of `engine`: the next guest gets a fresh module
 * instance (a fresh wasm memory). The embedder calls it after a guest ran out of memory
 * or stack, or was interrupted, so that state a failed allocation may have left broken
 * never reaches a later guest. Guests still running on the old module are not affected.
 */
export function discardQuickJSModule(engine: QuickJSEngine): void {
  modules.delete(engine);
}

/**
 * Starts a guest: a fresh QuickJS runtime and context, `hostFunctions` defined as
 * globals, then `bundle` evaluated as a global script.
 *
 * @throws GuestError when the bundle throws (the guest is disposed first).
 * @throws RangeError when `stackSizeBytes` is not allowed.
 * @example
 * const guest = await loadGuest({
 *   engine: "quickjs-ng",
 *   bundle: readBundle(),
 *   hostFunctions: { hostNow: () => 0 },
 * });
 */
export async function loadGuest(options: QuickJSGuestOptions): Promise<Guest> {
  const stackSizeBytes = checkStackSize(options.stackSizeBytes ?? MAIN_THREAD_STACK_BYTES);
  const module = await quickJSModule(options.engine);
  return new QuickJSGuest(module, options, stackSizeBytes);
}

function checkStackSize(stackSizeBytes: number): number {
  // 0 would mean "no limit" to QuickJS.
  if (!Number.isSafeInteger(stackSizeBytes) || stackSizeBytes <= 0) {
    throw new RangeError(`stackSizeBytes must be a positive integer, got ${stackSizeBytes}`);
  }
  if (isMainThread && stackSizeBytes > MAIN_THREAD_STACK_BYTES) {
    throw new RangeError(
      `stackSizeBytes ${stackSizeBytes} is more than the ${MAIN_THREAD_STACK_BYTES} allowed on ` +
        `Node's main thread; run the guest in a worker thread for a bigger stack`,
    );
  }
  return stackSizeBytes;
}

class QuickJSGuest implements Guest {
  readonly engine: QuickJSEngine;
  #runtime: QuickJSRuntime | undefined;
  #context: QuickJSContext | undefined;
  // Taken before the bundle runs, so programs that patch JSON cannot change the boundary.
  #stringify: QuickJSHandle | undefined;
  #parse: QuickJSHandle | undefined;

  constructor(module: QuickJSWASMModule, options: QuickJSGuestOptions, stackSizeBytes: number) {
    this.engine = options.engine;
    this.#runtime = module.newRuntime();
    try {
      this.#runtime.setMaxStackSize(stackSizeBytes);
      if (options.memoryLimitBytes !== undefined) this.#runtime.setMemoryLimit(options.memoryLimitBytes);
      const shouldInterrupt = options.shouldInterrupt;
      if (shouldInterrupt !== undefined) this.#runtime.setInterruptHandler(() => shouldInterrupt());
      const ctx = (this.#context = this.#runtime.newContext());
      const json = ctx.getProp(ctx.global, "JSON");
      try {
        this.#stringify = ctx.getProp(json, "stringify");
        this.#parse = ctx.getProp(json, "parse");
      } finally {
        json.dispose();
      }
      this.evalScript(REMOVE_ENGINE_EXTRAS, "prelude.js");
      for (const [name, fn] of Object.entries(options.hostFunctions ?? {})) this.#define(ctx, name, fn);
      this.evalScript(options.bundle, options.bundleName ?? DEFAULT_BUNDLE_NAME);
    } catch (error) {
      this.dispose();
      throw error;
    }
  }

  evalScript(code: string, filename: string): void {
    this.#eval(code, filename).dispose();
  }

  evalJSON<T = unknown>(code: string, filename: string): T {
    const value = this.#eval(code, filename);
    try {
      return parseJSONText(this.#jsonText(value)) as T;
    } finally {
      value.dispose();
    }
  }

  dispose(): void {
    const runtime = this.#runtime;
    if (runtime === undefined) return;
    this.#runtime = undefined;
    // QuickJS: a handle still alive when the runtime goes aborts rt.dispose().
    for (const handle of [this.#stringify, this.#parse]) if (handle?.alive) handle.dispose();
    this.#context?.dispose();
    this.#context = undefined;
    runtime.dispose();
  }

  #live(): QuickJSContext {
    if (this.#context === undefined) throw new Error(`the ${this.engine} guest is disposed`);
    return this.#context;
  }

  #eval(code: string, filename: string): QuickJSHandle {
    const result = this.#live().evalCode(code, filename, { type: "global" });
    if (result.error) throw this.#guestError(result.error);
    return result.value;
  }

  /** The guest's `JSON.stringify(value)`, or undefined when it gives no JSON. */
  #jsonText(value: QuickJSHandle): string | undefined {
    const ctx = this.#live();
    const result = ctx.callFunction(this.#stringify!, ctx.undefined, value);
    if (result.error) throw this.#guestError(result.error);
    try {
      return ctx.typeof(result.value) === "string" ? ctx.getString(result.value) : undefined;
    } finally {
      result.value.dispose();
    }
  }

  #guestError(thrown: QuickJSHandle): GuestError {
    try {
      // dump turns an Error into { name, message, stack }.
      return GuestError.from(this.#live().dump(thrown));
    } finally {
      if (thrown.alive) thrown.dispose(); // dump already disposes a thrown promise
    }
  }

  #define(ctx: QuickJSContext, name: string, fn: HostFunction): void {
    const handle = ctx.newFunction(name, (...args) => {
      const reply = callHost(fn, () => args.map((arg) => parseJSONText(this.#jsonText(arg))));
      if (!reply.ok) return { error: ctx.newError({ name: reply.name, message: reply.message }) };
      if (reply.json === undefined) return ctx.undefined;
      const text = ctx.newString(reply.json);
      try {
        return ctx.callFunction(this.#parse!, ctx.undefined, text);
      } finally {
        text.dispose();
      }
    });
    try {
      ctx.setProp(ctx.global, name, handle);
    } finally {
      handle.dispose();
    }
  }
}

/**
 * Reads the built guest bundle, `dist/miou.js` (`"full"`) or `dist/miou.min.js`
 * (`"min"`), from the package root; `npm run build` writes both.
 */
export function readBundle(kind: "full" | "min" = "full"): string {
  const file = kind === "min" ? "miou.min.js" : "miou.js";
  return readFileSync(join(packageRoot(), "dist", file), "utf8");
}

/** The folder of miou-js's package.json, found from this file (in source or in dist/node). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: unknown };
      if (manifest.name === "miou-js") return dir;
    } catch {
      // no package.json here: keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error("cannot find the miou-js package root above " + import.meta.url);
    dir = parent;
  }
}
