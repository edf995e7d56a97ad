/** The text of `miou --help`: every command, option and exit code. */
export const HELP = `miou: run Miou programs on a simulated host, and look at what they did.

Usage:
  miou sim PROGRAM.js [options]        run PROGRAM.js over virtual time
  miou run PROGRAM.js [options]        run PROGRAM.js on the real clock, inside QuickJS
  miou replay PROGRAM.js BOUNDARY.jsonl [options]
                                       replay a run recorded with miou run --record
  miou diff A.jsonl B.jsonl            the first decision where two decision traces differ
  miou export TRACE.jsonl --perfetto OUT.json
                                       turn a decision trace into a Perfetto timeline
  miou explore PROGRAM.js --seeds N [options]
                                       run PROGRAM.js under many seeds and report the
                                       lowest failing one, with its reproduction command
  miou shrink PROGRAM.js --failure DIR shrink a failure found by miou explore
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
  --schedule FILE        make exactly the choices of a schedule written by miou explore
                         (domain picks, random draws, clock jumps; docs/formats.md); its
                         seed and domains are used unless given; exit 5 if the run cannot
                         follow it

miou explore PROGRAM.js --seeds N [options]
  Runs PROGRAM.js once per seed. Each seed drives every choice the simulator makes:
  which domain runs next (--policy), tie-breaks, and the faults asked for (--faults).
  A seed fails when the program throws, breaks a Miou rule, deadlocks, livelocks, is
  stopped (CPU budget, memory, stack), or a Miou.assert(cond, message) fails. It
  reports the lowest failing seed (seeds above it are abandoned, seeds below finish),
  writes its folder (--out) and prints the one line that reproduces it, a miou sim
  command. Exits 0 when no seed fails, else with the code of the failure reported.

  --seeds N              how many seeds; default 100
  --from S               the first seed; default 0
  --input FILE.jsonl     the input trace to mutate (docs/formats.md)
  --domains N            extra domains besides dom0, in [0, 256]; default 0
  --policy P             rr (round-robin) | random | pct:D (PCT, depth D, default 3);
                         default random
  --faults SPEC          comma-separated, none by default: drop=P, duplicate=P,
                         delay=P[:D] (later by up to D, default 10ms), reorder=P (after
                         the next event of its source), jitter=P[:D] (moved by up to
                         +-D, default 1ms), clock-jump=P[:D] (the clock leaps D before a
                         host call, default 1s); P in [0, 1], D like 5ms, 1s, 250us.
                         Event faults are decided per seed and original input line
  --workers K            spread the seeds over K worker threads; default 1 (this thread)
  --shard I/M            run only the seeds with seed % M == I (0-based), for CI matrices;
                         the results are the same whatever K and M
  --engine E             node | quickjs | quickjs-ng; default quickjs
  --out DIR              the failure's folder; default miou-explore: failure.json (seed,
                         failure, flags, command), input.jsonl (mutated input),
                         faults.jsonl, schedule.txt, trace.jsonl, timeline.json (Perfetto)
  --keep-going           run every seed and report every failure (in DIR/seed-N)
  --shrink               shrink the reported failure into DIR/shrunk (see miou shrink)
  --max-decisions N, --poll-tick NS   as for miou sim

miou shrink PROGRAM.js --failure DIR
  Delta debugging over the failure's mutated input and schedule: drops events, undoes
  faults, shortens the time horizon and the schedule, as long as the same failure (kind,
  error name and message; for a deadlock, task and syscall numbers aside) still
  happens. Writes the smallest run found to DIR/shrunk (or --out DIR2) with its
  schedule, decision trace and timeline, prints the sizes before and after and its
  reproduction command. Exits with the failure's code (5 when the failure does not
  happen again).

  --max-runs N           runs allowed; default 400
  --max-seconds N        time allowed; default 120 (the smallest run found by then is kept)
  --engine E             default: the engine the failure was found on

miou run PROGRAM.js
  Runs PROGRAM.js as miou sim does, but on the real clock: a 2 s sleep takes 2 s (and
  no CPU). Output, --result and exit codes are miou sim's; the summary line gives the
  real time, the host calls and the events received.

  --engine E             node | quickjs | quickjs-ng; default quickjs
  --domains N            extra domains besides dom0, in [0, 256]; default 0
  --seed N               seed of the run's PRNG, in [0, 2^32); default 0
  --events FILE.jsonl    an input trace (docs/formats.md) fed in real time: each event
                         at its "t" after the program's first clock reading; once the
                         file is exhausted, a program waiting only on events deadlocks
  --record FILE.jsonl    write the boundary log, line by line as the run goes: every
                         now() and select() call with its arguments and answer
                         (docs/formats.md); a run the embedder stops ends with a stop
                         record; miou replay reruns it exactly
  --trace OUT.jsonl      write the decision trace
  --perfetto OUT.json    write the run as a Chrome Trace Event file for Perfetto
  --result OUT.json      write {"ok": true, "value": ...} or {"ok": false, "error": ...}
  --cpu-budget MS        the longest the program may run between two host calls;
                         default 5000 (a loop with no operation in it is stopped, exit 4)
  --memory-limit MB      the most memory the guest may take: QuickJS's wasm memory
                         may grow by at most MB while it runs (on node, the worker's
                         heap); default none (exit 4 when reached)

miou replay PROGRAM.js BOUNDARY.jsonl
  Runs PROGRAM.js on a host that answers every now() and select() from the log, with
  the seed, domains and poll rhythm of its header, at once (no waiting), on any engine.
  A faithful replay makes the very decisions of the recorded run (compare the traces
  with miou diff) and ends as it did, with its exit code. When the program asks for a
  call the log does not hold, or sends other output, the replay stops: it reports the
  call number, what the log holds, what came, and the last decisions before it, and
  exits with 5. A log ending in a stop record replays up to the stop (exit 4).

  --engine E             node | quickjs | quickjs-ng; default the engine that recorded
  --trace OUT.jsonl      write the replay's decision trace (up to a divergence or stop)
  --perfetto OUT.json    write it as a Chrome Trace Event file for Perfetto
  --result OUT.json      as for miou run

miou diff A.jsonl B.jsonl
  Compares two decision traces decision by decision (headers apart: a difference there
  is noted) and prints the first decision that differs, the fields that differ and the
  identical decisions before it. Exit 0 when the decisions are identical, 1 when they
  differ, 2 for a file that is not a decision trace.

miou export TRACE.jsonl --perfetto OUT.json
  Reads a decision trace written by miou sim --trace (checking its version and every
  field) and writes Chrome Trace Event JSON: a process per domain, a track per task,
  run slices, suspensions, signals, cancels and host events. Open it at
  https://ui.perfetto.dev.

Exit codes (every command):
  0  success
  1  the program failed (main threw, a Miou rule was broken, an invariant failed)
  2  bad usage or bad input (flags, input trace, decision trace, a program that does
     not load or defines no main); bad files are reported as FILE:LINE: what is wrong
  3  deadlock: every task waits and nothing will ever come
  4  the guest was stopped: --max-decisions reached (livelock), stack or memory
     exhausted under a task, or 5 s of CPU without a host call (a loop with no
     operation in it)
  5  a replay diverged
`;
