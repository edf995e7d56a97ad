// The corrected version of buggy.js: the read, the audit and the write happen under a
// Mutex shared by the workers, so whatever the interleaving of the domains, no worker
// reads a counter another has read and not yet written back.
const lock = Miou.Mutex.create();

function* record(counts, view) {
  yield* Miou.Mutex.protect(lock, function* () {
    const seen = counts[view.page] ?? 0;
    yield* audit(view);
    counts[view.page] = seen + 1;
  });
}

function* audit(view) {
  // The audit trail: a scheduling point between the read and the write.
  yield* Miou.yield();
  return view.n;
}

function* main() {
  const counts = {};
  let views = 0;
  for (;;) {
    const burst = yield* Miou.recv("views");
    if (burst === "end") break;
    const workers = [];
    for (const view of burst) {
      workers.push(yield* Miou.callWith({ pin: 1 + (view.n % 2) }, record, counts, view));
      views++;
    }
    yield* Miou.awaitAll(workers);
    const counted = Object.values(counts).reduce((a, b) => a + b, 0);
    Miou.assert(counted === views, `${views - counted} page view(s) lost`);
  }
  return counts;
}
