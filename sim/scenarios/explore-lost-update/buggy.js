// Page views counted on two worker domains. Views arrive in bursts on "views"; main hands
// each view to a worker domain (pinned by the view's number, so the draws play no part)
// and, after each burst, checks that every view was counted once.
// The bug: `record` reads the counter, performs an operation (an audit line, one
// scheduling point) and writes the counter back. Under round-robin the two workers of a
// burst never overlap (the second starts a round after the first, when the first has
// already written), but a schedule that runs the second worker's read between the
// first's read and write loses an update: only domain interleaving shows it.
function* record(counts, view) {
  const seen = counts[view.page] ?? 0;
  yield* audit(view);
  counts[view.page] = seen + 1;
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
