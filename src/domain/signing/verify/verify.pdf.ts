import { inflateSync } from 'node:zlib';
import { isArray, isStream, nameOf, textOf } from '../pdf/objects.ts';
import type { PdfDict, PdfObject } from '../pdf/objects.ts';
import { dictGet, dictGetDict, getCatalog, resolve, type PdfDocument } from '../pdf/reader.ts';
import type { Revision, SignatureInfo } from '../pdf/structure.ts';

/** Largest /Contents we accept (a CMS with a full chain, OCSP and timestamp is well under 1 MiB). */
export const MAX_CONTENTS = 4 << 20;

export type ByteRangeCheck = {
  ok: boolean;
  reason?: string;
  /** The two signed parts of the file. */
  parts: Uint8Array[];
  signedEnd: number;
  coversWholeDocument: boolean;
};

function isHexOrSpace(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66) || b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

function isWhite(b: number | undefined): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0x00 || b === 0x0c;
}

/**
 * Checks a signature's /ByteRange: [0 a b c] with a < b, the gap exactly the hex /Contents string of
 * this signature, the signed part ending at the end of a revision (only whitespace may follow before
 * that revision's end), and nothing outside the file.
 */
export function checkByteRange(bytes: Uint8Array, sig: SignatureInfo, revisions: Revision[]): ByteRangeCheck {
  const [a0, a1, b0, b1] = sig.byteRange;
  const fail = (reason: string): ByteRangeCheck => ({ ok: false, reason, parts: [], signedEnd: 0, coversWholeDocument: false });
  if (sig.byteRange.length !== 4 || [a0, a1, b0, b1].some((x) => x === undefined || !Number.isInteger(x) || x < 0)) return fail('ByteRange không hợp lệ');
  const [s0, l0, s1, l1] = [a0 ?? 0, a1 ?? 0, b0 ?? 0, b1 ?? 0];
  if (s0 !== 0) return fail('ByteRange không bắt đầu từ đầu tệp');
  if (s1 <= l0 || s1 + l1 > bytes.length) return fail('ByteRange chồng lấn hoặc vượt quá kích thước tệp');
  if (s1 - l0 > 2 * MAX_CONTENTS + 2) return fail('Vùng /Contents quá lớn');
  if (bytes[l0] !== 0x3c || bytes[s1 - 1] !== 0x3e) return fail('Khoảng trống trong ByteRange không phải là /Contents');
  for (let i = l0 + 1; i < s1 - 1; i++) if (!isHexOrSpace(bytes[i] ?? 0)) return fail('Khoảng trống trong ByteRange chứa dữ liệu lạ');
  const hex = Buffer.from(bytes.subarray(l0 + 1, s1 - 1)).toString('latin1').replace(/\s+/g, '');
  const gap = Buffer.from(hex.length % 2 ? hex + '0' : hex, 'hex');
  if (Buffer.compare(gap, Buffer.from(sig.contents)) !== 0) return fail('Khoảng trống trong ByteRange không phải /Contents của chữ ký này');
  const signedEnd = s1 + l1;
  const rev = revisions.find((r) => r.end >= signedEnd);
  if (!rev) return fail('Phần được ký không kết thúc ở cuối một phiên bản');
  for (let i = signedEnd; i < rev.end; i++) if (!isWhite(bytes[i])) return fail('Phần được ký không kết thúc ở cuối một phiên bản');
  let last = bytes.length;
  while (last > signedEnd && isWhite(bytes[last - 1])) last--;
  return { ok: true, parts: [bytes.subarray(0, l0), bytes.subarray(s1, signedEnd)], signedEnd, coversWholeDocument: last <= signedEnd };
}

const MAX_DSS_STREAM = 16 << 20;

function streamBytes(doc: PdfDocument, item: PdfObject): Uint8Array | undefined {
  const value = resolve(doc, item);
  if (!isStream(value)) return undefined;
  const filter = nameOf(value.dict.entries.get('Filter'));
  if (filter === undefined) return value.raw;
  if (filter !== 'FlateDecode') return undefined;
  try {
    // Bounded inflate: a DSS entry is a certificate, CRL or OCSP response, never a decompression bomb.
    return new Uint8Array(inflateSync(value.raw, { maxOutputLength: MAX_DSS_STREAM }));
  } catch {
    return undefined;
  }
}

