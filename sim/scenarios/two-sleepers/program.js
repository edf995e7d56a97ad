// The seed tutorial's program: two sleepers, 1 s and 2 s, awaited together. They sleep
// at the same time, so the run takes 2 s of virtual time, not 3.
function* main() {
  const a = yield* Miou.async(function* sleepOne() {
    yield* Miou.sleep(1000);
    return Miou.now();
  });
  const b = yield* Miou.async(function* sleepTwo() {
    yield* Miou.sleep(2000);
    return Miou.now();
  });
  const results = yield* Miou.awaitAll([a, b]);
  const woke_ns = results.map((r) => {
    if (!r.ok) throw r.error;
    return r.value;
  });
  console.log("both sleepers woke");
  return { woke_ns, end_ns: Miou.now() };
}
