/**
 * What every engine that runs the guest bundle offers the Node side: the `Guest`
 * interface, its options, and how values and errors cross the boundary.
 *
 * Values cross as JSON text on both engines (stringified by the guest's own
 * `JSON.stringify`, parsed by the receiver's `JSON.parse`), so the host and the guest
 * never share an object and both engines hand over exactly the same values.
 */

/** The engines a guest can run on. */
export type Engine = "node" | "quickjs" | "quickjs-ng";

/** A host function the guest may call; arguments and result are JSON-like values. */
export type HostFunction = (...args: unknown[]) => unknown;

/** Options shared by every engine. */
export interface GuestOptions {
  /** Source text of the bundle (e.g. `dist/miou.js`), evaluated as a global script. */
  bundle: string;
  /** File name the guest's stack traces give the bundle; default `"miou.js"`. */
  bundleName?: string;
  /**
   * Globals defined in the guest before the bundle runs. The guest receives a function
   * of the same name; its arguments reach the host as JSON values (`undefined` stays
   * `undefined`), its result goes back the same way, and a throw becomes a guest
   * `Error` with the same name and message.
   */
  hostFunctions?: Record<string, HostFunction>;
}

/**
 * A fresh guest realm with the bundle loaded.
 *
 * @example
 * const guest = await loadGuest({ engine: "quickjs", bundle: readBundle() });
 * try {
 *   guest.evalScript("globalThis.answer = 6 * 7", "setup.js");
 *   guest.evalJSON<number>("answer", "read.js"); // 42
 * } finally {
 *   guest.dispose();
 * }
 */
export interface Guest {
  readonly engine: Engine;
  /** Runs `code` as a global script; a guest throw becomes a {@link GuestError}. */
  evalScript(code: string, filename: string): void;
  /**
   * Runs `code` as a global script and returns its completion value, converted by
   * `JSON.stringify` in the guest and `JSON.parse` on the host (`undefined`, functions
   * and symbols come back as `undefined`).
   */
  evalJSON<T = unknown>(code: string, filename: string): T;
  /** Frees the guest; later calls do nothing. */
  dispose(): void;
}

/** An error thrown in the guest, brought back to the host. */
export class GuestError extends Error {
  /** The guest's own stack trace ("" when the thrown value had none). */
  readonly guestStack: string;

  constructor(name: string, message: string, guestStack: string) {
    super(message);
    this.name = name;
    this.guestStack = guestStack;
  }

  /**
   * Builds a GuestError from a thrown guest value read on the host: an error object
   * (or its `{ name, message, stack }` dump), or any other thrown value.
   */
  static from(thrown: unknown): GuestError {
    if (typeof thrown === "object" && thrown !== null) {
      const { name, message, stack } = thrown as Record<string, unknown>;
      if (typeof message === "string") {
        return new GuestError(
          typeof name === "string" ? name : "Error",
          message,
          typeof stack === "string" ? stack : "",
        );
      }
    }
    return new GuestError("Error", `guest threw a non-error value: ${String(thrown)}`, "");
  }
}

/**
 * A guest on V8 ended by its CPU budget's watchdog (platform/node/vm-watchdog.ts): named
 * as QuickJS's interrupt is, but told apart by its class, which no program can throw.
 */
export class GuestInterrupted extends GuestError {
  constructor() {
    super("InternalError", "interrupted", "");
  }
}

/** What a host function call sends back to the guest. */
export type HostReply =
  | { ok: true; json: string | undefined }
  | { ok: false; name: string; message: string };

/**
 * Calls a host function and packs its outcome for the guest. `readArgs` converts the
 * guest's arguments; its failures are reported to the guest like the function's own.
 */
export function callHost(fn: HostFunction, readArgs: () => unknown[]): HostReply {
  try {
    return { ok: true, json: JSON.stringify(fn(...readArgs())) };
  } catch (error) {
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    return { ok: false, name, message };
  }
}

/** `JSON.parse` that maps the "no JSON" marker `undefined` to `undefined`. */
export function parseJSONText(text: string | undefined): unknown {
  return text === undefined ? undefined : JSON.parse(text);
}

/** The default file name of the bundle in guest stack traces. */
export const DEFAULT_BUNDLE_NAME = "miou.js";

/**
 * Guest script, run first on every engine: it removes the globals engines add beyond
 * ECMAScript (V8: console, WebAssembly; QuickJS-ng: performance, queueMicrotask,
 * DOMException), so every engine starts the bundle with the same globals and no guest
 * code can read the real clock behind the host's back.
 */
export const REMOVE_ENGINE_EXTRAS =
  'for (const name of ["console", "WebAssembly", "performance", "queueMicrotask", "DOMException"]) ' +
  "delete globalThis[name];";
