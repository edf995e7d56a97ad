// The corrected version of buggy.js: a reply carries the id of its request, and the
// client drops the replies to requests it has given up on (their id is lower) and waits
// on, within the same timeout, for its own.
function* ownReply(id) {
  for (;;) {
    const reply = yield* Miou.recv("replies");
    if (reply.id === id) return reply;
  }
}

function* request(id) {
  Miou.send("server", { id });
  const reply = yield* Miou.async(ownReply, id);
  const timer = yield* Miou.async(function* () { yield* Miou.sleep(5); throw new Error("timeout"); });
  const r = yield* Miou.awaitFirst([reply, timer]);
  if (!r.ok) return null;
  Miou.assert(r.value.id === id, `request ${id} took the reply to request ${r.value.id}`);
  return r.value.quote;
}

function* main() {
  const quotes = [];
  for (let id = 1; id <= 10; id++) {
    yield* Miou.sleepUntil(id * 10_000_000);
    quotes.push(yield* request(id));
  }
  return quotes;
}
