#!/usr/bin/env zx
// `npm start`: runs a small Miou program inside QuickJS, with no event loop and no timers.
// Its `events` is written right here as a virtual sleeper (a later issue replaces it with
// the real clock). Options: --engine quickjs|quickjs-ng (default quickjs), --min.
import { argv, echo } from "zx";
import { loadGuest, readBundle } from "../dist/node/platform/quickjs/loader.js";

// Guest code: everything below runs inside QuickJS, with `Miou` from dist/miou.js and one
// host function, `print`.
const PROGRAM = String.raw`
// A virtual clock in ms, shared by every domain's events (one clock, one wait: DESIGN §5).
let now_ms = 0;
const sleepers = []; // { domain, uid, syscall, deadline_ms }
const at = () => "[" + (now_ms / 1000).toFixed(1) + " s]";

function* sleep(delay_ms) {
  const syscall = Miou.syscall("sleep");
  const deadline_ms = now_ms + delay_ms;
  // Registered only once the suspension is sure to happen.
  yield* Miou.suspend(syscall, () =>
    sleepers.push({ domain: Miou.Domain.self(), uid: Miou.uid(syscall), syscall, deadline_ms }));
}

function events(domain) {
  return {
    select(block, cancelled) {
      // Forget cancelled sleepers, or a cancelled 10 s sleep would still hold the clock.
      for (let i = sleepers.length - 1; i >= 0; i--) {
        if (cancelled.includes(sleepers[i].uid)) sleepers.splice(i, 1);
      }
      if (block && sleepers.length > 0) {
        const earliest = Math.min(...sleepers.map((s) => s.deadline_ms));
        if (earliest > now_ms) now_ms = earliest; // nothing runs: jump to the next deadline
      }
      const signals = [];
      for (let i = sleepers.length - 1; i >= 0; i--) {
        const s = sleepers[i];
        if (s.domain === domain && s.deadline_ms <= now_ms) {
          sleepers.splice(i, 1);
          signals.unshift(Miou.signal(s.syscall));
        }
      }
      return signals;
    },
    interrupt() {},
    finaliser() {},
  };
}

function* sleeper(name, delay_ms) {
  try {
    yield* sleep(delay_ms);
    print(at() + " " + name + " woke up after " + delay_ms + " ms");
    return name;
  } catch (error) {
    print(at() + " " + name + " was woken by " + error.name);
    throw error;
  }
}

function* main() {
  const a = yield* Miou.async(sleeper, "a", 1000);
  const b = yield* Miou.async(sleeper, "b", 2000);
  const c = yield* Miou.async(sleeper, "c", 10000);
  print(at() + " started a (1 s), b (2 s) and c (10 s)");
  const results = yield* Miou.awaitAll([a, b]);
  print(at() + " a and b: " + JSON.stringify(results));
  yield* Miou.cancel(c);
  print(at() + " c cancelled");
  yield* Miou.yield();
  return now_ms;
}

const end_ms = Miou.run(main, { domains: 1, events });
print(at() + " Miou.run returned " + end_ms + " (virtual ms) without waiting for real time");
`;

const engine = argv.engine ?? "quickjs";
const guest = await loadGuest({
  engine,
  bundle: readBundle(argv.min ? "min" : "full"),
  hostFunctions: { print: (line) => echo(line) },
});
try {
  echo(`miou-js demo in ${engine}${argv.min ? " (dist/miou.min.js)" : ""}`);
  guest.evalScript(PROGRAM, "demo.js");
} catch (error) {
  echo(`${error.name}: ${error.message}\n${error.guestStack ?? ""}`);
  process.exitCode = 1;
} finally {
  guest.dispose();
}
