import type { CertInfo } from '../pki/pki.cert.ts';
import type { SignatureInfo } from '../pdf/structure.ts';
import { buildChain, caProblems, chainFailure, fetchedNotes, missingIssuerOf, type ChainResult } from './verify.chain.ts';
import { parseCms, type ParsedCms } from './verify.cms.ts';
import { certSummary, createOutcome, vnTime, type Outcome } from './verify.outcome.ts';
import { checkByteRange, MAX_CONTENTS } from './verify.pdf.ts';
import { pathRevocation, type RevocationSources } from './verify.revocation.ts';
import { checkModifications, cryptoChecks, emptyReport, pdfDate, safeCert, type PartialSignatureReport, type SignatureContext } from './verify.signature.ts';
import { validateTimestamp, type CheckedTimestamp } from './verify.timestamp.ts';

type Poe = { time?: Date; proof: PartialSignatureReport['signingTimeProof']; claimed?: Date };

/** The certificates a signature's chain may be built from: those of its CMS, then those of the DSS. */
const chainPool = (cms: ParsedCms, ctx: SignatureContext): CertInfo[] => [...cms.certs, ...ctx.dss.certs.flatMap(safeCert)];

/** The revocation data embedded for a signature: in its CMS, then in the DSS. */
const revocationSources = (cms: ParsedCms, ctx: SignatureContext): RevocationSources => ({ ocsps: [...cms.ocsps, ...ctx.dss.ocsps], crls: [...cms.crls, ...ctx.dss.crls] });

async function signatureTimestamps(cms: ParsedCms, ctx: SignatureContext, report: PartialSignatureReport, out: Outcome): Promise<CheckedTimestamp | undefined> {
  let best: CheckedTimestamp | undefined;
  const sigValue = cms.signerInfo.signature;
  for (const token of cms.timestampTokens.slice(0, 4)) {
    const t = await validateTimestamp('signature', token, [sigValue], { store: ctx.store, pool: ctx.dss.certs.flatMap(safeCert), embedded: revocationSources(cms, ctx), ...ctx.env });
    report.timestamps.push(t.report);
    if (t.valid) { best ??= t; out.pass('timestamp', t.report.message); }
    else if (t.report.indication === 'TOTAL-FAILED') out.fail('timestamp', 'INDETERMINATE', 'SIG_CONSTRAINTS_FAILURE', t.report.message);
    else out.note('timestamp', 'unknown', t.report.message);
  }
  return best;
}

function proofOfExistence(cms: ParsedCms, sig: SignatureInfo, ctx: SignatureContext, ts: CheckedTimestamp | undefined): Poe {
  const claimed = cms.signingTime ?? pdfDate(sig.signingTime);
  if (ts?.genTime) return { time: ts.genTime, proof: 'timestamp', claimed };
  const doc = ctx.docTimestamps.filter((d) => d.revision > sig.revision).sort((a, b) => a.genTime.getTime() - b.genTime.getTime())[0];
  if (doc) return { time: doc.genTime, proof: 'document-timestamp', claimed };
  return { proof: claimed ? 'claimed' : 'none', claimed };
}

/**
 * Some Vietnamese signing tools write local time (UTC+7) into signingTime while marking it UTC; with a
 * timestamp to compare against, say so instead of leaving a 7-hour discrepancy unexplained.
 */
function noteClockSkew(out: Outcome, poe: Poe, ts: CheckedTimestamp | undefined): void {
  if (!ts?.genTime || !poe.claimed) return;
  const skew = poe.claimed.getTime() - ts.genTime.getTime();
  if (Math.abs(skew - 7 * 3_600_000) < 15 * 60_000) {
    out.note('signing-time', 'passed', 'Thời điểm ký do phần mềm ký ghi là giờ Việt Nam (UTC+7) nhưng đánh dấu UTC; dùng thời điểm của dấu thời gian');
  } else if (skew > 15 * 60_000) {
    out.note('signing-time', 'unknown', `Thời điểm ký được khai (${vnTime(poe.claimed)}) muộn hơn dấu thời gian (${vnTime(ts.genTime)})`);
  }
}

