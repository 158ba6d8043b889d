/**
 * Serializer for the PDF object model: `serializeObject` writes one object the way the parser reads
 * it back; `serializeIndirect` writes `N G obj … endobj` (streams get a correct /Length).
 */
import type { PdfDict, PdfObject, PdfStream } from './objects.ts';

const encoder = new TextEncoder();

/**
 * Formats a number so that it reads back as the same value: the shortest decimal that parses to it
 * (what `String` gives: 595.303937007874 stays 595.303937007874, never 595.303937), written out in
 * plain digits since PDF has no exponent notation (1e-7 → 0.0000001, 1e+21 → 1000000000000000000000).
 * An object of the file re-written by an incremental update (a page that gets /Annots, the catalog)
 * thus keeps every number it had — a rounded /MediaBox would be a change to the signed page.
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value) || value === 0) return '0';
  const text = String(value);
  return text.includes('e') ? plainDigits(text) : text;
}

/** Writes `String(value)`'s exponent form (`-1.5e-7`, `1e+21`) in plain digits, digit for digit. */
function plainDigits(text: string): string {
  const [mantissa = '', exponent = '0'] = text.split('e');
  const negative = mantissa.startsWith('-');
  const [whole = '', fraction = ''] = mantissa.replace('-', '').split('.');
  const digits = whole + fraction;
  const point = whole.length + Number(exponent);
  const plain = point <= 0 ? `0.${'0'.repeat(-point)}${digits}`
    : point >= digits.length ? digits + '0'.repeat(point - digits.length)
      : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${plain}` : plain;
}

/** Escapes a name for writing (without the slash): delimiters, white space, `#` and non-ASCII as `#xx`. */
export function escapeName(name: string): string {
  let out = '';
  for (const byte of encodeLatin1(name)) {
    const ch = String.fromCharCode(byte);
    if (byte < 0x21 || byte > 0x7e || '()<>[]{}/%#'.includes(ch)) out += `#${byte.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

function encodeLatin1(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}

/** Writes a byte string as a literal `( … )` string, escaping what must be escaped. */
export function literalString(bytes: Uint8Array): string {
  let out = '(';
  for (const byte of bytes) {
    if (byte === 0x28 || byte === 0x29 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte === 0x0d) out += '\\r';
    else if (byte === 0x0a) out += '\\n';
    else if (byte < 0x20 || byte > 0x7e) out += `\\${byte.toString(8).padStart(3, '0')}`;
    else out += String.fromCharCode(byte);
  }
  return `${out})`;
}

/** Writes a byte string as a hex string `< … >` (upper-case digits). */
export function hexString(bytes: Uint8Array): string {
  return `<${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase()}>`;
}

/** Serializes one direct object to PDF syntax (a stream's dictionary only; use serializeIndirect for data). */
export function serializeObject(value: PdfObject): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return formatNumber(value);
  switch (value.type) {
    case 'name': return `/${escapeName(value.value)}`;
    case 'string': return value.hex ? hexString(value.bytes) : literalString(value.bytes);
    case 'ref': return `${value.num} ${value.gen} R`;
    case 'array': return `[${value.items.map(serializeObject).join(' ')}]`;
    case 'dict': return serializeDict(value);
    case 'stream': return serializeDict(value.dict);
  }
}

function serializeDict(dict: PdfDict): string {
  const parts: string[] = [];
  for (const [key, value] of dict.entries) parts.push(`/${escapeName(key)} ${serializeObject(value)}`);
  return `<<${parts.join(' ')}>>`;
}

/** Serializes the body of an indirect object (what goes between `N G obj` and `endobj`). */
export function serializeBody(value: PdfObject): Uint8Array {
  if (typeof value === 'object' && value !== null && value.type === 'stream') return serializeStreamBody(value);
  return encoder.encode(serializeObject(value));
}

function serializeStreamBody(stream: PdfStream): Uint8Array {
  const dict: PdfDict = { type: 'dict', entries: new Map(stream.dict.entries) };
  dict.entries.set('Length', stream.raw.length);
  const head = encoder.encode(`${serializeDict(dict)}\nstream\n`);
  const tail = encoder.encode('\nendstream');
  const out = new Uint8Array(head.length + stream.raw.length + tail.length);
  out.set(head, 0);
  out.set(stream.raw, head.length);
  out.set(tail, head.length + stream.raw.length);
  return out;
}

/** Serializes `N G obj\n<body>\nendobj\n`. `body` may be an object or pre-serialized bytes. */
export function serializeIndirect(num: number, gen: number, body: PdfObject | Uint8Array): Uint8Array {
  const content = body instanceof Uint8Array ? body : serializeBody(body);
  const head = encoder.encode(`${num} ${gen} obj\n`);
  const tail = encoder.encode('\nendobj\n');
  const out = new Uint8Array(head.length + content.length + tail.length);
  out.set(head, 0);
  out.set(content, head.length);
  out.set(tail, head.length + content.length);
  return out;
}
