/**
 * CMS SignedData for PAdES baseline (ETSI EN 319 142-1 / 319 122-1): detached, signed attributes
 * content-type, message-digest and ESS signing-certificate-v2 — and no signing-time (the time goes
 * in the PDF's /M). The raw signature is produced elsewhere (`Signer`), so this module only builds
 * the bytes to be signed and assembles the result. Certificates are parsed with pkijs once per signer;
 * per signature the DER is concatenated from precomputed pieces (pkijs object building cost ~5 ms
 * per signature, which would dominate batch signing).
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { HashAlgorithm, KeyAlgorithm } from './keys.ts';

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signatureTimeStamp: '1.2.840.113549.1.9.16.2.14',
  rsaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
} as const;

const HASH_OID: Record<HashAlgorithm, string> = { 'SHA-256': '2.16.840.1.101.3.4.2.1', 'SHA-384': '2.16.840.1.101.3.4.2.2', 'SHA-512': '2.16.840.1.101.3.4.2.3' };
const RSA_OID: Record<HashAlgorithm, string> = { 'SHA-256': '1.2.840.113549.1.1.11', 'SHA-384': '1.2.840.113549.1.1.12', 'SHA-512': '1.2.840.113549.1.1.13' };
const ECDSA_OID: Record<HashAlgorithm, string> = { 'SHA-256': '1.2.840.10045.4.3.2', 'SHA-384': '1.2.840.10045.4.3.3', 'SHA-512': '1.2.840.10045.4.3.4' };
const SALT: Record<HashAlgorithm, number> = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };

/** Node's name for a hash algorithm. */
export function nodeHash(hash: HashAlgorithm): string {
  return hash.replace('-', '').toLowerCase();
}

/** The parts of a signer that do not change between signatures (parsed once, cached, reused). */
export type CmsSignerContext = {
  keyAlgorithm: KeyAlgorithm;
  hash: HashAlgorithm;
  /** DER pieces: ESS attribute, content-type attribute, sid, algorithms, [0] certificates. */
  der: { ess: Uint8Array; contentType: Uint8Array; sid: Uint8Array; digestAlgorithm: Uint8Array; signatureAlgorithm: Uint8Array; certificates: Uint8Array };
};

const contexts = new Map<string, CmsSignerContext>();

/**
 * Parses the certificate and chain once (pkijs) and precomputes every constant DER piece of the
 * SignedData; results are cached per (certificate, chain, key algorithm, hash), so per-signature
 * work is only concatenation.
 */
export function createCmsContext(certificate: Uint8Array, chain: Uint8Array[], keyAlgorithm: KeyAlgorithm, hash: HashAlgorithm): CmsSignerContext {
  const key = createHash('sha256').update(certificate).update(chain.map((c) => createHash('sha256').update(c).digest('hex')).join()).digest('hex') + keyAlgorithm + hash;
  const cached = contexts.get(key);
  if (cached) return cached;
  const cert = pkijs.Certificate.fromBER(new Uint8Array(certificate));
  const ber = (value: { toBER(sizeOnly?: boolean): ArrayBuffer }) => new Uint8Array(value.toBER(false));
  const sid = new asn1js.Sequence({ value: [cert.issuer.toSchema(), cert.serialNumber] });
  const ctx: CmsSignerContext = {
    keyAlgorithm, hash,
    der: {
      ess: ber(essSigningCertificateV2(cert, certificate)),
      contentType: ber(attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.data }))),
      sid: ber(sid),
      digestAlgorithm: ber(new pkijs.AlgorithmIdentifier({ algorithmId: HASH_OID[hash] }).toSchema()),
      signatureAlgorithm: ber(signatureAlgorithm(keyAlgorithm, hash).toSchema()),
      certificates: tlv(0xa0, certificate, ...chain),
    },
  };
  if (contexts.size > 256) contexts.clear();
  contexts.set(key, ctx);
  return ctx;
}

function essSigningCertificateV2(cert: pkijs.Certificate, der: Uint8Array): asn1js.Sequence {
  const certHash = createHash('sha256').update(der).digest();
  // IssuerSerial.issuer is GeneralNames (a SEQUENCE of [4] directoryName), not a bare Name.
  const issuerSerial = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({ value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [cert.issuer.toSchema()] })] }),
      cert.serialNumber,
    ],
  });
  // hashAlgorithm is omitted: SHA-256 is the DEFAULT of ESSCertIDv2.
  const essCertId = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: certHash }), issuerSerial] });
  const signingCertificate = new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertId] })] });
  return attribute(OID.signingCertificateV2, signingCertificate);
}

function attribute(type: string, value: asn1js.AsnType): asn1js.Sequence {
  return new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: type }), new asn1js.Set({ value: [value] })] });
}

