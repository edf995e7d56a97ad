// A recv cancelled after its event was handed over but before the task resumed.
//
// The waiter and two busy tasks live on domain 1; main on domain 0. At 1 s the event
// for the waiter arrives and three timers are due (main's and the busy tasks'). Domain
// 1's select returns the busy tasks' timers first (timers come before events), then the
// waiter's signal, so the waiter is queued behind two tasks, holding its event but not
// yet resumed. Domains take turns, so main (resumed on domain 0) handles its cancel
// before the waiter's turn comes. The event goes back
// to the head of its queue, ahead of the one at 1.5 s, and main's two recvs get both,
// in order: nothing is lost.
function* main() {
  function* busy() {
    yield* Miou.sleep(1000);
    for (let i = 0; i < 3; i++) yield* Miou.yield();
  }
  const busy1 = yield* Miou.call(busy);
  const busy2 = yield* Miou.call(busy);
  const waiter = yield* Miou.call(function* waiter() {
    const data = yield* Miou.recv("net0");
    console.log("the cancelled waiter got " + JSON.stringify(data));
    return data;
  });
  yield* Miou.sleep(1000);
  yield* Miou.cancel(waiter);
  const r = yield* Miou.await(waiter);
  yield* Miou.awaitAll([busy1, busy2]);
  const first = yield* Miou.recv("net0");
  const second = yield* Miou.recv("net0");
  return { waiter: r.ok ? r.value : r.error.name, first, second, end_ns: Miou.now() };
}
