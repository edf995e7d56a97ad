/**
 * Scenarios (sim/scenarios/<name>/): a program, an optional input trace, the flags it runs
 * with and the outcome expected by hand, beside a golden decision trace. The tests run
 * every scenario on every engine; `miou sim` with the same flags gives the same trace.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Engine } from "../platform/node/create-guest.js";
import { contentHash, headerLine, type DecisionHeader } from "./decision-header.js";
import { FormatError } from "./format-error.js";
import { parseInputTrace, type InputEvent } from "./input-trace.js";
import { isObject, type JsonObject } from "./json-lines.js";
import { DEFAULT_MAX_DECISIONS, simulate, type SimulationResult } from "./simulate.js";
import type { Outgoing } from "./virtual-host.js";

/** The flags a scenario runs with, named as the `miou sim` options without their dashes. */
export interface ScenarioFlags {
  readonly seed: number;
  readonly domains: number;
  readonly "max-decisions": number;
  readonly "poll-tick": number;
}

/** What the scenario's author expects, written by hand from the reference. */
export interface ScenarioExpectations {
  /** The exit code of `miou sim` (DESIGN §7). */
  readonly exit: number;
  /** main's value (when it returns). */
  readonly value?: unknown;
  /** The error's name (when the run fails). */
  readonly error?: string;
  readonly final_ns: number;
  readonly delivered: number;
  readonly left: number;
  /** Every outgoing record, in order (console lines are on sink "stdout"). */
  readonly outgoing?: readonly Outgoing[];
  /** For a deadlock: what each waiting task waits on, in task order. */
  readonly waiting?: readonly string[];
}

/** A scenario read from its folder. */
export interface Scenario {
  readonly name: string;
  readonly dir: string;
  readonly description: string;
  readonly program: Buffer;
  readonly input: Buffer | null;
  readonly events: readonly InputEvent[];
  readonly flags: ScenarioFlags;
  readonly expect: ScenarioExpectations;
}

const FLAG_DEFAULTS: ScenarioFlags = { seed: 0, domains: 0, "max-decisions": DEFAULT_MAX_DECISIONS, "poll-tick": 0 };
const EXPECT_FIELDS = ["exit", "value", "error", "final_ns", "delivered", "left", "outgoing", "waiting"];

/** The scenario folders under `root` (each holds a program.js, or the `marker` file given), sorted by name. */
export function listScenarios(root: string, marker = "program.js"): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, marker)))
    .map((entry) => entry.name)
    .sort();
}

/**
 * Reads the scenario in `dir`: program.js, input.jsonl if present, scenario.json.
 * @throws FormatError when scenario.json or input.jsonl is malformed.
 */
export function loadScenario(dir: string, name: string): Scenario {
  const file = join(dir, "scenario.json");
  const bad = (message: string) => new FormatError([{ file, line: 0, message }]);
  const spec: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (!isObject(spec)) throw bad("must be a JSON object");
  for (const key of Object.keys(spec)) if (!["description", "flags", "expect"].includes(key)) throw bad(`unknown field ${JSON.stringify(key)}`);
  const flags = { ...FLAG_DEFAULTS };
  const given = spec.flags ?? {};
  if (!isObject(given)) throw bad('"flags" must be an object');
  for (const [key, value] of Object.entries(given)) {
    if (!Object.hasOwn(FLAG_DEFAULTS, key)) throw bad(`unknown flag ${JSON.stringify(key)} (known: ${Object.keys(FLAG_DEFAULTS).join(", ")})`);
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) throw bad(`flag ${JSON.stringify(key)} must be a non-negative integer`);
    (flags as Record<string, number>)[key] = value;
  }
  const expect = spec.expect;
  if (!isObject(expect)) throw bad('"expect" must be an object');
  checkExpectations(expect, bad);
  const inputFile = join(dir, "input.jsonl");
  const input = existsSync(inputFile) ? readFileSync(inputFile) : null;
  return {
    name,
    dir,
    description: typeof spec.description === "string" ? spec.description : "",
    program: readFileSync(join(dir, "program.js")),
    input,
    events: input === null ? [] : parseInputTrace(input.toString("utf8"), inputFile),
    flags,
    expect: expect as unknown as ScenarioExpectations,
  };
}

function checkExpectations(expect: JsonObject, bad: (message: string) => Error): void {
  for (const key of Object.keys(expect)) if (!EXPECT_FIELDS.includes(key)) throw bad(`unknown expectation ${JSON.stringify(key)} (known: ${EXPECT_FIELDS.join(", ")})`);
  for (const key of ["exit", "final_ns", "delivered", "left"]) {
    if (typeof expect[key] !== "number") throw bad(`expectation ${JSON.stringify(key)} is required and must be a number`);
  }
  if ((expect.exit === 0) !== Object.hasOwn(expect, "value")) throw bad('"value" is expected exactly when "exit" is 0');
  if ((expect.exit !== 0) !== (typeof expect.error === "string")) throw bad('"error" (a name) is expected exactly when "exit" is not 0');
}

/** The decision trace header of a scenario's run. */
export function scenarioHeader(s: Scenario): DecisionHeader {
  return {
    seed: s.flags.seed,
    domains: s.flags.domains,
    poll_tick_ns: s.flags["poll-tick"],
    max_decisions: s.flags["max-decisions"],
    program: contentHash(s.program),
    input: s.input === null ? null : contentHash(s.input),
  };
}

/** A scenario's run: the result, the whole decision trace text, and what was sent out. */
export interface ScenarioRun {
  readonly result: SimulationResult;
  readonly trace: string;
  readonly outgoing: Outgoing[];
}

/** Runs a scenario on `engine`, as `miou sim` would with its flags. */
export async function runScenario(s: Scenario, engine: Engine): Promise<ScenarioRun> {
  const lines = [headerLine(scenarioHeader(s))];
  const outgoing: Outgoing[] = [];
  const result = await simulate({
    engine,
    program: s.program.toString("utf8"),
    programFile: join(s.dir, "program.js"),
    events: s.events,
    seed: s.flags.seed,
    domains: s.flags.domains,
    maxDecisions: s.flags["max-decisions"],
    pollTick_ns: s.flags["poll-tick"],
    onLine: (line) => lines.push(line),
    onOutgoing: (record) => outgoing.push(record),
  });
  return { result, trace: lines.join("\n") + "\n", outgoing };
}
