/**
 * The vitest helper (package export `miou-js/testing`): explore a program under many
 * seeds from a test, and fail the test with the seed, the failure and the command that
 * reproduces it.
 *
 * @example
 * import { it } from "vitest";
 * import { Miou } from "miou-js";
 * import { simulate } from "miou-js/testing";
 *
 * it("never loses a page view", async () => {
 *   await simulate(function* main() { ... }, { seeds: 50, domains: 2, policy: "pct:3" });
 * });
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Engine } from "../platform/node/create-guest.js";
import { contentHash } from "./decision-header.js";
import { readFailureDir } from "./explore/artifacts.js";
import { explore, type ExploreReport } from "./explore/explore.js";
import { describeFailure, sameFailure, type Failure } from "./explore/failure.js";
import { formatFaultSpec, parseFaultSpec } from "./explore/fault-spec.js";
import type { MutatedInput } from "./explore/faults.js";
import type { MainFunction } from "./explore/in-process.js";
import { formatPolicy, parsePolicy } from "./explore/policies.js";
import type { Program, RunRecord } from "./explore/run-once.js";
import { saveFailure, type FailureContext, type SavedFailure } from "./explore/save-failure.js";
import { shrink } from "./explore/shrink.js";
import { pctHorizon, replay, runSeed, type ExploreSetup } from "./explore/trial.js";
import { parseInputTrace, type InputEvent } from "./input-trace.js";
import { DEFAULT_MAX_DECISIONS } from "./simulate.js";

/** An input event given inline: `t` in ns, as in an input trace file. */
export interface InlineEvent {
  readonly t: number;
  readonly source: string;
  readonly data?: unknown;
}

export interface SimulateOptions {
  /** How many seeds to try; default 100. */
  readonly seeds?: number;
  /** The first seed; default 0. */
  readonly from?: number;
  /** The input trace: a .jsonl file's path, or events (their lines for fault decisions are their index + 1). */
  readonly input?: string | readonly InlineEvent[];
  /** Faults, as `miou explore --faults`: e.g. "duplicate=0.1,delay=0.2:5ms"; default none. */
  readonly faults?: string;
  /** Extra domains besides dom0; default 0. */
  readonly domains?: number;
  /** "rr", "random" or "pct:D"; default "random". */
  readonly policy?: string;
  /** The engine of a script path; default "quickjs". A generator function always runs here, on V8. */
  readonly engine?: Engine;
  /** Worker threads for a script path; default 1. */
  readonly workers?: number;
  /** Decisions before a run counts as a livelock; default 10^7. */
  readonly maxDecisions?: number;
  readonly pollTick_ns?: number;
  /** Where a failure's folder goes; default a fresh folder under the system's temporary folder. */
  readonly out?: string;
  /** Shrink the failure before reporting it; default false. */
  readonly shrink?: boolean;
  /**
   * A failure folder to replay exactly instead of exploring (default: the environment
   * variable MIOU_REPLAY): how a failure's reproduction command reruns one failing run.
   */
  readonly replay?: string;
}

/** What a passing exploration did. */
export interface SimulationSummary {
  /** Seeds run. */
  readonly ran: number;
  readonly elapsed_ms: number;
}

/** A failing seed, as the test's error: its message holds the reproduction command. */
export class SimulationFailure extends Error {
  constructor(
    message: string,
    readonly seed: number,
    readonly failure: Failure,
    /** The failure's folder (failure.json, input.jsonl, schedule.txt, trace.jsonl, timeline.json...). */
    readonly dir: string,
    /** The command that reproduces it. */
    readonly command: string,
  ) {
    super(message);
    this.name = "SimulationFailure";
  }
}

/**
 * Explores `program` (a generator function, run here on V8, or a script path run on
 * `options.engine`) under `options.seeds` seeds, and resolves when no seed fails.
 * @throws SimulationFailure for the lowest failing seed, with the reproduction command in its message.
 */
