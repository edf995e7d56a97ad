/** The exit codes of every `miou` command (DESIGN §7): one table for all of them. */
export const ExitCode = {
  /** Success. */
  Ok: 0,
  /** The program failed (main threw). */
  Failed: 1,
  /** Bad usage or bad input (flags, input trace, decision trace, program that does not load). */
  Usage: 2,
  /** Deadlock: nothing could ever make progress. */
  Deadlock: 3,
  /** The guest was stopped: decision budget (livelock), stack, memory or CPU budget. */
  Stopped: 4,
  /** A replay diverged from its log. */
  Diverged: 5,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** How a run can end, as the commands name it. */
export type EndKind = "ok" | "failed" | "host-failed" | "bad-program" | "deadlock" | "livelock" | "stopped" | "guest-stopped" | "diverged";

const BY_END: Readonly<Record<EndKind, ExitCode>> = {
  ok: ExitCode.Ok,
  failed: ExitCode.Failed,
  "host-failed": ExitCode.Failed,
  "bad-program": ExitCode.Usage,
  deadlock: ExitCode.Deadlock,
  livelock: ExitCode.Stopped,
  stopped: ExitCode.Stopped,
  "guest-stopped": ExitCode.Stopped,
  diverged: ExitCode.Diverged,
};

/** The exit code of a run that ended with `kind` (DESIGN §7), whichever command ran it. */
export function endExitCode(kind: EndKind): ExitCode {
  return BY_END[kind];
}
