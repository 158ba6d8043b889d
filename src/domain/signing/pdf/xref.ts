/**
 * Cross-reference sections (ISO 32000-2 §7.5.4, §7.5.8): classic tables (read lazily: an entry is
 * decoded only when looked up), xref streams, hybrid files (/XRefStm), and the /Prev chain.
 */
import { decodeStream } from './filters.ts';
import { isArray, isDict, isStream, nameOf, numberOf } from './objects.ts';
import type { PdfDict } from './objects.ts';
import { matchKeyword, parseIndirect, parseObject, PdfSyntaxError, readToken, skipWhite } from './parser.ts';

/** One xref entry: free, at a byte offset, or compressed inside an object stream. */
export type XrefEntry =
  | { kind: 'free' }
  | { kind: 'offset'; offset: number; gen: number }
  | { kind: 'compressed'; stream: number; index: number };

/** One cross-reference section with its trailer (for an xref stream: the stream's dictionary). */
export type XrefSection = {
  /** Byte offset of the `xref` keyword or of the xref stream object. */
  offset: number;
  kind: 'table' | 'stream' | 'recovered';
  trailer: PdfDict;
  /** Object number of the xref stream (kind 'stream'). */
  streamNum?: number;
  /** Hybrid files: the section read from the trailer's /XRefStm. */
  xrefStm?: XrefSection;
  /** Looks one object number up in this section only (not /XRefStm, not /Prev). */
  lookup: (num: number) => XrefEntry | undefined;
  /** Every object number this section defines (free entries included). */
  numbers: () => number[];
};

type Subsection = { first: number; count: number; data: number; entrySize: number };

/** Parses the section at `offset` (table or stream). Throws PdfSyntaxError when nothing valid is there. */
export function readXrefSection(bytes: Uint8Array, offset: number): XrefSection {
  const p = skipWhite(bytes, offset);
  if (matchKeyword(bytes, p, 'xref')) return readTable(bytes, offset, p + 4);
  return readXrefStream(bytes, offset);
}

function readTable(bytes: Uint8Array, offset: number, start: number): XrefSection {
  const subsections: Subsection[] = [];
  let p = skipWhite(bytes, start);
  while (!matchKeyword(bytes, p, 'trailer')) {
    const first = readToken(bytes, p);
    const count = readToken(bytes, skipWhite(bytes, first.end));
    if (!/^\d+$/.test(first.token) || !/^\d+$/.test(count.token)) throw new PdfSyntaxError('Bad xref subsection header', p);
    const data = skipWhite(bytes, count.end);
    const entrySize = count.token === '0' ? 20 : detectEntrySize(bytes, data);
    subsections.push({ first: Number(first.token), count: Number(count.token), data, entrySize });
    p = skipWhite(bytes, data + Number(count.token) * entrySize);
    if (p >= bytes.length) throw new PdfSyntaxError('Xref table without trailer', offset);
  }
  const trailer = parseObject(bytes, p + 7).value;
  if (!isDict(trailer)) throw new PdfSyntaxError('Trailer is not a dictionary', p);
  return {
    offset,
    kind: 'table',
    trailer,
    lookup: (num) => lookupTable(bytes, subsections, num),
    numbers: () => subsections.flatMap((s) => Array.from({ length: s.count }, (_, i) => s.first + i)),
  };
}

function detectEntrySize(bytes: Uint8Array, data: number): number {
  // Standard entries are exactly 20 bytes ("oooooooooo ggggg n" + 2-byte EOL); tolerate 19 and 21.
  const type = bytes[data + 17];
  if (type !== 0x6e && type !== 0x66) throw new PdfSyntaxError('Bad xref entry', data);
  let p = data + 18;
  while (p < data + 21 && (bytes[p] === 0x20 || bytes[p] === 0x0d || bytes[p] === 0x0a)) p++;
  return p - data;
}

function lookupTable(bytes: Uint8Array, subsections: Subsection[], num: number): XrefEntry | undefined {
  for (const s of subsections) {
    if (num < s.first || num >= s.first + s.count) continue;
    const at = s.data + (num - s.first) * s.entrySize;
    const offset = readDigits(bytes, at, 10);
    const gen = readDigits(bytes, at + 11, 5);
    const type = bytes[at + 17];
    if (offset < 0 || gen < 0 || (type !== 0x6e && type !== 0x66)) return undefined;
    return type === 0x6e && offset > 0 ? { kind: 'offset', offset, gen } : { kind: 'free' };
  }
  return undefined;
}

