/**
 * Exports a decision trace as Chrome Trace Event JSON, which Perfetto (ui.perfetto.dev)
 * and chrome://tracing open: a process per domain, a track per task, run slices as
 * complete events, suspensions as async slices, instants for signals, cancels and glue
 * records (host events, logs...), flow arrows from a spawn to the child's first slice
 * and from a signal to the slice that resumes the task.
 *
 * Placement: virtual time stands still while tasks run, so most decisions share an
 * instant. Each record gets a display time `max(t, previous display time + 1 ns)`:
 * records stay in seq order, slices get a width and nest, and wherever virtual time
 * moves faster than one decision per ns the display time is exactly the virtual time.
 * Every event carries the record's real `seq` and `t_ns` in its args. `ts` and `dur` are
 * in microseconds, as the format wants (fractions give the ns).
 */
import type { DecisionRecord } from "./decision-records.js";
import type { DecisionTrace } from "./decision-trace.js";

/** One Chrome Trace Event (the subset this export writes). */
export interface TraceEvent {
  readonly name: string;
  readonly ph: "X" | "b" | "e" | "i" | "s" | "f" | "M";
  readonly pid: number;
  readonly tid: number;
  readonly cat?: string;
  /** Microseconds. */
  readonly ts?: number;
  /** Microseconds. */
  readonly dur?: number;
  readonly id?: number;
  /** Instant scope: thread. */
  readonly s?: "t";
  /** Flow end binds to the enclosing slice. */
  readonly bp?: "e";
  readonly args?: Readonly<Record<string, unknown>>;
}

/** A Chrome Trace Event JSON document. */
export interface ChromeTrace {
  readonly traceEvents: TraceEvent[];
  readonly displayTimeUnit: "ns";
  readonly otherData: Readonly<Record<string, unknown>>;
}

/** The scheduler track of a domain (selects, signals, interrupts, host events) has this tid plus the domain's uid. */
export const SCHEDULER_TID = 1_000_000_000;

/** Converts a whole decision trace. @example writeFileSync("run.json", JSON.stringify(toPerfetto(readDecisionTrace("run.jsonl")))) */
export function toPerfetto(trace: DecisionTrace): ChromeTrace {
  const exporter = new Exporter();
  for (const record of trace.records) exporter.add(record);
  return {
    traceEvents: exporter.finish(),
    displayTimeUnit: "ns",
    otherData: { miou: "decisions", ...trace.header, placement: "display time = max(t, previous + 1 ns); real seq and t_ns in args" },
  };
}

interface TaskTrack {
  readonly pid: number;
  readonly tid: number;
  readonly name: string;
  /** The open run slice, if the task is running. */
  run: { start_ns: number; seq: number; t_ns: number } | null;
  /** The open suspension, if the task is parked. */
  parked: { id: number; name: string } | null;
  /** The syscall the task suspended on during its current slice. */
  syscallName: string | null;
  /** Flows waiting for the task's next run slice. */
  pendingFlows: number[];
  started: boolean;
}

const pidOf = (domain: number) => domain + 1;
const us = (ns: number) => ns / 1000;

class Exporter {
  readonly #events: TraceEvent[] = [];
  readonly #tasks = new Map<number, TaskTrack>();
  readonly #domains = new Set<number>();
  /** Syscall uid -> task uid, from suspend records, to place signals' flows. */
  readonly #syscalls = new Map<number, number>();
  #display_ns = -1;
  #nextId = 1;
  /** The task whose run slice is open, for records that name no track. */
  #running: number | null = null;
  /** The open select slice: a select record and the signals that follow it. */
  #select: { domain: number; start_ns: number; end_ns: number; args: Record<string, unknown> } | null = null;

