import { randomBytes } from 'node:crypto';
import { ContentInfo, SignedData } from '@peculiar/asn1-cms';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { MessageImprint, PKIStatus, TimeStampReq, TimeStampResp, TSTInfo } from '@peculiar/asn1-tsp';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { isAppError } from '../../../platform/errors.ts';
import { bytesEqual, OID_BY_HASH } from './pki.algorithms.ts';
import { pkiTsaBadResponse, pkiTsaImprintMismatch, pkiTsaRejected, pkiUnsupportedAlgorithm } from './pki.errors.ts';
import { httpBytes, type FetchLike } from './pki.http.ts';

export const OID_TST_INFO = '1.2.840.113549.1.9.16.1.4';
export const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';

export type TimestampRequest = {
  url: string;
  /** The digest to be timestamped (e.g. SHA-256 of the CMS signature value). */
  digest: Uint8Array;
  hashAlgorithm?: 'SHA-256' | 'SHA-384' | 'SHA-512';
  timeoutMs?: number;
  fetch?: FetchLike;
  /** Extra HTTP headers are not supported on purpose: RFC 3161 over HTTP needs none. */
  policy?: string;
};

export type TimestampToken = {
  /** DER of the TimeStampToken (a CMS ContentInfo with SignedData over TSTInfo). */
  token: Uint8Array;
  genTime: Date;
  serialHex: string;
  policy: string;
};

/** Parses the TSTInfo inside a TimeStampToken DER. Throws pki.tsa_bad_response when it is not one. */
export function parseTstInfo(token: Uint8Array): { tstInfo: TSTInfo; signedData: SignedData; eContent: Uint8Array } {
  try {
    const ci = AsnConvert.parse(token, ContentInfo);
    if (ci.contentType !== OID_SIGNED_DATA) throw new Error('not SignedData');
    const signedData = AsnConvert.parse(ci.content, SignedData);
    const enc = signedData.encapContentInfo;
    if (enc.eContentType !== OID_TST_INFO) throw new Error('not TSTInfo');
    const eContent = enc.eContent?.single?.buffer ?? enc.eContent?.any;
    if (!eContent) throw new Error('no eContent');
    const bytes = new Uint8Array(eContent);
    return { tstInfo: AsnConvert.parse(bytes, TSTInfo), signedData, eContent: bytes };
  } catch (e) {
    throw pkiTsaBadResponse({ reason: e instanceof Error ? e.message : String(e) }, { cause: e });
  }
}

function buildRequest(digestBytes: Uint8Array, hashOid: string, nonce: Uint8Array, policy?: string): Uint8Array {
  const req = new TimeStampReq({
    version: 1,
    messageImprint: new MessageImprint({
      hashAlgorithm: new AlgorithmIdentifier({ algorithm: hashOid, parameters: null }),
      hashedMessage: new OctetString(digestBytes),
    }),
    nonce: nonce.buffer.slice(nonce.byteOffset, nonce.byteOffset + nonce.byteLength) as ArrayBuffer,
    certReq: true,
    ...(policy ? { reqPolicy: policy } : {}),
  });
  return new Uint8Array(AsnConvert.serialize(req));
}

function parseResponse(der: Uint8Array): TimeStampResp {
  try {
    return AsnConvert.parse(der, TimeStampResp);
  } catch (e) {
    throw pkiTsaBadResponse({ reason: 'not a TimeStampResp' }, { cause: e });
  }
}

function sameInteger(a: ArrayBuffer | undefined, b: Uint8Array): boolean {
  if (!a) return false;
  const strip = (x: Uint8Array) => { let i = 0; while (i < x.length - 1 && x[i] === 0) i++; return x.subarray(i); };
  return bytesEqual(strip(new Uint8Array(a)), strip(b));
}

/**
 * Requests an RFC 3161 timestamp over `digest` from `url` and returns the token. Checks the PKI status,
 * that the token's imprint is our digest with our hash algorithm, and that our nonce came back. The
 * token's signature and the TSA chain are checked by the verifier, not here.
 * Throws pki.unreachable, pki.timeout, pki.response_too_large, pki.tsa_rejected, pki.tsa_bad_response,
 * pki.tsa_imprint_mismatch, pki.unsupported_algorithm.
 */
export async function requestTimestamp(req: TimestampRequest): Promise<TimestampToken> {
  const hashName = (req.hashAlgorithm ?? 'SHA-256').replace('-', '').toLowerCase();
  const hashOid = OID_BY_HASH[hashName];
  if (!hashOid) throw pkiUnsupportedAlgorithm({ hashAlgorithm: req.hashAlgorithm });
  const nonce = new Uint8Array(randomBytes(8));
  nonce[0] = ((nonce[0] ?? 0) & 0x7f) | 0x40; // positive and minimal: a leading 0x00 would be non-DER and TSAs reject it
  const body = buildRequest(req.digest, hashOid, nonce, req.policy);
  const der = await httpBytes(req.url, body, 'application/timestamp-query', { timeoutMs: req.timeoutMs ?? 15_000, fetch: req.fetch, maxBytes: 1 << 20 });
  const resp = parseResponse(der);
  const status = resp.status.status;
  if (status !== PKIStatus.granted && status !== PKIStatus.grantedWithMods) {
    throw pkiTsaRejected({ status, text: resp.status.statusString ? [...resp.status.statusString].join(' ') : undefined });
  }
  if (!resp.timeStampToken) throw pkiTsaBadResponse({ reason: 'granted without token' });
  const token = new Uint8Array(AsnConvert.serialize(resp.timeStampToken));
  try {
    const { tstInfo } = parseTstInfo(token);
    const mi = tstInfo.messageImprint;
    if (mi.hashAlgorithm.algorithm !== hashOid || !bytesEqual(new Uint8Array(mi.hashedMessage.buffer), req.digest)) {
      throw pkiTsaImprintMismatch({ url: req.url });
    }
    if (!sameInteger(tstInfo.nonce, nonce)) throw pkiTsaBadResponse({ reason: 'nonce mismatch' });
    return { token, genTime: tstInfo.genTime, serialHex: Buffer.from(tstInfo.serialNumber).toString('hex'), policy: tstInfo.policy };
  } catch (e) {
    if (isAppError(e)) throw e;
    throw pkiTsaBadResponse({ reason: String(e) }, { cause: e });
  }
}
