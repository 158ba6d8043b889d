/**
 * Revocation data for the DSS (PAdES B-LT): for each certificate of the chain (self-signed roots
 * skipped) the verification helper's `fetchRevocation` (`pki/revocation.ts`: OCSP from the AIA
 * first, then the CRL distribution points) — the raw OCSP responses / CRLs and any responder
 * certificates are returned for embedding.
 */
import { fetchRevocation, parseCert } from './pki/revocation.ts';
import type { RevocationProvider } from './signing.ltv.ts';
import { revocationFailed } from './signing.errors.ts';

/** A RevocationProvider over HTTP. Throws `signing.revocation_failed` when a certificate has no reachable source. */
export function revocationOverHttp(timeoutMs = 15_000): RevocationProvider {
  return async (chain) => {
    const certs = chain.map((der) => parseCert(der));
    const ocsps: Uint8Array[] = [];
    const crls: Uint8Array[] = [];
    const extra: Uint8Array[] = [];
    const seen = new Set<string>();
    for (const cert of certs) {
      if (seen.has(cert.id) || cert.x509.issuer === cert.x509.subject) continue;
      seen.add(cert.id);
      const issuer = certs.find((c) => c.x509.subject === cert.x509.issuer && cert.x509.checkIssued(c.x509));
      if (!issuer) continue;
      try {
        const result = await fetchRevocation(cert, issuer, { timeoutMs });
        (result.source === 'ocsp' ? ocsps : crls).push(result.der);
        extra.push(...result.certs);
      } catch (error) {
        throw revocationFailed({ subject: cert.x509.subject, code: (error as { code?: string }).code }, { cause: error });
      }
    }
    return { ocsps, crls, certs: extra };
  };
}
