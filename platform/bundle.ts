/**
 * The guest bundle's entry (dist/miou.js): it takes the host functions and defines the
 * globals `Miou` and `console`, nothing else (DESIGN §4; globals.ts). It runs as a plain
 * script in a bare engine: no require, no import.
 */
import { installGuestGlobals } from "./globals.js";
import * as api from "./miou.js";

installGuestGlobals(globalThis, api);
