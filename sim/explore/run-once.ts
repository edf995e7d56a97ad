/**
 * One run of a program under given choices: the building block of exploration, replay
 * and shrinking. A script runs in a guest (simulate.ts); a generator function runs in
 * this process (in-process.ts). Either way the run gets a virtual host whose clock may
 * jump, its choices are recorded, and the recorded schedule comes back with the end.
 */
import type { Engine } from "../../platform/node/create-guest.js";
import type { InputEvent } from "../input-trace.js";
import { simulate, type SimulationEnd } from "../simulate.js";
import { VirtualHost } from "../virtual-host.js";
import { RecordingChooser, type Chooser } from "./chooser.js";
import { failureOf, type Failure } from "./failure.js";
import { runInProcess, type MainFunction } from "./in-process.js";
import { JumpingHost, type JumpSource } from "./jumping-host.js";
import type { Schedule } from "./schedule.js";

/** A program: a script file's source run on an engine, or a generator function run on V8 here. */
export type Program =
  | { readonly kind: "script"; readonly source: string; readonly file: string; readonly engine: Engine }
  | { readonly kind: "function"; readonly main: MainFunction; readonly name: string };

/** An input event as a run takes it (an input trace's, or a mutated one). */
export type RunEvent = Pick<InputEvent, "at_ns" | "source" | "data">;

export interface RunRequest {
  readonly program: Program;
  readonly events: readonly RunEvent[];
  readonly seed: number;
  readonly domains: number;
  readonly maxDecisions: number;
  readonly pollTick_ns: number;
  readonly chooser: Chooser;
  readonly jumps: JumpSource;
  /** Keep the decision trace lines (for artifacts). */
  readonly keepLines: boolean;
}

export interface RunRecord {
  readonly end: SimulationEnd;
  readonly failure: Failure | null;
  /** The choices the run made, trailing fallbacks left out: replaying it makes the same run. */
  readonly schedule: Schedule;
  /** Choices the run asked for, fallbacks included. */
  readonly choices: number;
  readonly lines: string[] | null;
  readonly decisions: number;
  readonly final_ns: number;
}

/**
 * Runs `request.program` once.
 * @throws BadProgram when the program does not load.
 */
export async function runOnce(request: RunRequest): Promise<RunRecord> {
  const recorder = new RecordingChooser(request.chooser);
  const lines: string[] | null = request.keepLines ? [] : null;
  const onLine = lines === null ? () => {} : (line: string) => lines.push(line);
  const events = request.events.map((e, i) => ({ at_ns: e.at_ns, source: e.source, data: e.data, line: i + 1 }));
  let host: JumpingHost | null = null;
  let end: SimulationEnd;
  let decisions: number;
  const program = request.program;
  if (program.kind === "script") {
    const result = await simulate({
      engine: program.engine,
      program: program.source,
      programFile: program.file,
      events,
      seed: request.seed,
      domains: request.domains,
      pollTick_ns: request.pollTick_ns,
      maxDecisions: request.maxDecisions,
      onLine,
      choices: recorder,
      wrapHost: (inner) => (host = new JumpingHost(inner, request.jumps)),
    });
    end = result.end;
    decisions = result.decisions;
  } else {
    host = new JumpingHost(new VirtualHost({ events, pollTick_ns: request.pollTick_ns }), request.jumps);
    ({ end, decisions } = await runInProcess({ main: program.main, host, seed: request.seed, domains: request.domains, maxDecisions: request.maxDecisions, choices: recorder, onLine }));
  }
  const jumping = host as JumpingHost | null;
  const schedule: Schedule = {
    seed: request.seed,
    domains: request.domains,
    picks: recorder.trimmedPicks(),
    draws: recorder.trimmedDraws(),
    jumps: jumping === null ? [] : jumping.jumps,
  };
  return { end, failure: failureOf(end), schedule, choices: recorder.choices, lines, decisions, final_ns: jumping?.inner.now() ?? 0 };
}
