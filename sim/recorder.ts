/**
 * The recorder (DESIGN §6): a host wrapper that writes every `now()` and `select()` call
 * of a guest, with its arguments and its answer, to a boundary log (boundary-log.ts) as
 * the call returns, so that a killed run leaves a valid prefix. `recordProgram` runs a
 * program on any host (the real one, or the simulator's) through the recorder, and ends
 * the log with a `stop` record when the embedder stopped the guest.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { bytesOf, encodeBase64 } from "../platform/bytes.js";
import type { Host, HostEvent, HostWake, Outgoing } from "../platform/host.js";
import { POLL_EVERY } from "../platform/run-on.js";
import { DEFAULT_CPU_BUDGET_MS, runProgram, type EmbedOptions, type RunResult } from "../platform/quickjs/embedder.js";
import { errorInfo, type StopReason } from "../platform/quickjs/stops.js";
import { boundaryHeaderLine, nowLine, selectLine, stopLine, type BoundaryHeader } from "./boundary-log.js";
import { contentHash } from "./decision-header.js";

/** Receives each line of a boundary log (without its newline), in order. */
export type LogLineSink = (line: string) => void;

/**
 * A host that answers from `host` and logs each call on `sink`. It changes nothing: the
 * guest gets the wrapped host's answers and errors as they are.
 *
 * @example
 * const log = openBoundaryLog("run.boundary.jsonl");
 * await recordProgram({ engine: "quickjs", program, host: new RealHost() }, log.write);
 * log.close();
 */
export class BoundaryRecorder implements Host {
  #calls = 0;

  constructor(
    readonly host: Host,
    readonly sink: LogLineSink,
  ) {}

  /** Calls made so far: the number of the last one. */
  get calls(): number {
    return this.#calls;
  }

  now(): number {
    const call = ++this.#calls;
    let now: number;
    try {
      now = this.host.now();
    } catch (error) {
      this.sink(nowLine(call, { error: errorInfo(error) }));
      throw error;
    }
    this.sink(nowLine(call, { now }));
    return now;
  }

  select(deadline: number | null, out: Outgoing[]): HostWake {
    const call = ++this.#calls;
    // Logged as the guest sent them, before the host may keep or change the array.
    const sent = out.slice();
    let wake: HostWake;
    try {
      wake = this.host.select(deadline, out);
    } catch (error) {
      this.sink(selectLine(call, deadline, sent, { error: errorInfo(error) }));
      throw error;
    }
    this.sink(selectLine(call, deadline, sent, { now: wake.now, events: wake.events.map(jsonEvent), idle: wake.idle === true }));
    return wake;
  }

  /** Ends the log: the embedder stopped the guest after the last call. */
  stop(reason: StopReason, message: string): void {
    this.sink(stopLine(this.#calls, reason, message));
  }
}

/** An event as the log holds it: bytes from a producer become `{"base64": ...}`. */
function jsonEvent(event: HostEvent): HostEvent {
  const bytes = bytesOf(event.data);
  if (bytes !== null) return { source: event.source, data: { base64: encodeBase64(bytes) } };
  return event.data === undefined ? { source: event.source } : { source: event.source, data: event.data };
}

/** A boundary log file being written: one system call per line, nothing buffered. */
export interface BoundaryLogFile {
  readonly write: LogLineSink;
  close(): void;
}

/**
 * Creates (or truncates) the file at `path`. Each line is written whole as it comes, so
 * a killed run leaves a valid prefix.
 * @throws the file system's error when the file cannot be created.
 */
export function openBoundaryLog(path: string): BoundaryLogFile {
  let fd: number | null = openSync(path, "w");
  const write = (line: string): void => {
    if (fd !== null) writeSync(fd, line + "\n");
  };
  return {
    write,
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}

/** The header of a recording of `options`' run. */
export function recordingHeader(options: EmbedOptions, input: string | null): BoundaryHeader {
  return {
    engine: options.engine,
    seed: options.seed ?? 0,
    domains: options.domains ?? 0,
    poll_every: options.pollEvery ?? POLL_EVERY,
    cpu_budget_ms: options.cpuBudgetMs ?? DEFAULT_CPU_BUDGET_MS,
    memory_limit_mb: options.memoryLimitMB ?? null,
    program: contentHash(options.program),
    input,
  };
}

/**
 * Runs a program with the embedder on `options.host` through a recorder writing to
 * `log`: its header first (options.input: the hash of the input trace fed to the run, if
 * any), then every call, then a `stop` record when the embedder stopped the guest.
 * @example
 * const lines: string[] = [];
 * await recordProgram({ engine: "quickjs", program, host: new VirtualHost({ events: [] }) }, (l) => lines.push(l));
 */
export async function recordProgram(options: EmbedOptions & { readonly input?: string | null }, log: LogLineSink): Promise<RunResult> {
  const { input = null, ...embed } = options;
  log(boundaryHeaderLine(recordingHeader(embed, input)));
  const recorder = new BoundaryRecorder(embed.host, log);
  const result = await runProgram({ ...embed, host: recorder });
  if (result.end.kind === "stopped") recorder.stop(result.end.error.reason, result.end.error.message);
  return result;
}
