import type { CertInfo } from '../pki/pki.cert.ts';
import { checkCrl, checkOcspResponse, fetchRevocation, type RevocationResult } from '../pki/revocation.ts';
import type { FetchLike } from '../pki/pki.http.ts';
import type { RevocationCache } from '../pki/revocation.cache.ts';

export type RevocationSources = { ocsps: Uint8Array[]; crls: Uint8Array[] };
export type RevocationEnv = { offline: boolean; fetch?: FetchLike; cache: RevocationCache; timeoutMs?: number };

export type CertRevocation = { cert: CertInfo; result?: RevocationResult; embedded: boolean; error?: string };

function fromEmbedded(cert: CertInfo, issuer: CertInfo, src: RevocationSources): RevocationResult | undefined {
  let best: RevocationResult | undefined;
  const consider = (r: RevocationResult) => {
    if (r.status === 'revoked') { best = r; return; }
    if (best?.status === 'revoked') return;
    if (r.status === 'good' && (!best || r.producedAt > best.producedAt)) best = r;
  };
  for (const der of src.ocsps) { try { consider(checkOcspResponse(der, cert, issuer)); } catch { /* not for this cert */ } }
  for (const der of src.crls) { try { consider(checkCrl(der, cert, issuer)); } catch { /* not for this issuer */ } }
  return best;
}

/**
 * Revocation status of every certificate of a path (anchor and OCSP-no-check certificates skipped):
 * embedded data (CMS, DSS) first, then online OCSP/CRL unless offline. The online requests of the
 * path's certificates run concurrently (the signer's OCSP and its CA's CRL overlap). Never throws.
 */
export async function pathRevocation(path: CertInfo[], trusted: boolean, src: RevocationSources, env: RevocationEnv): Promise<CertRevocation[]> {
  const last = trusted ? path.length - 1 : path.length;
  const checks: Promise<CertRevocation>[] = [];
  for (let i = 0; i < last; i++) {
    const cert = path[i];
    const issuer = path[i + 1];
    if (cert && issuer && !cert.ocspNoCheck) checks.push(certRevocation(cert, issuer, src, env));
  }
  return Promise.all(checks);
}

async function certRevocation(cert: CertInfo, issuer: CertInfo, src: RevocationSources, env: RevocationEnv): Promise<CertRevocation> {
  const embedded = fromEmbedded(cert, issuer, src);
  if (embedded) return { cert, result: embedded, embedded: true };
  if (env.offline) return { cert, embedded: false, error: 'offline' };
  try {
    return { cert, result: await fetchRevocation(cert, issuer, { fetch: env.fetch, cache: env.cache, timeoutMs: env.timeoutMs }), embedded: false };
  } catch (e) {
    return { cert, embedded: false, error: e instanceof Error ? e.message : String(e) };
  }
}
