import { isAppError } from '../../../platform/errors.ts';
import { bytesEqual, digest, toHex, verifySignature } from './pki.algorithms.ts';
import { parseCert, type CertInfo } from './pki.cert.ts';
import { algIdOf, bitsOf, bytesOf, childrenOf, contentOf, expectTag, isContext, octetsOf, oidOf, rootOf, timeOf, tlv, type Tlv } from './pki.der.ts';
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

const OID_SHA1 = '1.3.14.3.2.26';
const OID_SHA256 = '2.16.840.1.101.3.4.2.1';
const OID_OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1';
const OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';
/** OCSPResponseStatus values (RFC 6960). */
const OCSP_SUCCESSFUL = 0;
const OCSP_TRY_LATER = 3;
/** CRLReason names (RFC 5280), as an OCSP revocationReason is reported. */
const CRL_REASONS = ['unspecified', 'keyCompromise', 'cACompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'certificateHold', undefined, 'removeFromCRL', 'privilegeWithdrawn', 'aACompromise'];
export const defaultRevocationCache = createRevocationCache();

/** DER of an OCSP request for `cert` issued by `issuer` (SHA-1 CertID, the form every responder knows). */
export function buildOcspRequest(cert: CertInfo, issuer: CertInfo): Uint8Array {
  const sha1 = tlv(0x30, Uint8Array.from([0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a]), Uint8Array.from([0x05, 0x00]));
  const certId = tlv(0x30, sha1,
    tlv(0x04, digest('sha1', Buffer.from(cert.issuerDer, 'hex'))),
    tlv(0x04, digest('sha1', issuer.publicKeyBits)),
    tlv(0x02, cert.serial));
  return tlv(0x30, tlv(0x30, tlv(0x30, tlv(0x30, certId))));
}

function integerOf(b: Uint8Array, t: Tlv | undefined): number {
  return contentOf(b, expectTag(t, 0x0a, 'ENUMERATED')).reduce((n, x) => n * 256 + x, 0);
}

function sameCertId(b: Uint8Array, certId: Tlv, cert: CertInfo, issuer: CertInfo): boolean {
  const [alg, nameHash, keyHash, serial] = childrenOf(b, certId);
  if (!alg || !nameHash || !keyHash || !serial) return false;
  if (!bytesEqual(contentOf(b, serial), cert.serial)) return false;
  const oid = algIdOf(b, alg).algorithm;
  const hash = oid === OID_SHA1 ? 'sha1' : oid === OID_SHA256 ? 'sha256' : undefined;
  if (!hash) return false;
  return bytesEqual(octetsOf(b, keyHash), digest(hash, issuer.publicKeyBits))
    && bytesEqual(octetsOf(b, nameHash), digest(hash, Buffer.from(cert.issuerDer, 'hex')));
}

type BasicOcsp = { b: Uint8Array; tbs: Tlv; sigAlg: Tlv; signature: Tlv; certs: Uint8Array[] };

function findOcspSigner(basic: BasicOcsp, issuer: CertInfo): { signer: CertInfo; certs: Uint8Array[] } {
  const { b, certs } = basic;
  const tbs = bytesOf(b, basic.tbs);
  const sigAlg = algIdOf(b, basic.sigAlg);
  const signature = bitsOf(b, basic.signature);
  const candidates = [issuer, ...certs.map((d) => parseCert(d))];
  for (const cand of candidates) {
    const check = verifySignature(tbs, signature, cand.x509.publicKey, sigAlg);
    if (!check.ok) continue;
    if (cand.id === issuer.id) return { signer: cand, certs };
    // A delegated responder must be issued by the CA itself and carry id-kp-OCSPSigning (RFC 6960 §4.2.2.2).
    if (cand.issuerDer === issuer.subjectDer && cand.ekus.includes(OCSP_SIGNING) && cand.x509.verify(issuer.x509.publicKey)) {
      return { signer: cand, certs };
    }
  }
  throw pkiOcspBadResponse({ reason: 'signature not made by the issuer or an authorised responder' });
}

/** Reads OCSPResponse → BasicOCSPResponse. Throws pki.ocsp_try_later, pki.ocsp_bad_response, or a plain Error when malformed. */
function parseBasicOcsp(der: Uint8Array): BasicOcsp {
  const [statusT, bytesT] = childrenOf(der, expectTag(rootOf(der), 0x30, 'OCSPResponse'));
  const status = integerOf(der, statusT);
  if (status === OCSP_TRY_LATER) throw pkiOcspTryLater();
  if (status !== OCSP_SUCCESSFUL || !bytesT || bytesT.tag !== 0xa0) throw pkiOcspBadResponse({ status });
  const [typeT, responseT] = childrenOf(der, expectTag(childrenOf(der, bytesT)[0], 0x30, 'ResponseBytes'));
  if (!typeT || oidOf(der, typeT) !== OID_OCSP_BASIC) throw pkiOcspBadResponse({ reason: 'not a basic response' });
  const b = octetsOf(der, expectTag(responseT, 0x04, 'response'));
  const [tbs, sigAlg, signature, certsT] = childrenOf(b, expectTag(rootOf(b), 0x30, 'BasicOCSPResponse'));
  if (!tbs || !sigAlg || !signature) throw new Error('incomplete BasicOCSPResponse');
  const list = certsT && certsT.tag === 0xa0 ? childrenOf(b, certsT)[0] : undefined;
  const certs = list ? childrenOf(b, list).map((c) => bytesOf(b, c)) : [];
  return { b, tbs: expectTag(tbs, 0x30, 'ResponseData'), sigAlg, signature, certs };
}

/**
 * Checks an OCSPResponse DER for `cert`: response status, signature by the issuer or its delegated
 * responder, and the matching SingleResponse. Throws pki.ocsp_bad_response, pki.ocsp_try_later.
 */
export function checkOcspResponse(der: Uint8Array, cert: CertInfo, issuer: CertInfo): RevocationResult {
  let basic: BasicOcsp;
  try {
    basic = parseBasicOcsp(der);
  } catch (e) {
    if (isAppError(e)) throw e;
    throw pkiOcspBadResponse({ reason: 'malformed' }, { cause: e });
  }
  const { certs } = findOcspSigner(basic, issuer);
  try {
    const { b } = basic;
    const fields = childrenOf(b, basic.tbs);
    const rest = isContext(fields[0], 0) ? fields.slice(1) : fields;
    const [, producedAtT, responsesT] = rest;
    const producedAt = timeOf(b, expectTag(producedAtT, 0x18, 'producedAt'));
    const single = childrenOf(b, expectTag(responsesT, 0x30, 'responses'))
      .map((r) => childrenOf(b, r))
      .find(([id]) => id !== undefined && sameCertId(b, id, cert, issuer));
    if (!single) throw pkiOcspBadResponse({ reason: 'no answer for this certificate' });
    const [, statusT, thisUpdateT, ...more] = single;
    if (!statusT) throw new Error('no certStatus');
    const nextT = more.find((x) => x.tag === 0xa0);
    const nextUpdate = nextT ? timeOf(b, expectTag(childrenOf(b, nextT)[0], 0x18, 'nextUpdate')) : undefined;
    const thisUpdate = timeOf(b, expectTag(thisUpdateT, 0x18, 'thisUpdate'));
    let revoked: { revokedAt: Date; reason?: string } | undefined;
    if (statusT.tag === 0xa1) {
      const [timeT, reasonT] = childrenOf(b, statusT);
      const code = reasonT && reasonT.tag === 0xa0 ? integerOf(b, childrenOf(b, reasonT)[0]) : undefined;
      revoked = { revokedAt: timeOf(b, expectTag(timeT, 0x18, 'revocationTime')), reason: code === undefined ? undefined : CRL_REASONS[code] ?? String(code) };
    }
    const status: RevocationStatus = revoked ? 'revoked' : statusT.tag === 0x80 ? 'good' : 'unknown';
    return { source: 'ocsp', status, der, certs, ...revoked, thisUpdate, nextUpdate, producedAt };
  } catch (e) {
    if (isAppError(e)) throw e;
    throw pkiOcspBadResponse({ reason: 'malformed' }, { cause: e });
  }
}

type Crl = { tbs: Tlv; fields: Tlv[]; issuer: Tlv; thisUpdate: Date; nextUpdate?: Date; sigAlg: Tlv; signature: Tlv };

/** Reads a CertificateList (throws a plain Error when malformed). */
function parseCrl(der: Uint8Array): Crl {
  const [tbs, sigAlg, signature] = childrenOf(der, expectTag(rootOf(der), 0x30, 'CertificateList'));
  if (!sigAlg || !signature) throw new Error('incomplete CertificateList');
  const all = childrenOf(der, expectTag(tbs, 0x30, 'TBSCertList'));
  const fields = all[0]?.tag === 0x02 ? all.slice(1) : all;
  const [, issuer, thisT, maybeNext] = fields;
  const hasNext = maybeNext?.tag === 0x17 || maybeNext?.tag === 0x18;
  return {
    tbs: tbs as Tlv, fields: fields.slice(hasNext ? 4 : 3), issuer: expectTag(issuer, 0x30, 'issuer'),
    thisUpdate: timeOf(der, thisT as Tlv), nextUpdate: hasNext ? timeOf(der, maybeNext) : undefined, sigAlg, signature,
  };
}

/**
 * Checks a CRL DER for `cert`: issuer name, signature by `issuer`, and whether the serial is listed.
 * Throws pki.crl_bad when the CRL is malformed, from another issuer, or its signature fails.
 */
export function checkCrl(der: Uint8Array, cert: CertInfo, issuer: CertInfo): RevocationResult {
  let crl: Crl;
  try {
    crl = parseCrl(der);
  } catch (e) {
    throw pkiCrlBad({ reason: 'malformed' }, { cause: e });
  }
  if (toHex(bytesOf(der, crl.issuer)) !== issuer.subjectDer) throw pkiCrlBad({ reason: 'issuer mismatch' });
  let signatureOk = false;
  try {
    signatureOk = verifySignature(bytesOf(der, crl.tbs), bitsOf(der, crl.signature), issuer.x509.publicKey, algIdOf(der, crl.sigAlg)).ok;
  } catch { /* malformed algorithm or signature: not verified */ }
  if (!signatureOk) throw pkiCrlBad({ reason: 'signature' });
  let entry: { revokedAt: Date; reason?: string } | undefined;
  try {
    const list = crl.fields[0]?.tag === 0x30 ? crl.fields[0] : undefined;
    for (const r of list ? childrenOf(der, list) : []) {
      const [serialT, dateT, extsT] = childrenOf(der, r);
      if (!serialT || !bytesEqual(contentOf(der, serialT), cert.serial)) continue;
      const reasonExt = (extsT ? childrenOf(der, extsT) : []).map((x) => childrenOf(der, x)).find(([oid]) => oid !== undefined && oidOf(der, oid) === '2.5.29.21');
      const value = reasonExt?.at(-1);
      const inner = value ? octetsOf(der, value) : undefined;
      const code = inner ? integerOf(inner, rootOf(inner)) : undefined;
      entry = { revokedAt: timeOf(der, dateT as Tlv), reason: code === undefined ? undefined : String(code) };
      break;
    }
  } catch (e) {
    throw pkiCrlBad({ reason: 'malformed' }, { cause: e });
  }
  return {
    source: 'crl', status: entry ? 'revoked' : 'good', der, certs: [], ...entry,
    thisUpdate: crl.thisUpdate, nextUpdate: crl.nextUpdate, producedAt: crl.thisUpdate,
  };
}

/** Fetches and checks an OCSP response for `cert` (cached until its nextUpdate). Throws like checkOcspResponse plus pki.unreachable/timeout/no_url. */
export async function fetchOcsp(cert: CertInfo, issuer: CertInfo, options: RevocationFetchOptions & { url?: string } = {}): Promise<RevocationResult> {
  const url = options.url ?? cert.ocspUrls[0];
  if (!url) throw pkiNoUrl({ kind: 'ocsp', subject: cert.subject });
  const cache = options.cache ?? defaultRevocationCache;
  // The checked answer is cached (as before), over the raw response, which the cache may also keep on
  // disk for later processes, until its nextUpdate. A response that does not check out (bad
  // signature, tryLater, unknown) expires at once. Each response is checked once per process.
  return cache.getOrLoad(`ocsp|${url}|${cert.id}`, async () => {
    let checked: { der: Uint8Array; result: RevocationResult } | undefined;
    const check = (der: Uint8Array) => (checked?.der === der ? checked.result : (checked = { der, result: { ...checkOcspResponse(der, cert, issuer), url } }).result);
    const usableUntil = (der: Uint8Array) => {
      try { const r = check(der); return r.status === 'unknown' ? new Date(0) : r.nextUpdate; } catch { return new Date(0); }
    };
    const der = await cache.getOrLoadBytes(`ocsp-der|${url}|${cert.id}`,
      () => httpBytes(url, buildOcspRequest(cert, issuer), 'application/ocsp-request', { timeoutMs: options.timeoutMs ?? 10_000, fetch: options.fetch, maxBytes: 1 << 20 }),
      usableUntil);
    return check(der);
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
    (bytes) => { try { return parseCrl(bytes).nextUpdate; } catch { return undefined; } });
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
