/**
 * The guest bundle's entry (dist/miou.js): defines the global `Miou` and nothing else
 * (DESIGN §4). It runs as a plain script in a bare engine: no require, no import.
 */
import * as api from "./miou.js";

Object.defineProperty(globalThis, "Miou", {
  value: Object.freeze({ ...api }),
  writable: false,
  enumerable: false,
  configurable: false,
});
