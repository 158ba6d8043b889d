/**
 * A minimal RFC 3161 client: sends a TimeStampReq (with nonce, certReq) over HTTP POST and returns
 * the TimeStampToken (a CMS ContentInfo, DER). Written here because the verification helper's
 * `pki/tsa.ts` was not available when the engine needed it.
 */
import { randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { hashOid } from './signing.cms.ts';
import type { HashAlgorithm } from './keys.ts';
import { tsaFailed } from './signing.errors.ts';

/** Returns a timestamp token (DER) for a message imprint. */
export type TimestampProvider = (imprint: Uint8Array, hash: HashAlgorithm) => Promise<Uint8Array>;

/** A provider that asks the TSA at `url`. Errors: `signing.tsa_failed` (network, HTTP, status, garbage, timeout). */
export function timestampFromUrl(url: string, timeoutMs = 20_000): TimestampProvider {
  return async (imprint, hash) => {
    const request = new pkijs.TimeStampReq({
      version: 1,
      messageImprint: new pkijs.MessageImprint({
        hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: hashOid(hash) }),
        hashedMessage: new asn1js.OctetString({ valueHex: Uint8Array.from(imprint).buffer }),
      }),
      nonce: new asn1js.Integer({ valueHex: Uint8Array.from([0x01, ...randomBytes(8)]).buffer }),
      certReq: true,
    });
    let body: ArrayBuffer;
    try {
      const response = await fetch(url, {
        method: 'POST', headers: { 'content-type': 'application/timestamp-query' },
        body: new Uint8Array(request.toSchema().toBER(false)), signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      body = await response.arrayBuffer();
    } catch (error) {
      throw tsaFailed({ url }, { cause: error });
    }
    return parseResponse(body, url);
  };
}

function parseResponse(body: ArrayBuffer, url: string): Uint8Array {
  let resp: pkijs.TimeStampResp;
  try {
    resp = pkijs.TimeStampResp.fromBER(body);
  } catch (error) {
    throw tsaFailed({ url, reason: 'unreadable response' }, { cause: error });
  }
  const status = resp.status.status;
  if ((status !== 0 && status !== 1) || !resp.timeStampToken) throw tsaFailed({ url, status });
  return new Uint8Array(resp.timeStampToken.toSchema().toBER(false));
}

/** The certificates carried in a timestamp token (to put in the DSS). */
export function timestampCertificates(token: Uint8Array): Uint8Array[] {
  const info = pkijs.ContentInfo.fromBER(Uint8Array.from(token).buffer);
  const signed = new pkijs.SignedData({ schema: info.content });
  return (signed.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate).map((c) => new Uint8Array(c.toSchema().toBER(false)));
}
