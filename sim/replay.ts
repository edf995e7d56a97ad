/**
 * Replay (DESIGN §6): runs a program on a host that answers from a recorded boundary log
 * (replay-host.ts), with the run's options taken from the log's header, on any engine.
 * A faithful replay makes the very decisions of the recorded run; the first call that
 * differs ends it with a divergence, reported with the decisions made before it. A log
 * that ends in a `stop` record replays up to the stop.
 */
import type { Outgoing } from "../platform/host.js";
import type { Engine } from "../platform/quickjs/guest.js";
import { runProgram, type ErrorInfo, type RunEnd, type WaitingTask } from "../platform/quickjs/embedder.js";
import type { BoundaryLog, BoundaryStop } from "./boundary-log.js";
import { contentHash } from "./decision-header.js";
import { ReplayHost, type Divergence } from "./replay-host.js";

/** Decisions kept for a divergence report. */
export const CONTEXT_DECISIONS = 5;

/** Options of {@link replay}. */
export interface ReplayOptions {
  /** The engine to replay on; default the one that recorded the log. */
  readonly engine?: Engine;
  /** The program's source (the recorded program, or one to check against the log). */
  readonly program: string;
  /** The program's file name, for the guest's stack traces and messages. */
  readonly programFile: string;
  readonly log: BoundaryLog;
  /** Receives each decision trace line (no newline), in order, up to the divergence or the stop. */
  readonly onLine?: (line: string) => void;
  /** Receives each outgoing record, once its call matched the log. */
  readonly onOutgoing?: (record: Outgoing) => void;
  /** The guest bundle's source; default the built dist/miou.js. */
  readonly bundle?: string;
}

/** How a replay ended: as the recorded run did, or diverged from it. */
export type ReplayEnd =
  | { readonly kind: "ok"; readonly valueJSON: string | undefined }
  | { readonly kind: "failed" | "bad-program" | "livelock"; readonly error: ErrorInfo }
  | { readonly kind: "deadlock"; readonly error: ErrorInfo; readonly waiting: readonly WaitingTask[] }
  /** The replay reached the log's stop record: the recorded run was stopped there. */
  | { readonly kind: "stopped"; readonly stop: BoundaryStop; readonly error: ErrorInfo }
  /** The program asked for something the log does not hold, or sent other output. */
  | { readonly kind: "diverged"; readonly divergence: Divergence; readonly before: readonly string[] };

/** A finished replay. */
export interface ReplayResult {
  readonly end: ReplayEnd;
  readonly engine: Engine;
  /** Decision records made (up to the divergence or the stop). */
  readonly decisions: number;
  /** Calls answered from the log. */
  readonly answered: number;
  /** Whether the program's text is the recorded one (its hash is the header's). */
  readonly sameProgram: boolean;
}

/**
 * Replays `options.log` with `options.program`.
 * @example
 * const r = await replay({ program, programFile: "p.js", log: readBoundaryLog("run.boundary.jsonl") });
 * if (r.end.kind === "diverged") console.error(`diverged at call ${r.end.divergence.call}`);
 */
export async function replay(options: ReplayOptions): Promise<ReplayResult> {
  const { header } = options.log;
  const engine = options.engine ?? header.engine;
  const before: string[] = [];
  let decisions = 0;
  const host = new ReplayHost(options.log, { onOutgoing: options.onOutgoing, decisions: () => decisions });
  const onLine = options.onLine;
  const result = await runProgram({
    engine,
    program: options.program,
    programFile: options.programFile,
    host,
    seed: header.seed,
    domains: header.domains,
    pollEvery: header.poll_every,
    cpuBudgetMs: header.cpu_budget_ms,
    ...(header.memory_limit_mb === null ? {} : { memoryLimitMB: header.memory_limit_mb }),
    ...(options.bundle === undefined ? {} : { bundle: options.bundle }),
    // The embedder hands over every line made before a call before the call itself: the
    // lines that come once the replay is over were made after its divergence or stop.
    onLine: (line) => {
      if (host.over) return;
      decisions++;
      before.push(line);
      if (before.length > CONTEXT_DECISIONS) before.shift();
      onLine?.(line);
    },
  });
  const end = replayEnd(result.end, host, before);
  return { end, engine, decisions, answered: host.answered, sameProgram: contentHash(options.program) === header.program };
}

function replayEnd(end: RunEnd, host: ReplayHost, before: string[]): ReplayEnd {
  // Only a run that ended by itself can still find the log holding more.
  const divergence = end.kind === "stopped" ? host.stopped(end.error.message) : end.kind === "host-failed" ? host.divergence : host.finish();
  if (divergence !== null) return { kind: "diverged", divergence, before: before.slice(-CONTEXT_DECISIONS) };
  const stop = host.reachedStop;
  if (stop !== null) return { kind: "stopped", stop, error: { name: "GuestStopped", message: stop.message } };
  switch (end.kind) {
    case "host-failed":
      // The recorded host threw at this call, and the replay threw the same error.
      return { kind: "failed", error: { name: "HostFailed", message: end.error.message } };
    case "stopped":
      throw new Error("replay: a stop is either the recorded one or a divergence");
    default:
      return end;
  }
}

/**
 * The divergence report: where, what the log holds and what came, and the last decisions
 * before it.
 * @example
 * // replay diverged at call 7 (run.boundary.jsonl:8)
 * //   the log holds: out[0] {"sink":"stdout","data":"b woke"}
 * //   the program made: out[0] {"sink":"stdout","data":"B woke"}
 * // the last decisions before it (37 in all):
 * //   {"seq":33,"t":2000000000,"kind":"run","task":3,"domain":0}
 */
export function divergenceReport(end: Extract<ReplayEnd, { kind: "diverged" }>, logFile: string): string {
  const { divergence, before } = end;
  const where = divergence.logLine === null ? `${logFile} ends before it` : `${logFile}:${divergence.logLine}`;
  const lines = [
    `replay diverged at call ${divergence.call} (${where})`,
    `  the log holds:    ${divergence.holds}`,
    `  the program made: ${divergence.came}`,
  ];
  if (before.length === 0) lines.push("no decision was made before it");
  else lines.push(`the last decisions before it (${divergence.decisions} in all):`, ...before.map((line) => `  ${line}`));
  return lines.join("\n");
}
