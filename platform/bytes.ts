/**
 * Event and outgoing data: bytes or JSON values (DESIGN §4). Bytes reach program code as
 * an ArrayBuffer of the guest's own realm with exactly the payload's length, whatever the
 * host gave (`{ base64 }`, an ArrayBuffer or a typed array, possibly of another realm);
 * QuickJS has no atob/btoa, so base64 is done here.
 */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/** Char code -> 6-bit value, -1 for characters outside the alphabet. */
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/**
 * Decodes standard base64 (RFC 4648 §4, padding optional) into a fresh ArrayBuffer.
 * @throws TypeError naming the first bad character.
 */
export function decodeBase64(text: string): ArrayBuffer {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61 /* = */) end--;
  if (text.length - end > 2 || end % 4 === 1 || (text.length % 4 !== 0 && end !== text.length)) {
    throw new TypeError(`bad base64: length ${text.length} with ${text.length - end} padding characters`);
  }
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let bits = 0;
  let count = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    const v = code < 128 ? DECODE[code]! : -1;
    if (v < 0) throw new TypeError(`bad base64: character ${JSON.stringify(text[i])} at ${i}`);
    bits = (bits << 6) | v;
    count += 6;
    if (count >= 8) {
      count -= 8;
      out[o++] = (bits >>> count) & 0xff;
    }
  }
  return out.buffer;
}

/** Encodes bytes as standard base64 with padding. */
export function encodeBase64(bytes: Uint8Array): string {
  let text = "";
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    text += ALPHABET[v >>> 18]! + ALPHABET[(v >>> 12) & 63]! + ALPHABET[(v >>> 6) & 63]! + ALPHABET[v & 63]!;
  }
  if (i < n) {
    const v = (bytes[i]! << 16) | (i + 1 < n ? bytes[i + 1]! << 8 : 0);
    text += ALPHABET[v >>> 18]! + ALPHABET[(v >>> 12) & 63]! + (i + 1 < n ? ALPHABET[(v >>> 6) & 63]! : "=") + "=";
  }
  return text;
}

/**
 * The bytes of an ArrayBuffer or ArrayBuffer view, of any realm (a Node host's Uint8Array
 * is not `instanceof` the guest's), or null when `value` is not bytes.
 */
export function bytesOf(value: unknown): Uint8Array | null {
  if (value === null || typeof value !== "object") return null;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  // The tag is read from the internal slot's prototype: it works across realms, unlike instanceof.
  if (Object.prototype.toString.call(value) === "[object ArrayBuffer]") return new Uint8Array(value as ArrayBuffer);
  return null;
}

/** Whether `value` is exactly `{ base64: string }`, the JSON spelling of bytes. */
function isBase64Record(value: unknown): value is { base64: string } {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === "base64" && typeof (value as { base64: unknown }).base64 === "string";
}

/** Event data as program code sees it: bytes or a JSON value of the guest's realm. */
export type GuestData = { readonly bytes: ArrayBuffer } | { readonly json: unknown };

/**
 * Converts an event's data for the guest, with one copy: bytes become a fresh guest
 * ArrayBuffer, JSON values are re-parsed in the guest (so a JavaScript host's objects never
 * leak into program code, and every host gives the same value).
 */
export function toGuestData(data: unknown): GuestData {
  if (isBase64Record(data)) return { bytes: decodeBase64(data.base64) };
  const bytes = bytesOf(data);
  if (bytes !== null) return { bytes: bytes.slice().buffer };
  if (data === undefined) return { json: undefined };
  // What JSON gives back unchanged needs no round trip (NaN, ±Infinity and -0 do).
  if (typeof data === "string" || typeof data === "boolean" || data === null) return { json: data };
  if (typeof data === "number" && Number.isFinite(data) && !Object.is(data, -0)) return { json: data };
  const text = JSON.stringify(data);
  if (text === undefined) throw new TypeError(`host event data must be a JSON value or bytes, got a ${typeof data}`);
  return { json: JSON.parse(text) };
}

/**
 * Converts outgoing data for the host and the trace: bytes become `{ base64 }`, anything
 * else must be a JSON value; returns the JSON value (a snapshot: later changes by the
 * program do not change what is sent).
 * @throws TypeError when `data` is neither.
 */
export function toOutgoingData(data: unknown, where: string): unknown {
  const bytes = bytesOf(data);
  if (bytes !== null) return { base64: encodeBase64(bytes) };
  let text: string | undefined;
  try {
    text = JSON.stringify(data);
  } catch (error) {
    throw new TypeError(`${where}: data must be a JSON value or bytes (${error instanceof Error ? error.message : String(error)})`);
  }
  if (text === undefined) throw new TypeError(`${where}: data must be a JSON value or bytes, got ${typeof data}`);
  return JSON.parse(text);
}
