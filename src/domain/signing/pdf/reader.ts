/**
 * The lazy PDF reader. `openPdf` reads only the header, the `startxref` tail and the xref chain;
 * objects are parsed on first use (`getObject`) and cached. It understands classic xref tables,
 * xref streams, object streams, hybrid (/XRefStm) and linearized files and earlier incremental
 * updates, and falls back to scanning for `N G obj` when offsets are wrong.
 *
 * Document structure (catalog, pages, AcroForm fields, signatures, revisions) lives in
 * `structure.ts`, built on the functions here.
 */
import { cryptObject, unlockStandardSecurity } from './crypt.ts';
import type { Security } from './crypt.ts';
import { decodeObjStm, objStmMember } from './objstm.ts';
import type { DecodedObjStm } from './objstm.ts';
import { bytesOf, isArray, isDict, isRef, isStream, numberOf } from './objects.ts';
import type { PdfDict, PdfObject, PdfRef } from './objects.ts';
import { parseIndirect, PdfSyntaxError } from './parser.ts';
import { recoverXref } from './recover.ts';
import { findStartxref, readXrefChain } from './xref.ts';
import type { XrefEntry, XrefSection } from './xref.ts';
import { pdfEncrypted, pdfInvalid, pdfPasswordWrong } from '../signing.errors.ts';

/** An opened PDF: its bytes, xref chain (newest section first) and object caches. */
export type PdfDocument = {
  bytes: Uint8Array;
  /** Version from the `%PDF-x.y` header (the catalog's /Version may raise it). */
  version: string;
  /** Xref sections from the `startxref` chain, newest first (a single 'recovered' one after a scan). */
  sections: XrefSection[];
  /** The newest trailer (for an xref stream: its dictionary). */
  trailer: PdfDict;
  /** Offset given by the final `startxref` (-1 when the file had to be recovered). */
  startxref: number;
  /** True when the xref chain was unusable and the objects were found by scanning. */
  recovered: boolean;
  /** True when the trailer has /Encrypt. Strings and streams are readable only once unlocked (`security`). */
  encrypted: boolean;
  /** The unlocked security handler (objects are decrypted on load; the writer encrypts new ones). */
  security?: Security;
  /** Object number of the /Encrypt dictionary (never decrypted). */
  encryptNum?: number;
  /** One more than the highest object number in use (at least the trailer /Size). */
  size: number;
  cache: Map<number, PdfObject>;
  objStms: Map<number, DecodedObjStm>;
  fallback?: XrefSection;
};

/**
 * Opens a PDF without parsing its objects; an encrypted file is unlocked when `password` (user or
 * owner password) is given. Throws `signing.pdf_invalid` when there is no `%PDF-` header or neither
 * the xref chain nor a recovery scan finds a catalog; `signing.pdf_password_wrong`, and
 * `signing.pdf_encrypted` for a security handler other than the standard one.
 */
export function openPdf(bytes: Uint8Array, password?: string): PdfDocument {
  const doc = openUnlocked(bytes);
  return doc.encrypted && password !== undefined ? unlockPdf(doc, password) : doc;
}

function openUnlocked(bytes: Uint8Array): PdfDocument {
  const headerAt = findHeader(bytes);
  if (headerAt < 0) throw pdfInvalid({ reason: 'no %PDF- header' });
  const version = new TextDecoder().decode(bytes.subarray(headerAt + 5, headerAt + 8));
  const startxref = findStartxref(bytes);
  let sections: XrefSection[] | undefined;
  if (startxref !== undefined) {
    try {
      sections = readXrefChain(bytes, startxref);
    } catch {
      sections = undefined;
    }
  }
  const recovered = sections === undefined || !sections[0]?.trailer.entries.has('Root');
  if (recovered) sections = [recoverXref(bytes)];
  const list = sections ?? [];
  const trailer = list[0]?.trailer;
  if (!trailer || !isRef(trailer.entries.get('Root'))) throw pdfInvalid({ reason: 'no catalog' });
  const doc: PdfDocument = {
    bytes, version, sections: list, trailer, startxref: recovered ? -1 : (startxref ?? -1), recovered,
    encrypted: trailer.entries.has('Encrypt'), size: computeSize(list), cache: new Map(), objStms: new Map(),
  };
  if (!isDict(getObject(doc, trailer.entries.get('Root') as PdfRef))) return reopenRecovered(doc);
  return doc;
}

/** Unlocks an encrypted document with its user or owner password (objects read before are re-read). */
export function unlockPdf(doc: PdfDocument, password: string): PdfDocument {
  const ref = doc.trailer.entries.get('Encrypt');
  const encrypt = resolve(doc, ref);
  const id = doc.trailer.entries.get('ID');
  const id0 = (isArray(id) ? bytesOf(id.items[0]) : undefined) ?? new Uint8Array(0);
  const security = isDict(encrypt) ? unlockStandardSecurity(encrypt, id0, password) : 'unsupported';
  if (security === 'unsupported') throw pdfEncrypted({ reason: 'unsupported security handler' }, { message: 'Tệp PDF được mã hóa theo cách chưa hỗ trợ (chỉ hỗ trợ mật khẩu chuẩn RC4/AES); hãy gỡ mật khẩu trước khi ký số.' });
  if (security === 'wrong_password') throw pdfPasswordWrong();
  return { ...doc, security, encryptNum: isRef(ref) ? ref.num : undefined, cache: new Map(), objStms: new Map() };
}

