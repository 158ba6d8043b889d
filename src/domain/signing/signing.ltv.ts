/**
 * Long-term validation: `addDss` appends a Document Security Store (certificates, OCSP responses,
 * CRLs; ISO 32000-2 §12.8.4.3) and `addDocumentTimestamp` appends an RFC 3161 document timestamp
 * (/SubFilter /ETSI.RFC3161), each as its own incremental update. Used for PAdES B-LT / B-LTA and by
 * `vanthu augment`.
 */
import { createHash } from 'node:crypto';
import { copyDict, isArray, isDict, isRef, isStream, pdfArray, pdfDict, pdfRef } from './pdf/objects.ts';
import type { PdfDict, PdfObject } from './pdf/objects.ts';
import { getCatalog, getCatalogRef, getObject, resolve } from './pdf/reader.ts';
import type { PdfDocument } from './pdf/reader.ts';
import { openPdf } from './pdf/reader.ts';
import { listSignatures } from './pdf/structure.ts';
import { createAllocator, writeIncrement } from './pdf/writer.ts';
import type { WriteObject } from './pdf/writer.ts';
import { digestByteRange, fillByteRange, fillContents, joinPlaceholder } from './signing.embed.ts';
import { writeSignaturePlaceholder } from './signing.placeholder.ts';
import { timestampFromUrl } from './signing.tsa.ts';
import type { TimestampProvider } from './signing.tsa.ts';
import type { HashAlgorithm } from './keys.ts';
import { badOptions, pdfEncrypted, withPdfErrors } from './signing.errors.ts';

/** Validation material for the DSS (all DER). */
export type ValidationData = { certs?: Uint8Array[]; ocsps?: Uint8Array[]; crls?: Uint8Array[] };

/**
 * Options of `addDss`: the password of an encrypted file, and `vri` (default true) to also add a
 * /VRI entry for the newest signature (ETSI EN 319 142-1 §5.4.2: keyed by the upper-case hex SHA-1
 * of its /Contents) listing exactly the given material; `vri: false` leaves /VRI as it is. On by
 * default so that every caller — signing at B-LT, `vanthu augment` (augmentPdf) — writes it.
 */
export type DssOptions = { pdfPassword?: string; vri?: boolean };

/** Fetches OCSP responses / CRLs for a chain (leaf first). Throws `signing.revocation_failed`. */
export type RevocationProvider = (chain: Uint8Array[]) => Promise<{ ocsps: Uint8Array[]; crls: Uint8Array[]; certs?: Uint8Array[] }>;

/** Fetches revocation data for `chain` and returns everything the DSS needs (chain + responder certificates). */
export async function validationData(chain: Uint8Array[], revocation: RevocationProvider): Promise<ValidationData> {
  const fetched = await revocation(chain);
  return { certs: [...chain, ...(fetched.certs ?? [])], ocsps: fetched.ocsps, crls: fetched.crls };
}

/**
 * Appends (or extends) the catalog's /DSS with the given certificates, OCSP responses and CRLs in a
 * new incremental update; material already in the DSS (same bytes) is not added twice.
 * Throws `signing.pdf_invalid`, `signing.pdf_encrypted`.
 */
export async function addDss(pdf: Uint8Array, data: ValidationData, options: DssOptions = {}): Promise<Uint8Array> {
  return withPdfErrors(() => writeDss(pdf, data, options));
}

function writeDss(pdf: Uint8Array, data: ValidationData, options: DssOptions): Uint8Array {
  const doc = openPdf(pdf, options.pdfPassword);
  if (doc.encrypted && !doc.security) throw pdfEncrypted();
  const allocate = createAllocator(doc);
  const catalog = getCatalog(doc);
  const current = resolve(doc, catalog.entries.get('DSS'));
  const dss = isDict(current) ? copyDict(current) : pdfDict({});
  const objects: WriteObject[] = [];
  const vri = pdfDict({});
  for (const [key, vriKey, items] of [['Certs', 'Cert', data.certs], ['OCSPs', 'OCSP', data.ocsps], ['CRLs', 'CRL', data.crls]] as const) {
    const refs = appendStreams(doc, dss, key, items ?? [], objects, allocate);
    if (refs.length > 0) vri.entries.set(vriKey, pdfArray(refs));
  }
  const newest = options.vri !== false ? newestSignature(doc) : undefined;
  if (newest) {
    const current = resolve(doc, dss.entries.get('VRI'));
    const table = isDict(current) ? copyDict(current) : pdfDict({});
    table.entries.set(createHash('sha1').update(newest).digest('hex').toUpperCase(), vri);
    dss.entries.set('VRI', table);
  }
  const dssRef = catalog.entries.get('DSS');
  if (isRef(dssRef)) objects.push({ num: dssRef.num, gen: dssRef.gen, body: dss });
  else {
    const num = allocate();
    objects.push({ num, body: dss });
    const next = copyDict(catalog);
    next.entries.set('DSS', pdfRef(num));
    const ref = getCatalogRef(doc);
    objects.push({ num: ref.num, gen: ref.gen, body: next });
  }
  const written = writeIncrement(doc, objects, allocate);
  return joinBytes(doc.bytes, written.update);
}

