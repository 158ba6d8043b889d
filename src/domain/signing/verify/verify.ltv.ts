import { errorFactory } from '../../../platform/errors.ts';
import { openPdf } from '../pdf/reader.ts';
import { listRevisions, listSignatures } from '../pdf/structure.ts';
import type { CertInfo } from '../pki/pki.cert.ts';
import type { FetchLike } from '../pki/pki.http.ts';
import { createRevocationCache } from '../pki/revocation.cache.ts';
import { addDocumentTimestamp, addDss, type ValidationData } from '../signing.ltv.ts';
import { timestampFromUrl } from '../signing.tsa.ts';
import { buildChain } from './verify.chain.ts';
import { checkTimestampToken, parseCms } from './verify.cms.ts';
import { pathRevocation } from './verify.revocation.ts';
import type { TrustStore } from './verify.trust.ts';
import { verifyPdf } from './verify.ts';

export const augmentRefused = errorFactory({ code: 'verify.augment_refused', status: 422, message: 'Không bổ sung dữ liệu kiểm tra dài hạn cho tài liệu có chữ ký không hợp lệ' });
export const augmentIncomplete = errorFactory({ code: 'verify.augment_incomplete', status: 502, message: 'Không thu thập đủ chứng thư và thông tin thu hồi để nâng mức chữ ký' });

export type AugmentOptions = { tsaUrl: string; trustStore: TrustStore; fetch?: FetchLike; timeoutMs?: number; now?: Date };

async function collectFor(leaf: CertInfo, pool: CertInfo[], opts: AugmentOptions, data: Required<ValidationData>): Promise<string[]> {
  const env = { offline: false, fetch: opts.fetch, cache: createRevocationCache(), timeoutMs: opts.timeoutMs };
  const chain = await buildChain(leaf, { store: opts.trustStore, pool, ...env });
  if (!chain.trusted) return [`${leaf.subject}: không có chuỗi tin cậy`];
  data.certs.push(...chain.path.map((c) => c.der));
  const missing: string[] = [];
  for (const r of await pathRevocation(chain.path, true, { ocsps: [], crls: [] }, env)) {
    if (!r.result) { missing.push(`${r.cert.subject}: ${r.error ?? 'không có thông tin thu hồi'}`); continue; }
    (r.result.source === 'ocsp' ? data.ocsps : data.crls).push(r.result.der);
    data.certs.push(...r.result.certs);
  }
  return missing;
}

/**
 * Collects, online, every certificate and OCSP/CRL answer needed to validate the file's signatures and
 * their timestamps later (signer and TSA chains). Returns the data and what could not be obtained.
 */
export async function collectValidationData(bytes: Uint8Array, opts: AugmentOptions): Promise<{ data: Required<ValidationData>; missing: string[] }> {
  const doc = openPdf(bytes);
  const data: Required<ValidationData> = { certs: [], ocsps: [], crls: [] };
  const missing: string[] = [];
  for (const sig of listSignatures(doc, listRevisions(doc))) {
    if (sig.subFilter === 'ETSI.RFC3161') {
      const t = checkTimestampToken(sig.contents, []);
      if (t.tsa) missing.push(...await collectFor(t.tsa, t.certs, opts, data));
      continue;
    }
    const cms = parseCms(sig.contents);
    if (!cms.signer) continue;
    missing.push(...await collectFor(cms.signer, cms.certs, opts, data));
    for (const token of cms.timestampTokens) {
      const t = checkTimestampToken(token, []);
      if (t.tsa) missing.push(...await collectFor(t.tsa, t.certs, opts, data));
    }
  }
  return { data, missing };
}

/**
 * Augments a signed PDF to B-LT (a DSS with the chains and fresh revocation data) and B-LTA (a
 * document timestamp over it), using the signing engine's addDss/addDocumentTimestamp. Refuses when a
 * signature is TOTAL-FAILED. Throws verify.augment_refused, verify.augment_incomplete,
 * verify.pdf_unreadable, and signing.tsa_failed / signing.* from the engine.
 */
export async function augmentPdf(bytes: Uint8Array, opts: AugmentOptions): Promise<Uint8Array> {
  const report = await verifyPdf(bytes, { trustStore: opts.trustStore, fetch: opts.fetch, timeoutMs: opts.timeoutMs, now: opts.now });
  const failed = report.signatures.filter((s) => s.indication === 'TOTAL-FAILED');
  if (failed.length) throw augmentRefused({ signatures: failed.map((s) => ({ field: s.fieldName, subIndication: s.subIndication })) });
  if (report.signatureCount === 0) throw augmentRefused({ reason: 'no signatures' }, { message: 'Tài liệu không có chữ ký số để bổ sung dữ liệu kiểm tra dài hạn' });
  const { data, missing } = await collectValidationData(bytes, opts);
  if (missing.length) throw augmentIncomplete({ missing });
  const withDss = await addDss(bytes, data);
  return addDocumentTimestamp(withDss, { timestamp: timestampFromUrl(opts.tsaUrl, opts.timeoutMs ?? 20_000, opts.fetch) });
}