  add(record: DecisionRecord): void {
    const at_ns = (this.#display_ns = Math.max(record.t, this.#display_ns + 1));
    const args = { seq: record.seq, t_ns: record.t };
    // A select slice holds its signals and the wakes they cause; anything else closes it.
    if (this.#select !== null && record.kind !== "signal" && record.kind !== "wake") this.#closeSelect();
    if (this.#select !== null) this.#select.end_ns = at_ns + 1;
    switch (record.kind) {
      case "spawn":
        this.#spawn(record, at_ns, args);
        break;
      case "run":
        this.#runBegins(record.task as number, at_ns, record.seq, record.t);
        break;
      case "ran":
        this.#runEnds(record.task as number, at_ns, record.then as string);
        break;
      case "suspend": {
        const track = this.#task(record.task as number);
        track.syscallName = record.name as string;
        this.#syscalls.set(record.syscall as number, record.task as number);
        this.#instant(track, `suspend on syscall ${String(record.syscall)} (${String(record.name)})`, at_ns, args);
        break;
      }
      case "select":
        this.#domain(record.domain as number);
        this.#select = { domain: record.domain as number, start_ns: at_ns, end_ns: at_ns + 1, args: { ...args, block: record.block, cancelled: record.cancelled, signals: record.signals } };
        break;
      case "signal":
        this.#signal(record, at_ns, args);
        break;
      case "cancel":
        this.#instant(this.#task(record.task as number), `cancel (by task ${String(record.by)})`, at_ns, args);
        break;
      case "cancelled":
        this.#instant(this.#task(record.task as number), "cancelled", at_ns, args);
        break;
      case "finish":
        this.#instant(this.#task(record.task as number), record.ok === true ? "finish ok" : `finish error ${errorName(record.error)}`, at_ns, { ...args, error: record.error });
        break;
      case "interrupt":
        this.#instant(this.#schedulerTrack(record.domain as number), "interrupt", at_ns, args);
        break;
      default:
        this.#glueInstant(record, at_ns, args);
    }
  }

  finish(): TraceEvent[] {
    this.#closeSelect();
    const end_ns = this.#display_ns + 1;
    for (const [uid, track] of this.#tasks) {
      if (track.run !== null) this.#runEnds(uid, end_ns, "trace ended");
      if (track.parked !== null) this.#events.push({ name: track.parked.name, cat: "suspension", ph: "e", id: track.parked.id, pid: track.pid, tid: track.tid, ts: us(end_ns) });
    }
    const metadata: TraceEvent[] = [];
    for (const domain of [...this.#domains].sort((a, b) => a - b)) {
      const pid = pidOf(domain);
      metadata.push({ name: "process_name", ph: "M", pid, tid: 0, args: { name: `domain ${domain}` } });
      metadata.push({ name: "process_sort_index", ph: "M", pid, tid: 0, args: { sort_index: domain } });
      metadata.push({ name: "thread_name", ph: "M", pid, tid: SCHEDULER_TID + domain, args: { name: `domain ${domain} scheduler` } });
      metadata.push({ name: "thread_sort_index", ph: "M", pid, tid: SCHEDULER_TID + domain, args: { sort_index: -1 } });
    }
    for (const [uid, track] of this.#tasks) {
      metadata.push({ name: "thread_name", ph: "M", pid: track.pid, tid: track.tid, args: { name: `task ${uid} (${track.name})` } });
      metadata.push({ name: "thread_sort_index", ph: "M", pid: track.pid, tid: track.tid, args: { sort_index: uid } });
    }
    return [...metadata, ...this.#events];
  }

  #spawn(record: DecisionRecord, at_ns: number, args: Record<string, unknown>): void {
    const uid = record.task as number;
    const domain = record.domain as number;
    this.#domain(domain);
    const track: TaskTrack = { pid: pidOf(domain), tid: uid, name: record.name as string, run: null, parked: null, syscallName: null, pendingFlows: [], started: false };
    this.#tasks.set(uid, track);
    const parent = this.#tasks.get(record.parent as number);
    // The spawn happens inside the parent's run slice, which the flow's start binds to.
    if (parent !== undefined && parent.run !== null) {
      const id = this.#nextId++;
      this.#events.push({ name: "spawn", cat: "spawn", ph: "s", id, pid: parent.pid, tid: parent.tid, ts: us(at_ns), args });
      track.pendingFlows.push(id);
      this.#instant(parent, `spawn task ${uid} (${track.name})`, at_ns, args);
    }
  }

  #runBegins(uid: number, at_ns: number, seq: number, t_ns: number): void {
    const track = this.#task(uid);
    if (track.parked !== null) {
      this.#events.push({ name: track.parked.name, cat: "suspension", ph: "e", id: track.parked.id, pid: track.pid, tid: track.tid, ts: us(at_ns) });
      track.parked = null;
    }
    track.run = { start_ns: at_ns, seq, t_ns };
    track.syscallName = null;
    this.#running = uid;
    for (const id of track.pendingFlows) {
      this.#events.push({ name: track.started ? "resume" : "spawn", cat: track.started ? "signal" : "spawn", ph: "f", bp: "e", id, pid: track.pid, tid: track.tid, ts: us(at_ns) });
    }
    track.pendingFlows = [];
    track.started = true;
  }

  #runEnds(uid: number, at_ns: number, then: string): void {
    const track = this.#task(uid);
    if (this.#running === uid) this.#running = null;
    const run = track.run;
    if (run === null) return;
    track.run = null;
    this.#events.push({
      name: `task ${uid} (${track.name})`,
      cat: "run",
      ph: "X",
      pid: track.pid,
      tid: track.tid,
      ts: us(run.start_ns),
      dur: us(at_ns - run.start_ns),
      args: { seq: run.seq, t_ns: run.t_ns, then },
    });
    if (then === "parked") {
      const id = this.#nextId++;
      const name = track.syscallName ?? "parked";
      track.parked = { id, name };
      this.#events.push({ name, cat: "suspension", ph: "b", id, pid: track.pid, tid: track.tid, ts: us(at_ns) });
    }
  }

  #signal(record: DecisionRecord, at_ns: number, args: Record<string, unknown>): void {
    const domain = record.domain as number;
    const scheduler = this.#schedulerTrack(domain);
    this.#instant(scheduler, `signal syscall ${String(record.syscall)}`, at_ns, args);
    const task = this.#tasks.get(this.#syscalls.get(record.syscall as number) ?? -1);
    // The flow starts inside the select slice; without one (a trace cut short) there is no arrow.
    if (task !== undefined && this.#select !== null) {
      const id = this.#nextId++;
      this.#events.push({ name: "resume", cat: "signal", ph: "s", id, pid: scheduler.pid, tid: scheduler.tid, ts: us(at_ns), args });
      task.pendingFlows.push(id);
    }
  }

