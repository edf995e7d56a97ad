// A timeout built from awaitFirst: a 5 s job races a 1.5 s timer. The timer wins,
// awaitFirst cancels the job, and the run ends at 1.5 s: the job's timer is gone.
function* withTimeout(timeout_ms, job) {
  const work = yield* Miou.async(job);
  const timer = yield* Miou.async(function* timer() {
    yield* Miou.sleep(timeout_ms);
    return "timed out";
  });
  const first = yield* Miou.awaitFirst([work, timer]);
  if (!first.ok) throw first.error;
  return first.value;
}

function* main() {
  const answer = yield* withTimeout(1500, function* slowJob() {
    yield* Miou.sleep(5000);
    return "job done";
  });
  const fast = yield* withTimeout(1500, function* fastJob() {
    yield* Miou.sleep(500);
    return "job done";
  });
  return { slow: answer, fast, end_ns: Miou.now() };
}
