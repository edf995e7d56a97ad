// The corrected version of buggy.js: the service is an idempotent consumer. It remembers
// the ids of the orders it has taken and ignores a message it has already seen, so a
// duplicated message ships nothing.
function* ship(order, shipped) {
  Miou.assert(!shipped.has(order.id), `order ${order.id} shipped twice`);
  shipped.add(order.id);
  yield* Miou.sleep(1); // packing
}

function* main() {
  const shipped = new Set();
  const taken = new Set();
  for (;;) {
    const message = yield* Miou.recv("orders");
    if (message === "end") break;
    if (taken.has(message.id)) continue;
    taken.add(message.id);
    yield* ship(message, shipped);
  }
  return shipped.size;
}
