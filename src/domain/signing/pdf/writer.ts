/**
 * The incremental writer: appends new or changed objects after the existing bytes (which are
 * never rewritten), then a cross-reference section of the same kind as the file's last one (xref
 * stream after an xref stream, classic table after a table) with /Prev pointing at the previous one.
 */
import { isArray, isRef, pdfArray, pdfDict, pdfName } from './objects.ts';
import type { PdfDict, PdfObject } from './objects.ts';
import { lookupXref, listObjectNumbers } from './reader.ts';
import type { PdfDocument } from './reader.ts';
import { serializeBody, serializeIndirect, serializeObject } from './serialize.ts';
import { cryptObject } from './crypt.ts';
import type { Security } from './crypt.ts';
import { parseIndirect } from './parser.ts';
import type { XrefEntry } from './xref.ts';

/**
 * An object to write: a model object, or the pre-serialized body between `N G obj` and `endobj`.
 * In an encrypted file every string and stream is encrypted on the way out, except in a `sealed`
 * body (already in its final form: the signature dictionary, whose /Contents must stay plain).
 */
export type WriteObject = { num: number; gen?: number; body: PdfObject | Uint8Array; sealed?: boolean };

/** The appended bytes and where each written object starts (absolute file offsets). */
export type IncrementalUpdate = { update: Uint8Array; offsets: Map<number, number>; baseLength: number };

/** Returns an allocator of fresh object numbers, starting at the document's /Size. */
export function createAllocator(doc: PdfDocument): () => number {
  let next = doc.size;
  return () => next++;
}

/**
 * Serializes `objects` as one incremental update of `doc`. `allocate` must be the allocator used
 * for the new objects (the xref stream takes the next number from it).
 */
export function writeIncrement(doc: PdfDocument, objects: WriteObject[], allocate: () => number): IncrementalUpdate {
  const baseLength = doc.bytes.length;
  const chunks: Uint8Array[] = [];
  let length = 0;
  const push = (chunk: Uint8Array) => {
    chunks.push(chunk);
    length += chunk.length;
  };
  const last = doc.bytes[baseLength - 1];
  if (last !== 0x0a && last !== 0x0d) push(encode('\n'));
  const offsets = new Map<number, number>();
  const gens = new Map<number, number>();
  for (const object of objects) {
    offsets.set(object.num, baseLength + length);
    gens.set(object.num, object.gen ?? 0);
    const body = doc.security && !object.sealed ? encryptBody(doc.security, object) : object.body;
    push(serializeIndirect(object.num, object.gen ?? 0, body));
  }
  const useStream = doc.sections[0]?.kind === 'stream' || (doc.recovered && hasCompressed(doc));
  const xrefOffset = baseLength + length;
  const entries = collectEntries(doc, offsets, gens);
  if (useStream) push(xrefStream(doc, entries, allocate(), xrefOffset));
  else push(xrefTable(doc, entries));
  push(encode(`startxref\n${xrefOffset}\n%%EOF\n`));
  const update = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    update.set(chunk, at);
    at += chunk.length;
  }
  return { update, offsets, baseLength };
}

function encryptBody(security: Security, object: WriteObject): Uint8Array {
  const gen = object.gen ?? 0;
  const value = object.body instanceof Uint8Array ? parseIndirect(serializeIndirect(object.num, gen, object.body), 0).value : object.body;
  return serializeBody(cryptObject(security, value, object.num, gen, true));
}

function encode(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function hasCompressed(doc: PdfDocument): boolean {
  return listObjectNumbers(doc).some((n) => lookupXref(doc, n)?.kind === 'compressed');
}

type Entry = { num: number; entry: XrefEntry };

function collectEntries(doc: PdfDocument, offsets: Map<number, number>, gens: Map<number, number>): Entry[] {
  const entries = new Map<number, XrefEntry>();
  // A recovered file's own xref is unusable: the update lists every object, and has no /Prev.
  if (doc.recovered) {
    entries.set(0, { kind: 'free' });
    for (const num of listObjectNumbers(doc)) {
      const entry = lookupXref(doc, num);
      if (entry) entries.set(num, entry);
    }
  }
  for (const [num, offset] of offsets) entries.set(num, { kind: 'offset', offset, gen: gens.get(num) ?? 0 });
  return [...entries].map(([num, entry]) => ({ num, entry })).sort((a, b) => a.num - b.num);
}

function trailerBase(doc: PdfDocument, size: number): PdfDict {
  const dict = pdfDict({ Size: size });
  for (const key of ['Root', 'Info', 'ID', 'Encrypt']) {
    const value = doc.trailer.entries.get(key);
    if (value !== undefined && (key !== 'Info' || isRef(value)) && (key !== 'ID' || isArray(value))) dict.entries.set(key, value);
  }
  if (!doc.recovered && doc.startxref >= 0) dict.entries.set('Prev', doc.startxref);
  return dict;
}

function subsections(entries: Entry[]): Entry[][] {
  const groups: Entry[][] = [];
  for (const e of entries) {
    const group = groups.at(-1);
    const prev = group?.at(-1);
    if (group && prev && prev.num + 1 === e.num) group.push(e);
    else groups.push([e]);
  }
  return groups;
}

function xrefTable(doc: PdfDocument, entries: Entry[]): Uint8Array {
  const size = Math.max(doc.size, (entries.at(-1)?.num ?? 0) + 1);
  let text = 'xref\n';
  for (const group of subsections(entries)) {
    text += `${group[0]?.num ?? 0} ${group.length}\n`;
    for (const { num, entry } of group) {
      if (entry.kind === 'offset') text += `${String(entry.offset).padStart(10, '0')} ${String(entry.gen).padStart(5, '0')} n\r\n`;
      else text += `0000000000 ${num === 0 ? '65535' : '00001'} f\r\n`;
    }
  }
  text += `trailer\n${serializeObject(trailerBase(doc, size))}\n`;
  return encode(text);
}

function xrefStream(doc: PdfDocument, entries: Entry[], streamNum: number, offset: number): Uint8Array {
  const all = [...entries, { num: streamNum, entry: { kind: 'offset', offset, gen: 0 } as XrefEntry }].sort((a, b) => a.num - b.num);
  const size = Math.max(doc.size, streamNum + 1);
  const maxField = Math.max(offset, ...all.map((e) => (e.entry.kind === 'compressed' ? e.entry.stream : 0)));
  const w1 = Math.max(1, Math.ceil(Math.log2(maxField + 1) / 8));
  const rowSize = 1 + w1 + 2;
  const data = new Uint8Array(all.length * rowSize);
  const index: PdfObject[] = [];
  let row = 0;
  for (const group of subsections(all)) {
    index.push(group[0]?.num ?? 0, group.length);
    for (const { entry } of group) {
      const [type, f2, f3] = entry.kind === 'offset' ? [1, entry.offset, entry.gen] : entry.kind === 'compressed' ? [2, entry.stream, entry.index] : [0, 0, 0xffff];
      const at = row++ * rowSize;
      data[at] = type;
      for (let i = 0; i < w1; i++) data[at + 1 + i] = Math.floor(f2 / 256 ** (w1 - 1 - i)) & 0xff;
      data[at + 1 + w1] = (f3 >> 8) & 0xff;
      data[at + 2 + w1] = f3 & 0xff;
    }
  }
  const dict = trailerBase(doc, size);
  dict.entries.set('Type', pdfName('XRef'));
  dict.entries.set('W', pdfArray([1, w1, 2]));
  dict.entries.set('Index', pdfArray(index));
  return serializeIndirect(streamNum, 0, { type: 'stream', dict, raw: data, rawOffset: -1 });
}
