import { vietnamParts } from '../../../platform/dates.ts';
import { isAppError } from '../../../platform/errors.ts';
import { parseCert, splitCerts, type CertInfo } from '../pki/pki.cert.ts';
import { bytesOf, childrenOf, expectTag, oidOf, rootOf } from '../pki/pki.der.ts';
import { pkiResponseTooLarge, pkiTimeout, pkiUnreachable } from '../pki/pki.errors.ts';
import { httpBytes, type FetchLike } from '../pki/pki.http.ts';
import type { RevocationCache } from '../pki/revocation.cache.ts';
import type { TrustStore } from './verify.trust.ts';
import type { TMissingIssuer } from './verify.types.ts';

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
  /** CA certificates fetched through AIA caIssuers and accepted (to be kept for the DSS). */
  fetched: CertInfo[];
  /** Where each fetched certificate came from: its id → the issuer's address (caIssuers URL). */
  fetchedFrom: Map<string, string>;
  reason?: 'untrusted-root' | 'issuer-not-found' | 'loop' | 'too-long';
  /** The last certificate's issuer addresses (caIssuers) and why each gave no usable certificate (Vietnamese), when the path stops there for want of its issuer. */
  problems: AddressProblem[];
};

/** An issuer address (AIA caIssuers) that gave no usable certificate, and why. */
export type AddressProblem = { url: string; problem: string };

const MAX_DEPTH = 10;
/** Certificates of one path whose issuer may be fetched (RFC 5280 §4.2.2.1 caIssuers): a leaf, a sub-CA, its CA. */
export const AIA_MAX_HOPS = 3;
/** Per download, whatever the verifier's own (OCSP/CRL) timeout: a missing issuer is one of many network steps. */
export const AIA_TIMEOUT_MS = 5_000;
/** A certificate or a certs-only bundle of a few CAs is a few KiB. */
export const AIA_MAX_BYTES = 1 << 20;
const AIA_URLS_PER_CERT = 2;
/** How long a failed download (timeout, HTTP error, too large, no connection) is remembered: an address that hangs costs AIA_TIMEOUT_MS once, not on every verification. */
export const AIA_FAILURE_MEMORY_MS = 10 * 60_000;
const SIGNED_DATA = '1.2.840.113549.1.7.2';

function issues(issuer: CertInfo, cert: CertInfo): boolean {
  if (issuer.subjectDer !== cert.issuerDer) return false;
  if (cert.aki && issuer.ski && cert.aki !== issuer.ski) return false;
  return signs(issuer, cert);
}

function signs(issuer: CertInfo, cert: CertInfo): boolean {
  try {
    return cert.x509.verify(issuer.x509.publicKey);
  } catch {
    return false;
  }
}

/** The certificates of a certs-only CMS (.p7c: ContentInfo with SignedData, BER or DER); undefined when `der` is not one. */
function pkcs7Certs(der: Uint8Array): Uint8Array[] | undefined {
  const [type, content] = childrenOf(der, expectTag(rootOf(der), 0x30, 'ContentInfo'));
  if (type?.tag !== 0x06 || oidOf(der, type) !== SIGNED_DATA) return undefined;
  const signedData = childrenOf(der, expectTag(content, 0xa0, 'content'))[0];
  const certificates = childrenOf(der, expectTag(signedData, 0x30, 'SignedData')).find((x) => x.tag === 0xa0);
  return certificates ? childrenOf(der, certificates).filter((c) => c.tag === 0x30).map((c) => bytesOf(der, c).slice()) : [];
}

