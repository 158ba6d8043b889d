import { isAppError } from '../../../platform/errors.ts';
import { nameOf } from '../pdf/objects.ts';
import { getObject, openPdf, type PdfDocument } from '../pdf/reader.ts';
import type { PdfDict, PdfRef } from '../pdf/objects.ts';
import { listRevisions, listSignatures, type Revision, type SignatureInfo } from '../pdf/structure.ts';
import type { FetchLike } from '../pki/pki.http.ts';
import { createRevocationCache, type RevocationCache } from '../pki/revocation.cache.ts';
import { defaultRevocationCache } from '../pki/revocation.ts';
import { prefetchRevocation, verifyApproval } from './verify.approval.ts';
import { prefixDigester } from './verify.cms.ts';
import { classifyRevision, MAX_ANALYSED_REVISIONS } from './verify.changes.ts';
import { verifyPdfEncrypted, verifyPdfUnreadable } from './verify.errors.ts';
import { nodeHttpFetch } from './verify.http.ts';
import { vnTime, worstIndication } from './verify.outcome.ts';
import { docMdpLevel, fieldLocks, isFieldLocked, readDss } from './verify.pdf.ts';
import { verifyDocTimestamp, type PartialSignatureReport, type SignatureContext } from './verify.signature.ts';
import type { TrustStore } from './verify.trust.ts';
import type { TRevisionChange, TSignatureReport, TVerifyReport } from './verify.types.ts';

export type VerifyOptions = {
  trustStore: TrustStore;
  /** No network: only the revocation data and certificates inside the file (and the store) are used. */
  offline?: boolean;
  /** Validation time (default: now). */
  now?: Date;
  /** Injected fetch for OCSP/CRL/AIA (default: nodeHttpFetch, node:http without undici's start-up cost). */
  fetch?: FetchLike;
  cache?: RevocationCache;
  /** Per-request network timeout (default 10 s). */
  timeoutMs?: number;
  fileName?: string;
};

/** More signatures than this are not verified one by one (reported INDETERMINATE). */
export const MAX_SIGNATURES = 500;
/** Signatures verified concurrently (their network requests overlap). */
const PARALLEL_SIGNATURES = 8;

function isTimestamp(sig: SignatureInfo): boolean {
  return sig.subFilter === 'ETSI.RFC3161' || nameOf(sig.dict.entries.get('Type')) === 'DocTimeStamp';
}

function openForVerify(bytes: Uint8Array): PdfDocument {
  try {
    const doc = openPdf(bytes);
    if (doc.encrypted) throw verifyPdfEncrypted();
    return doc;
  } catch (e) {
    if (isAppError(e, verifyPdfEncrypted.code)) throw e;
    throw verifyPdfUnreadable({ reason: e instanceof Error ? e.message : String(e) }, { cause: e });
  }
}

function analyseChanges(bytes: Uint8Array, doc: PdfDocument, revisions: Revision[], sigs: SignatureInfo[]): TRevisionChange[] {
  if (sigs.length === 0) return [];
  const first = Math.min(...sigs.map((s) => s.revision));
  const docMdp = docMdpLevel(doc);
  const docs = new Map<number, PdfDocument>();
  const out: TRevisionChange[] = [];
  for (let k = first + 1; k < revisions.length; k++) {
    if (k - first > MAX_ANALYSED_REVISIONS) {
      out.push({ revision: k, kind: 'forbidden', permitted: false, findings: ['Quá nhiều phiên bản để phân tích thay đổi'] });
      continue;
    }
    const kinds = sigs.filter((s) => s.revision === k).map((s) => (isTimestamp(s) ? 'document-timestamp' as const : 'signature' as const));
    try {
      const locks = sigs.filter((s) => s.revision < k).flatMap((s) => fieldLocks(doc, s.dict, s.fieldRef ? asDict(doc, s.fieldRef) : undefined));
      out.push(classifyRevision(bytes, revisions, k, docs, { docMdp, isLocked: (f) => isFieldLocked(locks, f), newSignatureKinds: kinds }));
    } catch (e) {
      out.push({ revision: k, kind: 'forbidden', permitted: false, findings: [`Không phân tích được phiên bản ${k}: ${e instanceof Error ? e.message : String(e)}`] });
    }
    // Keep only the prefixes the next step needs (k), so memory stays bounded with many revisions.
    docs.delete(k - 1);
  }
  return out;
}

function summarise(r: PartialSignatureReport): string {
  const who = [r.signerName, r.organisation].filter(Boolean).join(' — ') || 'không rõ người ký';
  const what = r.kind === 'document-timestamp' ? 'Dấu thời gian tài liệu' : `Chữ ký của ${who}`;
  const when = r.signingTime ? `, thời điểm ${vnTime(new Date(r.signingTime))}${r.signingTimeProof === 'claimed' ? ' (do người ký khai, chưa được chứng minh)' : ''}` : '';
  if (r.indication === 'TOTAL-PASSED') return `${what} hợp lệ${when}; mức ${r.level}.`;
  const why = r.reason ?? r.subIndication ?? '';
  if (r.indication === 'TOTAL-FAILED') return `${what} KHÔNG hợp lệ: ${why}.`;
  return `${what} chưa xác định được hiệu lực: ${why}.`;
}

