import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  BasicOCSPResponse, CertID, OCSPRequest, OCSPResponse, OCSPResponseStatus, Request, TBSRequest, id_pkix_ocsp_basic,
} from '@peculiar/asn1-ocsp';
import { AlgorithmIdentifier, CertificateList, CRLReason } from '@peculiar/asn1-x509';
import { isAppError } from '../../../platform/errors.ts';
import { bytesEqual, digest, toHex, verifySignature } from './pki.algorithms.ts';
import { parseCert, type CertInfo } from './pki.cert.ts';
import { pkiCrlBad, pkiNoUrl, pkiOcspBadResponse, pkiOcspTryLater } from './pki.errors.ts';
import { httpBytes, type FetchLike } from './pki.http.ts';
import { createRevocationCache, type RevocationCache } from './revocation.cache.ts';

export { createRevocationCache, type RevocationCache } from './revocation.cache.ts';

export type RevocationStatus = 'good' | 'revoked' | 'unknown';

export type RevocationResult = {
  source: 'ocsp' | 'crl';
  status: RevocationStatus;
  revokedAt?: Date;
  reason?: string;
  thisUpdate: Date;
  nextUpdate?: Date;
  /** OCSP producedAt, or the CRL's thisUpdate. */
  producedAt: Date;
  /** The raw OCSPResponse or CRL DER, for embedding into a DSS. */
  der: Uint8Array;
  /** Certificates needed to validate the response (delegated OCSP responder), DER. */
  certs: Uint8Array[];
  url?: string;
};

export type RevocationFetchOptions = { timeoutMs?: number; fetch?: FetchLike; cache?: RevocationCache };

const SHA1 = new AlgorithmIdentifier({ algorithm: '1.3.14.3.2.26', parameters: null });
const OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';
export const defaultRevocationCache = createRevocationCache();

function certIdFor(cert: CertInfo, issuer: CertInfo): CertID {
  const spk = new Uint8Array(issuer.asn.tbsCertificate.subjectPublicKeyInfo.subjectPublicKey);
  return new CertID({
    hashAlgorithm: SHA1,
    issuerNameHash: new OctetString(digest('sha1', Buffer.from(cert.issuerDer, 'hex'))),
    issuerKeyHash: new OctetString(digest('sha1', spk)),
    serialNumber: cert.asn.tbsCertificate.serialNumber,
  });
}

/** DER of an OCSP request for `cert` issued by `issuer` (SHA-1 CertID, the form every responder knows). */
export function buildOcspRequest(cert: CertInfo, issuer: CertInfo): Uint8Array {
  const req = new OCSPRequest({ tbsRequest: new TBSRequest({ requestList: [new Request({ reqCert: certIdFor(cert, issuer) })] }) });
  return new Uint8Array(AsnConvert.serialize(req));
}

function sameCertId(a: CertID, cert: CertInfo, issuer: CertInfo): boolean {
  if (!bytesEqual(new Uint8Array(a.serialNumber), new Uint8Array(cert.asn.tbsCertificate.serialNumber))) return false;
  const hash = a.hashAlgorithm.algorithm === SHA1.algorithm ? 'sha1' : a.hashAlgorithm.algorithm === '2.16.840.1.101.3.4.2.1' ? 'sha256' : undefined;
  if (!hash) return false;
  const spk = new Uint8Array(issuer.asn.tbsCertificate.subjectPublicKeyInfo.subjectPublicKey);
  return bytesEqual(new Uint8Array(a.issuerKeyHash.buffer), digest(hash, spk))
    && bytesEqual(new Uint8Array(a.issuerNameHash.buffer), digest(hash, Buffer.from(cert.issuerDer, 'hex')));
}

