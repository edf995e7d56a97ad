/**
 * The guest's own `console.log` formatting. Engines format values differently (and V8's
 * `util.inspect` is not in a bare context), so the bundle formats arguments itself, the
 * same way on every engine, in a style close to Node's: strings as they are at the top
 * level and quoted inside, `[ 1, 2 ]`, `{ a: 1 }`, `Map(1) { 'k' => 1 }`, errors as
 * `Name: message` (never a stack), nesting cut at depth 2, cycles as `[Circular]`. A
 * first argument that is a string may hold Node's specifiers: `%s %d %i %f %j %o %O %c %%`
 * (`%o` is formatted as `%O`).
 */

const MAX_DEPTH = 2;
const MAX_ITEMS = 100;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Formats `console.log`'s arguments as one line: the specifiers of a first string argument
 * replaced by the arguments they take, then every argument left, each formatted, joined by
 * spaces. A specifier with no argument left stays as written, as an unknown one does.
 */
export function formatArgs(args: readonly unknown[]): string {
  let line = "";
  let next = 0;
  const first = args[0];
  if (typeof first === "string" && first.includes("%")) {
    next = 1;
    line = first.replace(SPECIFIER, (spec: string, letter: string) => {
      if (letter === "%") return "%";
      if (next >= args.length) return spec;
      return substitute(letter, args[next++]);
    });
  }
  for (let i = next; i < args.length; i++) {
    const a = args[i];
    line += (i > 0 ? " " : "") + (typeof a === "string" ? a : formatValue(a, 0, []));
  }
  return line;
}

const SPECIFIER = /%([sdifjoOc%])/g;

/** What specifier `%letter` makes of `arg`, as Node's util.format does. */
function substitute(letter: string, arg: unknown): string {
  switch (letter) {
    case "s":
      return typeof arg === "string" ? arg : formatValue(arg, 0, []);
    case "d":
      return typeof arg === "bigint" ? `${arg}n` : typeof arg === "symbol" ? "NaN" : formatValue(Number(arg), 0, []);
    case "i":
      return typeof arg === "bigint" ? `${arg}n` : typeof arg === "symbol" ? "NaN" : formatValue(parseInt(String(arg), 10), 0, []);
    case "f":
      return typeof arg === "symbol" ? "NaN" : formatValue(parseFloat(String(arg)), 0, []);
    case "j":
      return json(arg);
    case "c":
      return ""; // CSS, for browsers' consoles
    default:
      return formatValue(arg, 0, []);
  }
}

function json(arg: unknown): string {
  try {
    return String(JSON.stringify(arg));
  } catch (error) {
    if (error instanceof TypeError && /circular|cyclic/i.test(error.message)) return "[Circular]";
    throw error;
  }
}

function quote(s: string): string {
  return "'" + s.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n") + "'";
}

function formatValue(v: unknown, depth: number, seen: object[]): string {
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
      return v.name ? `[Function: ${v.name}]` : "[Function (anonymous)]";
    case "object":
      return v === null ? "null" : formatObject(v, depth, seen);
    default:
      return String(v);
  }
}

function formatObject(o: object, depth: number, seen: object[]): string {
  if (seen.includes(o)) return "[Circular]";
  if (o instanceof Error) return `${o.name}: ${o.message}`;
  const tag = Object.prototype.toString.call(o).slice(8, -1);
  if (tag === "ArrayBuffer") return `ArrayBuffer { byteLength: ${(o as ArrayBuffer).byteLength} }`;
  if (o instanceof Date) return Number.isNaN(o.getTime()) ? "Invalid Date" : o.toISOString();
  if (o instanceof RegExp) return String(o);
  const name = constructorName(o);
  if (depth > MAX_DEPTH) return Array.isArray(o) ? "[Array]" : `[${name ?? "Object"}]`;
  seen.push(o);
  try {
    if (Array.isArray(o)) return list("", "[", items(o, depth, seen), "]");
    if (ArrayBuffer.isView(o) && !(o instanceof DataView)) {
      const view = o as unknown as ArrayLike<number | bigint>;
      return list(`${tag}(${view.length}) `, "[", items(Array.from(view), depth, seen), "]");
    }
    if (o instanceof Map) {
      const parts: string[] = [];
      for (const [k, val] of o) parts.push(`${formatValue(k, depth + 1, seen)} => ${formatValue(val, depth + 1, seen)}`);
      return list(`Map(${o.size}) `, "{", cut(parts, o.size), "}");
    }
    if (o instanceof Set) return list(`Set(${o.size}) `, "{", items([...o], depth, seen), "}");
    const parts: string[] = [];
    for (const key of Object.keys(o)) {
      const k = IDENTIFIER.test(key) ? key : quote(key);
      parts.push(`${k}: ${formatValue((o as Record<string, unknown>)[key], depth + 1, seen)}`);
    }
    return list(name === undefined || name === "Object" ? "" : `${name} `, "{", parts, "}");
  } finally {
    seen.pop();
  }
}

function items(values: readonly unknown[], depth: number, seen: object[]): string[] {
  const parts: string[] = [];
  for (let i = 0; i < values.length && i < MAX_ITEMS; i++) parts.push(formatValue(values[i], depth + 1, seen));
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
  return typeof ctor === "function" && ctor.name !== "" ? ctor.name : undefined;
}
