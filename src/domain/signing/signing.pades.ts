/**
 * PAdES baseline signing (B-B, B-T, B-LT, B-LTA) as incremental updates. The work is split so the
 * same steps serve local, token, batch and external (deferred) signing:
 * `prepareSignature` (PDF work: placeholder, digest, signed attributes — synchronous, no key) →
 * the signer signs `signedAttributes.der` → `completeSignature` (CMS, optional timestamp, embed).
 */
import { assembleCms, buildSignedAttributes, createCmsContext, signatureTimestampImprint } from './signing.cms.ts';
import type { CmsSignerContext, SignedAttributes } from './signing.cms.ts';
import { assertCanSign } from './signing.certificate.ts';
import { assertChangesAllowed } from './signing.mdp.ts';
import { digestByteRange, fillByteRange, fillContents, joinPlaceholder } from './signing.embed.ts';
import { writeSignaturePlaceholder } from './signing.placeholder.ts';
import type { ExtraAnnotation, Placeholder, WidgetPlacement } from './signing.placeholder.ts';
import { timestampCertificates } from './signing.tsa.ts';
import type { TimestampProvider } from './signing.tsa.ts';
import { addDocumentTimestamp, addDss, validationData } from './signing.ltv.ts';
import type { RevocationProvider } from './signing.ltv.ts';
import { createAllocator } from './pdf/writer.ts';
import { openPdf } from './pdf/reader.ts';
import type { PdfDocument } from './pdf/reader.ts';
import type { HashAlgorithm, KeyAlgorithm, Signer } from './keys.ts';
import { badOptions, pdfEncrypted, signatureTooLarge, withPdfErrors } from './signing.errors.ts';
import { isAppError } from '../../platform/errors.ts';

/** PAdES baseline levels. */
export type PadesLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';

/** What a signature carries besides the key: text fields, placement, extra annotations. */
export type SignatureFields = {
  hash?: HashAlgorithm;
  reason?: string;
  location?: string;
  contactInfo?: string;
  name?: string;
  fieldName?: string;
  /** Written to /M (default now). */
  signingTime?: Date;
  widget?: WidgetPlacement;
  /** Annotations added in the same update (document number and date at issue time). */
  annotations?: ExtraAnnotation[];
  /** Skip the validity-period and key-usage checks (default: refuse such certificates). */
  allowInvalidCertificate?: boolean;
  /** Clock for certificate checks (tests). */
  now?: Date;
  /** Expect a timestamp token: reserve room for it. */
  withTimestamp?: boolean;
  /** Override the /Contents room in bytes. */
  contentsSize?: number;
  /** User (or owner) password of an encrypted PDF: the update is then written encrypted like the file. */
  pdfPassword?: string;
};

/** The result of the PDF part of signing: fill in a signature over `signed.der` to finish. */
export type PreparedSignature = {
  placeholder: Placeholder;
  documentDigest: Uint8Array;
  signed: SignedAttributes;
  context: CmsSignerContext;
};

/** The identity half of a signer (enough to prepare; the key is not needed). */
export type SignerIdentity = { certificate: Uint8Array; chain: Uint8Array[]; keyAlgorithm: KeyAlgorithm };

/**
 * Prepares a signature: opens the PDF lazily, writes the placeholder update, fills /ByteRange and
 * computes the digest and signed attributes. Throws `signing.pdf_invalid`, `signing.pdf_encrypted`,
 * `signing.page_not_found`, `signing.cert_expired`, `signing.cert_not_yet_valid`, `signing.cert_key_usage`,
 * `signing.pdf_certified_locked` (certified with DocMDP P=1).
 */
export function prepareSignature(pdf: Uint8Array | PdfDocument, identity: SignerIdentity, fields: SignatureFields = {}, context?: CmsSignerContext): PreparedSignature {
  return withPdfErrors(() => prepareUnchecked(pdf, identity, fields, context));
}

function prepareUnchecked(pdf: Uint8Array | PdfDocument, identity: SignerIdentity, fields: SignatureFields, context?: CmsSignerContext): PreparedSignature {
  const hash = fields.hash ?? 'SHA-256';
  if (!fields.allowInvalidCertificate) assertCanSign(identity.certificate, fields.now);
  const doc = pdf instanceof Uint8Array ? openPdf(pdf, fields.pdfPassword) : pdf;
  if (doc.encrypted && !doc.security) throw pdfEncrypted();
  assertChangesAllowed(doc);
  const ctx = context ?? createCmsContext(identity.certificate, identity.chain, identity.keyAlgorithm, hash);
  const certBytes = identity.certificate.length + identity.chain.reduce((n, c) => n + c.length, 0);
  const contentsSize = fields.contentsSize ?? certBytes + 2048 + (fields.withTimestamp ? 12_288 : 0);
  const placeholder = writeSignaturePlaceholder(doc, {
    kind: 'signature', subFilter: 'ETSI.CAdES.detached', contentsSize, signingTime: fields.signingTime ?? new Date(),
    reason: fields.reason, location: fields.location, contactInfo: fields.contactInfo, name: fields.name,
    fieldName: fields.fieldName, widget: fields.widget, annotations: fields.annotations,
  }, createAllocator(doc));
  fillByteRange(placeholder);
  const documentDigest = digestByteRange(placeholder, hash);
  return { placeholder, documentDigest, signed: buildSignedAttributes(ctx, documentDigest), context: ctx };
}

