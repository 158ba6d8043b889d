/**
 * Document structure on top of the lazy reader: revisions (incremental updates), the page tree,
 * AcroForm fields and signature dictionaries with the revision each one was added in.
 */
import { bytesOf, isArray, isDict, isRef, nameOf, numberOf, textOf } from './objects.ts';
import type { PdfDict, PdfObject, PdfRef } from './objects.ts';
import { dictGet, dictGetDict, getCatalog, resolve } from './reader.ts';
import type { PdfDocument } from './reader.ts';
import { readToken, skipWhite } from './parser.ts';
import type { XrefSection } from './xref.ts';

/** One revision: the bytes [0, end) form the document as it was after this update. */
export type Revision = {
  index: number;
  /** Offset just past this revision's `%%EOF` (and its end-of-line). */
  end: number;
  /** The `startxref` value written before that `%%EOF`. */
  startxref: number;
  /** Xref sections written in this revision (hybrid /XRefStm sections included). */
  sections: XrefSection[];
};

/**
 * Lists the revisions, oldest first. A linearized file's first-page trailer (`startxref 0`) is not
 * a revision of its own. Bytes after the last `%%EOF` (garbage) are not part of any revision.
 */
export function listRevisions(doc: PdfDocument): Revision[] {
  const buf = Buffer.from(doc.bytes.buffer, doc.bytes.byteOffset, doc.bytes.byteLength);
  const revisions: Revision[] = [];
  for (let at = buf.indexOf('%%EOF'); at >= 0; at = buf.indexOf('%%EOF', at + 5)) {
    const startxref = startxrefBefore(buf, at);
    if (startxref === 0) continue;
    let end = at + 5;
    if (doc.bytes[end] === 0x0d) end++;
    if (doc.bytes[end] === 0x0a) end++;
    revisions.push({ index: revisions.length, end, startxref: startxref ?? -1, sections: [] });
  }
  const all = doc.sections.flatMap((s) => (s.xrefStm ? [s, s.xrefStm] : [s]));
  for (const section of all) {
    const owner = revisions.find((r) => r.end > section.offset);
    owner?.sections.push(section);
  }
  return revisions;
}

function startxrefBefore(buf: Buffer, eofAt: number): number | undefined {
  const at = buf.lastIndexOf('startxref', eofAt);
  if (at < 0 || eofAt - at > 64) return undefined;
  const token = readToken(buf, skipWhite(buf, at + 9));
  return /^\d+$/.test(token.token) ? Number(token.token) : undefined;
}

/** The index of the revision containing byte `offset` (the first whose end is beyond it). */
export function revisionAt(revisions: Revision[], offset: number): number {
  const found = revisions.find((r) => r.end > offset);
  return found ? found.index : revisions.length - 1;
}

/** A page: its reference, dictionary and 0-based index. */
export type PageInfo = { index: number; ref: PdfRef; dict: PdfDict };

/** Lists every page in order (walks the page tree; cycles and bad nodes are skipped). */
export function listPages(doc: PdfDocument): PageInfo[] {
  const pages: PageInfo[] = [];
  const root = getCatalog(doc).entries.get('Pages');
  if (!isRef(root)) return pages;
  walkPages(doc, root, new Set(), pages, Number.POSITIVE_INFINITY);
  return pages;
}

/** The page at `index` (0-based), walking only as much of the tree as needed; undefined if absent. */
export function getPage(doc: PdfDocument, index: number): PageInfo | undefined {
  const root = getCatalog(doc).entries.get('Pages');
  if (!isRef(root) || index < 0) return undefined;
  const pages: PageInfo[] = [];
  walkPages(doc, root, new Set(), pages, index + 1);
  return pages[index];
}

/** The page count from the root /Count (cheap); falls back to walking the tree. */
export function countPages(doc: PdfDocument): number {
  const root = dictGetDict(doc, getCatalog(doc), 'Pages');
  const count = root ? numberOf(dictGet(doc, root, 'Count')) : undefined;
  return count !== undefined && count >= 0 ? count : listPages(doc).length;
}

function walkPages(doc: PdfDocument, ref: PdfRef, seen: Set<number>, out: PageInfo[], limit: number) {
  if (seen.has(ref.num) || out.length >= limit) return;
  seen.add(ref.num);
  const node = resolve(doc, ref);
  if (!isDict(node)) return;
  const kids = dictGet(doc, node, 'Kids');
  if (nameOf(node.entries.get('Type')) === 'Page' || !isArray(kids)) {
    out.push({ index: out.length, ref, dict: node });
    return;
  }
  for (const kid of kids.items) {
    if (out.length >= limit) return;
    const count = isRef(kid) ? countOf(doc, kid) : undefined;
    // Skip whole subtrees that end before the wanted page (uses /Count, only when trustworthy).
    if (count !== undefined && limit !== Number.POSITIVE_INFINITY && out.length + count < limit) {
      for (let i = 0; i < count; i++) out.push(SKIPPED);
      continue;
    }
    if (isRef(kid)) walkPages(doc, kid, seen, out, limit);
  }
}

