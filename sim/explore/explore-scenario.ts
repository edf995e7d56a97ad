/**
 * Exploration scenarios (docs/formats.md, "Exploration scenario"): a program with a known
 * bug, its corrected version, an input, the `miou explore` flags that find the bug within
 * a stated number of seeds, and control flags under which it never shows.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { FormatError } from "../format-error.js";
import { isObject } from "../json-lines.js";
import { listScenarios } from "../scenario.js";
import type { FailureKind } from "./failure.js";

/** `miou explore` flags a scenario sets. */
export interface ExploreFlags {
  readonly domains: number;
  readonly policy: string;
  readonly faults: string;
}

export interface ExploreScenario {
  readonly name: string;
  readonly dir: string;
  readonly description: string;
  /** The kind of choice the bug needs: "domain interleaving", "input fault", "timing". */
  readonly bug: string;
  readonly flags: ExploreFlags;
  /** Seeds (from 0) within which exploration finds the bug. */
  readonly foundWithin: number;
  readonly expect: { readonly kind: FailureKind; readonly error: string; readonly message?: string; readonly exit: number };
  /** Flags under which buggy.js passes every one of those seeds. */
  readonly control: ExploreFlags;
  readonly buggy: string;
  readonly fixed: string;
  /** input.jsonl's path, or null. */
  readonly input: string | null;
}

const FIELDS = ["description", "bug", "flags", "found_within", "expect", "control"];
const FLAG_FIELDS = ["domains", "policy", "faults"];

/** The folders under `root` that hold an explore.json, sorted by name. */
export function listExploreScenarios(root: string): string[] {
  return listScenarios(root, "explore.json");
}

/**
 * Reads the exploration scenario in `dir`.
 * @throws FormatError naming what is wrong in explore.json.
 */
export function loadExploreScenario(dir: string, name: string): ExploreScenario {
  const file = join(dir, "explore.json");
  const bad = (message: string) => new FormatError([{ file, line: 0, message }]);
  const spec: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (!isObject(spec)) throw bad("must be a JSON object");
  for (const key of Object.keys(spec)) if (!FIELDS.includes(key)) throw bad(`unknown field ${JSON.stringify(key)} (known: ${FIELDS.join(", ")})`);
  const flags = readFlags(spec.flags, { domains: 0, policy: "random", faults: "none" }, bad);
  const expect = spec.expect;
  if (!isObject(expect) || typeof expect.kind !== "string" || typeof expect.error !== "string" || typeof expect.exit !== "number") {
    throw bad('"expect" must be {"kind", "error", "exit"} with an optional "message"');
  }
  if (!Number.isSafeInteger(spec.found_within) || (spec.found_within as number) < 1) throw bad('"found_within" must be a positive number of seeds');
  const input = join(dir, "input.jsonl");
  return {
    name,
    dir,
    description: String(spec.description ?? ""),
    bug: String(spec.bug ?? ""),
    flags,
    foundWithin: spec.found_within as number,
    expect: expect as unknown as ExploreScenario["expect"],
    control: readFlags(spec.control ?? {}, flags, bad),
    buggy: join(dir, "buggy.js"),
    fixed: join(dir, "fixed.js"),
    input: existsSync(input) ? input : null,
  };
}

function readFlags(value: unknown, defaults: ExploreFlags, bad: (message: string) => Error): ExploreFlags {
  if (!isObject(value)) throw bad("flags must be an object");
  for (const key of Object.keys(value)) if (!FLAG_FIELDS.includes(key)) throw bad(`unknown flag ${JSON.stringify(key)} (known: ${FLAG_FIELDS.join(", ")})`);
  return { ...defaults, ...(value as Partial<ExploreFlags>) };
}

/** The `miou explore` arguments of a program with these flags. */
export function exploreArgs(flags: ExploreFlags): string[] {
  return ["--domains", String(flags.domains), "--policy", flags.policy, "--faults", flags.faults];
}