function readDigits(bytes: Uint8Array, at: number, length: number): number {
  let value = 0;
  for (let i = 0; i < length; i++) {
    const d = (bytes[at + i] ?? 0) - 0x30;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

function readXrefStream(bytes: Uint8Array, offset: number): XrefSection {
  const obj = parseIndirect(bytes, offset);
  if (!isStream(obj.value) || nameOf(obj.value.dict.entries.get('Type')) !== 'XRef') {
    throw new PdfSyntaxError('Expected an xref table or xref stream', offset);
  }
  const dict = obj.value.dict;
  const data = decodeStream(obj.value);
  const w = isArray(dict.entries.get('W')) ? (dict.entries.get('W') as { items: unknown[] }).items.map((x) => (typeof x === 'number' ? x : 0)) : [];
  const size = numberOf(dict.entries.get('Size')) ?? 0;
  const index = dict.entries.get('Index');
  const ranges = isArray(index) ? index.items.map((x) => (typeof x === 'number' ? x : 0)) : [0, size];
  const [w0 = 0, w1 = 0, w2 = 0] = w;
  const rowSize = w0 + w1 + w2;
  if (w.length !== 3 || rowSize <= 0 || w.some((x) => x < 0 || x > 8)) throw new PdfSyntaxError('Bad /W in xref stream', offset);
  const entries = new Map<number, XrefEntry>();
  let row = 0;
  for (let r = 0; r + 1 < ranges.length; r += 2) {
    const first = ranges[r] ?? 0;
    const count = ranges[r + 1] ?? 0;
    for (let i = 0; i < count && (row + 1) * rowSize <= data.length; i++, row++) {
      const at = row * rowSize;
      const type = w0 === 0 ? 1 : readInt(data, at, w0);
      const f2 = readInt(data, at + w0, w1);
      const f3 = readInt(data, at + w0 + w1, w2);
      if (type === 0) entries.set(first + i, { kind: 'free' });
      else if (type === 1) entries.set(first + i, { kind: 'offset', offset: f2, gen: f3 });
      else if (type === 2) entries.set(first + i, { kind: 'compressed', stream: f2, index: f3 });
    }
  }
  return { offset, kind: 'stream', trailer: dict, streamNum: obj.num, lookup: (n) => entries.get(n), numbers: () => [...entries.keys()] };
}

function readInt(data: Uint8Array, at: number, width: number): number {
  let value = 0;
  for (let i = 0; i < width; i++) value = value * 256 + (data[at + i] ?? 0);
  return value;
}

/**
 * Reads the whole /Prev chain from `startxref`, newest section first; hybrid /XRefStm sections are
 * attached to their table. Throws PdfSyntaxError when the first section cannot be read; a broken
 * /Prev further down is also an error (the caller then falls back to recovery).
 */
export function readXrefChain(bytes: Uint8Array, startxref: number): XrefSection[] {
  const sections: XrefSection[] = [];
  const seen = new Set<number>();
  let offset: number | undefined = startxref;
  while (offset !== undefined && !seen.has(offset)) {
    seen.add(offset);
    const section = readXrefSection(bytes, offset);
    const xrefStm = numberOf(section.trailer.entries.get('XRefStm'));
    if (section.kind === 'table' && xrefStm !== undefined) section.xrefStm = readXrefSection(bytes, xrefStm);
    sections.push(section);
    const prev = numberOf(section.trailer.entries.get('Prev'));
    offset = prev !== undefined && prev > 0 ? prev : undefined;
  }
  return sections;
}

/** Finds the offset given by the last `startxref` in the file's tail; undefined when missing. */
export function findStartxref(bytes: Uint8Array): number | undefined {
  const tail = Math.max(0, bytes.length - 2048);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = buf.lastIndexOf('startxref');
  if (at < 0 || at < tail - 1_000_000) return undefined;
  const token = readToken(bytes, skipWhite(bytes, at + 9));
  return /^\d+$/.test(token.token) ? Number(token.token) : undefined;
}
