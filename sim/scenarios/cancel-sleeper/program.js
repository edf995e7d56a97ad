// The seed tutorial's cancellation: a 10 s sleep on another domain, cancelled at once.
// The cancelled sleeper never fires and no virtual time passes: its timer leaves the
// heap when the cancelled syscall reaches select, so nothing waits for it.
function* main() {
  const sleeper = yield* Miou.call(function* sleeper() {
    yield* Miou.sleep(10_000);
    console.log("the sleeper fired");
    return "fired";
  });
  // Let the other domain start the sleep before cancelling it.
  yield* Miou.yield();
  yield* Miou.yield();
  yield* Miou.cancel(sleeper);
  const r = yield* Miou.await(sleeper);
  return { sleeper: r.ok ? r.value : r.error.name, end_ns: Miou.now() };
}
