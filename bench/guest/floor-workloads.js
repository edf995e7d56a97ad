/*
 * The workloads on the floor trampoline (bench/floor.js). A plain script, run after
 * floor.js on Node (vm.runInThisContext) and inside QuickJS (the guest's bundle); it
 * defines one global, `FloorBench`. Each function runs one sample and returns a JSON value
 * (a checksum, or figures the runner reports). Shapes match bench/guest/miou-workloads.js
 * task for task.
 */
var FloorBench = (function () {
  "use strict";
  var SLEEPERS = 1000;

  function* leaf(i) {
    return i;
  }

  /** n times: spawn a child that returns at once, join it. */
  function spawnAwait(n) {
    return Floor.run(function* () {
      var sum = 0;
      for (var i = 0; i < n; i++) {
        var t = yield* Floor.spawn(leaf, i);
        sum += yield* Floor.join(t);
      }
      return sum;
    });
  }

  /** Spawn n children, then join them in order. */
  function fanOut(n) {
    return Floor.run(function* () {
      var tasks = new Array(n);
      for (var i = 0; i < n; i++) tasks[i] = yield* Floor.spawn(leaf, i);
      var sum = 0;
      for (var j = 0; j < n; j++) sum += yield* Floor.join(tasks[j]);
      return sum;
    });
  }

  function* pinger(rounds) {
    for (var i = 0; i < rounds; i++) yield* Floor.yield();
    return rounds;
  }

  /** Two tasks yielding to each other: n yields in all. */
  function switches(n) {
    return Floor.run(function* () {
      var a = yield* Floor.spawn(pinger, n >> 1);
      var b = yield* Floor.spawn(pinger, n >> 1);
      return (yield* Floor.join(a)) + (yield* Floor.join(b));
    });
  }

  /** 1,000 tasks each sleeping n / 1,000 times for 1-10 ms, in virtual time. Returns the final time (ms). */
  function sleeps(n) {
    var rounds = Math.max(1, Math.floor(n / SLEEPERS));
    function* sleeper(k) {
      for (var j = 0; j < rounds; j++) yield* Floor.sleep(1 + ((k * 7 + j) % 10));
    }
    return Floor.run(function* () {
      var tasks = new Array(SLEEPERS);
      for (var k = 0; k < SLEEPERS; k++) tasks[k] = yield* Floor.spawn(sleeper, k);
      for (var i = 0; i < SLEEPERS; i++) yield* Floor.join(tasks[i]);
      return Floor.now();
    });
  }

  function* waiter() {
    return yield* Floor.recv("ev");
  }

  /**
   * n tasks parked in recv at once; `__benchProbe()` (when the embedder defines it) is
   * called while they all wait, then each gets its event.
   */
  function suspended(n) {
    return Floor.run(function* () {
      var tasks = new Array(n);
      for (var i = 0; i < n; i++) tasks[i] = yield* Floor.spawn(waiter);
      yield* Floor.yield(); // every waiter runs up to its recv
      if (typeof __benchProbe === "function") __benchProbe();
      for (var j = 0; j < n; j++) Floor.deliver("ev", j);
      var sum = 0;
      for (var k = 0; k < n; k++) sum += yield* Floor.join(tasks[k]);
      return sum;
    });
  }

  /**
   * A service loop: `workers` tasks in recv, n events arriving `batch` at a time whenever
   * every task waits; each event is handled and answered (an outgoing record).
   */
  function service(n, workers, batch) {
    var per = Math.floor(n / workers);
    var total = per * workers;
    var next = 0;
    var handled = 0;
    var outbox = [];
    var sent = 0;
    function* worker() {
      for (var j = 0; j < per; j++) {
        var d = yield* Floor.recv("req");
        handled += d;
        outbox.push(d);
      }
    }
    Floor.run(
      function* () {
        var tasks = new Array(workers);
        for (var i = 0; i < workers; i++) tasks[i] = yield* Floor.spawn(worker);
        for (var k = 0; k < workers; k++) yield* Floor.join(tasks[k]);
      },
      function idle() {
        sent += outbox.length;
        outbox.length = 0;
        for (var b = 0; b < batch && next < total && Floor.waiting("req") > 0; b++) Floor.deliver("req", next++);
      },
    );
    return { events: total, handled: handled, sent: sent + outbox.length };
  }

  return { spawnAwait: spawnAwait, fanOut: fanOut, switches: switches, sleeps: sleeps, suspended: suspended, service: service };
})();
