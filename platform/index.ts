/**
 * The ESM entry. Operations named `await` and `yield` cannot be imported by name, so the
 * whole API is also exported as the namespace `Miou`.
 * @example import { Miou } from "miou-js"; Miou.run(function* () { yield* Miou.yield(); });
 */
import * as Miou from "./miou.js";

export * from "./miou.js";
export { Miou };
