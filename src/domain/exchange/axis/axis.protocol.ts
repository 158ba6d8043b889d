import { createHash, createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { utcPlus7Parts, vietnamParts } from '../../../platform/dates.ts';

/**
 * The byte-level rules of the VXP axis protocol (docs/axis.md, axis-protocol.md §3): how the SDK
 * orders, serialises and signs its header map, its timestamp and its `hash-file`. Pure functions,
 * shared by the server's checks, the client and the tests.
 */

export const HEADER_PREFIX = 'XroadVnpt-';
export const SDK_USER_AGENT = 'JAVASDKAgent/1.0.0 XRoad/VPCP';
export const SDK_VERSION = '3.0.201608';

/** Java's `String.hashCode` (UTF-16 code units, 32-bit wrap-around). */
export function javaStringHash(value: string): number {
  let h = 0;
  for (let i = 0; i < value.length; i++) h = (Math.imul(31, h) + value.charCodeAt(i)) | 0;
  return h;
}

/**
 * The iteration order of a `java.util.HashMap<String,String>` holding `keys` (given in insertion
 * order): buckets ascending by `spread(hash) & (capacity - 1)`, insertion order inside a bucket, the
 * capacity grown from 16 by doubling whenever the size passes 0.75 of it (resizes keep the relative
 * order inside split buckets). Trees (8+ keys in one bucket of a 64+ table) never occur for header maps.
 */
export function javaHashMapOrder(keys: readonly string[]): string[] {
  const unique = [...new Set(keys)];
  let capacity = 16;
  while (unique.length > capacity * 0.75) capacity *= 2;
  const bucket = (k: string) => {
    const h = javaStringHash(k);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return unique.map((k, i) => ({ k, i, b: bucket(k) })).sort((a, b) => a.b - b.b || a.i - b.i).map((e) => e.k);
}

/** What Gson escapes: the quote, the backslash, control characters, U+2028 and U+2029. */
const GSON_ESCAPED = /["\\\u0000-\u001f\u2028\u2029]/;

/** Escapes a string the way Gson's JsonWriter does without HTML escaping (also U+2028/U+2029). */
export function gsonString(value: string): string {
  if (!GSON_ESCAPED.test(value)) return `"${value}"`;
  let out = '"';
  for (const ch of value) {
    const c = ch.charCodeAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || ch === '\u2028' || ch === '\u2029') out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** `JsonObject.toString()` of string properties, in the given order (compact, no spaces). */
export function gsonObject(entries: readonly (readonly [string, string])[]): string {
  return `{${entries.map(([k, v]) => `${gsonString(k)}:${gsonString(v)}`).join(',')}}`;
}

const hmacKeys = new Map<string, KeyObject>();

/** The secret as a KeyObject, made once per secret: createHmac checks a raw key more slowly than it uses a KeyObject. */
function hmacKey(secret: string): KeyObject {
  let key = hmacKeys.get(secret);
  if (!key) {
    if (hmacKeys.size >= 10_000) hmacKeys.clear();
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    hmacKeys.set(secret, key);
  }
  return key;
}

/** Lowercase hex HMAC-SHA256 of the sign-header bytes with the UTF-8 secret (commons-codec Hex). */
export function signHeaderHmac(secret: string, signHeader: Uint8Array | string): string {
  return createHmac('sha256', hmacKey(secret)).update(signHeader).digest('hex');
}

/** The SDK's `hash-file`: SHA-256 as hex WITHOUT zero-padding of bytes below 0x10 (33–64 characters). */
export function unpaddedSha256Hex(bytes: Uint8Array): string {
  return unpaddedHex(createHash('sha256').update(bytes).digest());
}

/** A digest as the SDK writes it: each byte in hex without its leading zero. */
export function unpaddedHex(digest: Uint8Array): string {
  let out = '';
  for (const b of digest) out += b.toString(16);
  return out;
}

/**
 * The SDK list time format, in Vietnam time: `yyyy-MM-dd HH:mm:ss`. Vietnam has kept UTC+7 without
 * daylight saving since 1975, so plain arithmetic gives what Intl would (lists format two per item).
 */
export function listTime(date: Date): string {
  const p = utcPlus7Parts(date);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

const VIETNAM_ZONE = 'Asia/Ho_Chi_Minh';
const timestampFormats = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone: building an Intl.DateTimeFormat costs more than formatting with it. */
function timestampFormat(timeZone: string): Intl.DateTimeFormat {
  let format = timestampFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
    });
    timestampFormats.set(timeZone, format);
  }
  return format;
}

/**
 * The SDK timestamp `ddMMyyyy'T'HHmmss+SSSS` in the given IANA zone (the JVM's default zone on the
 * client); `+SSSS` is the milliseconds padded to 4 digits, not a UTC offset.
 */
export function sdkTimestamp(date: Date, timeZone = VIETNAM_ZONE): string {
  // Every request carries one: Vietnam's clock is plain arithmetic (vietnamParts), ~50 times cheaper than formatToParts.
  const parts = timeZone === VIETNAM_ZONE ? vietnamParts(date)
    : Object.fromEntries(timestampFormat(timeZone).formatToParts(date).map((p) => [p.type, p.value]));
  const ms = String(date.getUTCMilliseconds()).padStart(4, '0');
  return `${parts.day}${parts.month}${parts.year}T${parts.hour}${parts.minute}${parts.second}+${ms}`;
}

export type SignedHeaders = {
  /** Header pairs in the order the SDK puts them on the wire (Content-Type included once, unprefixed). */
  wire: [string, string][];
  signHeader: string;
  hash: string;
  keys: string;
};

/**
 * Builds the SDK's signed header block from its logical map (`entries` in insertion order, e.g.
 * timestamp, systemid, Content-Type, then the caller's jsonHeaders): `XroadVnpt-<name>` for every key,
 * an unprefixed `Content-Type`, `XroadVnpt-sign-header-key`, `-sign-header`, `-hash-header`,
 * `User-Agent` and `XroadVnpt-version` (axis-protocol.md §3.2).
 */
export function signSdkHeaders(entries: readonly (readonly [string, string])[], secret: string): SignedHeaders {
  const map = new Map<string, string>();
  for (const [k, v] of entries) map.set(k, v);
  const order = javaHashMapOrder(entries.map(([k]) => k));
  const wire: [string, string][] = [];
  const json: [string, string][] = [];
  for (const name of order) {
    const value = map.get(name) ?? '';
    if (name === 'Content-Type') wire.push([name, value]);
    json.push([HEADER_PREFIX + name, value]);
    wire.push([HEADER_PREFIX + name, value]);
  }
  const signHeader = gsonObject(json);
  const hash = signHeaderHmac(secret, signHeader); // a string is hashed as its UTF-8 bytes
  const keys = order.join(';');
  wire.push([`${HEADER_PREFIX}sign-header-key`, keys], [`${HEADER_PREFIX}sign-header`, signHeader], [`${HEADER_PREFIX}hash-header`, hash],
    ['User-Agent', SDK_USER_AGENT], [`${HEADER_PREFIX}version`, SDK_VERSION]);
  return { wire, signHeader, hash, keys };
}

/**
 * Serialises a response envelope as ASCII-only JSON (non-ASCII as \uXXXX): the SDK decodes sendEdoc
 * responses with the client JVM's default charset, which is often not UTF-8.
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * `asciiJson` of an envelope plus one base64 `data` field appended last, as the response's bytes: base64
 * is ASCII and needs no escaping, so the (large) package text is neither scanned nor joined into one
 * string; it is copied once into the response buffer (raw `data` bytes are base64-encoded first).
 * `alloc` gives that buffer (at least the size asked; the server reuses its response buffers). Server only.
 */
export function asciiJsonWithBase64(value: Record<string, unknown>, data: string | Uint8Array, alloc: (size: number) => Buffer<ArrayBuffer> = Buffer.allocUnsafe): Buffer<ArrayBuffer> {
  const json = asciiJson(value);
  const head = `${json.slice(0, -1)}${json.length > 2 ? ',' : ''}"data":"`;
  const length = typeof data === 'string' ? data.length : 4 * Math.ceil(data.byteLength / 3);
  const size = head.length + length + 2;
  const out = alloc(size).subarray(0, size);
  let at = out.write(head, 0, 'latin1');
  if (typeof data === 'string') at += out.write(data, at, 'latin1');
  else {
    // In pieces of 48 KiB (64 KiB of base64, a multiple of 3: no padding between them): one string of the
    // whole package (over 128 KiB) would be made straight into V8's old generation.
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    for (let i = 0; i < bytes.length; i += BASE64_PIECE) at += out.write(bytes.subarray(i, i + BASE64_PIECE).toString('base64'), at, 'latin1');
  }
  out.write('"}', at, 'latin1');
  return out;
}
const BASE64_PIECE = 3 * 16 * 1024;
