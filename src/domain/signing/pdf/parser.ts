/**
 * Byte-level PDF object parser (ISO 32000-2 §7.2–7.3): parses one object, or one indirect object
 * `N G obj … endobj` with its stream data, starting at a byte offset. It never reads past the buffer
 * and throws `PdfSyntaxError` on malformed input, so callers can recover or refuse cleanly.
 */
import type { PdfArray, PdfDict, PdfObject, PdfRef, PdfStream } from './objects.ts';

/** Thrown for malformed PDF syntax; `offset` is where parsing failed. */
export class PdfSyntaxError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(`${message} at byte ${offset}`);
    this.name = 'PdfSyntaxError';
    this.offset = offset;
  }
}

const MAX_DEPTH = 64;

/** True for PDF white-space bytes (NUL, TAB, LF, FF, CR, SP). */
export function isWhite(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09 || byte === 0x0c || byte === 0x00;
}

/** True for PDF delimiter bytes ( ) < > [ ] { } / %. */
export function isDelimiter(byte: number | undefined): boolean {
  return (
    byte === 0x28 || byte === 0x29 || byte === 0x3c || byte === 0x3e || byte === 0x5b || byte === 0x5d ||
    byte === 0x7b || byte === 0x7d || byte === 0x2f || byte === 0x25
  );
}

/** Skips white space and comments from `pos`; returns the next significant offset. */
export function skipWhite(bytes: Uint8Array, pos: number): number {
  let p = pos;
  while (p < bytes.length) {
    const b = bytes[p];
    if (isWhite(b)) p++;
    else if (b === 0x25) {
      while (p < bytes.length && bytes[p] !== 0x0a && bytes[p] !== 0x0d) p++;
    } else break;
  }
  return p;
}

/** Reads a regular (non-delimited) token such as a number or keyword. */
export function readToken(bytes: Uint8Array, pos: number): { token: string; end: number } {
  let p = pos;
  let token = '';
  while (p < bytes.length) {
    const b = bytes[p] ?? 0;
    if (isWhite(b) || isDelimiter(b)) break;
    token += String.fromCharCode(b);
    p++;
  }
  return { token, end: p };
}

/** True when `bytes` at `pos` holds the ASCII `keyword`. */
export function matchKeyword(bytes: Uint8Array, pos: number, keyword: string): boolean {
  if (pos + keyword.length > bytes.length) return false;
  for (let i = 0; i < keyword.length; i++) if (bytes[pos + i] !== keyword.charCodeAt(i)) return false;
  return true;
}

type Parsed = { value: PdfObject; end: number };
type Keyword = { keyword: string; end: number };

/** Parses one direct object at `pos` (a trailing `R` makes a reference). Throws PdfSyntaxError. */
export function parseObject(bytes: Uint8Array, pos: number): Parsed {
  const result = parseValue(bytes, pos, 0);
  if ('keyword' in result) throw new PdfSyntaxError(`Unexpected keyword "${result.keyword}"`, pos);
  return result;
}

function parseValue(bytes: Uint8Array, start: number, depth: number): Parsed | Keyword {
  if (depth > MAX_DEPTH) throw new PdfSyntaxError('Nesting too deep', start);
  const pos = skipWhite(bytes, start);
  if (pos >= bytes.length) throw new PdfSyntaxError('Unexpected end of data', pos);
  const b = bytes[pos];
  if (b === 0x2f) return parseName(bytes, pos);
  if (b === 0x28) return parseLiteralString(bytes, pos);
  if (b === 0x3c) return bytes[pos + 1] === 0x3c ? parseDict(bytes, pos, depth) : parseHexString(bytes, pos);
  if (b === 0x5b) return parseArray(bytes, pos, depth);
  if (b === 0x5d || b === 0x3e || b === 0x29 || b === 0x7b || b === 0x7d) {
    return { keyword: String.fromCharCode(b), end: pos + 1 };
  }
  const { token, end } = readToken(bytes, pos);
  if (token === '') throw new PdfSyntaxError('Empty token', pos);
  if (token === 'true') return { value: true, end };
  if (token === 'false') return { value: false, end };
  if (token === 'null') return { value: null, end };
  if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(token)) return parseNumberOrRef(bytes, token, end);
  return { keyword: token, end };
}