function docSummary(sigs: TSignatureReport[]): string {
  if (sigs.length === 0) return 'Tài liệu không có chữ ký số.';
  const n = (i: string) => sigs.filter((s) => s.indication === i).length;
  return `Tài liệu có ${sigs.length} chữ ký/dấu thời gian: ${n('TOTAL-PASSED')} hợp lệ, ${n('TOTAL-FAILED')} không hợp lệ, ${n('INDETERMINATE')} chưa xác định.`;
}

/**
 * Verifies every signature and document timestamp of a PDF (ND 30/2020 Art. 21; ETSI EN 319 102-1
 * indications) and classifies every change made after the first signature.
 * Throws verify.pdf_unreadable (not a readable PDF) and verify.pdf_encrypted; anything else becomes
 * part of the report.
 */
export async function verifyPdf(bytes: Uint8Array, options: VerifyOptions): Promise<TVerifyReport> {
  const now = options.now ?? new Date();
  const doc = openForVerify(bytes);
  let revisions: Revision[];
  let sigs: SignatureInfo[];
  try {
    revisions = listRevisions(doc);
    sigs = listSignatures(doc, revisions).sort((a, b) => a.revision - b.revision);
  } catch (e) {
    throw verifyPdfUnreadable({ reason: e instanceof Error ? e.message : String(e) }, { cause: e });
  }
  const ctx: SignatureContext = {
    bytes, revisions, store: options.trustStore, dss: safeDss(doc), now, docTimestamps: [], changes: [], digestParts: prefixDigester(bytes),
    env: { offline: options.offline === true, fetch: options.fetch ?? nodeHttpFetch, cache: options.cache ?? (options.offline ? createRevocationCache() : defaultRevocationCache), timeoutMs: options.timeoutMs },
  };
  const inScope = sigs.slice(0, MAX_SIGNATURES);
  const approvals = inScope.filter((s) => !isTimestamp(s));
  if (!ctx.env.offline && approvals.length) {
    // Online: send every signature's OCSP/CRL requests first, and let them leave (one turn of the event
    // loop) before the change analysis and the signature checks, which then overlap the round trips.
    for (const sig of approvals.slice(0, PARALLEL_SIGNATURES)) void prefetchRevocation(sig, ctx);
    await new Promise((resolve) => setImmediate(resolve));
  }
  const changes = analyseChanges(bytes, doc, revisions, inScope);
  ctx.changes = changes;
  const partials = new Map<SignatureInfo, PartialSignatureReport>();
  for (const sig of inScope.filter(isTimestamp)) {
    const { report, checked } = await verifyDocTimestamp(sig, ctx);
    partials.set(sig, report);
    if (checked?.valid && checked.genTime) ctx.docTimestamps.push({ revision: sig.revision, genTime: checked.genTime });
  }
  // Signatures are independent once the document timestamps are known: verify them a few at a time, so
  // their OCSP/CRL round trips overlap (the cache shares a request for a common CA).
  for (let i = 0; i < approvals.length; i += PARALLEL_SIGNATURES) {
    const batch = approvals.slice(i, i + PARALLEL_SIGNATURES);
    const done = await Promise.all(batch.map((sig) => verifyApproval(sig, ctx)));
    batch.forEach((sig, j) => { const r = done[j]; if (r) partials.set(sig, r); });
  }
  const reports: TSignatureReport[] = sigs.map((sig, index) => {
    const { reason: _reason, ...p } = partials.get(sig) ?? tooMany(sig);
    return { index, ...p, summary: summarise({ ...p, reason: _reason }) };
  });
  const indication = reports.length ? worstIndication(reports.map((r) => r.indication)) : 'INDETERMINATE';
  const worst = reports.find((r) => r.indication === indication && r.indication !== 'TOTAL-PASSED');
  return {
    ...(options.fileName ? { file: options.fileName } : {}),
    indication, subIndication: reports.length ? worst?.subIndication : 'SIGNED_DATA_NOT_FOUND',
    signatureCount: reports.length, revisionCount: revisions.length, signatures: reports, changes,
    validationTime: now.toISOString(), offline: options.offline === true, summary: docSummary(reports),
  };
}

function asDict(doc: PdfDocument, ref: PdfRef): PdfDict | undefined {
  const v = getObject(doc, ref);
  return v !== null && typeof v === 'object' && v.type === 'dict' ? v : undefined;
}

function safeDss(doc: PdfDocument) {
  try { return readDss(doc); } catch { return { certs: [], ocsps: [], crls: [], present: false }; }
}

function tooMany(sig: SignatureInfo): PartialSignatureReport {
  return {
    fieldName: sig.fieldName, kind: 'signature', subFilter: sig.subFilter, indication: 'INDETERMINATE', subIndication: 'SIG_CONSTRAINTS_FAILURE',
    chain: [], signingTimeProof: 'none', level: 'none', revision: sig.revision, coversWholeDocument: false, timestamps: [],
    checks: [{ name: 'format', status: 'unknown', message: `Tài liệu có hơn ${MAX_SIGNATURES} chữ ký; chữ ký này không được kiểm tra` }],
  };
}
