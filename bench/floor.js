/*
 * The floor: a bare generator trampoline written for the benchmarks, the least a
 * scheduler of generator tasks can do. It is a plain script (no import, no export) so that
 * the same text runs on Node (vm.runInThisContext) and inside QuickJS (evaluated as the
 * guest's bundle). It defines one global, `Floor`.
 *
 * - run queue: an array FIFO with a head index;
 * - spawn does not suspend: the parent goes on in the same step;
 * - join parks the parent on the child (or goes on at once if the child is done);
 * - yield re-queues the task at the back;
 * - sleep parks the task on a binary heap keyed by (deadline, sequence) over a virtual
 *   clock that jumps to the earliest deadline when nothing can run;
 * - recv parks the task on a per-source FIFO; `deliver` (a plain call) wakes the first.
 * No cancellation, no errors, no domains, no trace: only what the workloads need.
 *
 * Operations are used with `yield*`, as Miou's are. An operation writes its arguments to
 * module registers and is a shared iterator: no object is allocated per operation.
 */
var Floor = (function () {
  "use strict";
  var SPAWN = 1, JOIN = 2, YIELD = 3, SLEEP = 4, RECV = 5;
  var op = 0, arg1 = null, arg2 = null;

  // An operation is a shared iterator, so `yield* op` allocates nothing (Miou's ops are
  // their own iterators too). Its first next() yields to the trampoline; the next() that
  // resumes the task returns the value. Which of the two a call is, the trampoline says
  // with `resuming`: it is set when a task that stopped at an operation is continued.
  var resuming = false;
  var YIELDED = { done: false, value: undefined };
  var RESUMED = { done: true, value: undefined };
  function Op(code) {
    this.code = code;
  }
  Op.prototype[Symbol.iterator] = function () {
    return this;
  };
  Op.prototype.next = function (value) {
    if (resuming) {
      resuming = false;
      RESUMED.value = value;
      return RESUMED;
    }
    op = this.code;
    return YIELDED;
  };
  var SPAWN_OP = new Op(SPAWN), JOIN_OP = new Op(JOIN), YIELD_OP = new Op(YIELD), SLEEP_OP = new Op(SLEEP), RECV_OP = new Op(RECV);

  function Task(gen) {
    this.gen = gen;
    this.done = false;
    this.result = undefined;
    this.joiner = null;
    this.resume = undefined;
    this.started = false;
  }

  var queue = [];
  var head = 0;
  function push(t) {
    queue.push(t);
  }

  // Sleepers: a binary heap of { deadline, seq, task }, smallest (deadline, seq) first.
  var heap = [];
  var seq = 0;
  var now_ms = 0;
  function less(a, b) {
    return a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);
  }
  function heapPush(e) {
    var i = heap.length;
    heap.push(e);
    while (i > 0) {
      var p = (i - 1) >> 1;
      if (!less(e, heap[p])) break;
      heap[i] = heap[p];
      i = p;
    }
    heap[i] = e;
  }
  function heapPop() {
    var top = heap[0];
    var last = heap.pop();
    var n = heap.length;
    if (n > 0) {
      var i = 0;
      for (;;) {
        var l = 2 * i + 1;
        if (l >= n) break;
        var r = l + 1;
        var c = r < n && less(heap[r], heap[l]) ? r : l;
        if (!less(heap[c], last)) break;
        heap[i] = heap[c];
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }

  // recv: one FIFO of parked tasks per source ({ items, head }: shift() is O(n) on big arrays).
  var waiters = new Map();

  /** Steps `t` until it parks, re-queues or ends. */
  function step(t) {
    var value = t.resume;
    t.resume = undefined;
    resuming = t.started;
    t.started = true;
    for (;;) {
      op = 0;
      var r = t.gen.next(value);
      if (r.done) {
        t.done = true;
        t.result = r.value;
        var j = t.joiner;
        if (j !== null) {
          j.resume = r.value;
          push(j);
        }
        return;
      }
      switch (op) {
        case SPAWN: {
          var child = new Task(arg1(arg2));
          arg1 = null;
          arg2 = null;
          push(child);
          value = child;
          resuming = true;
          continue;
        }
        case JOIN: {
          var c = arg1;
          arg1 = null;
          if (c.done) {
            value = c.result;
            resuming = true;
            continue;
          }
          c.joiner = t;
          return;
        }
        case YIELD:
          push(t);
          return;
        case SLEEP:
          heapPush({ deadline: now_ms + arg1, seq: seq++, task: t });
          return;
        case RECV: {
          var q = waiters.get(arg1);
          if (q === undefined) waiters.set(arg1, (q = { items: [], head: 0 }));
          q.items.push(t);
          arg1 = null;
          return;
        }
        default:
          throw new Error("Floor: a task yielded something that is not a Floor operation");
      }
    }
  }

  /**
   * Runs `main` (a generator function) until no task can run and no sleeper is left.
   * `idle`, when given, is called whenever the run queue is empty, before the clock moves:
   * it may `deliver` events (the service workload's event feed).
   */
  function run(main, idle) {
    queue = [];
    head = 0;
    heap = [];
    seq = 0;
    now_ms = 0;
    waiters = new Map();
    var root = new Task(main());
    push(root);
    for (;;) {
      while (head < queue.length) {
        var t = queue[head];
        queue[head++] = undefined;
        step(t);
        // Keep the array from growing without bound in long ping-pongs.
        if (head >= 4096 && head * 2 >= queue.length) {
          queue = queue.slice(head);
          head = 0;
        }
      }
      if (idle !== undefined) {
        idle();
        if (head < queue.length) continue;
      }
      if (heap.length === 0) break;
      now_ms = heap[0].deadline;
      while (heap.length > 0 && heap[0].deadline <= now_ms) push(heapPop().task);
    }
    if (!root.done) throw new Error("Floor: main never finished (a task waits forever)");
    return root.result;
  }

  function spawn(fn, arg) {
    arg1 = fn;
    arg2 = arg;
    return SPAWN_OP;
  }
  function join(task) {
    arg1 = task;
    return JOIN_OP;
  }
  function yield_() {
    return YIELD_OP;
  }
  function sleep(delay_ms) {
    arg1 = delay_ms;
    return SLEEP_OP;
  }
  function recv(source) {
    arg1 = source;
    return RECV_OP;
  }
  /** Hands `value` to the first task parked in recv(source); false when none waits. */
  function deliver(source, value) {
    var q = waiters.get(source);
    if (q === undefined || q.head === q.items.length) return false;
    var t = q.items[q.head];
    q.items[q.head++] = undefined;
    if (q.head === q.items.length) {
      q.items = [];
      q.head = 0;
    }
    t.resume = value;
    push(t);
    return true;
  }
  /** Tasks parked in recv(source). */
  function waiting(source) {
    var q = waiters.get(source);
    return q === undefined ? 0 : q.items.length - q.head;
  }
  function now() {
    return now_ms;
  }

  return { run: run, spawn: spawn, join: join, yield: yield_, sleep: sleep, recv: recv, deliver: deliver, waiting: waiting, now: now };
})();