function parseNumberOrRef(bytes: Uint8Array, token: string, end: number): Parsed {
  const value = Number(token);
  if (!/^\d+$/.test(token)) return { value, end };
  // Look ahead for "G R" without allocating: integers followed by integer and R form a reference.
  const p1 = skipWhite(bytes, end);
  const gen = readToken(bytes, p1);
  if (!/^\d+$/.test(gen.token)) return { value, end };
  const p2 = skipWhite(bytes, gen.end);
  if (bytes[p2] === 0x52 && (p2 + 1 >= bytes.length || isWhite(bytes[p2 + 1]) || isDelimiter(bytes[p2 + 1]))) {
    const ref: PdfRef = { type: 'ref', num: value, gen: Number(gen.token) };
    return { value: ref, end: p2 + 1 };
  }
  return { value, end };
}

function hexValue(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x41 && b <= 0x46) return b - 0x37;
  if (b >= 0x61 && b <= 0x66) return b - 0x57;
  return -1;
}

function parseName(bytes: Uint8Array, pos: number): Parsed {
  let p = pos + 1;
  let out = '';
  while (p < bytes.length) {
    const b = bytes[p] ?? 0;
    if (isWhite(b) || isDelimiter(b)) break;
    if (b === 0x23 && p + 2 < bytes.length) {
      const h = hexValue(bytes[p + 1] ?? 0);
      const l = hexValue(bytes[p + 2] ?? 0);
      if (h >= 0 && l >= 0) {
        out += String.fromCharCode(h * 16 + l);
        p += 3;
        continue;
      }
    }
    out += String.fromCharCode(b);
    p++;
  }
  return { value: { type: 'name', value: out }, end: p };
}

const ESCAPES: Record<number, number> = { 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x62: 0x08, 0x66: 0x0c };

function parseLiteralString(bytes: Uint8Array, pos: number): Parsed {
  const out: number[] = [];
  let depth = 1;
  let p = pos + 1;
  while (p < bytes.length) {
    const b = bytes[p] ?? 0;
    if (b === 0x5c) {
      p = readEscape(bytes, p + 1, out);
      continue;
    }
    if (b === 0x28) depth++;
    if (b === 0x29 && --depth === 0) {
      return { value: { type: 'string', bytes: Uint8Array.from(out), hex: false }, end: p + 1 };
    }
    if (b === 0x0d) {
      out.push(0x0a); // an unescaped EOL in a string is read as a single LF (§7.3.4.2)
      p += bytes[p + 1] === 0x0a ? 2 : 1;
      continue;
    }
    out.push(b);
    p++;
  }
  throw new PdfSyntaxError('Unterminated string', pos);
}

function readEscape(bytes: Uint8Array, pos: number, out: number[]): number {
  const e = bytes[pos];
  if (e === undefined) return pos;
  const mapped = ESCAPES[e];
  if (mapped !== undefined) {
    out.push(mapped);
    return pos + 1;
  }
  if (e >= 0x30 && e <= 0x37) {
    let value = 0;
    let p = pos;
    while (p < pos + 3 && (bytes[p] ?? 0) >= 0x30 && (bytes[p] ?? 0) <= 0x37) value = value * 8 + ((bytes[p++] ?? 0) - 0x30);
    out.push(value & 0xff);
    return p;
  }
  if (e === 0x0d) return bytes[pos + 1] === 0x0a ? pos + 2 : pos + 1;
  if (e === 0x0a) return pos + 1;
  out.push(e);
  return pos + 1;
}

function parseHexString(bytes: Uint8Array, pos: number): Parsed {
  const end = bytes.indexOf(0x3e, pos + 1);
  if (end < 0) throw new PdfSyntaxError('Unterminated hex string', pos);
  const out = new Uint8Array(Math.ceil((end - pos - 1) / 2));
  let n = 0;
  let high = -1;
  for (let p = pos + 1; p < end; p++) {
    const v = hexValue(bytes[p] ?? 0);
    if (v < 0) {
      if (isWhite(bytes[p])) continue;
      throw new PdfSyntaxError('Bad hex digit', p);
    }
    if (high < 0) high = v;
    else {
      out[n++] = high * 16 + v;
      high = -1;
    }
  }
  if (high >= 0) out[n++] = high * 16;
  return { value: { type: 'string', bytes: out.subarray(0, n), hex: true }, end: end + 1 };
}

function parseArray(bytes: Uint8Array, pos: number, depth: number): Parsed {
  const items: PdfObject[] = [];
  let p = pos + 1;
  for (;;) {
    const item = parseValue(bytes, p, depth + 1);
    if ('keyword' in item) {
      if (item.keyword === ']') return { value: { type: 'array', items } satisfies PdfArray, end: item.end };
      throw new PdfSyntaxError(`Unexpected "${item.keyword}" in array`, p);
    }
    items.push(item.value);
    p = item.end;
  }
}

