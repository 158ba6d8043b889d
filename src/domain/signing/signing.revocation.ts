/**
 * Fetches revocation data for a certificate chain for the DSS (PAdES B-LT): an OCSP response from
 * the certificate's AIA responder when it has one, else the CRLs named in its CRL distribution
 * points. Written here because the verification helper's `pki/revocation.ts` was not available
 * when the engine needed it; it is a plain RevocationProvider, so either can be plugged in.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { RevocationProvider } from './signing.ltv.ts';
import { revocationFailed } from './signing.errors.ts';

const AIA = '1.3.6.1.5.5.7.1.1';
const OCSP_METHOD = '1.3.6.1.5.5.7.48.1';
const CRL_DP = '2.5.29.31';

/** A RevocationProvider over HTTP. Throws `signing.revocation_failed` when a certificate has no reachable source. */
export function revocationOverHttp(timeoutMs = 15_000): RevocationProvider {
  return async (chain) => {
    const certs = chain.map((c) => pkijs.Certificate.fromBER(Uint8Array.from(c)));
    const ocsps: Uint8Array[] = [];
    const crls: Uint8Array[] = [];
    for (const cert of certs) {
      if (isSelfSigned(cert)) continue;
      const issuer = certs.find((c) => c.subject.isEqual(cert.issuer));
      const ocsp = issuer ? await tryOcsp(cert, issuer, timeoutMs) : undefined;
      if (ocsp) {
        ocsps.push(ocsp);
        continue;
      }
      const fetched = await fetchCrls(cert, timeoutMs);
      if (fetched.length === 0) throw revocationFailed({ subject: cert.subject.typesAndValues.map((t) => t.value.valueBlock.value).join(', ') });
      crls.push(...fetched);
    }
    return { ocsps, crls: [...new Map(crls.map((c) => [Buffer.from(c).toString('base64'), c])).values()] };
  };
}

function isSelfSigned(cert: pkijs.Certificate): boolean {
  return cert.subject.isEqual(cert.issuer);
}

function urisOf(cert: pkijs.Certificate, oid: string): string[] {
  const ext = cert.extensions?.find((e) => e.extnID === oid);
  if (!ext) return [];
  if (oid === AIA) {
    const aia = ext.parsedValue as pkijs.InfoAccess;
    return aia.accessDescriptions.filter((d) => d.accessMethod === OCSP_METHOD).map((d) => String(d.accessLocation.value));
  }
  const dps = ext.parsedValue as pkijs.CRLDistributionPoints;
  return dps.distributionPoints.flatMap((dp) => (Array.isArray(dp.distributionPoint) ? dp.distributionPoint : []))
    .filter((n) => n.type === 6).map((n) => String(n.value));
}

async function tryOcsp(cert: pkijs.Certificate, issuer: pkijs.Certificate, timeoutMs: number): Promise<Uint8Array | undefined> {
  for (const url of urisOf(cert, AIA)) {
    try {
      const request = new pkijs.OCSPRequest();
      await request.createForCertificate(cert, { hashAlgorithm: 'SHA-1', issuerCertificate: issuer });
      const response = await fetch(url, {
        method: 'POST', headers: { 'content-type': 'application/ocsp-request' },
        body: new Uint8Array(request.toSchema(true).toBER(false)), signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) continue;
      const body = new Uint8Array(await response.arrayBuffer());
      const parsed = pkijs.OCSPResponse.fromBER(body);
      if (parsed.responseStatus.valueBlock.valueDec === 0) return body;
    } catch {
      // try the next responder, then CRLs
    }
  }
  return undefined;
}

async function fetchCrls(cert: pkijs.Certificate, timeoutMs: number): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const url of urisOf(cert, CRL_DP)) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) continue;
      const body = new Uint8Array(await response.arrayBuffer());
      if (asn1js.fromBER(Uint8Array.from(body).buffer).offset !== -1) out.push(body);
    } catch {
      // an unreachable distribution point: try the next one
    }
  }
  return out;
}
