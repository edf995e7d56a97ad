/**
 * What counts as a failing run in an exploration (DESIGN §6), and its exit code (DESIGN
 * §7). Two failures are the same when their kind, error name and message are (see sameFailure).
 */
import type { SimulationEnd } from "../simulate.js";

/**
 * - `error`: the program threw (main, or a task whose error reached main);
 * - `rule`: a Miou rule was broken (a child left behind, a promise awaited by a stranger...);
 * - `invariant`: a `Miou.assert` failed (even if the program caught it);
 * - `deadlock`: every task waits and nothing will ever come;
 * - `livelock`: the decision budget ran out;
 * - `stopped`: the embedder stopped the guest (CPU budget, memory, stack).
 */
export type FailureKind = "error" | "rule" | "invariant" | "deadlock" | "livelock" | "stopped";

export interface Failure {
  readonly kind: FailureKind;
  readonly name: string;
  readonly message: string;
}

/** The errors the core raises when a program breaks one of Miou's rules. */
const RULE_ERRORS = new Set([
  "StillHasChildren",
  "NotAChild",
  "NoDomainAvailable",
  "NoSelectProvided",
  "ResourceLeaked",
  "NotOwner",
  "MutexError",
  "LazyUndefined",
]);

/** A program that does not load: no seed can run it (exit 2, not a failure of a seed). */
export class BadProgram extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BadProgram";
  }
}

/**
 * The failure a run ended with, or null when main returned.
 * @throws BadProgram when the program did not load.
 */
export function failureOf(end: SimulationEnd): Failure | null {
  switch (end.kind) {
    case "ok":
      return null;
    case "bad-program":
      throw new BadProgram(`${end.error.name}: ${end.error.message}`);
    case "deadlock":
      return { kind: "deadlock", name: end.error.name, message: end.error.message };
    case "livelock":
      return { kind: "livelock", name: end.error.name, message: end.error.message };
    case "guest-stopped":
      return { kind: "stopped", name: end.error.name, message: end.error.message };
    case "failed": {
      const { name, message } = end.error;
      const kind: FailureKind = name === "InvariantFailed" ? "invariant" : RULE_ERRORS.has(name) ? "rule" : "error";
      return { kind, name, message };
    }
  }
}

/**
 * Whether two failures are the same: same kind, error name and message. A deadlock's
 * message lists the waiting tasks by uid, with their syscall uids and deadlines, which
 * change as soon as an event is dropped; those numbers are left out of the comparison
 * (the domains are kept), so that a deadlock can be shrunk.
 */
export function sameFailure(a: Failure, b: Failure): boolean {
  return a.kind === b.kind && a.name === b.name && comparable(a) === comparable(b);
}

function comparable(f: Failure): string {
  return f.kind === "deadlock" ? f.message.replace(/(?<!domain )\b\d+\b/g, "#") : f.message;
}

/** The DESIGN §7 exit code of a failure: 1 failed, 3 deadlock, 4 stopped (livelock included). */
export function failureExitCode(kind: FailureKind): 1 | 3 | 4 {
  switch (kind) {
    case "deadlock":
      return 3;
    case "livelock":
    case "stopped":
      return 4;
    default:
      return 1;
  }
}

const KIND_TEXT: Record<FailureKind, string> = {
  error: "the program threw",
  rule: "a Miou rule was broken",
  invariant: "an invariant failed",
  deadlock: "deadlock",
  livelock: "livelock",
  stopped: "the guest was stopped",
};

/**
 * One line: the kind, then the error's name and the first line of its message.
 * @example describeFailure({ kind: "invariant", name: "InvariantFailed", message: "x < 0" }) // "an invariant failed: InvariantFailed: x < 0"
 */
export function describeFailure(f: Failure): string {
  return `${KIND_TEXT[f.kind]}: ${f.name}: ${f.message.split("\n")[0]}`;
}