function findOcspSigner(basic: BasicOCSPResponse, issuer: CertInfo): { signer: CertInfo; certs: Uint8Array[] } {
  const certs = (basic.certs ?? []).map((c) => new Uint8Array(AsnConvert.serialize(c)));
  const tbs = new Uint8Array(basic.tbsResponseDataRaw ?? AsnConvert.serialize(basic.tbsResponseData));
  const candidates = [issuer, ...certs.map((d) => parseCert(d))];
  for (const cand of candidates) {
    const check = verifySignature(tbs, new Uint8Array(basic.signature), cand.x509.publicKey, basic.signatureAlgorithm);
    if (!check.ok) continue;
    if (cand.id === issuer.id) return { signer: cand, certs };
    // A delegated responder must be issued by the CA itself and carry id-kp-OCSPSigning (RFC 6960 §4.2.2.2).
    if (cand.issuerDer === issuer.subjectDer && cand.ekus.includes(OCSP_SIGNING) && cand.x509.verify(issuer.x509.publicKey)) {
      return { signer: cand, certs };
    }
  }
  throw pkiOcspBadResponse({ reason: 'signature not made by the issuer or an authorised responder' });
}

/**
 * Checks an OCSPResponse DER for `cert`: response status, signature by the issuer or its delegated
 * responder, and the matching SingleResponse. Throws pki.ocsp_bad_response, pki.ocsp_try_later.
 */
export function checkOcspResponse(der: Uint8Array, cert: CertInfo, issuer: CertInfo): RevocationResult {
  let resp: OCSPResponse;
  let basic: BasicOCSPResponse;
  try {
    resp = AsnConvert.parse(der, OCSPResponse);
    if (resp.responseStatus === OCSPResponseStatus.tryLater) throw pkiOcspTryLater();
    if (resp.responseStatus !== OCSPResponseStatus.successful || !resp.responseBytes) throw pkiOcspBadResponse({ status: resp.responseStatus });
    if (resp.responseBytes.responseType !== id_pkix_ocsp_basic) throw pkiOcspBadResponse({ reason: 'not a basic response' });
    basic = AsnConvert.parse(resp.responseBytes.response.buffer, BasicOCSPResponse);
  } catch (e) {
    if (isAppError(e)) throw e;
    throw pkiOcspBadResponse({ reason: 'malformed' }, { cause: e });
  }
  const { certs } = findOcspSigner(basic, issuer);
  const data = basic.tbsResponseData;
  const single = data.responses.find((r) => sameCertId(r.certID, cert, issuer));
  if (!single) throw pkiOcspBadResponse({ reason: 'no answer for this certificate' });
  const st = single.certStatus;
  const status: RevocationStatus = st.revoked ? 'revoked' : st.good !== undefined ? 'good' : 'unknown';
  return {
    source: 'ocsp', status, der, certs,
    ...(st.revoked ? { revokedAt: st.revoked.revocationTime, reason: st.revoked.revocationReason !== undefined ? String(st.revoked.revocationReason) : undefined } : {}),
    thisUpdate: single.thisUpdate, nextUpdate: single.nextUpdate, producedAt: data.producedAt,
  };
}

/**
 * Checks a CRL DER for `cert`: issuer name, signature by `issuer`, and whether the serial is listed.
 * Throws pki.crl_bad when the CRL is malformed, from another issuer, or its signature fails.
 */
export function checkCrl(der: Uint8Array, cert: CertInfo, issuer: CertInfo): RevocationResult {
  let crl: CertificateList;
  try {
    crl = AsnConvert.parse(der, CertificateList);
  } catch (e) {
    throw pkiCrlBad({ reason: 'malformed' }, { cause: e });
  }
  const tbs = crl.tbsCertList;
  if (toHex(AsnConvert.serialize(tbs.issuer)) !== issuer.subjectDer) throw pkiCrlBad({ reason: 'issuer mismatch' });
  const raw = new Uint8Array(crl.tbsCertListRaw ?? AsnConvert.serialize(tbs));
  if (!verifySignature(raw, new Uint8Array(crl.signature), issuer.x509.publicKey, crl.signatureAlgorithm).ok) {
    throw pkiCrlBad({ reason: 'signature' });
  }
  const serial = new Uint8Array(cert.asn.tbsCertificate.serialNumber);
  const entry = (tbs.revokedCertificates ?? []).find((r) => bytesEqual(new Uint8Array(r.userCertificate), serial));
  const reasonExt = entry?.crlEntryExtensions?.find((x) => x.extnID === '2.5.29.21');
  const reason = reasonExt ? String(AsnConvert.parse(reasonExt.extnValue, CRLReason).reason) : undefined;
  const thisUpdate = tbs.thisUpdate.getTime();
  return {
    source: 'crl', status: entry ? 'revoked' : 'good', der, certs: [],
    ...(entry ? { revokedAt: entry.revocationDate.getTime(), reason } : {}),
    thisUpdate, nextUpdate: tbs.nextUpdate?.getTime(), producedAt: thisUpdate,
  };
}