/** Adds the items not yet in `dss[key]`; returns the references of all the items (new or already there). */
function appendStreams(doc: PdfDocument, dss: PdfDict, key: string, items: Uint8Array[], objects: WriteObject[], allocate: () => number): PdfObject[] {
  const existing = resolve(doc, dss.entries.get(key));
  const refs: PdfObject[] = isArray(existing) ? [...existing.items] : [];
  const seen = new Map(refs.map((r) => [hashOfStream(doc, r), r]));
  const mine: PdfObject[] = [];
  for (const item of items) {
    const digest = createHash('sha256').update(item).digest('hex');
    const known = seen.get(digest);
    if (known) {
      if (!mine.includes(known)) mine.push(known);
      continue;
    }
    const num = allocate();
    objects.push({ num, body: { type: 'stream', dict: pdfDict({}), raw: item, rawOffset: -1 } });
    const ref = pdfRef(num);
    seen.set(digest, ref);
    refs.push(ref);
    mine.push(ref);
  }
  if (refs.length > 0) dss.entries.set(key, pdfArray(refs));
  return mine;
}

/** The /Contents (as stored, padding included) of the signature covering the most bytes (document timestamps excluded). */
function newestSignature(doc: PdfDocument): Uint8Array | undefined {
  const covered = (range: number[]) => (range[2] ?? 0) + (range[3] ?? 0);
  return listSignatures(doc).filter((s) => s.subFilter !== 'ETSI.RFC3161').sort((a, b) => covered(b.byteRange) - covered(a.byteRange))[0]?.contents;
}

function hashOfStream(doc: PdfDocument, ref: PdfObject): string {
  const value = isRef(ref) ? getObject(doc, ref) : ref;
  return isStream(value) && !value.dict.entries.has('Filter') ? createHash('sha256').update(value.raw).digest('hex') : '';
}

function joinBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Options of `addDocumentTimestamp`: a TSA URL or provider, and the imprint hash (default SHA-256). */
export type DocumentTimestampOptions = { tsaUrl?: string; timestamp?: TimestampProvider; hash?: HashAlgorithm; contentsSize?: number; pdfPassword?: string };

/**
 * Appends an invisible document timestamp (/Type /DocTimeStamp, /SubFilter /ETSI.RFC3161) covering
 * the whole file. Throws `signing.bad_options`, `signing.tsa_failed`, `signing.pdf_invalid`,
 * `signing.pdf_encrypted`, `signing.signature_too_large`.
 */
export async function addDocumentTimestamp(pdf: Uint8Array, options: DocumentTimestampOptions): Promise<Uint8Array> {
  const provider = options.timestamp ?? (options.tsaUrl ? timestampFromUrl(options.tsaUrl) : undefined);
  if (!provider) throw badOptions(undefined, { message: 'Cần địa chỉ máy chủ cấp dấu thời gian (TSA).' });
  const doc = withPdfErrors(() => openPdf(pdf, options.pdfPassword));
  if (doc.encrypted && !doc.security) throw pdfEncrypted();
  const hash = options.hash ?? 'SHA-256';
  const placeholder = withPdfErrors(() => writeSignaturePlaceholder(doc, { kind: 'timestamp', subFilter: 'ETSI.RFC3161', contentsSize: options.contentsSize ?? 16_384 }, createAllocator(doc)));
  fillByteRange(placeholder);
  const token = await provider(digestByteRange(placeholder, hash), hash);
  fillContents(placeholder, token);
  return joinPlaceholder(placeholder.base, placeholder.update);
}
