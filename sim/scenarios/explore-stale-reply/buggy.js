// A client asks a server for quotes: every 10 ms it sends a request on "server" and waits
// up to 5 ms for the reply on "replies", giving up on that request if none comes (a
// timeout is fine: the quote is skipped). The input trace holds the server's replies,
// each 2 ms after its request.
// The bug: a reply that comes after its request timed out stays queued, and the next
// request takes it as its own. With the replies on time it never happens; a reply
// delayed past the timeout (--faults delay=P:D with D over 3 ms) makes the client use a
// stale quote: only timing shows it.
function* request(id) {
  Miou.send("server", { id });
  const reply = yield* Miou.async(function* () { return yield* Miou.recv("replies"); });
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
