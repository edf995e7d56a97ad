/** `miou run PROGRAM.js [options]`: runs a program on the real clock (see tools/help.ts). */
import { performance } from "node:perf_hooks";
import type { Host, HostWake, Outgoing } from "../platform/host.js";
import { ENGINES } from "../platform/node/create-guest.js";
import { DEFAULT_CPU_BUDGET_MS, runProgram, type EmbedOptions, type RunResult } from "../platform/quickjs/embedder.js";
import { RealHost } from "../platform/quickjs/real-host.js";
import { contentHash, type DecisionHeader } from "../sim/decision-header.js";
import { feedInput, type InputFeed } from "../sim/input-feed.js";
import { parseInputTrace, type InputEvent } from "../sim/input-trace.js";
import { openBoundaryLog, recordProgram, type BoundaryLogFile } from "../sim/recorder.js";
import { choiceFlag, integerFlag, parseArgs, UsageError } from "./cli-args.js";
import type { ExitCode } from "./exit-codes.js";
import { readInput, writeOutput, type Output } from "./io.js";
import { formatOutgoing, NO_DECISION_BUDGET, printEnd, resultJSON, TraceOutputs } from "./run-output.js";

const FLAGS = ["--engine", "--domains", "--seed", "--events", "--record", "--trace", "--perfetto", "--result", "--cpu-budget", "--memory-limit"];

/** Runs `miou run` with the arguments after "run"; returns the exit code. */
export async function runCommand(argv: readonly string[], output: Output): Promise<ExitCode | "help"> {
  const args = parseArgs(argv, FLAGS);
  if (args.help) return "help";
  if (args.positionals.length !== 1) {
    throw new UsageError(`run takes one PROGRAM.js, got ${args.positionals.length === 0 ? "none" : args.positionals.join(" ")}`);
  }
  const programFile = args.positionals[0]!;
  const engine = choiceFlag(args, "--engine", ENGINES, "quickjs");
  const seed = integerFlag(args, "--seed", 0, 2 ** 32 - 1, 0);
  const domains = integerFlag(args, "--domains", 0, 256, 0);
  const cpuBudgetMs = integerFlag(args, "--cpu-budget", 1, 2 ** 31 - 1, DEFAULT_CPU_BUDGET_MS);
  const memoryLimitMB = args.flags.has("--memory-limit") ? integerFlag(args, "--memory-limit", 1, 65536, 0) : undefined;
  const programBytes = readInput(programFile, "program");
  const eventsFile = args.flags.get("--events");
  let events: InputEvent[] | null = null;
  let inputHash: string | null = null;
  if (eventsFile !== undefined) {
    const bytes = readInput(eventsFile, "input trace");
    events = parseInputTrace(bytes.toString("utf8"), eventsFile);
    inputHash = contentHash(bytes);
  }
  const header: DecisionHeader = { seed, domains, poll_tick_ns: 0, max_decisions: NO_DECISION_BUDGET, program: contentHash(programBytes), input: inputHash };
  const outputs = new TraceOutputs(header, args.flags.get("--trace"), args.flags.get("--perfetto"));
  const recordFile = args.flags.get("--record");
  const log = recordFile === undefined ? null : openLog(recordFile);

  const real = new RealHost();
  const host = new PrintingHost(real, output);
  // Loaded before the run starts; it counts from the guest's first clock reading.
  const feed: InputFeed | null = events === null ? null : feedInput(real, events);
  await feed?.ready;
  const options: EmbedOptions = {
    engine,
    program: programBytes.toString("utf8"),
    programFile,
    host,
    seed,
    domains,
    cpuBudgetMs,
    ...(memoryLimitMB === undefined ? {} : { memoryLimitMB }),
    ...(outputs.wanted ? { onLine: outputs.line } : {}),
  };
  const started_ms = performance.now();
  let result: RunResult;
  try {
    result = log === null ? await runProgram(options) : await recordProgram({ ...options, input: inputHash }, log.write);
  } finally {
    outputs.close();
    log?.close();
    real.close();
    await feed?.stop();
  }
  const elapsed_ms = performance.now() - started_ms;
  outputs.finish();
  const resultFile = args.flags.get("--result");
  if (resultFile !== undefined) writeOutput(resultFile, JSON.stringify(resultJSON(result.end)) + "\n");
  printEnd(result.end, output);
  output.out(summary(elapsed_ms, result.hostCalls, host.events, outputs.wanted ? outputs.count : null));
  return result.exitCode;
}

/**
 * The real host with the output printed as `miou sim` prints it, counting the events it
 * hands over.
 */
class PrintingHost implements Host {
  events = 0;

  constructor(
    readonly real: RealHost,
    readonly output: Output,
  ) {}

  now(): number {
    return this.real.now();
  }

  select(deadline: number | null, out: Outgoing[]): HostWake {
    for (const record of out) this.output.out(formatOutgoing(record));
    const wake = this.real.select(deadline, []);
    this.events += wake.events.length;
    return wake;
  }
}

/** `real time 2.013 s, 9 host calls, 0 events received[, 38 decisions]` (decisions when traced). */
function summary(elapsed_ms: number, hostCalls: number, events: number, decisions: number | null): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const parts = [`real time ${(elapsed_ms / 1000).toFixed(3)} s`, plural(hostCalls, "host call"), `${plural(events, "event")} received`];
  if (decisions !== null) parts.push(plural(decisions, "decision"));
  return parts.join(", ");
}

function openLog(path: string): BoundaryLogFile {
  try {
    return openBoundaryLog(path);
  } catch (error) {
    throw new UsageError(`cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
