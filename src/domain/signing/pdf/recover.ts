/**
 * Recovery for files whose xref offsets are wrong or missing: scans the bytes for `N G obj`
 * headers (a later definition wins, as in an incremental update), finds the trailer, and builds a
 * synthetic xref section. Objects inside object streams are resolved through their stream later.
 */
import { isDict, isStream, nameOf, pdfDict } from './objects.ts';
import { readObjStmHeader } from './objstm.ts';
import type { PdfDict } from './objects.ts';
import { isDelimiter, isWhite, parseIndirect, parseObject, parseObjectHeader, skipWhite } from './parser.ts';
import type { XrefEntry, XrefSection } from './xref.ts';

/** Builds an xref section by scanning every `N G obj` in `bytes`. Throws when no catalog is found. */
export function recoverXref(bytes: Uint8Array): XrefSection {
  const entries = scanObjects(bytes);
  const trailer = findTrailer(bytes, entries);
  return {
    offset: -1,
    kind: 'recovered',
    trailer,
    lookup: (num) => entries.get(num),
    numbers: () => [...entries.keys()],
  };
}

function scanObjects(bytes: Uint8Array): Map<number, XrefEntry> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries = new Map<number, XrefEntry>();
  let at = buf.indexOf('obj');
  while (at >= 0) {
    const after = bytes[at + 3];
    if (after === undefined || isWhite(after) || isDelimiter(after)) {
      const start = headerStart(bytes, at);
      if (start >= 0) {
        const header = parseObjectHeader(bytes, start);
        if (header && header.end === at + 3) entries.set(header.num, { kind: 'offset', offset: start, gen: header.gen });
      }
    }
    at = buf.indexOf('obj', at + 3);
  }
  addCompressed(bytes, entries);
  return entries;
}

function headerStart(bytes: Uint8Array, objAt: number): number {
  let p = objAt - 1;
  if (!isWhite(bytes[p])) return -1;
  while (p >= 0 && isWhite(bytes[p])) p--;
  while (p >= 0 && isDigit(bytes[p])) p--;
  if (!isWhite(bytes[p])) return -1;
  while (p >= 0 && isWhite(bytes[p])) p--;
  if (!isDigit(bytes[p])) return -1;
  while (p >= 0 && isDigit(bytes[p])) p--;
  if (p >= 0 && !isWhite(bytes[p]) && !isDelimiter(bytes[p])) return -1;
  return p + 1;
}

function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 0x30 && byte <= 0x39;
}

function addCompressed(bytes: Uint8Array, entries: Map<number, XrefEntry>) {
  for (const [num, entry] of [...entries]) {
    if (entry.kind !== 'offset') continue;
    const value = tryParse(bytes, entry.offset);
    if (!isStream(value) || nameOf(value.dict.entries.get('Type')) !== 'ObjStm') continue;
    try {
      readObjStmHeader(value).forEach((member, index) => {
        // An object written directly in the file wins over a copy inside an object stream.
        if (!entries.has(member.num)) entries.set(member.num, { kind: 'compressed', stream: num, index });
      });
    } catch {
      // an undecodable object stream contributes nothing
    }
  }
}

function tryParse(bytes: Uint8Array, offset: number) {
  try {
    return parseIndirect(bytes, offset).value;
  } catch {
    return undefined;
  }
}

function findTrailer(bytes: Uint8Array, entries: Map<number, XrefEntry>): PdfDict {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = buf.lastIndexOf('trailer');
  while (at >= 0) {
    try {
      const value = parseObject(bytes, skipWhite(bytes, at + 7)).value;
      if (isDict(value) && value.entries.has('Root')) return value;
    } catch {
      // a damaged trailer: try an earlier one
    }
    at = at > 0 ? buf.lastIndexOf('trailer', at - 1) : -1;
  }
  for (const entry of [...entries.values()].reverse()) {
    if (entry.kind !== 'offset') continue;
    const value = tryParse(bytes, entry.offset);
    if (isStream(value) && nameOf(value.dict.entries.get('Type')) === 'XRef' && value.dict.entries.has('Root')) return value.dict;
  }
  return pdfDict({});
}