/** What a caIssuers address answers: one certificate (.cer/.crt, DER or PEM) or a certs-only CMS (.p7c, DER or PEM). Throws on anything else. */
export function certsOfIssuerFile(bytes: Uint8Array): CertInfo[] {
  const text = Buffer.from(bytes.subarray(0, 64)).toString('latin1').includes('-----BEGIN') ? Buffer.from(bytes).toString('latin1') : undefined;
  const ders = text === undefined ? pkcs7Certs(bytes) ?? [bytes] : [
    ...splitCerts(text),
    ...[...text.matchAll(/-----BEGIN PKCS7-----([\s\S]*?)-----END PKCS7-----/g)].flatMap((m) => pkcs7Certs(new Uint8Array(Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64'))) ?? []),
  ];
  if (ders.length === 0) throw new Error('no certificate');
  return ders.map(parseCert);
}

function downloadProblem(e: unknown, timeoutMs: number): string {
  if (isAppError(e, pkiTimeout.code)) return `không trả lời trong ${String(timeoutMs / 1000).replace('.', ',')} giây`;
  if (isAppError(e, pkiResponseTooLarge.code)) return `tệp lớn hơn ${AIA_MAX_BYTES >> 20} MiB`;
  const status = isAppError(e, pkiUnreachable.code) ? (e.details as { status?: number } | undefined)?.status : undefined;
  if (status) return `máy chủ trả lời HTTP ${status}`;
  return 'không kết nối được';
}

/** Why a certificate from the issuer's address cannot be `cert`'s issuer, or undefined when it is (a CA whose key verifies `cert`'s signature). */
function rejection(candidate: CertInfo, cert: CertInfo): string | undefined {
  const name = `"${candidate.subjectAttr('CN') ?? candidate.subject}"`;
  if (candidate.subjectDer !== cert.issuerDer) return `${name} không phải đơn vị cấp của chứng thư`;
  if (!candidate.isCa || (candidate.keyUsage && !candidate.keyUsage.keyCertSign)) return `${name} không phải chứng thư CA`;
  if (!signs(candidate, cert)) return `khóa của ${name} không kiểm được chữ ký trên chứng thư`;
  return undefined;
}

/**
 * Downloads `cert`'s issuer from its AIA caIssuers addresses (http only, RFC 5280 §4.2.2.1; AIA_TIMEOUT_MS,
 * AIA_MAX_BYTES; kept in the verifier's cache by address, a failed download remembered there for
 * AIA_FAILURE_MEMORY_MS) and keeps only a CA whose key verifies `cert`. What a downloaded file holds is
 * judged again for each certificate (a CA's file after a key rollover serves some certificates, not others).
 * Never throws: each address that gave nothing usable is a problem.
 */
async function fetchIssuer(cert: CertInfo, options: ChainOptions): Promise<{ issuer?: CertInfo; url?: string; problems: AddressProblem[] }> {
  const problems: AddressProblem[] = [];
  for (const url of cert.caIssuerUrls.slice(0, AIA_URLS_PER_CERT)) {
    if (!/^http:\/\//i.test(url)) { problems.push({ url, problem: 'chỉ tải chứng thư CA qua http' }); continue; }
    const key = `aia|${url}`;
    const earlier = options.cache.recentFailure(key);
    if (earlier) {
      const { hour, minute } = vietnamParts(earlier.until);
      problems.push({ url, problem: `${earlier.reason} (lần tải trước lỗi, thử lại sau ${hour}:${minute})` });
      continue;
    }
    const timeoutMs = Math.min(options.timeoutMs ?? AIA_TIMEOUT_MS, AIA_TIMEOUT_MS);
    let bytes: Uint8Array;
    try {
      bytes = await options.cache.getOrLoadBytes(key,
        () => httpBytes(url, undefined, undefined, { timeoutMs, fetch: options.fetch, maxBytes: AIA_MAX_BYTES }), () => undefined);
    } catch (e) {
      const reason = downloadProblem(e, timeoutMs);
      options.cache.rememberFailure(key, reason, AIA_FAILURE_MEMORY_MS);
      problems.push({ url, problem: reason });
      continue;
    }
    let found: CertInfo[];
    try {
      found = certsOfIssuerFile(bytes);
    } catch {
      problems.push({ url, problem: 'không đọc được chứng thư trong tệp' });
      continue;
    }
    const reasons = found.map((c) => rejection(c, cert));
    const at = reasons.indexOf(undefined);
    const issuer = found[at];
    if (issuer) return { issuer, url, problems };
    problems.push({ url, problem: reasons.join('; ') });
  }
  return { problems };
}

/**
 * Builds a certification path from `leaf` to a trust anchor using the pool, the store and (online, for
 * AIA_MAX_HOPS certificates at most) the issuers' AIA caIssuers addresses. Verifies each certificate's
 * signature by its issuer. Never throws.
 */
export async function buildChain(leaf: CertInfo, options: ChainOptions): Promise<ChainResult> {
  const path: CertInfo[] = [leaf];
  const fetched: CertInfo[] = [];
  const fetchedFrom = new Map<string, string>();
  const end = (trusted: boolean, reason?: ChainResult['reason'], problems: AddressProblem[] = []): ChainResult => ({ path, trusted, fetched, fetchedFrom, reason, problems });
  let cur = leaf;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (options.store.anchors.has(cur.id)) return end(true);
    if (cur.selfSigned) return end(false, 'untrusted-root');
    const local = [...options.pool, ...(options.store.bySubject.get(cur.issuerDer) ?? []), ...fetched];
    let issuer = local.find((c) => c.id !== cur.id && issues(c, cur));
    if (!issuer && !options.offline && fetchedFrom.size < AIA_MAX_HOPS) {
      const got = await fetchIssuer(cur, options);
      if (!got.issuer || !got.url) return end(false, 'issuer-not-found', got.problems);
      issuer = got.issuer;
      fetched.push(issuer);
      fetchedFrom.set(issuer.id, got.url);
    }
    if (!issuer) return end(false, 'issuer-not-found', untried(cur, options.offline ? 'không tải: đang kiểm tra ngoại tuyến' : `không tải: chuỗi này đã tải ${AIA_MAX_HOPS} chứng thư CA`));
    if (path.some((c) => c.id === issuer.id)) return end(false, 'loop');
    path.push(issuer);
    cur = issuer;
  }
  return end(false, 'too-long');
}

/** The issuer addresses of `cert` the chain did not ask (offline, or too many fetched already), each with why. */
const untried = (cert: CertInfo, why: string): AddressProblem[] => cert.caIssuerUrls.slice(0, AIA_URLS_PER_CERT).map((url) => ({ url, problem: why }));

/**
 * What an administrator would add to the trust store for an untrusted path: the untrusted root at its end, or
 * the issuer of its last certificate that was not found (with the addresses tried). Undefined when the path is
 * trusted or stops for another reason (a loop, too long).
 */
export function missingIssuerOf(chain: ChainResult): TMissingIssuer | undefined {
  const last = chain.path.at(-1);
  if (chain.trusted || !last) return undefined;
  if (chain.reason === 'untrusted-root') {
    return { reason: 'untrusted-root', name: last.subject, commonName: last.subjectAttr('CN'), organisation: last.subjectAttr('O'), sha256: last.id, caIssuers: [] };
  }
  if (chain.reason !== 'issuer-not-found') return undefined;
  return { reason: 'issuer-not-found', name: last.issuer, commonName: last.issuerAttr('CN'), organisation: last.issuerAttr('O'), caIssuers: chain.problems };
}

/** Why no trusted path was found (Vietnamese): an untrusted root, or the issuer missing (and what its addresses gave, when asked). */
export function chainFailure(chain: ChainResult): string {
  const last = chain.path.at(-1);
  if (chain.reason === 'untrusted-root') return `Chứng thư gốc "${last?.subject ?? ''}" không nằm trong danh sách tin cậy`;
  const base = 'Không xây dựng được chuỗi chứng thư đến chứng thư gốc tin cậy';
  if (chain.reason !== 'issuer-not-found' || !last) return base;
  const asked = chain.problems.length ? `; không tải được từ địa chỉ của đơn vị cấp (${chain.problems.map((p) => `${p.url}: ${p.problem}`).join('; ')})` : '';
  return `${base}: không tìm thấy chứng thư của đơn vị cấp "${last.issuer}"${asked}`;
}

/** The CA certificates of the path that were fetched from their issuer's address (AIA caIssuers), for the report. */
export const fetchedNotes = (chain: ChainResult): string[] => chain.path.flatMap((c) => {
  const url = chain.fetchedFrom.get(c.id);
  return url ? [`chứng thư CA "${c.subjectAttr('CN') ?? c.subject}" được tải từ địa chỉ của đơn vị cấp (${url})`] : [];
});

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
