/**
 * Structural checks of a Chrome Trace Event export, as Perfetto reads it: complete
 * events nest on every track, async begin/end and flow start/finish pair up by id, flow
 * ends bind to slices, every track is named, and `ts` is in microseconds.
 */
import type { ChromeTrace, TraceEvent } from "../../sim/perfetto.js";

/** Every structural problem of `trace`; empty when it is well formed. */
export function perfettoProblems(trace: ChromeTrace): string[] {
  const problems: string[] = [];
  const events = trace.traceEvents;
  const timed = events.filter((e) => e.ph !== "M");
  const track = (e: { pid: number; tid: number }) => `${e.pid}/${e.tid}`;
  // ns from µs, rounded: fractions of a µs carry the ns and must stay exact.
  const ns = (us: number) => Math.round(us * 1000);

  for (const e of timed) {
    if (typeof e.ts !== "number" || !Number.isFinite(e.ts) || e.ts < 0) problems.push(`${e.name}: bad ts ${String(e.ts)}`);
    else if (Math.abs(e.ts * 1000 - ns(e.ts)) > 1e-3) problems.push(`${e.name}: ts ${e.ts} is not a whole number of ns in µs`);
    const t_ns = e.args?.t_ns;
    // Display time is never before the virtual time, and only a few ns after it here.
    if (typeof t_ns === "number" && typeof e.ts === "number" && (ns(e.ts) < t_ns || ns(e.ts) > t_ns + 100_000)) {
      problems.push(`${e.name}: ts ${e.ts} µs is not at its virtual time ${t_ns} ns`);
    }
  }

  // Complete events nest on every track: each starts after its enclosing slice's start
  // and ends before that slice's end, or starts after it ended.
  const slices = new Map<string, TraceEvent[]>();
  for (const e of timed) if (e.ph === "X") slices.set(track(e), [...(slices.get(track(e)) ?? []), e]);
  for (const [key, list] of slices) {
    list.sort((a, b) => ns(a.ts!) - ns(b.ts!) || ns(b.dur!) - ns(a.dur!));
    const open: Array<{ end: number; name: string }> = [];
    for (const e of list) {
      if (typeof e.dur !== "number" || e.dur <= 0) problems.push(`${key} ${e.name}: dur must be positive, got ${String(e.dur)}`);
      const start = ns(e.ts!);
      const end = start + ns(e.dur ?? 0);
      while (open.length > 0 && open.at(-1)!.end <= start) open.pop();
      const parent = open.at(-1);
      if (parent !== undefined && end > parent.end) problems.push(`${key}: ${e.name} [${start}, ${end}) overlaps ${parent.name} ending at ${parent.end}`);
      open.push({ end, name: e.name });
    }
  }
  const enclosed = (e: TraceEvent, startsThere: boolean) =>
    (slices.get(track(e)) ?? []).some((x) => {
      const start = ns(x.ts!);
      return startsThere ? start === ns(e.ts!) : start <= ns(e.ts!) && ns(e.ts!) < start + ns(x.dur!);
    });

  // Async slices and flows pair up by id.
  for (const [begin, finish, what] of [["b", "e", "async slice"], ["s", "f", "flow"]] as const) {
    const byId = new Map<number, { begin: TraceEvent[]; end: TraceEvent[] }>();
    for (const e of timed) {
      if (e.ph !== begin && e.ph !== finish) continue;
      if (typeof e.id !== "number") {
        problems.push(`${what} ${e.name} has no id`);
        continue;
      }
      const pair = byId.get(e.id) ?? { begin: [], end: [] };
      (e.ph === begin ? pair.begin : pair.end).push(e);
      byId.set(e.id, pair);
    }
    for (const [id, pair] of byId) {
      if (pair.begin.length !== 1 || pair.end.length !== 1) {
        problems.push(`${what} id ${id}: ${pair.begin.length} "${begin}" and ${pair.end.length} "${finish}" events`);
        continue;
      }
      const [b, e] = [pair.begin[0]!, pair.end[0]!];
      if (b.cat !== e.cat || b.name !== e.name) problems.push(`${what} id ${id}: begin and end differ in cat or name`);
      if (ns(e.ts!) < ns(b.ts!)) problems.push(`${what} id ${id} ends before it begins`);
      if (what === "async slice" && track(b) !== track(e)) problems.push(`async slice id ${id} ends on another track`);
      if (what === "flow") {
        if (!enclosed(b, false)) problems.push(`flow id ${id} starts outside any slice of ${track(b)}`);
        if (e.bp !== "e" || !enclosed(e, true)) problems.push(`flow id ${id} does not end at the start of a slice of ${track(e)}`);
      }
    }
  }

  // Every process and track is named.
  const named = new Set(events.filter((e) => e.ph === "M" && e.name === "thread_name").map(track));
  const processes = new Set(events.filter((e) => e.ph === "M" && e.name === "process_name").map((e) => e.pid));
  for (const e of timed) {
    if (!named.has(track(e))) problems.push(`track ${track(e)} has no thread_name`);
    if (!processes.has(e.pid)) problems.push(`process ${e.pid} has no process_name`);
  }
  return [...new Set(problems)];
}
