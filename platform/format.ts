/**
 * The guest's own `console.log` formatting. Engines format values differently (and V8's
 * `util.inspect` is not in a bare context), so the bundle formats arguments itself, the
 * same way on every engine, in a style close to Node's: strings as they are at the top
 * level and quoted inside, `[ 1, 2 ]`, `{ a: 1 }`, `Map(1) { 'k' => 1 }`, errors as
 * `Name: message` (never a stack), accessors as `[Getter]` (never called), nesting cut at
 * depth 2, cycles as `[Circular]`. A first string argument followed by others may hold
 * Node's specifiers: `%s %d %i %f %j %o %O %c %%` (`%o` is formatted as `%O`). Formatting
 * never throws for a value that is merely odd (a revoked proxy, a throwing getter); only
 * what Node's would throw on too (`%j` of a BigInt, a `toString` that throws under `%s`).
 */

const MAX_DEPTH = 2;
const MAX_ITEMS = 100;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** One value being formatted: the objects above the current one (cycles), and how deep to show. */
interface Walk {
  readonly seen: object[];
  readonly maxDepth: number;
}

/**
 * Formats `console.log`'s arguments as one line: the specifiers of a first string argument
 * replaced by the arguments they take, then every argument left, each formatted, joined by
 * spaces. A specifier with no argument left stays as written, as an unknown one does, and
 * a lone argument is printed as it is.
 */
export function formatArgs(args: readonly unknown[]): string {
  let line = "";
  let next = 0;
  const first = args[0];
  if (typeof first === "string" && args.length > 1 && first.includes("%")) {
    next = 1;
    line = first.replace(SPECIFIER, (spec: string, letter: string) => {
      if (letter === "%") return "%";
      if (next >= args.length) return spec;
      return substitute(letter, args[next++]);
    });
  }
  for (let i = next; i < args.length; i++) {
    const a = args[i];
    line += (i > 0 ? " " : "") + (typeof a === "string" ? a : inspect(a, MAX_DEPTH));
  }
  return line;
}

const SPECIFIER = /%([sdifjoOc%])/g;

/** What specifier `%letter` makes of `arg`, as Node's util.format does. */
function substitute(letter: string, arg: unknown): string {
  switch (letter) {
    case "s":
      return stringOf(arg);
    case "d":
      return typeof arg === "bigint" ? `${arg}n` : typeof arg === "symbol" ? "NaN" : inspect(Number(arg), 0);
    case "i":
      // parseInt without a radix, as Node: "0x10" is 16.
      return typeof arg === "bigint" ? `${arg}n` : typeof arg === "symbol" ? "NaN" : inspect(parseInt(String(arg)), 0);
    case "f":
      return typeof arg === "symbol" ? "NaN" : inspect(parseFloat(String(arg)), 0);
    case "j":
      return json(arg);
    case "c":
      return ""; // CSS, for browsers' consoles
    default:
      return inspect(arg, MAX_DEPTH);
  }
}

/** `%s`: String(arg), except numbers (-0), BigInts, and objects with no toString of their own, inspected one level deep. */
function stringOf(arg: unknown): string {
  if (typeof arg === "number" || typeof arg === "bigint") return inspect(arg, 0);
  if (typeof arg !== "object" || arg === null || !hasBuiltInToString(arg)) return String(arg);
  return inspect(arg, 0);
}

/** The engines' own toString methods: an object that has only these is inspected by `%s`. */
const BUILT_IN_TO_STRING: ReadonlySet<unknown> = new Set(
  [Object, Array, Error, Date, RegExp, Function, Number, String, Boolean, Symbol, BigInt].map((c) => c.prototype.toString),
);

function hasBuiltInToString(o: object): boolean {
  try {
    if (typeof (o as { [Symbol.toPrimitive]?: unknown })[Symbol.toPrimitive] === "function") return false;
    const toString = (o as { toString?: unknown }).toString;
    return typeof toString !== "function" || BUILT_IN_TO_STRING.has(toString);
  } catch {
    return true; // a revoked proxy: inspected, as Node does
  }
}

function json(arg: unknown): string {
  try {
    return String(JSON.stringify(arg));
  } catch (error) {
    if (isCircularError(error)) return "[Circular]";
    throw error;
  }
}

/** The first line of the engine's own message for a cyclic JSON.stringify, learnt once. */
let circularMessage: string | null = null;

function isCircularError(error: unknown): boolean {
  if (!(error instanceof TypeError)) return false;
  if (circularMessage === null) {
    const cycle: { self?: unknown } = {};
    cycle.self = cycle;
    try {
      JSON.stringify(cycle);
    } catch (e) {
      circularMessage = firstLine((e as Error).message);
    }
  }
  return firstLine(error.message) === circularMessage;
}