/** Assembles the CMS (with a signature-time-stamp when a token is given) and embeds it. Throws `signing.signature_too_large`. */
export function completeSignature(prepared: PreparedSignature, signature: Uint8Array, timestampToken?: Uint8Array): Uint8Array {
  const [base, update] = completeSignatureParts(prepared, signature, timestampToken);
  return joinPlaceholder(base, update);
}

/**
 * Like `completeSignature`, without joining: returns [the input bytes (the same buffer), the
 * appended update]. Writing both parts (`writev`) saves a copy of the whole file.
 */
export function completeSignatureParts(prepared: PreparedSignature, signature: Uint8Array, timestampToken?: Uint8Array): [Uint8Array, Uint8Array] {
  fillContents(prepared.placeholder, assembleCms(prepared.context, { signed: prepared.signed, signature, timestampToken }));
  return [prepared.placeholder.base, prepared.placeholder.update];
}

/** Options of `signPdf`. */
export type SignPdfOptions = SignatureFields & {
  signer: Signer;
  level?: PadesLevel;
  /** Required for B-T and above. */
  timestamp?: TimestampProvider;
  /** Required for B-LT and above: OCSP responses / CRLs for the chain. */
  revocation?: RevocationProvider;
};

/**
 * Signs a PDF at the requested PAdES level and returns the new file (the input bytes followed by
 * one update, plus a DSS update for B-LT and a document-timestamp update for B-LTA).
 * Throws the errors of `prepareSignature`, plus `signing.bad_options`, `signing.tsa_failed`,
 * `signing.revocation_failed`, `signing.signature_too_large` and the signer's own errors.
 */
export async function signPdf(pdf: Uint8Array, options: SignPdfOptions): Promise<Uint8Array> {
  const parts = await signPdfParts(pdf, options);
  return parts.length === 1 && parts[0] ? parts[0] : Buffer.concat(parts);
}

/**
 * `signPdf` without the final copy: resolves with the signed file as parts to be written one after
 * the other — for B-B and B-T `[pdf, update]`, where `pdf` is the caller's own buffer, untouched
 * (B-LT and B-LTA return one joined buffer: their further updates read the signed file).
 * Throws what `signPdf` throws.
 */
export async function signPdfParts(pdf: Uint8Array, options: SignPdfOptions): Promise<Uint8Array[]> {
  const level = options.level ?? 'B-B';
  if (level !== 'B-B' && !options.timestamp) throw badOptions({ level }, { message: `Mức ${level} cần máy chủ cấp dấu thời gian (TSA).` });
  if ((level === 'B-LT' || level === 'B-LTA') && !options.revocation) throw badOptions({ level }, { message: `Mức ${level} cần nguồn thông tin thu hồi (OCSP/CRL).` });
  const doc = withPdfErrors(() => openPdf(pdf, options.pdfPassword));
  const { signed, token } = await signOnce(doc, options);
  const revocation = options.revocation;
  if (level === 'B-B' || level === 'B-T' || !revocation) return signed;
  const chain = [options.signer.certificate, ...options.signer.chain, ...(token ? timestampCertificates(token) : [])];
  const withDss = await addDss(joinPlaceholder(signed[0], signed[1]), await validationData(chain, revocation), { pdfPassword: options.pdfPassword, vri: true });
  if (level === 'B-LT' || !options.timestamp) return [withDss];
  return [await addDocumentTimestamp(withDss, { timestamp: options.timestamp, hash: options.hash, pdfPassword: options.pdfPassword })];
}

async function signOnce(doc: PdfDocument, options: SignPdfOptions): Promise<{ signed: [Uint8Array, Uint8Array]; token?: Uint8Array }> {
  const hash = options.hash ?? 'SHA-256';
  const withTimestamp = options.level !== undefined && options.level !== 'B-B';
  let contentsSize = options.contentsSize;
  for (let attempt = 0; attempt < 2; attempt++) {
    const prepared = prepareSignature(doc, options.signer, { ...options, withTimestamp, contentsSize });
    const signature = await options.signer.sign(prepared.signed.der, hash);
    const token = withTimestamp && options.timestamp ? await options.timestamp(signatureTimestampImprint(signature, hash), hash) : undefined;
    try {
      return { signed: completeSignatureParts(prepared, signature, token), token };
    } catch (error) {
      if (!isAppError(error, signatureTooLarge.code) || attempt > 0) throw error;
      const details = error.details as { size: number };
      contentsSize = details.size + 1024; // exact size is now known: prepare again with room to spare
    }
  }
  throw signatureTooLarge();
}