export type DssData = { certs: Uint8Array[]; ocsps: Uint8Array[]; crls: Uint8Array[]; present: boolean };

/** Reads the catalog's /DSS (certificates, OCSP responses, CRLs); missing or broken entries are skipped. */
export function readDss(doc: PdfDocument): DssData {
  const out: DssData = { certs: [], ocsps: [], crls: [], present: false };
  const dss = dictGetDict(doc, getCatalog(doc), 'DSS');
  if (!dss) return out;
  out.present = true;
  for (const [key, list] of [['Certs', out.certs], ['OCSPs', out.ocsps], ['CRLs', out.crls]] as const) {
    const arr = dictGet(doc, dss, key);
    if (!isArray(arr)) continue;
    for (const item of arr.items.slice(0, 10_000)) {
      const b = streamBytes(doc, item);
      if (b) list.push(b);
    }
  }
  return out;
}

/** DocMDP permission level P (1–3) of the document's certification signature, or undefined. */
export function docMdpLevel(doc: PdfDocument): number | undefined {
  const perms = dictGetDict(doc, getCatalog(doc), 'Perms');
  const sig = perms ? dictGetDict(doc, perms, 'DocMDP') : undefined;
  const refs = sig ? dictGet(doc, sig, 'Reference') : undefined;
  if (!isArray(refs)) return sig ? 2 : undefined;
  for (const r of refs.items) {
    const ref = resolve(doc, r);
    if (ref === null || typeof ref !== 'object' || ref.type !== 'dict') continue;
    if (nameOf(dictGet(doc, ref, 'TransformMethod')) !== 'DocMDP') continue;
    const params = dictGetDict(doc, ref, 'TransformParams');
    const p = params ? dictGet(doc, params, 'P') : undefined;
    return typeof p === 'number' && p >= 1 && p <= 3 ? p : 2;
  }
  return 2;
}

/** A FieldMDP-style lock: which fields a signature locks against later changes. */
export type FieldLock = { action: 'All' | 'Include' | 'Exclude'; fields: Set<string> };

function lockOf(doc: PdfDocument, d: PdfObject | undefined): FieldLock | undefined {
  const dict = resolve(doc, d ?? null);
  if (dict === null || typeof dict !== 'object' || dict.type !== 'dict') return undefined;
  const action = nameOf(dictGet(doc, dict, 'Action'));
  if (action !== 'All' && action !== 'Include' && action !== 'Exclude') return undefined;
  const list = dictGet(doc, dict, 'Fields');
  // Fully qualified field names, decoded like /T (UTF-16BE with a BOM for Vietnamese names).
  const fields = new Set(isArray(list) ? list.items.flatMap((f) => { const t = textOf(resolve(doc, f)); return t === undefined ? [] : [t]; }) : []);
  return { action, fields };
}

/** The locks of one signature: its field's /Lock and its /Reference FieldMDP transform parameters. */
export function fieldLocks(doc: PdfDocument, sigDict: PdfDict, fieldDict: PdfDict | undefined): FieldLock[] {
  const out: FieldLock[] = [];
  const fromField = fieldDict ? lockOf(doc, fieldDict.entries.get('Lock')) : undefined;
  if (fromField) out.push(fromField);
  const refs = dictGet(doc, sigDict, 'Reference');
  for (const r of isArray(refs) ? refs.items : []) {
    const ref = resolve(doc, r);
    if (ref === null || typeof ref !== 'object' || ref.type !== 'dict' || nameOf(dictGet(doc, ref, 'TransformMethod')) !== 'FieldMDP') continue;
    const lock = lockOf(doc, ref.entries.get('TransformParams'));
    if (lock) out.push(lock);
  }
  return out;
}

/** Whether `field` is locked by any of `locks`. */
export function isFieldLocked(locks: FieldLock[], field: string): boolean {
  return locks.some((l) => l.action === 'All' || (l.action === 'Include' ? l.fields.has(field) : !l.fields.has(field)));
}
