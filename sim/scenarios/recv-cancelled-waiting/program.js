// A recv cancelled before its event came: the waiter leaves the queue of waiters, so the
// event, when it arrives at 2 s, goes to the next receiver. Nothing is lost.
function* main() {
  const waiter = yield* Miou.async(function* waiter() {
    const data = yield* Miou.recv("net0");
    console.log("the cancelled waiter got " + JSON.stringify(data));
    return data;
  });
  yield* Miou.sleep(1000);
  yield* Miou.cancel(waiter);
  const r = yield* Miou.await(waiter);
  const data = yield* Miou.recv("net0");
  return { waiter: r.ok ? r.value : r.error.name, data, end_ns: Miou.now() };
}