  #closeSelect(): void {
    const select = this.#select;
    if (select === null) return;
    this.#select = null;
    const track = this.#schedulerTrack(select.domain);
    const name = (select.args.block === true ? "select (block)" : "select") + ((select.args.signals as unknown[]).length > 0 ? " -> signals" : "");
    this.#events.push({ name, cat: "select", ph: "X", pid: track.pid, tid: track.tid, ts: us(select.start_ns), dur: us(select.end_ns - select.start_ns), args: select.args });
  }

  /** Glue records (polls, host events, logs, outgoing records, draws, the end): instants where they happened. */
  #glueInstant(record: DecisionRecord, at_ns: number, args: Record<string, unknown>): void {
    const { seq: _seq, t: _t, kind, ...fields } = record;
    const task = typeof fields.task === "number" ? this.#tasks.get(fields.task) : undefined;
    const running = this.#running === null ? undefined : this.#tasks.get(this.#running);
    const track = task ?? (typeof fields.domain === "number" ? this.#schedulerTrack(fields.domain) : (running ?? this.#schedulerTrack(0)));
    this.#instant(track, kind, at_ns, { ...args, ...fields });
  }

  #instant(track: { pid: number; tid: number }, name: string, at_ns: number, args: Record<string, unknown>): void {
    this.#events.push({ name, ph: "i", s: "t", pid: track.pid, tid: track.tid, ts: us(at_ns), args });
  }

  #task(uid: number): TaskTrack {
    const track = this.#tasks.get(uid);
    if (track !== undefined) return track;
    // A record about a task whose spawn is not in the trace: give it a track on dom0.
    const made: TaskTrack = { pid: pidOf(0), tid: uid, name: "unknown", run: null, parked: null, syscallName: null, pendingFlows: [], started: true };
    this.#domain(0);
    this.#tasks.set(uid, made);
    return made;
  }

  #schedulerTrack(domain: number): { pid: number; tid: number } {
    this.#domain(domain);
    return { pid: pidOf(domain), tid: SCHEDULER_TID + domain };
  }

  #domain(domain: number): void {
    this.#domains.add(domain);
  }
}

function errorName(error: unknown): string {
  return typeof error === "object" && error !== null && typeof (error as { name?: unknown }).name === "string" ? (error as { name: string }).name : "";
}
