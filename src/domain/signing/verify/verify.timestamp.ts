import type { CertInfo } from '../pki/pki.cert.ts';
import { pathRevocation, type RevocationSources } from './verify.revocation.ts';
import { buildChain, chainFailure, fetchedNotes, missingIssuerOf, type ChainOptions } from './verify.chain.ts';
import { checkTimestampToken } from './verify.cms.ts';
import { certSummary, vnTime } from './verify.outcome.ts';
import type { TTimestampReport } from './verify.types.ts';

export type CheckedTimestamp = { report: TTimestampReport; genTime?: Date; valid: boolean; certs: CertInfo[]; tsaPath: CertInfo[] };

/**
 * Validates a timestamp token over `data`: token signature, TSA EKU, imprint, and the TSA's path to a
 * trust anchor with the TSA certificate valid at genTime. Never throws.
 */
export async function validateTimestamp(kind: 'signature' | 'document', token: Uint8Array, data: Uint8Array[], chainOptions: ChainOptions & { embedded?: RevocationSources }): Promise<CheckedTimestamp> {
  const t = checkTimestampToken(token, data);
  const base = { kind, genTime: t.genTime?.toISOString(), tsa: t.tsa ? certSummary(t.tsa) : undefined, hashAlgorithm: t.hashName };
  // the TSA's path is kept in the report (chain), so a trust change re-checks only what rests on it
  const done = (report: Omit<TTimestampReport, 'kind'>, valid: boolean, tsaPath: CertInfo[] = []): CheckedTimestamp =>
    ({ report: { ...base, ...(tsaPath.length ? { chain: tsaPath.map(certSummary) } : {}), ...report, kind }, genTime: t.genTime, valid, certs: t.certs, tsaPath });
  if (!t.tsa || !t.genTime) return done({ indication: 'TOTAL-FAILED', subIndication: 'FORMAT_FAILURE', message: `Dấu thời gian không đọc được (${t.reason ?? ''})` }, false);
  if (t.reason === 'token signature') return done({ indication: 'TOTAL-FAILED', subIndication: 'SIG_CRYPTO_FAILURE', message: 'Chữ ký của dấu thời gian không hợp lệ' }, false);
  if (!t.imprintOk) return done({ indication: 'TOTAL-FAILED', subIndication: 'HASH_FAILURE', message: 'Dấu thời gian không được cấp cho dữ liệu này (sai dấu vân tay)' }, false);
  if (!t.ok) return done({ indication: 'INDETERMINATE', subIndication: 'SIG_CONSTRAINTS_FAILURE', message: `Chứng thư máy chủ dấu thời gian không đúng mục đích (${t.reason ?? ''})` }, false);
  const chain = await buildChain(t.tsa, { ...chainOptions, pool: [...chainOptions.pool, ...t.certs] });
  const tsaName = t.tsa.subjectAttr('CN') ?? t.tsa.subject;
  if (!chain.trusted) {
    const missingIssuer = missingIssuerOf(chain);
    const message = `Máy chủ dấu thời gian ${tsaName} không thuộc chuỗi tin cậy: ${chainFailure(chain)}`;
    return done({ indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND', ...(missingIssuer ? { missingIssuer } : {}), message }, false, chain.path);
  }
  if (t.genTime < t.tsa.notBefore || t.genTime > t.tsa.notAfter) {
    return done({ indication: 'TOTAL-FAILED', subIndication: 'EXPIRED', message: 'Chứng thư máy chủ dấu thời gian hết hiệu lực tại thời điểm cấp dấu' }, false, chain.path);
  }
  const revs = await pathRevocation(chain.path, true, chainOptions.embedded ?? { ocsps: [], crls: [] }, chainOptions);
  const genTime = t.genTime;
  const revoked = revs.find((r) => r.result?.status === 'revoked' && (r.result.revokedAt ?? new Date(0)) <= genTime);
  if (revoked) {
    return done({ indication: 'TOTAL-FAILED', subIndication: 'REVOKED', message: `Chứng thư "${revoked.cert.subjectAttr('CN') ?? revoked.cert.subject}" của máy chủ dấu thời gian đã bị thu hồi trước thời điểm cấp dấu` }, false, chain.path);
  }
  // Without revocation data for the TSA (offline, nothing in the DSS) the token still proves time; say so.
  const unknown = revs.some((r) => !r.result) ? '; chưa có thông tin thu hồi của máy chủ dấu thời gian' : '';
  const fetched = fetchedNotes(chain).map((n) => `; ${n}`).join('');
  return done({ indication: 'TOTAL-PASSED', message: `Dấu thời gian hợp lệ: ${vnTime(genTime)} (${tsaName})${unknown}${fetched}` }, true, chain.path);
}
