/**
 * Timestamps for the engine: the `TimestampProvider` type (B-T, B-LTA), a provider over HTTP built on
 * the verification helper's RFC 3161 client, and the certificates inside a token (for the DSS).
 */
import * as pkijs from 'pkijs';
import { requestTimestamp } from './pki/tsa.ts';
import type { FetchLike } from './pki/pki.http.ts';
import type { HashAlgorithm } from './keys.ts';
import { tsaFailed } from './signing.errors.ts';

/** Returns a timestamp token (DER) for a message imprint. */
export type TimestampProvider = (imprint: Uint8Array, hash: HashAlgorithm) => Promise<Uint8Array>;

/**
 * A provider that asks the TSA at `url` through the verification helper's RFC 3161 client
 * (`pki/tsa.ts`: nonce and imprint checked), through `fetch` when given. Any failure becomes
 * `signing.tsa_failed` (cause kept).
 */
export function timestampFromUrl(url: string, timeoutMs = 20_000, fetch?: FetchLike): TimestampProvider {
  return async (imprint, hash) => {
    try {
      return (await requestTimestamp({ url, digest: imprint, hashAlgorithm: hash, timeoutMs, fetch })).token;
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw tsaFailed({ url, code }, { cause: error });
    }
  };
}

/** The certificates carried in a timestamp token (to put in the DSS). */
export function timestampCertificates(token: Uint8Array): Uint8Array[] {
  const info = pkijs.ContentInfo.fromBER(new Uint8Array(token));
  const signed = new pkijs.SignedData({ schema: info.content });
  return (signed.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate).map((c) => new Uint8Array(c.toSchema().toBER(false)));
}
