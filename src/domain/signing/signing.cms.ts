/**
 * CMS SignedData for PAdES baseline (ETSI EN 319 142-1 / 319 122-1): detached, signed attributes
 * content-type, message-digest and ESS signing-certificate-v2 — and no signing-time (the time goes
 * in the PDF's /M). The raw signature is produced elsewhere (`Signer`), so this module only builds
 * the bytes to be signed and assembles the result. Built with pkijs / asn1js.
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

/** The parts of a signer that do not change between signatures (parsed once, reused in a batch). */
export type CmsSignerContext = {
  certificate: pkijs.Certificate;
  certificates: pkijs.Certificate[];
  /** DER of the ESS signing-certificate-v2 attribute. */
  essAttribute: asn1js.Sequence;
  keyAlgorithm: KeyAlgorithm;
  hash: HashAlgorithm;
};

/** Parses the certificate and chain and prepares the ESS attribute. */
export function createCmsContext(certificate: Uint8Array, chain: Uint8Array[], keyAlgorithm: KeyAlgorithm, hash: HashAlgorithm): CmsSignerContext {
  const cert = pkijs.Certificate.fromBER(Uint8Array.from(certificate));
  const others = chain.map((c) => pkijs.Certificate.fromBER(Uint8Array.from(c)));
  return { certificate: cert, certificates: [cert, ...others], essAttribute: essSigningCertificateV2(cert, certificate), keyAlgorithm, hash };
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

/** The signed attributes in DER order, and the DER of their SET (the bytes the signer signs). */
export type SignedAttributes = { attributes: asn1js.Sequence[]; der: Uint8Array };

/** Builds the signed attributes for a document digest. */
export function buildSignedAttributes(ctx: CmsSignerContext, documentDigest: Uint8Array): SignedAttributes {
  const attrs = [
    attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.data })),
    attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: toArrayBuffer(documentDigest) })),
    ctx.essAttribute,
  ];
  // DER: the members of a SET OF are sorted by their encodings.
  const encoded = attrs.map((a) => ({ a, der: new Uint8Array(a.toBER(false)) })).sort((x, y) => Buffer.compare(x.der, y.der));
  const set = new asn1js.Set({ value: encoded.map((e) => e.a) });
  return { attributes: encoded.map((e) => e.a), der: new Uint8Array(set.toBER(false)) };
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return Uint8Array.from(bytes).buffer;
}

function signatureAlgorithm(ctx: CmsSignerContext): pkijs.AlgorithmIdentifier {
  if (ctx.keyAlgorithm === 'ECDSA') return new pkijs.AlgorithmIdentifier({ algorithmId: ECDSA_OID[ctx.hash] });
  if (ctx.keyAlgorithm === 'RSA-PSS') {
    const hashAlg = new pkijs.AlgorithmIdentifier({ algorithmId: HASH_OID[ctx.hash] });
    const params = new pkijs.RSASSAPSSParams({
      hashAlgorithm: hashAlg,
      maskGenAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.mgf1, algorithmParams: hashAlg.toSchema() }),
      saltLength: SALT[ctx.hash],
    });
    return new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsaPss, algorithmParams: params.toSchema() });
  }
  return new pkijs.AlgorithmIdentifier({ algorithmId: RSA_OID[ctx.hash], algorithmParams: new asn1js.Null() });
}

/** Options to assemble the final CMS: the signature over `signed.der`, and an optional timestamp token. */
export type AssembleOptions = { signed: SignedAttributes; signature: Uint8Array; timestampToken?: Uint8Array };

/** Assembles the DER ContentInfo(SignedData) to put in the PDF's /Contents. */
export function assembleCms(ctx: CmsSignerContext, options: AssembleOptions): Uint8Array {
  const unsigned = options.timestampToken
    ? new pkijs.SignedAndUnsignedAttributes({
        type: 1,
        attributes: [new pkijs.Attribute({ type: OID.signatureTimeStamp, values: [asn1js.fromBER(toArrayBuffer(options.timestampToken)).result] })],
      })
    : undefined;
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: ctx.certificate.issuer, serialNumber: ctx.certificate.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: HASH_OID[ctx.hash] }),
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({
      type: 0,
      attributes: options.signed.attributes.map((a) => new pkijs.Attribute({ schema: a })),
    }),
    signatureAlgorithm: signatureAlgorithm(ctx),
    signature: new asn1js.OctetString({ valueHex: toArrayBuffer(options.signature) }),
    ...(unsigned ? { unsignedAttrs: unsigned } : {}),
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: HASH_OID[ctx.hash] })],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    certificates: ctx.certificates,
    signerInfos: [signerInfo],
  });
  const info = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
  return new Uint8Array(info.toSchema().toBER(false));
}

/** The digest to timestamp for a signature-time-stamp: the hash of the signature value. */
export function signatureTimestampImprint(signature: Uint8Array, hash: HashAlgorithm): Uint8Array {
  return createHash(nodeHash(hash)).update(signature).digest();
}

/** The object identifier of a hash algorithm. */
export function hashOid(hash: HashAlgorithm): string {
  return HASH_OID[hash];
}
