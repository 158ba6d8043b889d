/**
 * The demo install's own RFC 3161 timestamp authority. It answers a TimeStampReq with a
 * TimeStampResp whose token is a CMS SignedData over a TSTInfo, signed by the demo TSA certificate
 * (certificates.pki.ts). The CMS pieces (sid, algorithms, ESS signing-certificate-v2, certificates)
 * come from the signing engine's `createCmsContext`; the TSTInfo and status from @peculiar/asn1-tsp.
 * Bad requests get a `rejection` status with a failure reason, never an exception.
 */
import { createHash, randomBytes, sign } from 'node:crypto';
import * as asn1js from 'asn1js';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { Accuracy, MessageImprint, PKIStatus, PKIStatusInfo, TimeStampReq, TSTInfo } from '@peculiar/asn1-tsp';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { createCmsContext, hashOid, tlv } from '../signing/signing.cms.ts';
import type { Config } from '../../platform/config.ts';
import type { HashAlgorithm } from '../signing/keys.ts';
import { OID_SIGNED_DATA, OID_TST_INFO } from '../signing/pki/tsa.ts';
import { timestampFromUrl, type TimestampProvider } from '../signing/signing.tsa.ts';
import { ensureDemoTsa, type DemoTsa } from './certificates.pki.ts';

/** The policy the demo TSA stamps under (a UUID-derived OID, ITU-T X.667: no registration needed). */
export const DEMO_TSA_POLICY = '2.25.208179420911436517283307374802617393161';

/**
 * Where the install's code asks the demo TSA. Like DEMO_CRL_URL the `.invalid` domain never
 * resolves: installVerifyOptions answers it in-process. Outside tools use POST /demo-pki/tsa.
 */
export const DEMO_TSA_URL = 'http://demo-tsa.vanthu.invalid/tsa';

/** A larger body is not a timestamp request (a SHA-512 request with a policy and nonce is ~120 bytes). */
export const MAX_TIMESTAMP_REQUEST_BYTES = 16 * 1024;

const HASHES: Record<string, HashAlgorithm> = Object.fromEntries((['SHA-256', 'SHA-384', 'SHA-512'] as const).map((h) => [hashOid(h), h]));
const DIGEST_LENGTH: Record<HashAlgorithm, number> = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };

const CONTENT_TYPE_OID = tlv(0x06, Uint8Array.from([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x03]));
const MESSAGE_DIGEST_OID = tlv(0x06, Uint8Array.from([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04]));
const oidDer = (oid: string) => new Uint8Array(new asn1js.ObjectIdentifier({ value: oid }).toBER(false));
const TST_INFO_OID = oidDer(OID_TST_INFO);
const SIGNED_DATA_OID = oidDer(OID_SIGNED_DATA);
const INTEGER_1 = Uint8Array.from([0x02, 0x01, 0x01]);
const INTEGER_3 = Uint8Array.from([0x02, 0x01, 0x03]);

/** RFC 3161 PKIFailureInfo named bits (the @peculiar/asn1-tsp flags are numbered differently from the RFC, so the BIT STRING is encoded here). */
const FAILURE_BIT = { badAlg: 0, badRequest: 2, badDataFormat: 5, unacceptedPolicy: 15, unacceptedExtension: 16 } as const;

function statusResponse(failure: keyof typeof FAILURE_BIT, text: string): Uint8Array {
  const bit = FAILURE_BIT[failure];
  const bits = new Uint8Array((bit >> 3) + 1);
  bits[bit >> 3] = 0x80 >> (bit & 7);
  const failInfo = tlv(0x03, Uint8Array.of(7 - (bit & 7)), bits); // DER: no trailing zero bits
  const statusString = tlv(0x30, tlv(0x0c, new TextEncoder().encode(text)));
  return tlv(0x30, tlv(0x30, Uint8Array.of(0x02, 0x01, PKIStatus.rejection), statusString, failInfo));
}

function parseRequest(body: Uint8Array): TimeStampReq | undefined {
  try {
    const req = AsnConvert.parse(body, TimeStampReq);
    // the parser ignores trailing bytes; a request is exactly one DER value
    return new Uint8Array(AsnConvert.serialize(req)).length === body.length ? req : undefined;
  } catch {
    return undefined;
  }
}

/** Signs a TSTInfo as a CMS SignedData (eContent encapsulated, signed attributes as RFC 3161 §2.4.2 and RFC 5035 ask). */
function signTstInfo(tsa: DemoTsa, tstInfo: Uint8Array, withCertificates: boolean): Uint8Array {
  const ctx = createCmsContext(tsa.certDer, [tsa.caDer], 'RSA', 'SHA-256');
  const contentType = tlv(0x30, CONTENT_TYPE_OID, tlv(0x31, TST_INFO_OID));
  const messageDigest = tlv(0x30, MESSAGE_DIGEST_OID, tlv(0x31, tlv(0x04, createHash('sha256').update(tstInfo).digest())));
  const attributes = [contentType, messageDigest, ctx.der.ess].sort((a, b) => Buffer.compare(a, b));
  const signature = sign('sha256', tlv(0x31, ...attributes), tsa.key);
  const d = ctx.der;
  const signerInfo = tlv(0x30, INTEGER_1, d.sid, d.digestAlgorithm, tlv(0xa0, ...attributes), d.signatureAlgorithm, tlv(0x04, signature));
  const encapsulated = tlv(0x30, TST_INFO_OID, tlv(0xa0, tlv(0x04, tstInfo)));
  const signedData = tlv(0x30, INTEGER_3, tlv(0x31, d.digestAlgorithm), encapsulated, ...(withCertificates ? [d.certificates] : []), tlv(0x31, signerInfo));
  return tlv(0x30, SIGNED_DATA_OID, tlv(0xa0, signedData));
}

