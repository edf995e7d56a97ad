// A deadlock: a reader takes the one packet of the input trace, then waits for another
// that never comes, while main awaits the reader. With no timer set and no input left,
// nothing can ever happen: the report names the reader's recv source and main's await.
function* main() {
  const reader = yield* Miou.async(function* reader() {
    const packets = [];
    for (;;) packets.push(yield* Miou.recv("net0"));
  });
  return yield* Miou.await(reader);
}
