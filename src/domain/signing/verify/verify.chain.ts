import { parseCert, splitCerts, type CertInfo } from '../pki/pki.cert.ts';
import { httpBytes, type FetchLike } from '../pki/pki.http.ts';
import type { RevocationCache } from '../pki/revocation.cache.ts';
import type { TrustStore } from './verify.trust.ts';

export type ChainOptions = {
  store: TrustStore;
  /** Certificates found in the CMS, the DSS or the timestamp tokens. */
  pool: CertInfo[];
  offline: boolean;
  fetch?: FetchLike;
  cache: RevocationCache;
  timeoutMs?: number;
};

export type ChainResult = {
  /** Leaf first; ends at the anchor when `trusted`. */
  path: CertInfo[];
  trusted: boolean;
  /** Certificates fetched through AIA caIssuers (to be kept for the DSS). */
  fetched: CertInfo[];
  reason?: string;
};

const MAX_DEPTH = 10;

function issues(issuer: CertInfo, cert: CertInfo): boolean {
  if (issuer.subjectDer !== cert.issuerDer) return false;
  if (cert.aki && issuer.ski && cert.aki !== issuer.ski) return false;
  try {
    return cert.x509.verify(issuer.x509.publicKey);
  } catch {
    return false;
  }
}

async function fetchIssuers(cert: CertInfo, options: ChainOptions): Promise<CertInfo[]> {
  const out: CertInfo[] = [];
  for (const url of cert.caIssuerUrls.filter((u) => /^https?:/i.test(u)).slice(0, 2)) {
    try {
      const bytes = await options.cache.getOrLoadBytes(`aia|${url}`,
        () => httpBytes(url, undefined, undefined, { timeoutMs: options.timeoutMs ?? 10_000, fetch: options.fetch, maxBytes: 1 << 20 }),
        () => undefined);
      for (const der of splitCerts(bytes)) out.push(parseCert(der));
    } catch {
      // An unreachable AIA is not fatal: the path just stays incomplete (NO_CERTIFICATE_CHAIN_FOUND).
    }
  }
  return out;
}

/**
 * Builds a certification path from `leaf` to a trust anchor using the pool, the store and (online)
 * AIA caIssuers downloads. Verifies each certificate's signature by its issuer. Never throws.
 */
export async function buildChain(leaf: CertInfo, options: ChainOptions): Promise<ChainResult> {
  const path: CertInfo[] = [leaf];
  const fetched: CertInfo[] = [];
  let cur = leaf;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (options.store.anchors.has(cur.id)) return { path, trusted: true, fetched };
    if (cur.selfSigned) return { path, trusted: false, fetched, reason: 'untrusted-root' };
    const local = [...options.pool, ...(options.store.bySubject.get(cur.issuerDer) ?? []), ...fetched];
    let issuer = local.find((c) => c.id !== cur.id && issues(c, cur));
    if (!issuer && !options.offline) {
      const more = await fetchIssuers(cur, options);
      fetched.push(...more);
      issuer = more.find((c) => issues(c, cur));
    }
    if (!issuer) return { path, trusted: false, fetched, reason: 'issuer-not-found' };
    if (path.some((c) => c.id === issuer.id)) return { path, trusted: false, fetched, reason: 'loop' };
    path.push(issuer);
    cur = issuer;
  }
  return { path, trusted: false, fetched, reason: 'too-long' };
}

/** Problems of the CA part of a path at time `at`: not a CA, no keyCertSign, outside validity. */
export function caProblems(path: CertInfo[], at: Date): string[] {
  const out: string[] = [];
  for (const ca of path.slice(1)) {
    if (!ca.isCa) out.push(`${ca.subject}: không phải chứng thư CA`);
    if (ca.keyUsage && !ca.keyUsage.keyCertSign) out.push(`${ca.subject}: không có quyền ký chứng thư`);
    if (at < ca.notBefore || at > ca.notAfter) out.push(`${ca.subject}: hết hiệu lực tại thời điểm kiểm tra`);
  }
  return out;
}