/** Fetches and checks an OCSP response for `cert` (cached until its nextUpdate). Throws like checkOcspResponse plus pki.unreachable/timeout/no_url. */
export async function fetchOcsp(cert: CertInfo, issuer: CertInfo, options: RevocationFetchOptions & { url?: string } = {}): Promise<RevocationResult> {
  const url = options.url ?? cert.ocspUrls[0];
  if (!url) throw pkiNoUrl({ kind: 'ocsp', subject: cert.subject });
  const cache = options.cache ?? defaultRevocationCache;
  const key = `ocsp|${url}|${cert.id}`;
  return cache.getOrLoad(key, async () => {
    const der = await httpBytes(url, buildOcspRequest(cert, issuer), 'application/ocsp-request', { timeoutMs: options.timeoutMs ?? 10_000, fetch: options.fetch, maxBytes: 1 << 20 });
    return { ...checkOcspResponse(der, cert, issuer), url };
  });
}

/** Fetches a CRL (cached by URL until its nextUpdate) and checks `cert` against it. Throws pki.crl_bad, pki.unreachable, pki.timeout, pki.no_url. */
export async function fetchCrl(cert: CertInfo, issuer: CertInfo, options: RevocationFetchOptions & { url?: string } = {}): Promise<RevocationResult> {
  const url = options.url ?? cert.crlUrls[0];
  if (!url) throw pkiNoUrl({ kind: 'crl', subject: cert.subject });
  const cache = options.cache ?? defaultRevocationCache;
  // The checked answer is cached too: re-verifying a large CRL's signature per certificate is wasted work.
  return cache.getOrLoad(`crl-status|${url}|${cert.id}|${issuer.id}`, () => loadCrlStatus(cert, issuer, url, cache, options));
}

async function loadCrlStatus(cert: CertInfo, issuer: CertInfo, url: string, cache: RevocationCache, options: RevocationFetchOptions): Promise<RevocationResult> {
  const der = await cache.getOrLoadBytes(`crl|${url}`, () => httpBytes(url, undefined, undefined, { timeoutMs: options.timeoutMs ?? 15_000, fetch: options.fetch, maxBytes: 64 << 20 }),
    (bytes) => { try { return AsnConvert.parse(bytes, CertificateList).tbsCertList.nextUpdate?.getTime(); } catch { return undefined; } });
  return { ...checkCrl(der, cert, issuer), url };
}

/**
 * Online revocation status of `cert`: OCSP first (each AIA URL), then each CRL distribution point.
 * Returns the first definitive answer; throws the last error when none could be obtained.
 */
export async function fetchRevocation(cert: CertInfo, issuer: CertInfo, options: RevocationFetchOptions = {}): Promise<RevocationResult> {
  let lastError: unknown = pkiNoUrl({ subject: cert.subject });
  for (const url of cert.ocspUrls) {
    try {
      const r = await fetchOcsp(cert, issuer, { ...options, url });
      if (r.status !== 'unknown') return r;
    } catch (e) { lastError = e; }
  }
  for (const url of cert.crlUrls) {
    try { return await fetchCrl(cert, issuer, { ...options, url }); } catch (e) { lastError = e; }
  }
  throw lastError;
}

export { parseCert };
