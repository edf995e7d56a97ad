/**
 * The guest on Node's own V8: a `node:vm` context with the same globals as a QuickJS
 * guest (the ECMAScript builtins and the host functions), the bundle run as a script.
 */
import vm from "node:vm";
import {
  callHost,
  DEFAULT_BUNDLE_NAME,
  GuestError,
  GuestInterrupted,
  parseJSONText,
  REMOVE_ENGINE_EXTRAS,
  type Guest,
  type GuestOptions,
  type HostFunction,
  type HostReply,
} from "../quickjs/guest.js";
import { VmWatchdog } from "./vm-watchdog.js";

/** Limits of a guest on V8. */
export interface VmLimits {
  /**
   * The longest the guest may run between two host calls, in ms: past it, the script
   * ends with `InternalError: interrupted`, as a QuickJS guest's interrupt handler ends
   * it. Kept on Node's main thread, and in a worker whose parent watches it
   * (vm-watchdog.ts); default: none.
   */
  cpuBudgetMs?: number;
}

/** The guest-side half of the boundary, built by {@link PRELUDE}. */
interface Prelude {
  stringify(value: unknown): string | undefined;
  define(name: string, call: (argTexts: ArrayLike<string | undefined>) => HostReply): void;
}

// Runs in the fresh context before the bundle. It drops what V8 adds beyond ECMAScript,
// takes JSON and Error before any program can patch them, and wraps each host function
// in a guest function: guest code then never holds a host object, whose constructor
// would be the host's `Function` (and through it `process`).
const PRELUDE = `(() => {
  ${REMOVE_ENGINE_EXTRAS}
  const { stringify, parse } = JSON;
  const GuestError = Error;
  return {
    stringify: (value) => stringify(value),
    define(name, call) {
      globalThis[name] = { [name](...args) {
        const texts = [];
        for (let i = 0; i < args.length; i++) texts.push(stringify(args[i]));
        const reply = call(texts);
        if (!reply.ok) {
          const error = new GuestError(reply.message);
          error.name = reply.name;
          throw error;
        }
        return reply.json === undefined ? undefined : parse(reply.json);
      } }[name];
    },
  };
})()`;

/**
 * Starts a guest on Node's V8: a fresh `node:vm` context (no `require`, `process`,
 * `console` or timers until the bundle defines its own `console`), `hostFunctions` as
 * globals, then `bundle` run as a script. Not a security boundary: it is for running
 * the same programs as QuickJS, faster and with V8's tools.
 *
 * @throws GuestError when the bundle throws.
 * @example
 * const guest = createVmGuest({ bundle: readBundle() });
 * guest.evalJSON("typeof Miou", "probe.js"); // "object"
 */
export function createVmGuest(options: GuestOptions & VmLimits): Guest {
  return new VmGuest(options);
}

class VmGuest implements Guest {
  readonly engine = "node" as const;
  #context: vm.Context | undefined = vm.createContext({}, { codeGeneration: { strings: true, wasm: false } });
  #prelude: Prelude;
  readonly #watchdog: VmWatchdog | null;

  constructor(options: GuestOptions & VmLimits) {
    // In an unwatched worker, the parent keeps the budget its own way (worker-run.ts).
    this.#watchdog = options.cpuBudgetMs === undefined ? null : VmWatchdog.forThisThread(options.cpuBudgetMs);
    this.#prelude = this.#run(PRELUDE, "prelude.js") as Prelude;
    for (const [name, fn] of Object.entries(options.hostFunctions ?? {})) this.#define(name, fn);
    this.evalScript(options.bundle, options.bundleName ?? DEFAULT_BUNDLE_NAME);
  }

  evalScript(code: string, filename: string): void {
    this.#run(code, filename);
  }

  evalJSON<T = unknown>(code: string, filename: string): T {
    const value = this.#run(code, filename);
    return parseJSONText(this.#guard(() => this.#prelude.stringify(value))) as T;
  }

  dispose(): void {
    this.#context = undefined;
  }

  #run(code: string, filename: string): unknown {
    const context = this.#context;
    if (context === undefined) throw new Error("the node guest is disposed");
    const script = new vm.Script(code, { filename });
    const watchdog = this.#watchdog;
    if (watchdog === null) return this.#guard(() => script.runInContext(context, { displayErrors: false }));
    const ran = this.#guard(() => watchdog.run(() => script.runInContext(context, { displayErrors: false })));
    if (ran.interrupted) throw new GuestInterrupted();
    return ran.value;
  }

  /** Runs guest code, turning what it throws (a value of the guest's realm) into a GuestError. */
  #guard<T>(body: () => T): T {
    try {
      return body();
    } catch (thrown) {
      const { name, message, guestStack } = GuestError.from(thrown);
      throw new GuestError(name, message, guestFrames(guestStack));
    }
  }

  #define(name: string, fn: HostFunction): void {
    this.#prelude.define(name, (argTexts) => {
      // The host's time is not the guest's.
      this.#watchdog?.pause();
      try {
        return callHost(fn, () => Array.from(argTexts, parseJSONText));
      } finally {
        this.#watchdog?.resume();
      }
    });
  }
}

/**
 * The guest's frames of a V8 stack, in QuickJS's shape: the "at" lines only, without the
 * "Name: message" header and without the host frames below the vm call.
 */
function guestFrames(stack: string): string {
  let frames = "";
  for (const line of stack.split("\n")) {
    if (line.includes("(node:vm:")) break;
    if (line.startsWith("    at ")) frames += line + "\n";
  }
  return frames;
}