function checkValidity(out: Outcome, signer: CertInfo, poe: Poe, now: Date): void {
  if (poe.time) {
    if (poe.time < signer.notBefore) return out.fail('validity', 'TOTAL-FAILED', 'NOT_YET_VALID', `Chứng thư chưa có hiệu lực tại thời điểm ký đã được chứng minh (${vnTime(poe.time)})`);
    if (poe.time > signer.notAfter) return out.fail('validity', 'TOTAL-FAILED', 'EXPIRED', `Chứng thư đã hết hạn (${vnTime(signer.notAfter)}) trước thời điểm ký đã được chứng minh`);
    return out.pass('validity', `Chứng thư còn hiệu lực tại thời điểm ký ${vnTime(poe.time)} (có dấu thời gian chứng minh)`);
  }
  if (now < signer.notBefore) return out.fail('validity', 'TOTAL-FAILED', 'NOT_YET_VALID', `Chứng thư chưa có hiệu lực (từ ${vnTime(signer.notBefore)})`);
  if (now > signer.notAfter) return out.fail('validity', 'INDETERMINATE', 'OUT_OF_BOUNDS_NO_POE', `Chứng thư đã hết hạn (${vnTime(signer.notAfter)}) và không có dấu thời gian chứng minh chữ ký được tạo trước đó`);
  out.note('validity', 'passed', 'Chứng thư đang còn hiệu lực; thời điểm ký chưa được chứng minh bằng dấu thời gian');
}

async function checkChainAndRevocation(out: Outcome, signer: CertInfo, cms: ParsedCms, ctx: SignatureContext, poe: Poe): Promise<ChainResult> {
  const pool = chainPool(cms, ctx);
  const chain = await buildChain(signer, { store: ctx.store, pool, ...ctx.env });
  if (!chain.trusted) {
    out.fail('chain', 'INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND', chainFailure(chain));
    return chain;
  }
  const probs = caProblems(chain.path, poe.time ?? ctx.now);
  if (probs.length) out.fail('chain', 'INDETERMINATE', 'CHAIN_CONSTRAINTS_FAILURE', [...probs, ...fetchedNotes(chain)].join('; '));
  else out.pass('chain', [`Chuỗi chứng thư tin cậy đến "${chain.path.at(-1)?.subjectAttr('CN') ?? ''}"`, ...fetchedNotes(chain)].join('; '));
  const revs = await pathRevocation(chain.path, true, revocationSources(cms, ctx), ctx.env);
  const at = poe.time ?? poe.claimed;
  for (const r of revs) {
    const who = r.cert.subjectAttr('CN') ?? r.cert.subject;
    if (!r.result) { out.fail('revocation', 'INDETERMINATE', 'TRY_LATER', `Chưa có thông tin thu hồi cho "${who}"${r.error === 'offline' ? ' (chế độ ngoại tuyến)' : ''}`); continue; }
    if (r.result.status === 'good') continue;
    if (r.result.status === 'unknown') { out.fail('revocation', 'INDETERMINATE', 'TRY_LATER', `Máy chủ OCSP không biết chứng thư "${who}"`); continue; }
    const revokedAt = r.result.revokedAt ?? new Date(0);
    if (poe.time && poe.time < revokedAt) { out.note('revocation', 'passed', `"${who}" bị thu hồi lúc ${vnTime(revokedAt)}, sau thời điểm ký đã được chứng minh`); continue; }
    if (!at || at >= revokedAt) out.fail('revocation', 'TOTAL-FAILED', 'REVOKED', `Chứng thư "${who}" đã bị thu hồi từ ${vnTime(revokedAt)}`);
    else out.fail('revocation', 'INDETERMINATE', r.cert.id === signer.id ? 'REVOKED_NO_POE' : 'REVOKED_CA_NO_POE', `Chứng thư "${who}" bị thu hồi lúc ${vnTime(revokedAt)}; không có bằng chứng chữ ký được tạo trước đó`);
  }
  if (revs.every((r) => r.result?.status === 'good' || (r.result?.status === 'revoked' && poe.time && poe.time < (r.result.revokedAt ?? new Date(0))))) {
    out.pass('revocation', `Chứng thư chưa bị thu hồi (${revs.map((r) => (r.embedded ? 'nhúng sẵn' : r.result?.source ?? '')).join(', ') || 'không cần'})`);
  }
  (chain as ChainResult & { embeddedRevocation?: boolean }).embeddedRevocation = revs.length > 0 && revs.every((r) => r.embedded);
  return chain;
}