function reopenRecovered(doc: PdfDocument): PdfDocument {
  if (doc.recovered) throw pdfInvalid({ reason: 'catalog is not a dictionary' });
  const section = recoverXref(doc.bytes);
  if (!isRef(section.trailer.entries.get('Root'))) throw pdfInvalid({ reason: 'no catalog' });
  const next: PdfDocument = { ...doc, sections: [section], trailer: section.trailer, recovered: true, startxref: -1, size: computeSize([section]), cache: new Map(), objStms: new Map() };
  if (!isDict(getObject(next, section.trailer.entries.get('Root') as PdfRef))) throw pdfInvalid({ reason: 'catalog is not a dictionary' });
  return next;
}

function findHeader(bytes: Uint8Array): number {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024));
  return head.indexOf('%PDF-');
}

function computeSize(sections: XrefSection[]): number {
  let size = 0;
  for (const s of sections) {
    size = Math.max(size, numberOf(s.trailer.entries.get('Size')) ?? 0);
    if (s.kind === 'recovered') for (const n of s.numbers()) size = Math.max(size, n + 1);
  }
  return size;
}

/** The current xref entry of object `num`, following /XRefStm and /Prev; undefined when absent or free. */
export function lookupXref(doc: PdfDocument, num: number): XrefEntry | undefined {
  for (const section of doc.sections) {
    let entry = section.lookup(num);
    if ((entry === undefined || entry.kind === 'free') && section.xrefStm) entry = section.xrefStm.lookup(num) ?? entry;
    if (entry) return entry.kind === 'free' ? undefined : entry;
  }
  return undefined;
}

/**
 * Fetches object `num` (a number or reference) and caches it; returns null for missing or free
 * objects, as the spec says. Throws PdfSyntaxError only when the object exists but cannot be parsed
 * even after a recovery scan.
 */
export function getObject(doc: PdfDocument, ref: number | PdfRef): PdfObject {
  const num = typeof ref === 'number' ? ref : ref.num;
  const cached = doc.cache.get(num);
  if (cached !== undefined) return cached;
  const value = loadObject(doc, num, lookupXref(doc, num));
  doc.cache.set(num, value);
  return value;
}

function loadObject(doc: PdfDocument, num: number, entry: XrefEntry | undefined, depth = 0): PdfObject {
  if (!entry || depth > 2) return null;
  try {
    if (entry.kind === 'compressed') return loadCompressed(doc, num, entry.stream, entry.index);
    if (entry.kind === 'offset') {
      const parsed = parseIndirect(doc.bytes, entry.offset, (r) => numberOf(r.num === num ? undefined : getObject(doc, r)));
      if (parsed.num === num) return doc.security && num !== doc.encryptNum ? cryptObject(doc.security, parsed.value, num, parsed.gen, false) : parsed.value;
    }
  } catch (error) {
    if (!(error instanceof PdfSyntaxError) && !(error instanceof Error && error.name === 'PdfFilterError')) throw error;
  }
  // Wrong offset or damaged object: look it up in a scan of the whole file.
  if (doc.recovered && doc.fallback === undefined) return null;
  doc.fallback ??= recoverXref(doc.bytes);
  const again = doc.fallback.lookup(num);
  if (!again || (again.kind === entry.kind && JSON.stringify(again) === JSON.stringify(entry))) return null;
  return loadObject(doc, num, again, depth + 1);
}

function loadCompressed(doc: PdfDocument, num: number, streamNum: number, index: number): PdfObject {
  let decoded = doc.objStms.get(streamNum);
  if (!decoded) {
    const stream = getObject(doc, streamNum);
    if (!isStream(stream)) return null;
    decoded = decodeObjStm(stream);
    doc.objStms.set(streamNum, decoded);
  }
  const member = objStmMember(decoded, index);
  if (member && member.num === num) return member.value;
  const at = decoded.members.findIndex((m) => m.num === num);
  return at >= 0 ? (objStmMember(decoded, at)?.value ?? null) : null;
}

/** Follows references until a direct object is reached (null for dangling references). */
export function resolve(doc: PdfDocument, value: PdfObject | undefined): PdfObject {
  let current: PdfObject = value ?? null;
  for (let i = 0; i < 32 && isRef(current); i++) current = getObject(doc, current);
  return isRef(current) ? null : current;
}

/** The resolved value of `key` in `dict` (undefined when absent or null). */
export function dictGet(doc: PdfDocument, dict: PdfDict, key: string): PdfObject | undefined {
  const value = resolve(doc, dict.entries.get(key));
  return value === null ? undefined : value;
}

/** The resolved dictionary at `key` (a stream's dictionary counts), or undefined. */
export function dictGetDict(doc: PdfDocument, dict: PdfDict, key: string): PdfDict | undefined {
  const value = dictGet(doc, dict, key);
  if (isDict(value)) return value;
  return isStream(value) ? value.dict : undefined;
}

/** The catalog (/Root). Throws `signing.pdf_invalid` when it is not a dictionary. */
export function getCatalog(doc: PdfDocument): PdfDict {
  const root = resolve(doc, doc.trailer.entries.get('Root'));
  if (!isDict(root)) throw pdfInvalid({ reason: 'catalog is not a dictionary' });
  return root;
}

/** The reference of the catalog. */
export function getCatalogRef(doc: PdfDocument): PdfRef {
  const root = doc.trailer.entries.get('Root');
  if (!isRef(root)) throw pdfInvalid({ reason: 'no catalog reference' });
  return root;
}

/** Every object number that currently has a definition (for recovery writers and analysis). */
export function listObjectNumbers(doc: PdfDocument): number[] {
  const nums = new Set<number>();
  for (const section of doc.sections) {
    for (const n of section.numbers()) nums.add(n);
    for (const n of section.xrefStm?.numbers() ?? []) nums.add(n);
  }
  return [...nums].filter((n) => n > 0 && lookupXref(doc, n) !== undefined).sort((a, b) => a - b);
}