const SKIPPED: PageInfo = { index: -1, ref: { type: 'ref', num: 0, gen: 0 }, dict: { type: 'dict', entries: new Map() } };

function countOf(doc: PdfDocument, ref: PdfRef): number | undefined {
  const node = resolve(doc, ref);
  if (!isDict(node) || nameOf(node.entries.get('Type')) !== 'Pages') return undefined;
  const count = numberOf(dictGet(doc, node, 'Count'));
  return count !== undefined && count > 0 ? count : undefined;
}

/** A page attribute, inherited from /Parent nodes when absent (/MediaBox, /CropBox, /Rotate, /Resources). */
export function inheritedAttribute(doc: PdfDocument, page: PdfDict, key: string): PdfObject | undefined {
  let node: PdfDict | undefined = page;
  for (let i = 0; node && i < 64; i++) {
    const value = dictGet(doc, node, key);
    if (value !== undefined) return value;
    node = dictGetDict(doc, node, 'Parent');
  }
  return undefined;
}

/** An AcroForm field (a terminal node or a node with a /T), with its full dotted name. */
export type FieldInfo = { ref: PdfRef | undefined; dict: PdfDict; name: string; fieldType: string | undefined };

/** The AcroForm dictionary, or undefined. */
export function getAcroForm(doc: PdfDocument): PdfDict | undefined {
  return dictGetDict(doc, getCatalog(doc), 'AcroForm');
}

/** Lists every named field of the AcroForm (depth-first, cycles skipped), with inherited /FT. */
export function listFields(doc: PdfDocument): FieldInfo[] {
  const form = getAcroForm(doc);
  const fields = form ? dictGet(doc, form, 'Fields') : undefined;
  const out: FieldInfo[] = [];
  if (isArray(fields)) for (const item of fields.items) walkField(doc, item, '', undefined, new Set(), out);
  return out;
}

function walkField(doc: PdfDocument, item: PdfObject, prefix: string, ft: string | undefined, seen: Set<number>, out: FieldInfo[]) {
  if (isRef(item)) {
    if (seen.has(item.num)) return;
    seen.add(item.num);
  }
  const dict = resolve(doc, item);
  if (!isDict(dict) || seen.size > 100_000) return;
  const partial = textOf(dictGet(doc, dict, 'T'));
  const name = partial === undefined ? prefix : prefix ? `${prefix}.${partial}` : partial;
  const fieldType = nameOf(dictGet(doc, dict, 'FT')) ?? ft;
  if (partial !== undefined) out.push({ ref: isRef(item) ? item : undefined, dict, name, fieldType });
  const kids = dictGet(doc, dict, 'Kids');
  if (isArray(kids)) for (const kid of kids.items) walkField(doc, kid, name, fieldType, seen, out);
}

/** A signature (or document timestamp) found through a signature field's /V. */
export type SignatureInfo = {
  fieldName: string;
  fieldRef: PdfRef | undefined;
  /** Reference of the signature dictionary (undefined if written directly in the field). */
  sigRef: PdfRef | undefined;
  dict: PdfDict;
  byteRange: number[];
  /** The DER bytes of /Contents (hex-decoded, trailing zero padding included). */
  contents: Uint8Array;
  filter: string | undefined;
  subFilter: string | undefined;
  /** /M as written (PDF date string), /Reason, /Location, /Name, /ContactInfo. */
  signingTime: string | undefined;
  reason: string | undefined;
  location: string | undefined;
  name: string | undefined;
  contactInfo: string | undefined;
  /** Index of the revision whose end equals the end of the signed byte range (or contains it). */
  revision: number;
};

/** Lists the signature fields that hold a value, in field order. */
export function listSignatures(doc: PdfDocument, revisions: Revision[] = listRevisions(doc)): SignatureInfo[] {
  const out: SignatureInfo[] = [];
  for (const field of listFields(doc)) {
    if (field.fieldType !== 'Sig') continue;
    const v = field.dict.entries.get('V');
    const dict = resolve(doc, v);
    if (!isDict(dict)) continue;
    const byteRange = dictGet(doc, dict, 'ByteRange');
    const range = isArray(byteRange) ? byteRange.items.map((x) => (typeof x === 'number' ? x : -1)) : [];
    const signedEnd = range.length === 4 ? (range[2] ?? 0) + (range[3] ?? 0) : 0;
    out.push({
      fieldName: field.name, fieldRef: field.ref, sigRef: isRef(v) ? v : undefined, dict, byteRange: range,
      contents: bytesOf(dictGet(doc, dict, 'Contents')) ?? new Uint8Array(0),
      filter: nameOf(dictGet(doc, dict, 'Filter')), subFilter: nameOf(dictGet(doc, dict, 'SubFilter')),
      signingTime: textOf(dictGet(doc, dict, 'M')), reason: textOf(dictGet(doc, dict, 'Reason')),
      location: textOf(dictGet(doc, dict, 'Location')), name: textOf(dictGet(doc, dict, 'Name')),
      contactInfo: textOf(dictGet(doc, dict, 'ContactInfo')), revision: revisionAt(revisions, Math.max(0, signedEnd - 1)),
    });
  }
  return out;
}
