/*
 * The workloads on Miou. A plain script that uses the global `Miou` (the guest bundle's,
 * or on Node the ESM build the runner puts there); it defines one global, `MiouBench`.
 * The same text runs on Node (vm.runInThisContext) and inside QuickJS. Shapes match
 * bench/guest/floor-workloads.js task for task.
 *
 * `MiouBench.mains` builds each workload's main task, so that a program run by the
 * embedder or the simulator (which call Miou.runOn themselves) can use the same code:
 *   function* main() { return yield* MiouBench.mains.service(20000, 1000)(); }
 */
var MiouBench = (function () {
  "use strict";
  var SLEEPERS = 1000;
  var MS = 1000000;

  function* leaf(i) {
    return i;
  }

  function* pinger(rounds) {
    for (var i = 0; i < rounds; i++) yield* Miou.yield();
    return rounds;
  }

  function* waiter() {
    return yield* Miou.recv("ev");
  }

  var mains = {
    spawnAwait: function (n) {
      return function* () {
        var sum = 0;
        for (var i = 0; i < n; i++) {
          var p = yield* Miou.async(leaf, i);
          sum += yield* Miou.awaitExn(p);
        }
        return sum;
      };
    },
    fanOut: function (n) {
      return function* () {
        var ps = new Array(n);
        for (var i = 0; i < n; i++) ps[i] = yield* Miou.async(leaf, i);
        var sum = 0;
        for (var j = 0; j < n; j++) sum += yield* Miou.awaitExn(ps[j]);
        return sum;
      };
    },
    switches: function (n) {
      return function* () {
        var a = yield* Miou.async(pinger, n >> 1);
        var b = yield* Miou.async(pinger, n >> 1);
        return (yield* Miou.awaitExn(a)) + (yield* Miou.awaitExn(b));
      };
    },
    /** 1,000 tasks each sleeping n / 1,000 times for 1-10 ms. Returns the final time (ms). */
    sleeps: function (n) {
      var rounds = Math.max(1, Math.floor(n / SLEEPERS));
      function* sleeper(k) {
        for (var j = 0; j < rounds; j++) yield* Miou.sleep(1 + ((k * 7 + j) % 10));
      }
      return function* () {
        var ps = new Array(SLEEPERS);
        for (var k = 0; k < SLEEPERS; k++) ps[k] = yield* Miou.async(sleeper, k);
        for (var i = 0; i < SLEEPERS; i++) yield* Miou.awaitExn(ps[i]);
        return Miou.now() / MS;
      };
    },
    /** n tasks in recv("ev"); the host delivers their events once they all wait. */
    suspended: function (n) {
      return function* () {
        var ps = new Array(n);
        for (var i = 0; i < n; i++) ps[i] = yield* Miou.async(waiter);
        var sum = 0;
        for (var j = 0; j < n; j++) sum += yield* Miou.awaitExn(ps[j]);
        return sum;
      };
    },
    /** `workers` tasks in recv("req"), each handling n / workers events and answering each on sink "reply". */
    service: function (n, workers) {
      var per = Math.floor(n / workers);
      function* worker() {
        var handled = 0;
        for (var j = 0; j < per; j++) {
          var d = yield* Miou.recv("req");
          handled += d;
          Miou.send("reply", d);
        }
        return handled;
      }
      return function* () {
        var ps = new Array(workers);
        for (var i = 0; i < workers; i++) ps[i] = yield* Miou.async(worker);
        var sum = 0;
        for (var k = 0; k < workers; k++) sum += yield* Miou.awaitExn(ps[k]);
        return sum;
      };
    },
  };

  /**
   * A host over virtual time that lives in the guest (no boundary crossing): `select`
   * jumps to its deadline at once; with no deadline it says it is idle.
   */
  function virtualHost() {
    var now_ns = 0;
    return {
      now: function () {
        return now_ns;
      },
      select: function (deadline, _out) {
        if (deadline !== null && deadline > now_ns) now_ns = deadline;
        return { now: now_ns, events: [], idle: deadline === null };
      },
    };
  }

  /**
   * The service's host, in the guest: every wait (a select that may block) moves time by
   * 1 ms and brings the next `batch` events; a poll brings nothing (as in the simulator,
   * time stands still while tasks run). Counts every call, by kind.
   */
  function feedHost(total, batch) {
    var now_ns = 0;
    var next = 0;
    var calls = { now: 0, poll: 0, wait: 0, sent: 0 };
    return {
      calls: calls,
      now: function () {
        calls.now++;
        return now_ns;
      },
      select: function (deadline, out) {
        calls.sent += out.length;
        if (deadline !== null && deadline <= now_ns) {
          calls.poll++;
          return { now: now_ns, events: [] };
        }
        calls.wait++;
        if (next >= total) return { now: now_ns, events: [], idle: true };
        now_ns += MS;
        var events = [];
        for (var b = 0; b < batch && next < total; b++) events.push({ source: "req", data: next++ });
        return { now: now_ns, events: events };
      },
    };
  }

  /** A host that calls `__benchProbe` at the first wait (every task is in recv), then delivers n events. */
  function probeHost(n) {
    var delivered = false;
    return {
      now: function () {
        return 0;
      },
      select: function (deadline, _out) {
        if ((deadline !== null && deadline <= 0) || delivered) return { now: 0, events: [], idle: delivered && deadline === null };
        delivered = true;
        if (typeof __benchProbe === "function") __benchProbe();
        var events = new Array(n);
        for (var i = 0; i < n; i++) events[i] = { source: "ev", data: i };
        return { now: 0, events: events };
      },
    };
  }

  function traced(options, on) {
    if (on) options.trace = function () {};
    return options;
  }

  return {
    mains: mains,
    spawnAwait: function (n) {
      return Miou.run(mains.spawnAwait(n));
    },
    fanOut: function (n) {
      return Miou.run(mains.fanOut(n));
    },
    /** `trace`: the core's trace hook on (a tracer that drops every record). */
    switches: function (n, trace) {
      return Miou.run(mains.switches(n), traced({}, trace === true));
    },
    sleeps: function (n) {
      return Miou.runOn(virtualHost(), mains.sleeps(n));
    },
    suspended: function (n) {
      return Miou.runOn(probeHost(n), mains.suspended(n));
    },
    service: function (n, workers, batch) {
      var host = feedHost(Math.floor(n / workers) * workers, batch);
      var sum = Miou.runOn(host, mains.service(n, workers));
      return { events: Math.floor(n / workers) * workers, handled: sum, calls: host.calls };
    },
    /** The service again with the decision trace on, counting turns (run records): not timed. */
    serviceTurns: function (n, workers, batch) {
      var host = feedHost(Math.floor(n / workers) * workers, batch);
      var turns = 0;
      Miou.runOn(host, mains.service(n, workers), {
        trace: function (line) {
          if (line.indexOf('"kind":"run"') >= 0) turns++;
        },
      });
      return { turns: turns, calls: host.calls, events: Math.floor(n / workers) * workers };
    },
  };
})();
