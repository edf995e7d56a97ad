// A host function that throws ends the run with exit 1 and `host select failed: ...`
// (issue 5 §1), whatever the program does with the error it sees.
import { describe, expect, test } from "vitest";
import { HostFailed } from "../../platform/quickjs/embedder.js";
import { EMBEDDER_ENGINES, failingHost, keptHost, runKept } from "./helpers.js";

describe.each(EMBEDDER_ENGINES)("a throwing host on %s", (engine) => {
  test("select throws: exit 1, host select failed, even when the program catches it", async () => {
    const { host, stdout } = keptHost();
    const program = `
      function* main() {
        try {
          yield* Miou.sleep(5);
        } catch (e) {
          console.log("hid " + e.message);
        }
        return "hidden";
      }`;
    const r = await runKept({ engine, host: failingHost(host, "select", 1, "disk on fire"), program });
    expect(r.exitCode).toBe(1);
    expect(r.end.kind).toBe("host-failed");
    const error = r.end.kind === "host-failed" ? r.end.error : null;
    expect(error).toBeInstanceOf(HostFailed);
    expect(error?.message).toBe("host select failed: disk on fire");
    // The glue never calls a host that threw again, so nothing more went out.
    expect(stdout).toEqual([]);
  });

  test("now throws: exit 1, host now failed", async () => {
    const { host } = keptHost();
    const program = `function* main() { yield* Miou.yield(); return Miou.now(); }`;
    // The first now() is runOn's own clock read; the second is the program's.
    const r = await runKept({ engine, host: failingHost(host, "now", 2, "clock stopped"), program });
    expect(r.exitCode).toBe(1);
    expect(r.end.kind === "host-failed" && r.end.error.message).toBe("host now failed: clock stopped");
  });
});
