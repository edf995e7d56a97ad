/**
 * The guest's `Date` (DESIGN §4: the runtime never reads the real clock): the engine's own
 * constructor, except that "now" is the host clock. `Date.now()`, `new Date()` and `Date()`
 * read `now_ms`, so a program that stamps times replays exactly; everything else
 * (`new Date(ms)`, `new Date(y, m)`, `Date.UTC`, `Date.parse`, every method) is the
 * engine's, and `instanceof Date` and subclasses work as before. The engine's constructor
 * is not reachable from the new one: its static methods are copied, not inherited, and
 * `Date.prototype.constructor` is the new one.
 */
function clockDate(engineDate: DateConstructor, now_ms: () => number): DateConstructor {
  function ClockDate(this: unknown, ...args: unknown[]): Date | string {
    // Called without `new`, Date gives the current time as a string.
    if (new.target === undefined) return new engineDate(now_ms()).toString();
    return Reflect.construct(engineDate, args.length === 0 ? [now_ms()] : args, new.target) as Date;
  }
  const method = { writable: true, configurable: true, enumerable: false };
  Object.defineProperties(ClockDate, {
    name: { value: "Date" },
    length: { value: engineDate.length },
    prototype: { value: engineDate.prototype, writable: false },
    now: { ...method, value: { now: () => now_ms() }.now }, // named "now", as the engine's
    UTC: { ...method, value: engineDate.UTC },
    parse: { ...method, value: engineDate.parse },
  });
  return ClockDate as unknown as DateConstructor;
}

/**
 * Makes `global.Date` the engine's Date with `now_ms` as its clock (see `clockDate`);
 * returns a function that puts the engine's back.
 */
export function installClockDate(global: { Date: DateConstructor }, now_ms: () => number): () => void {
  const engineDate = global.Date;
  const proto = engineDate.prototype;
  const date = clockDate(engineDate, now_ms);
  Object.defineProperty(proto, "constructor", { value: date, writable: true, configurable: true, enumerable: false });
  Object.defineProperty(global, "Date", { value: date, writable: true, configurable: true, enumerable: false });
  return () => {
    Object.defineProperty(proto, "constructor", { value: engineDate, writable: true, configurable: true, enumerable: false });
    Object.defineProperty(global, "Date", { value: engineDate, writable: true, configurable: true, enumerable: false });
  };
}
