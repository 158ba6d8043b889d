import { openPdf } from '../signing/pdf/reader.ts';
import { listRevisions, listSignatures } from '../signing/pdf/structure.ts';
import { checkTimestampToken, parseCms } from '../signing/verify/verify.cms.ts';

/** RSA keys shorter than this are no longer trusted to protect a timestamp for years (ETSI TS 119 312). */
export const MIN_RSA_BITS = 2048;

/**
 * The RSA modulus length of every TSA certificate in the file's timestamps (document timestamps and
 * signature timestamps), keyed by the certificate's SHA-256 (the report's `tsa.sha256`). Non-RSA keys
 * are not listed. An unreadable token is skipped: the verifier reports it.
 */
export function tsaRsaKeyBits(bytes: Uint8Array): Map<string, number> {
  const bits = new Map<string, number>();
  const doc = openPdf(bytes);
  const add = (token: Uint8Array) => {
    const tsa = checkTimestampToken(token, []).tsa;
    const length = tsa?.x509.publicKey.asymmetricKeyDetails?.modulusLength;
    if (tsa && length && tsa.x509.publicKey.asymmetricKeyType === 'rsa') bits.set(tsa.id, length);
  };
  for (const sig of listSignatures(doc, listRevisions(doc))) {
    try {
      if (sig.subFilter === 'ETSI.RFC3161') add(sig.contents);
      else for (const token of parseCms(sig.contents).timestampTokens) add(token);
    } catch {
      // a malformed CMS is the verifier's finding, not this helper's
    }
  }
  return bits;
}
