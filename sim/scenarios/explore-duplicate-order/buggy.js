// A warehouse ships the orders it receives on "orders", one at a time, until "end".
// The warehouse's own invariant: no order ships twice.
// The bug: the service assumes the network delivers each message exactly once. A
// duplicated message (--faults duplicate=P) ships its order a second time; nothing
// else does: the run is sequential (no domain), and it ships every order whatever
// the timing, so only an input fault shows it.
function* ship(order, shipped) {
  Miou.assert(!shipped.has(order.id), `order ${order.id} shipped twice`);
  shipped.add(order.id);
  yield* Miou.sleep(1); // packing
}

function* main() {
  const shipped = new Set();
  for (;;) {
    const message = yield* Miou.recv("orders");
    if (message === "end") break;
    yield* ship(message, shipped);
  }
  return shipped.size;
}
