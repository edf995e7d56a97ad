// The V8 guest's watchdog (platform/node/vm-watchdog.ts) against its races: scripts that
// end just as the budget runs out, one after another. Its SIGINT must only ever end the
// script it was meant for, never reach Node after a script (Node would exit), and leave
// the process's listeners as they were. Real time: the scripts spin on the clock around
// the budget.
import vm from "node:vm";
import { expect, it } from "vitest";
import { VmWatchdog } from "../../platform/node/vm-watchdog.js";

it("survives 100 scripts ending around the budget, and leaves no listener behind", async () => {
  const listeners = process.listenerCount("SIGINT");
  const watchdog = VmWatchdog.forThisThread(20)!;
  const context = vm.createContext({ now: () => performance.now() });
  for (let i = 0; i < 100; i++) {
    const spin_ms = 17 + (i % 30); // 17-46 ms against a 20 ms budget (stopped 20-40 ms after the last host call)
    const script = new vm.Script(`{ const t = now(); while (now() - t < ${spin_ms}) {} }`);
    // Ended or interrupted, as the clock has it: what matters is that nothing else happens.
    const r = watchdog.run(() => script.runInContext(context));
    expect(typeof r.interrupted).toBe("boolean");
    await new Promise((resolve) => setImmediate(resolve));
  }
  // Late signals reach the listener through the event loop.
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(process.listenerCount("SIGINT")).toBe(listeners);
});
