import { currentTask } from "./current.js";
import type { Domain } from "./domain.js";

/** A function run at the start of every turn of the domain that added it. */
export class HookHandle {
  constructor(
    readonly fn: () => void,
    readonly domain: Domain,
  ) {}
}

/**
 * Domain hooks (Miou.Hook): plain functions run at the start of every turn of their domain,
 * newest first. They run in scheduler context, so they cannot use operations; a hook that
 * throws is removed.
 * @example const h = Miou.Hook.add(() => polls++); ...; Miou.Hook.remove(h);
 */
export const Hook = {
  add(fn: () => void): HookHandle {
    if (typeof fn !== "function") throw new TypeError("Miou.Hook.add: expected a function");
    const d = currentTask("Hook.add").domain;
    const hook = new HookHandle(fn, d);
    d.hooks.unshift(hook);
    return hook;
  },
  remove(hook: HookHandle): void {
    if (!(hook instanceof HookHandle)) throw new TypeError("Miou.Hook.remove: expected a hook from Miou.Hook.add");
    const d = currentTask("Hook.remove").domain;
    if (hook.domain !== d) throw new TypeError("The hook does not belong into the current domain");
    const i = d.hooks.indexOf(hook);
    if (i >= 0) d.hooks.splice(i, 1);
  },
};
