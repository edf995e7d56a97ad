/**
 * The guest's `Date` (DESIGN §4: the runtime never reads the real clock): the engine's own
 * constructor, except that "now" is the host clock. `Date.now()`, `new Date()` and `Date()`
 * read `now_ms`, so a program that stamps times replays exactly; everything else
 * (`new Date(ms)`, `new Date(y, m)`, `Date.UTC`, `Date.parse`, every method) is the
 * engine's, and `instanceof Date` and subclasses work as before.
 */
export function clockDate(engineDate: DateConstructor, now_ms: () => number): DateConstructor {
  function ClockDate(this: unknown, ...args: unknown[]): Date | string {
    // Called without `new`, Date gives the current time as a string.
    if (new.target === undefined) return new engineDate(now_ms()).toString();
    return Reflect.construct(engineDate, args.length === 0 ? [now_ms()] : args, new.target) as Date;
  }
  // The static methods (UTC, parse) through the prototype chain; `now` of its own.
  Object.setPrototypeOf(ClockDate, engineDate);
  Object.defineProperties(ClockDate, {
    name: { value: "Date" },
    length: { value: engineDate.length },
    prototype: { value: engineDate.prototype, writable: false },
    now: { value: now_ms, writable: true, configurable: true },
  });
  return ClockDate as unknown as DateConstructor;
}
