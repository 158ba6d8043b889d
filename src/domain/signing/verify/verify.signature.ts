import type { CertInfo } from '../pki/pki.cert.ts';
import { parseCert } from '../pki/pki.cert.ts';
import type { Revision, SignatureInfo } from '../pdf/structure.ts';
import { checkCms, type DigestParts, type ParsedCms } from './verify.cms.ts';
import { certSummary, createOutcome, type Outcome } from './verify.outcome.ts';
import { checkByteRange, type DssData } from './verify.pdf.ts';
import type { RevocationEnv } from './verify.revocation.ts';
import { validateTimestamp, type CheckedTimestamp } from './verify.timestamp.ts';
import type { TrustStore } from './verify.trust.ts';
import type { TRevisionChange, TSignatureReport } from './verify.types.ts';

export type SignatureContext = {
  bytes: Uint8Array;
  revisions: Revision[];
  store: TrustStore;
  dss: DssData;
  env: RevocationEnv;
  now: Date;
  /** Valid document timestamps found so far (revision and time), for POE. */
  docTimestamps: { revision: number; genTime: Date }[];
  changes: TRevisionChange[];
  /** Digests of the signed byte ranges (shares the hashing of common prefixes between signatures). */
  digestParts?: DigestParts;
};

/** A signature report before numbering; `reason` is the message of the deciding check (for the summary). */
type Partial = Omit<TSignatureReport, 'index' | 'summary'> & { reason?: string };

function pdfDate(s: string | undefined): Date | undefined {
  const m = s ? /D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Z+-])?(\d{2})?'?(\d{2})?/.exec(s) : null;
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', se = '00', tz, th = '00', tm = '00'] = m;
  const sign = tz === '-' ? -1 : tz === '+' ? 1 : 0;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se)) - sign * (Number(th) * 60 + Number(tm)) * 60_000;
  return Number.isFinite(utc) ? new Date(utc) : undefined;
}

function emptyReport(sig: SignatureInfo, kind: Partial['kind']): Partial {
  return {
    fieldName: sig.fieldName, kind, subFilter: sig.subFilter, indication: 'TOTAL-PASSED', chain: [], signingTimeProof: 'none',
    level: 'none', revision: sig.revision, coversWholeDocument: false, timestamps: [], checks: [],
  };
}

function checkModifications(out: Outcome, sig: SignatureInfo, ctx: SignatureContext): void {
  const later = ctx.changes.filter((c) => c.revision > sig.revision);
  const bad = later.filter((c) => !c.permitted);
  if (bad.length) {
    out.fail('modifications', 'TOTAL-FAILED', 'FORMAT_FAILURE', `Tài liệu bị sửa đổi không được phép sau khi ký: ${bad.flatMap((c) => c.findings).slice(0, 5).join('; ')}`);
  } else if (later.length) {
    out.pass('modifications', `Các thay đổi sau khi ký đều được phép (${[...new Set(later.map((c) => c.kind))].join(', ')})`);
  } else out.pass('modifications', 'Không có thay đổi nào sau khi ký');
}

/** Verifies one document timestamp (/SubFilter ETSI.RFC3161). Never throws. */
export async function verifyDocTimestamp(sig: SignatureInfo, ctx: SignatureContext): Promise<{ report: Partial; checked?: CheckedTimestamp }> {
  const report = emptyReport(sig, 'document-timestamp');
  const out = createOutcome();
  const br = checkByteRange(ctx.bytes, sig, ctx.revisions);
  report.coversWholeDocument = br.coversWholeDocument;
  let checked: CheckedTimestamp | undefined;
  if (!br.ok) out.fail('integrity', 'TOTAL-FAILED', 'FORMAT_FAILURE', br.reason ?? 'ByteRange không hợp lệ');
  else {
    out.pass('integrity', 'Vùng ký (ByteRange) bao phủ đúng phiên bản được đóng dấu');
    checked = await validateTimestamp('document', sig.contents, br.parts, { store: ctx.store, pool: ctx.dss.certs.flatMap(safeCert), embedded: ctx.dss, ...ctx.env });
    report.timestamps.push(checked.report);
    const r = checked.report;
    if (r.indication === 'TOTAL-PASSED') out.pass('timestamp', r.message);
    else out.fail('timestamp', r.indication, r.subIndication ?? 'FORMAT_FAILURE', r.message);
    if (checked.genTime) { report.signingTime = checked.genTime.toISOString(); report.signingTimeProof = 'timestamp'; }
    if (checked.report.tsa) report.certificate = checked.report.tsa;
    report.chain = checked.tsaPath.map(certSummary);
    if (checked.report.missingIssuer) report.missingIssuer = checked.report.missingIssuer;
    report.signerName = checked.report.tsa ? parseCertSafe(checked.certs, checked.report.tsa.sha256)?.subjectAttr('CN') : undefined;
  }
  checkModifications(out, sig, ctx);
  const res = out.result();
  return { report: { ...report, ...res, checks: out.checks, level: res.indication === 'TOTAL-PASSED' ? 'B-LTA' : 'none' }, checked };
}

function parseCertSafe(certs: CertInfo[], id: string): CertInfo | undefined {
  return certs.find((c) => c.id === id);
}

function safeCert(der: Uint8Array): CertInfo[] {
  try { return [parseCert(der)]; } catch { return []; }
}

function cryptoChecks(out: Outcome, cms: ParsedCms, parts: Uint8Array[], report: Partial, digestParts?: DigestParts): boolean {
  if (!cms.signer) { out.fail('signing-certificate', 'INDETERMINATE', 'NO_SIGNING_CERTIFICATE_FOUND', 'Không tìm thấy chứng thư số của người ký trong chữ ký'); return false; }
  const c = checkCms(cms, parts, digestParts);
  report.digestAlgorithm = cms.digestName;
  report.signatureAlgorithm = c.signatureAlgorithm;
  if (!c.hashOk) { out.fail('integrity', 'TOTAL-FAILED', 'HASH_FAILURE', 'Nội dung đã bị thay đổi sau khi ký (sai giá trị băm)'); return false; }
  out.pass('integrity', 'Nội dung được ký còn nguyên vẹn');
  if (!c.cryptoOk) { out.fail('crypto', 'TOTAL-FAILED', 'SIG_CRYPTO_FAILURE', `Chữ ký số không khớp với khóa công khai của người ký${c.reason ? ` (${c.reason})` : ''}`); return false; }
  out.pass('crypto', `Chữ ký số hợp lệ về mặt mật mã (${c.signatureAlgorithm ?? ''})`);
  if (c.essOk === false) { out.fail('signing-certificate', 'TOTAL-FAILED', 'FORMAT_FAILURE', 'Thuộc tính signing-certificate-v2 không khớp với chứng thư người ký'); return false; }
  if (c.essOk) out.pass('signing-certificate', 'Chứng thư người ký được gắn vào chữ ký (signing-certificate-v2)');
  else out.note('signing-certificate', sigIsCades(report) ? 'failed' : 'not-applicable', 'Chữ ký không có thuộc tính signing-certificate-v2');
  return true;
}

function sigIsCades(report: Partial): boolean {
  return report.subFilter === 'ETSI.CAdES.detached';
}

export { pdfDate, safeCert, checkModifications, cryptoChecks, emptyReport };
export type { Partial as PartialSignatureReport };