function firstLine(text: string): string {
  const end = text.indexOf("\n");
  return end < 0 ? text : text.slice(0, end);
}

function quote(s: string): string {
  return "'" + s.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n") + "'";
}

function inspect(v: unknown, maxDepth: number): string {
  return formatValue(v, 0, { seen: [], maxDepth });
}

function formatValue(v: unknown, depth: number, walk: Walk): string {
  switch (typeof v) {
    case "string":
      return quote(v);
    case "number":
      return Object.is(v, -0) ? "-0" : String(v);
    case "bigint":
      return `${v}n`;
    case "symbol":
      return v.toString();
    case "function":
      return typeof v.name === "string" && v.name !== "" ? `[Function: ${v.name}]` : "[Function (anonymous)]";
    case "object":
      return v === null ? "null" : formatObject(v, depth, walk);
    default:
      return String(v);
  }
}

function formatObject(o: object, depth: number, walk: Walk): string {
  if (walk.seen.includes(o)) return "[Circular]";
  try {
    return describe(o, depth, walk);
  } catch {
    // A revoked proxy, a Map.prototype, an error whose name throws...: said, not thrown.
    return "[unformattable object]";
  }
}

function describe(o: object, depth: number, walk: Walk): string {
  if (o instanceof Error) return `${String(o.name)}: ${String(o.message)}`;
  const tag = Object.prototype.toString.call(o).slice(8, -1);
  if (tag === "ArrayBuffer") return `ArrayBuffer { byteLength: ${(o as ArrayBuffer).byteLength} }`;
  if (tag === "Date") {
    const ms = Date.prototype.getTime.call(o);
    return Number.isNaN(ms) ? "Invalid Date" : Date.prototype.toISOString.call(o);
  }
  if (o instanceof RegExp) return String(o);
  const name = constructorName(o);
  if (depth > walk.maxDepth) return Array.isArray(o) ? "[Array]" : `[${name ?? "Object"}]`;
  walk.seen.push(o);
  try {
    if (Array.isArray(o)) return list("", "[", items(o, depth, walk), "]");
    if (ArrayBuffer.isView(o) && !(o instanceof DataView)) {
      const view = o as unknown as ArrayLike<number | bigint>;
      return list(`${tag}(${view.length}) `, "[", items(Array.from(view), depth, walk), "]");
    }
    if (o instanceof Map) {
      const parts: string[] = [];
      for (const [k, val] of o) parts.push(`${formatValue(k, depth + 1, walk)} => ${formatValue(val, depth + 1, walk)}`);
      return list(`Map(${o.size}) `, "{", cut(parts, o.size), "}");
    }
    if (o instanceof Set) return list(`Set(${o.size}) `, "{", items([...o], depth, walk), "}");
    const parts: string[] = [];
    for (const key of Object.keys(o)) {
      const k = IDENTIFIER.test(key) ? key : quote(key);
      parts.push(`${k}: ${property(o, key, depth, walk)}`);
    }
    return list(name === undefined || name === "Object" ? "" : `${name} `, "{", parts, "}");
  } finally {
    walk.seen.pop();
  }
}

/** An own property's value, or what kind of accessor it is: a getter is never called. */
function property(o: object, key: string, depth: number, walk: Walk): string {
  const d = Object.getOwnPropertyDescriptor(o, key);
  if (d === undefined) return "undefined";
  if (d.get !== undefined) return d.set !== undefined ? "[Getter/Setter]" : "[Getter]";
  if (d.set !== undefined) return "[Setter]";
  return formatValue(d.value, depth + 1, walk);
}

function items(values: readonly unknown[], depth: number, walk: Walk): string[] {
  const parts: string[] = [];
  for (let i = 0; i < values.length && i < MAX_ITEMS; i++) parts.push(formatValue(values[i], depth + 1, walk));
  return cut(parts, values.length);
}

function cut(parts: string[], total: number): string[] {
  if (total > MAX_ITEMS) parts.push(`... ${total - MAX_ITEMS} more items`);
  return parts;
}

function list(prefix: string, open: string, parts: readonly string[], close: string): string {
  return parts.length === 0 ? `${prefix}${open}${close}` : `${prefix}${open} ${parts.join(", ")} ${close}`;
}

function constructorName(o: object): string | undefined {
  const proto: unknown = Object.getPrototypeOf(o);
  if (proto === null) return "[Object: null prototype]";
  const ctor = (proto as { constructor?: unknown }).constructor;
  return typeof ctor === "function" && typeof ctor.name === "string" && ctor.name !== "" ? ctor.name : undefined;
}
