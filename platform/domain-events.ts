/**
 * One domain's `events` (Miou's `select`, `interrupt`, `finaliser`): the seed tutorial's
 * domain-local storage. Its timers live in its own heap; event sources and the host
 * conversation are shared through the Glue, so one wait serves every domain (DESIGN §5).
 */
import { signal, type Events, type Signal, type Syscall } from "../runtime/index.js";
import type { Glue } from "./glue.js";
import { TimerHeap } from "./timer-heap.js";

/** Shared and frozen: the scheduler only reads what `select` returns. */
const NO_SIGNALS: Signal[] = [];
Object.freeze(NO_SIGNALS);

export class DomainEvents implements Events {
  readonly timers = new TimerHeap<Syscall>();
  /** Sticky: set by `interrupt`, cleared by the next `select`, which then does not wait. */
  private interrupted = false;

  constructor(
    readonly glue: Glue,
    readonly uid: number,
  ) {}

  /**
   * Forgets the cancelled syscalls (a timer leaves the heap; a recv waiter leaves, or gives
   * its event back), waits on the host if `block` and nothing is ready anywhere, else
   * polls it on the `pollEvery` rhythm, then returns the due timers in (deadline,
   * registration) order and the recv waiters handed an event.
   */
  select(block: boolean, cancelled: number[]): Signal[] {
    const glue = this.glue;
    glue.throwFailure();
    for (let i = 0; i < cancelled.length; i++) {
      const uid = cancelled[i]!;
      if (!this.timers.remove(uid)) glue.sources.cancel(uid);
    }
    const interrupted = this.interrupted;
    this.interrupted = false;
    // Block only when no domain can be answered now and some task waits on the host:
    // with no waiter at all, nothing the host says could wake anyone.
    if (block && !interrupted && !glue.anyReady() && glue.anyWaiter()) glue.wait();
    else glue.tick();
    const now_ns = glue.clock.last_ns;
    // The common answer between two turns: nothing, and no array made for it.
    if (!this.timers.due(now_ns) && !glue.sources.readyFor(this.uid)) return NO_SIGNALS;
    const signals: Signal[] = [];
    for (let t = this.timers.popDue(now_ns); t !== null; t = this.timers.popDue(now_ns)) signals.push(signal(t.syscall));
    glue.sources.takeReady(this.uid, signals);
    return signals;
  }

  interrupt(): void {
    this.interrupted = true;
  }

  /** The run is over: frees the timers and gives back any event a waiter of this domain held. */
  finaliser(): void {
    this.timers.clear();
    this.glue.sources.finalise(this.uid);
  }

  deadline(): number | null {
    return this.timers.earliest();
  }
}