/** Encodes one DER tag-length-value from already encoded content parts. */
export function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const length = parts.reduce((n, p) => n + p.length, 0);
  const head = length < 0x80 ? [tag, length] : length < 0x100 ? [tag, 0x81, length] : length < 0x10000 ? [tag, 0x82, length >> 8, length & 0xff] : [tag, 0x83, length >> 16, (length >> 8) & 0xff, length & 0xff];
  const out = new Uint8Array(head.length + length);
  out.set(head, 0);
  let at = head.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const MESSAGE_DIGEST_OID = tlv(0x06, Uint8Array.from([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04]));
const TIMESTAMP_ATTR_OID = tlv(0x06, Uint8Array.from([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x02, 0x0e]));
const SIGNED_DATA_OID = tlv(0x06, Uint8Array.from([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]));
const DATA_OID = tlv(0x06, Uint8Array.from([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01]));
const INTEGER_1 = Uint8Array.from([0x02, 0x01, 0x01]);

/** The signed attributes, each DER-encoded and sorted, and the DER of their SET (the bytes the signer signs). */
export type SignedAttributes = { attributes: Uint8Array[]; der: Uint8Array };

/** Builds the signed attributes (content-type, message-digest, ESS signing-certificate-v2) for a document digest. */
export function buildSignedAttributes(ctx: CmsSignerContext, documentDigest: Uint8Array): SignedAttributes {
  const messageDigest = tlv(0x30, MESSAGE_DIGEST_OID, tlv(0x31, tlv(0x04, documentDigest)));
  // DER: the members of a SET OF are sorted by their encodings.
  const attributes = [ctx.der.contentType, messageDigest, ctx.der.ess].sort((a, b) => Buffer.compare(a, b));
  return { attributes, der: tlv(0x31, ...attributes) };
}

function signatureAlgorithm(keyAlgorithm: KeyAlgorithm, hash: HashAlgorithm): pkijs.AlgorithmIdentifier {
  if (keyAlgorithm === 'ECDSA') return new pkijs.AlgorithmIdentifier({ algorithmId: ECDSA_OID[hash] });
  if (keyAlgorithm === 'RSA-PSS') {
    const hashAlg = new pkijs.AlgorithmIdentifier({ algorithmId: HASH_OID[hash] });
    const params = new pkijs.RSASSAPSSParams({
      hashAlgorithm: hashAlg,
      maskGenAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.mgf1, algorithmParams: hashAlg.toSchema() }),
      saltLength: SALT[hash],
    });
    return new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsaPss, algorithmParams: params.toSchema() });
  }
  return new pkijs.AlgorithmIdentifier({ algorithmId: RSA_OID[hash], algorithmParams: new asn1js.Null() });
}

/** Options to assemble the final CMS: the signature over `signed.der`, and an optional timestamp token. */
export type AssembleOptions = { signed: SignedAttributes; signature: Uint8Array; timestampToken?: Uint8Array };

/** Assembles the DER ContentInfo(SignedData) to put in the PDF's /Contents. */
export function assembleCms(ctx: CmsSignerContext, options: AssembleOptions): Uint8Array {
  const d = ctx.der;
  const unsigned = options.timestampToken ? [tlv(0xa1, tlv(0x30, TIMESTAMP_ATTR_OID, tlv(0x31, options.timestampToken)))] : [];
  const signerInfo = tlv(0x30, INTEGER_1, d.sid, d.digestAlgorithm, tlv(0xa0, ...options.signed.attributes), d.signatureAlgorithm, tlv(0x04, options.signature), ...unsigned);
  const signedData = tlv(0x30, INTEGER_1, tlv(0x31, d.digestAlgorithm), tlv(0x30, DATA_OID), d.certificates, tlv(0x31, signerInfo));
  return tlv(0x30, SIGNED_DATA_OID, tlv(0xa0, signedData));
}

/** The digest to timestamp for a signature-time-stamp: the hash of the signature value. */
export function signatureTimestampImprint(signature: Uint8Array, hash: HashAlgorithm): Uint8Array {
  return createHash(nodeHash(hash)).update(signature).digest();
}

/** The object identifier of a hash algorithm. */
export function hashOid(hash: HashAlgorithm): string {
  return HASH_OID[hash];
}

/** Splits the content of a constructed DER value (e.g. a SET) into its member TLVs. */
export function derChildren(der: Uint8Array): Uint8Array[] {
  const header = (at: number): [number, number] => {
    const first = der[at + 1] ?? 0;
    if (first < 0x80) return [2, first];
    const n = first & 0x7f;
    let length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + (der[at + 2 + i] ?? 0);
    return [2 + n, length];
  };
  const [outerHead, outerLength] = header(0);
  const out: Uint8Array[] = [];
  for (let at = outerHead; at < outerHead + outerLength && at < der.length;) {
    const [head, length] = header(at);
    out.push(der.subarray(at, at + head + length));
    at += head + length;
  }
  return out;
}
