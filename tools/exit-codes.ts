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
