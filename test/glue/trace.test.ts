// Decision trace lines (docs/formats.md, "Decision trace records"): JSON text made in the
// guest, `seq` and `t` first, the record's fields after in a fixed order.
import { describe, expect, it } from "vitest";
import * as Miou from "../../platform/miou.js";
import { traceLines, virtualHost } from "./virtual-host.js";

const MS = 1_000_000;

describe("decision trace lines", () => {
  it("a one-sleep program gives exactly these lines", () => {
    const tr = traceLines();
    Miou.runOn(virtualHost(), function* main() {
      yield* Miou.sleep(1);
    }, { trace: tr.trace });
    expect(tr.lines).toEqual([
      '{"seq":1,"t":0,"kind":"spawn","task":1,"parent":0,"domain":0,"name":"main"}',
      // The first slice runs main to its first operation, the sleep's suspend.
      '{"seq":2,"t":0,"kind":"run","task":1,"domain":0}',
      '{"seq":3,"t":0,"kind":"ran","task":1,"then":"queued"}',
      '{"seq":4,"t":0,"kind":"run","task":1,"domain":0}',
      '{"seq":5,"t":0,"kind":"suspend","task":1,"syscall":1,"name":"sleep until 1000000"}',
      '{"seq":6,"t":0,"kind":"ran","task":1,"then":"parked"}',
      // The turn's select cannot block under runOn (runUntilBlocked): answered from the glue's state.
      '{"seq":7,"t":0,"kind":"select","domain":0,"block":false,"cancelled":[],"signals":[]}',
      // Nothing can run: the glue waits on the host until the deadline, then the core asks again.
      '{"seq":8,"t":1000000,"kind":"poll","deadline":1000000,"out":0,"events":0,"idle":true}',
      '{"seq":9,"t":1000000,"kind":"select","domain":0,"block":false,"cancelled":[],"signals":[1]}',
      '{"seq":10,"t":1000000,"kind":"signal","domain":0,"syscall":1}',
      '{"seq":11,"t":1000000,"kind":"wake","task":1}',
      '{"seq":12,"t":1000000,"kind":"run","task":1,"domain":0}',
      '{"seq":13,"t":1000000,"kind":"finish","task":1,"ok":true}',
      '{"seq":14,"t":1000000,"kind":"ran","task":1,"then":"done"}',
      // The final poll, then the outcome.
      '{"seq":15,"t":1000000,"kind":"poll","deadline":1000000,"out":0,"events":0,"idle":true}',
      '{"seq":16,"t":1000000,"kind":"end","ok":true,"left":{}}',
    ]);
  });

  it("records host events (bytes by size, JSON by value) after the poll that brought them", () => {
    const tr = traceLines();
    const host = virtualHost([
      { t: 2 * MS, source: "net0", data: { base64: "AQID" } },
      { t: 2 * MS, source: "ctl", data: { cmd: "stop", n: [1, 2] } },
      { t: 2 * MS, source: "tick" },
    ]);
    Miou.runOn(host, function* () {
      yield* Miou.recv("net0");
    }, { trace: tr.trace });
    const glue = tr.lines.filter((l) => /"kind":"(poll|event)"/.test(l)).map((l) => l.replace(/^\{"seq":\d+,/, "{"));
    expect(glue).toEqual([
      '{"t":2000000,"kind":"poll","deadline":null,"out":0,"events":3,"idle":false}',
      '{"t":2000000,"kind":"event","source":"net0","bytes":3}',
      '{"t":2000000,"kind":"event","source":"ctl","data":{"cmd":"stop","n":[1,2]}}',
      '{"t":2000000,"kind":"event","source":"tick"}',
      '{"t":2000000,"kind":"poll","deadline":2000000,"out":0,"events":0,"idle":true}',
    ]);
    expect(tr.lines.at(-1)).toMatch(/"kind":"end","ok":true,"left":\{"ctl":1,"tick":1\}\}$/);
  });

  it("ends a failed run with the error's name and message, never a stack", () => {
    const tr = traceLines();
    expect(() =>
      Miou.runOn(virtualHost(), function* () {
        throw new RangeError("boom");
      }, { trace: tr.trace }),
    ).toThrow("boom");
    expect(tr.lines.at(-1)).toMatch(/^\{"seq":\d+,"t":0,"kind":"end","ok":false,"error":\{"name":"RangeError","message":"boom"\},"left":\{\}\}$/);
  });

  it("numbers records from 1 without gaps, each line a JSON object starting with seq, t, kind", () => {
    const tr = traceLines();
    Miou.runOn(
      virtualHost([{ t: 3 * MS, source: "net0", data: "x" }]),
      function* () {
        const p = yield* Miou.call(function* () {
          return yield* Miou.recv("net0");
        });
        Miou.send("out", "y");
        yield* Miou.sleep(5);
        return yield* Miou.await(p);
      },
      { domains: 1, trace: tr.trace },
    );
    tr.lines.forEach((line, i) => {
      expect(line.startsWith(`{"seq":${i + 1},"t":`)).toBe(true);
      expect(Object.keys(JSON.parse(line)).slice(0, 3)).toEqual(["seq", "t", "kind"]);
    });
  });
});