function keyUsage(out: Outcome, signer: CertInfo): void {
  if (signer.keyUsage && !signer.keyUsage.digitalSignature && !signer.keyUsage.nonRepudiation) {
    out.fail('key-usage', 'INDETERMINATE', 'SIG_CONSTRAINTS_FAILURE', 'Chứng thư không được phép dùng để ký số (thiếu digitalSignature/nonRepudiation)');
  } else out.pass('key-usage', 'Mục đích sử dụng khóa cho phép ký số');
}

/**
 * Starts the online requests a signature's verification will make — AIA certificates, then OCSP/CRL
 * for each certificate of its chain without embedded revocation data — ahead of it, into the shared
 * `ctx.env.cache`: verifyApproval then finds them in flight or answered, so the responders' latency
 * overlaps the hashing, signature checks and change analysis. Does nothing offline. Never throws.
 */
export async function prefetchRevocation(sig: SignatureInfo, ctx: SignatureContext): Promise<void> {
  if (ctx.env.offline || sig.contents.length > MAX_CONTENTS) return;
  try {
    const cms = parseCms(sig.contents);
    if (!cms.signer) return;
    const chain = await buildChain(cms.signer, { store: ctx.store, pool: chainPool(cms, ctx), ...ctx.env });
    if (chain.trusted) await pathRevocation(chain.path, true, revocationSources(cms, ctx), ctx.env);
  } catch { /* verifyApproval reports it */ }
}

/** Verifies one approval/certification signature. Never throws: every problem becomes a check. */
export async function verifyApproval(sig: SignatureInfo, ctx: SignatureContext): Promise<PartialSignatureReport> {
  const report = emptyReport(sig, 'signature');
  const out = createOutcome();
  const br = checkByteRange(ctx.bytes, sig, ctx.revisions);
  report.coversWholeDocument = br.coversWholeDocument;
  let cms: ParsedCms | undefined;
  if (!br.ok) out.fail('integrity', 'TOTAL-FAILED', 'FORMAT_FAILURE', br.reason ?? '');
  else if (sig.contents.length > MAX_CONTENTS) out.fail('format', 'TOTAL-FAILED', 'FORMAT_FAILURE', '/Contents quá lớn');
  else {
    try { cms = parseCms(sig.contents); } catch { out.fail('format', 'TOTAL-FAILED', 'FORMAT_FAILURE', 'Dữ liệu chữ ký (CMS) bị hỏng hoặc không đúng định dạng'); }
  }
  if (cms && cryptoChecks(out, cms, br.parts, report, ctx.digestParts) && cms.signer) {
    const signer = cms.signer;
    Object.assign(report, { signerName: signer.subjectAttr('CN'), organisation: signer.subjectAttr('O'), certificate: certSummary(signer) });
    const ts = await signatureTimestamps(cms, ctx, report, out);
    const poe = proofOfExistence(cms, sig, ctx, ts);
    noteClockSkew(out, poe, ts);
    report.signingTime = (poe.time ?? poe.claimed)?.toISOString();
    report.signingTimeProof = poe.proof;
    keyUsage(out, signer);
    checkValidity(out, signer, poe, ctx.now);
    const chain = await checkChainAndRevocation(out, signer, cms, ctx, poe);
    report.chain = chain.path.map(certSummary);
    const missing = missingIssuerOf(chain);
    if (missing) report.missingIssuer = missing;
    report.level = levelOf(cms, report, ts, ctx, sig, (chain as { embeddedRevocation?: boolean }).embeddedRevocation === true);
  }
  checkModifications(out, sig, ctx);
  return { ...report, ...out.result(), checks: out.checks };
}

function levelOf(cms: ParsedCms, report: PartialSignatureReport, ts: CheckedTimestamp | undefined, ctx: SignatureContext, sig: SignatureInfo, embeddedRev: boolean): PartialSignatureReport['level'] {
  if (!cms.essCert?.v2 && report.subFilter !== 'ETSI.CAdES.detached') return 'none';
  if (!cms.essCert) return 'none';
  // PAdES (EN 319 142-1 §6.3): the B-T time-stamp may be a document time-stamp covering the signature.
  const docTs = ctx.docTimestamps.some((d) => d.revision > sig.revision);
  if (!ts && !docTs) return 'B-B';
  if (!ctx.dss.present || !embeddedRev) return 'B-T';
  return ctx.docTimestamps.some((d) => d.revision > sig.revision) ? 'B-LTA' : 'B-LT';
}
