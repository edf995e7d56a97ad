/** The text of `miou --help`: every command, option and exit code. */
export const HELP = `miou: run Miou programs on a simulated host, and look at what they did.

Usage:
  miou sim PROGRAM.js [options]        run PROGRAM.js over virtual time
  miou export TRACE.jsonl --perfetto OUT.json
                                       turn a decision trace into a Perfetto timeline
  miou --help                          this text

miou sim PROGRAM.js
  PROGRAM.js is a plain script that defines function* main() and uses the global Miou
  (Miou.sleep, Miou.recv, Miou.send, console.log...). It runs on a virtual clock that
  starts at 0 and stands still while tasks run: a select jumps it to the next deadline
  or input event at once, so a 10 s sleep takes no real time. It prints what the
  program logs, then main's value as JSON (undefined prints as null) and a summary line
  (virtual time, decisions, input events delivered and left); on failure, the error's
  name and message, with a report for a deadlock or a livelock.

  --input FILE.jsonl     input trace: external events at virtual times (docs/formats.md)
  --seed N               seed of the run's PRNG, in [0, 2^32); default 0
  --domains N            extra domains besides dom0, in [0, 256]; default 0
  --engine E             node | quickjs | quickjs-ng; default quickjs
                         (node runs the program in a vm context holding the same
                         globals as the QuickJS guest)
  --trace OUT.jsonl      write the decision trace: a header line, then one record per
                         decision; byte-identical on every engine after the header
  --perfetto OUT.json    write the run as a Chrome Trace Event file for Perfetto
  --result OUT.json      write {"ok": true, "value": ...} or
                         {"ok": false, "error": {"name": ..., "message": ...}}
  --max-decisions N      stop a run that makes N decisions without finishing (a
                         livelock, exit 4); default 10000000
  --poll-tick NS         move virtual time by NS ns on every poll, for programs that
                         busy-wait on the clock; default 0

miou export TRACE.jsonl --perfetto OUT.json
  Reads a decision trace written by miou sim --trace (checking its version and every
  field) and writes Chrome Trace Event JSON: a process per domain, a track per task,
  run slices, suspensions, signals, cancels and host events. Open it at
  https://ui.perfetto.dev.

Exit codes (every command):
  0  success
  1  the program failed (main threw)
  2  bad usage or bad input (flags, input trace, decision trace, a program that does
     not load or defines no main); bad files are reported as FILE:LINE: what is wrong
  3  deadlock: every task waits and nothing will ever come
  4  the guest was stopped: --max-decisions reached (livelock), stack or memory
     exhausted under a task, or 5 s of CPU without a host call (a loop with no
     operation in it)
  5  a replay diverged
`;