/**
 * Answers one RFC 3161 request (DER body) as the demo TSA: a granted TimeStampResp with a token, or a
 * rejection — badDataFormat (not one DER TimeStampReq, or too large), badAlg (not SHA-256/384/512 or a
 * digest of the wrong length), unacceptedPolicy, unacceptedExtension. Never throws on bad input.
 */
export function answerTimestampRequest(tsa: DemoTsa, body: Uint8Array, now = new Date()): Uint8Array {
  if (body.length > MAX_TIMESTAMP_REQUEST_BYTES) return statusResponse('badDataFormat', 'Yêu cầu quá lớn');
  const req = parseRequest(body);
  if (!req || req.version !== 1) return statusResponse('badDataFormat', 'Không phải yêu cầu cấp dấu thời gian RFC 3161');
  const hash = HASHES[req.messageImprint.hashAlgorithm.algorithm];
  const digest = new Uint8Array(req.messageImprint.hashedMessage.buffer);
  if (!hash || digest.length !== DIGEST_LENGTH[hash]) return statusResponse('badAlg', 'Chỉ nhận SHA-256, SHA-384, SHA-512');
  if (req.reqPolicy && req.reqPolicy !== DEMO_TSA_POLICY) return statusResponse('unacceptedPolicy', 'Chính sách không được hỗ trợ');
  if (req.extensions?.length) return statusResponse('unacceptedExtension', 'Không hỗ trợ phần mở rộng');
  const token = stamp(tsa, { hash, digest, nonce: req.nonce, withCertificates: req.certReq === true }, now);
  return tlv(0x30, new Uint8Array(AsnConvert.serialize(new PKIStatusInfo({ status: PKIStatus.granted }))), token);
}

/** A TimeStampToken over `digest`: TSTInfo (fresh serial, time to the second, accuracy 1 s) signed by the TSA. */
function stamp(tsa: DemoTsa, o: { hash: HashAlgorithm; digest: Uint8Array; nonce?: ArrayBuffer; withCertificates: boolean }, now: Date): Uint8Array {
  const serial = new Uint8Array(randomBytes(16));
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40; // positive, minimal DER
  const tstInfo = new TSTInfo({
    version: 1, policy: DEMO_TSA_POLICY,
    messageImprint: new MessageImprint({ hashAlgorithm: new AlgorithmIdentifier({ algorithm: hashOid(o.hash), parameters: null }), hashedMessage: new OctetString(o.digest) }),
    serialNumber: serial.buffer, genTime: new Date(Math.floor(now.getTime() / 1000) * 1000), accuracy: new Accuracy({ seconds: 1 }),
    ...(o.nonce ? { nonce: o.nonce } : {}),
  });
  return signTstInfo(tsa, new Uint8Array(AsnConvert.serialize(tstInfo)), o.withCertificates);
}

/**
 * The signing engine's timestamp provider over the demo TSA of the install at `dataDir` (in-process:
 * no HTTP round trip; the token is the same the HTTP route gives).
 */
export function demoTimestampProvider(dataDir: string): TimestampProvider {
  return async (imprint, hash) => stamp(await ensureDemoTsa(dataDir), { hash, digest: imprint, withCertificates: true }, new Date());
}

/**
 * The TSA this install takes timestamps from: VANTHU_TSA_URL, else in demo mode the demo TSA
 * (DEMO_TSA_URL, answered in-process); undefined in production without VANTHU_TSA_URL.
 */
export function installTsaUrl(config: Pick<Config, 'demo' | 'archive'>): string | undefined {
  return config.archive.tsaUrl ?? (config.demo ? DEMO_TSA_URL : undefined);
}

/**
 * What stamps the seal signature when a document is issued (B-T): the install's TSA — VANTHU_TSA_URL, or
 * the demo TSA in demo mode without it; nothing (B-B) in production without VANTHU_TSA_URL. A TSA that
 * does not answer fails the issue, which then leaves no number used.
 */
export function issueTimestampProvider(config: Pick<Config, 'demo' | 'archive' | 'dataDir'>): TimestampProvider | undefined {
  const url = installTsaUrl(config);
  if (!url) return undefined;
  return url === DEMO_TSA_URL ? demoTimestampProvider(config.dataDir) : timestampFromUrl(url);
}

/** Answers a POST to DEMO_TSA_URL (the in-process fetch of installVerifyOptions, and the /demo-pki/tsa route). */
export async function demoTsaResponse(dataDir: string, body: Uint8Array): Promise<Response> {
  if (body.length > MAX_TIMESTAMP_REQUEST_BYTES) return new Response('Yêu cầu quá lớn', { status: 413 });
  const answer = answerTimestampRequest(await ensureDemoTsa(dataDir), body);
  return new Response(new Uint8Array(answer), { status: 200, headers: { 'content-type': 'application/timestamp-reply' } });
}