function parseDict(bytes: Uint8Array, pos: number, depth: number): Parsed {
  const entries = new Map<string, PdfObject>();
  let p = pos + 2;
  for (;;) {
    p = skipWhite(bytes, p);
    if (bytes[p] === 0x3e && bytes[p + 1] === 0x3e) return { value: { type: 'dict', entries } satisfies PdfDict, end: p + 2 };
    if (bytes[p] !== 0x2f) throw new PdfSyntaxError('Expected a name key in dictionary', p);
    const key = parseName(bytes, p);
    const value = parseValue(bytes, key.end, depth + 1);
    if ('keyword' in value) {
      // Tolerate a missing value before ">>" (seen in the wild): treat as null.
      if (value.keyword === '>') {
        p = key.end;
        continue;
      }
      throw new PdfSyntaxError(`Unexpected "${value.keyword}" in dictionary`, key.end);
    }
    const name = key.value;
    if (typeof name === 'object' && name !== null && name.type === 'name') entries.set(name.value, value.value);
    p = value.end;
  }
}

/** The result of parsing `N G obj … endobj`. */
export type IndirectObject = { num: number; gen: number; value: PdfObject; end: number };

/**
 * Parses an indirect object at `pos`. `resolveLength` resolves an indirect /Length; when the length
 * is missing or wrong, the stream data is found by searching for `endstream`. Throws PdfSyntaxError.
 */
export function parseIndirect(
  bytes: Uint8Array,
  pos: number,
  resolveLength: (ref: PdfRef) => number | undefined = () => undefined,
): IndirectObject {
  const header = parseObjectHeader(bytes, pos);
  if (!header) throw new PdfSyntaxError('Expected "N G obj"', pos);
  const body = parseObject(bytes, header.end);
  let p = skipWhite(bytes, body.end);
  if (matchKeyword(bytes, p, 'stream') && typeof body.value === 'object' && body.value?.type === 'dict') {
    const stream = readStreamData(bytes, p + 6, body.value, resolveLength);
    return { num: header.num, gen: header.gen, value: stream.value, end: stream.end };
  }
  if (matchKeyword(bytes, p, 'endobj')) p += 6;
  return { num: header.num, gen: header.gen, value: body.value, end: p };
}

/** Parses `N G obj` at `pos` (after white space); returns undefined when absent. */
export function parseObjectHeader(bytes: Uint8Array, pos: number): { num: number; gen: number; end: number } | undefined {
  const p0 = skipWhite(bytes, pos);
  const num = readToken(bytes, p0);
  if (!/^\d+$/.test(num.token)) return undefined;
  const gen = readToken(bytes, skipWhite(bytes, num.end));
  if (!/^\d+$/.test(gen.token)) return undefined;
  const p2 = skipWhite(bytes, gen.end);
  if (!matchKeyword(bytes, p2, 'obj')) return undefined;
  return { num: Number(num.token), gen: Number(gen.token), end: p2 + 3 };
}

function readStreamData(
  bytes: Uint8Array,
  afterKeyword: number,
  dict: PdfDict,
  resolveLength: (ref: PdfRef) => number | undefined,
): { value: PdfStream; end: number } {
  let start = afterKeyword;
  if (bytes[start] === 0x0d) start++;
  if (bytes[start] === 0x0a) start++;
  const lengthEntry = dict.entries.get('Length');
  const length = typeof lengthEntry === 'number' ? lengthEntry : lengthEntry && typeof lengthEntry === 'object' && lengthEntry.type === 'ref' ? resolveLength(lengthEntry) : undefined;
  let dataEnd = -1;
  if (length !== undefined && Number.isInteger(length) && length >= 0 && start + length <= bytes.length) {
    const after = skipWhite(bytes, start + length);
    if (matchKeyword(bytes, after, 'endstream')) dataEnd = start + length;
  }
  if (dataEnd < 0) dataEnd = findEndstream(bytes, start);
  const end = skipWhite(bytes, dataEnd);
  let p = matchKeyword(bytes, end, 'endstream') ? end + 9 : end;
  p = skipWhite(bytes, p);
  if (matchKeyword(bytes, p, 'endobj')) p += 6;
  const value: PdfStream = { type: 'stream', dict, raw: bytes.subarray(start, dataEnd), rawOffset: start };
  return { value, end: p };
}

const ENDSTREAM = new TextEncoder().encode('endstream');

function findEndstream(bytes: Uint8Array, start: number): number {
  const at = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(ENDSTREAM, start);
  if (at < 0) throw new PdfSyntaxError('Stream without endstream', start);
  let end = at;
  if (bytes[end - 1] === 0x0a) end--;
  if (bytes[end - 1] === 0x0d) end--;
  return Math.max(start, end);
}
