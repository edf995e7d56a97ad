/**
 * The worker of an input feed (input-feed.ts): sends each event of an input trace to the
 * real host at its time, counted from the guest's first clock reading, then closes. A
 * blocked guest thread runs no timers, so the feed needs a thread of its own.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { parentPort, workerData } from "node:worker_threads";
import { openProducer } from "../platform/quickjs/producer.js";
import type { InputFeedData } from "./input-feed.js";

const { channel, events } = workerData as InputFeedData;
const producer = openProducer(channel);
// Loaded: the run may start (a worker still starting up while the guest runs would send late).
parentPort!.postMessage("ready");
const started_ns = await producer.guestStarted();
for (const event of events) {
  const due_ns = started_ns + event.at_ns;
  // Timers round to whole ms: wait until the host's clock says the event is due.
  for (let left_ns = due_ns - producer.now(); left_ns > 0; left_ns = due_ns - producer.now()) await sleep(Math.ceil(left_ns / 1e6));
  producer.send(event.source, event.data);
}
producer.close();
