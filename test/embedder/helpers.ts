// Helpers for the embedder suites: a real host whose output is kept, and runProgram with
// the trace collected. Expectations are written in the tests, never computed here.
import type { Host, HostWake, Outgoing } from "../../platform/host.js";
import { runProgram, type EmbedOptions, type RunResult } from "../../platform/quickjs/embedder.js";
import { RealHost } from "../../platform/quickjs/real-host.js";

/** The engines the embedder runs guests on. */
export const EMBEDDER_ENGINES = ["quickjs", "quickjs-ng", "node"] as const;

/** A real host that keeps what the guest writes on stdout and other sinks. */
export function keptHost(): { host: RealHost; stdout: string[]; sent: Outgoing[] } {
  const stdout: string[] = [];
  const sent: Outgoing[] = [];
  const host = new RealHost({ stdout: (text) => stdout.push(text), stderr: (text) => stdout.push(text), onOutgoing: (r) => sent.push(r) });
  return { host, stdout, sent };
}

/** Runs `program` with its trace lines kept. */
export async function runKept(options: Omit<EmbedOptions, "onLine">): Promise<RunResult & { lines: string[] }> {
  const lines: string[] = [];
  const result = await runProgram({ ...options, onLine: (line) => lines.push(line) });
  return { ...result, lines };
}

/** A host that answers from `host` but throws on the `n`th call of `which`. */
export function failingHost(host: Host, which: "now" | "select", n: number, message: string): Host {
  let calls = 0;
  const fail = (): void => {
    if (++calls === n) throw new Error(message);
  };
  return {
    now: () => {
      if (which === "now") fail();
      return host.now();
    },
    select: (deadline: number | null, out: Outgoing[]): HostWake => {
      if (which === "select") fail();
      return host.select(deadline, out);
    },
  };
}
