// Miou.assert (platform/invariant.ts): a failed invariant fails the run itself, even when
// the program catches the exception, and leaves an `invariant` record in the trace.
import { describe, expect, it } from "vitest";
import * as Miou from "../../platform/miou.js";
import { VirtualHost } from "../../sim/virtual-host.js";

const host = () => new VirtualHost({ events: [] });

describe("Miou.assert", () => {
  it("does nothing when the condition holds", () => {
    expect(Miou.runOn(host(), function* main() {
      Miou.assert(1 + 1 === 2, "arithmetic");
      return "fine";
    })).toBe("fine");
  });

  it("throws InvariantFailed with the message where it is checked", () => {
    expect(() => Miou.assert(false, "outside a run")).toThrow(Miou.InvariantFailed);
    expect(() => Miou.assert(0, "zero is falsy")).toThrow("zero is falsy");
  });

  it("fails the run even if the program catches the exception, and ends it at the next select", () => {
    const lines: string[] = [];
    let after = 0;
    const run = () =>
      Miou.runOn(host(), function* main() {
        try {
          Miou.assert(false, "balance went negative: -5");
        } catch {
          // swallowed: the run still fails
        }
        yield* Miou.sleep(10);
        after++;
        return "survived";
      }, { trace: (line) => lines.push(line) });
    expect(run).toThrow(expect.objectContaining({ name: "InvariantFailed", message: "balance went negative: -5" }));
    expect(after).toBe(0);
    expect(lines).toContain('{"seq":3,"t":0,"kind":"invariant","task":1,"message":"balance went negative: -5"}');
    expect(lines.at(-1)).toContain('"kind":"end","ok":false,"error":{"name":"InvariantFailed","message":"balance went negative: -5"}');
  });

  it("fails the run when main returns right after catching it, with the first invariant that failed", () => {
    const run = () =>
      Miou.runOn(host(), function* main() {
        for (const n of [1, 2]) {
          try {
            Miou.assert(false, `invariant ${n}`);
          } catch {
            // swallowed
          }
        }
        return "done";
      });
    expect(run).toThrow("invariant 1");
  });
});