export async function simulate(program: MainFunction | string, options: SimulateOptions = {}): Promise<SimulationSummary> {
  const prog = toProgram(program, options);
  const events = readEvents(options.input);
  const faults = parseFaultSpec(options.faults ?? "none");
  const policy = parsePolicy(options.policy ?? "random");
  const partial: Omit<ExploreSetup, "horizon"> = {
    program: prog,
    events,
    domains: options.domains ?? 0,
    policy,
    faults,
    maxDecisions: options.maxDecisions ?? DEFAULT_MAX_DECISIONS,
    pollTick_ns: options.pollTick_ns ?? 0,
  };
  const context = failureContext(prog, program, formatPolicy(policy), formatFaultSpec(faults), partial);
  const replayDir = options.replay ?? process.env.MIOU_REPLAY;
  if (replayDir !== undefined && replayDir !== "") return replayFailure(prog, replayDir, context, partial);

  const setup: ExploreSetup = { ...partial, horizon: await pctHorizon(partial) };
  const from = options.from ?? 0;
  const seeds = Array.from({ length: options.seeds ?? 100 }, (_, i) => from + i);
  const report: ExploreReport = await explore({ setup, seeds, workers: options.workers ?? 1, keepGoing: false });
  const lowest = report.failures[0];
  if (lowest === undefined) return { ran: report.ran, elapsed_ms: report.elapsed_ms };
  const again = await runSeed(setup, lowest.seed, true);
  const failure = again.run.failure ?? lowest.failure;
  const out = options.out ?? mkdtempSync(join(tmpdir(), "miou-testing-"));
  let saved = saveFailure(join(out, `seed-${lowest.seed}`), context, lowest.seed, failure, again.input, again.run, [`made by simulate() from miou-js/testing, seed ${lowest.seed}`]);
  let shrunk = "";
  if (options.shrink === true && again.run.failure !== null) {
    const result = await shrink({ program: prog, input: again.input, schedule: again.run.schedule, target: failure, maxDecisions: setup.maxDecisions, pollTick_ns: setup.pollTick_ns });
    saved = saveFailure(join(saved.dir, "shrunk"), context, lowest.seed, result.run.failure ?? failure, result.input, result.run, [`shrunk from seed ${lowest.seed}'s failure`]);
    shrunk = ` (shrunk: ${result.before.events} -> ${result.after.events} events)`;
  }
  const range = seeds.length === 1 ? `seed ${from}` : `seeds ${from} to ${from + seeds.length - 1}`;
  throw failureError(`seed ${lowest.seed} (of ${range}) failed${shrunk}`, lowest.seed, failure, saved);
}

function failureError(headline: string, seed: number, failure: Failure, saved: SavedFailure): SimulationFailure {
  const message = [
    `${headline}: ${describeFailure(failure)}`,
    `artifacts: ${saved.dir} (failure.json, input.jsonl, faults.jsonl, schedule.txt, trace.jsonl, timeline.json)`,
    `reproduce: ${saved.command}`,
  ].join("\n");
  return new SimulationFailure(message, seed, failure, saved.dir, saved.command);
}

/** Replays a failure folder exactly: throws its failure again, or resolves if it no longer happens. */
async function replayFailure(program: Program, dir: string, context: FailureContext, partial: Omit<ExploreSetup, "horizon">): Promise<SimulationSummary> {
  const failed = readFailureDir(dir);
  const { run } = await replay(program, failed.input.events, failed.schedule, { maxDecisions: partial.maxDecisions, pollTick_ns: partial.pollTick_ns, keepLines: true, strict: true });
  if (run.failure === null) return { ran: 1, elapsed_ms: 0 };
  const target = failed.record;
  const same = sameFailure(run.failure, { kind: target.kind, name: target.error.name, message: target.error.message });
  const saved = saveReplay(dir, context, failed.record.seed, run.failure, failed.input, run);
  throw failureError(`the replay of ${dir} (seed ${failed.record.seed}) failed${same ? " again" : " differently"}`, failed.record.seed, run.failure, saved);
}

/** A replay's folder is the one it came from, rewritten with the run just made (same choices, same input). */
function saveReplay(dir: string, context: FailureContext, seed: number, failure: Failure, input: MutatedInput, run: RunRecord): SavedFailure {
  return saveFailure(dir, context, seed, failure, input, run, [`replayed by simulate() from miou-js/testing, seed ${seed}`]);
}

function toProgram(program: MainFunction | string, options: SimulateOptions): Program {
  if (typeof program === "function") return { kind: "function", main: program, name: program.name || "anonymous" };
  if (typeof program !== "string") throw new TypeError("simulate: the program is a generator function or a script's path");
  return { kind: "script", source: readFileSync(program, "utf8"), file: program, engine: options.engine ?? "quickjs" };
}

function readEvents(input: SimulateOptions["input"]): InputEvent[] {
  if (input === undefined) return [];
  if (typeof input === "string") return parseInputTrace(readFileSync(input, "utf8"), input);
  const text = input.map((e) => JSON.stringify({ t: e.t, source: e.source, data: e.data ?? null })).join("\n");
  // Read as a file without header: line i + 1 is event i, the key of its fault decisions.
  return parseInputTrace(text, "options.input");
}

/** How a failure of this test is named and reproduced. */
function failureContext(prog: Program, program: MainFunction | string, policy: string, faults: string, partial: Omit<ExploreSetup, "horizon">): FailureContext {
  const base = { policy, faults, maxDecisions: partial.maxDecisions, pollTick_ns: partial.pollTick_ns };
  if (prog.kind === "script") {
    return { ...base, programPath: prog.file, programName: prog.file, programHash: contentHash(prog.source), engine: prog.engine };
  }
  return {
    ...base,
    programPath: null,
    programName: `function ${prog.name}`,
    programHash: contentHash(String(program)),
    engine: "in-process",
    commandFor: (dir) => `MIOU_REPLAY=${dir} ${currentTestCommand()}`,
  };
}

/** `npx vitest run FILE -t NAME` for the running test, when vitest says which it is. */
function currentTestCommand(): string {
  const state = (globalThis as { __vitest_worker__?: { current?: { name?: string; file?: { name?: string } } } }).__vitest_worker__;
  const current = state?.current;
  const file = current?.file?.name;
  const name = current?.name;
  if (file === undefined) return "npx vitest run (this test)";
  return `npx vitest run ${file}${name === undefined ? "" : ` -t ${JSON.stringify(name)}`}`;
}
