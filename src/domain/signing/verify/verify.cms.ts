import { ContentInfo, SignedData, type SignerInfo } from '@peculiar/asn1-cms';
import { AsnConvert } from '@peculiar/asn1-schema';
import { TSTInfo } from '@peculiar/asn1-tsp';
import * as asn1js from 'asn1js';
import { bytesEqual, digest, hashName, toHex, verifySignature } from '../pki/pki.algorithms.ts';
import { formatName, parseCert, type CertInfo } from '../pki/pki.cert.ts';

const OID = {
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  essV2: '1.2.840.113549.1.9.16.2.47',
  essV1: '1.2.840.113549.1.9.16.2.12',
  tsToken: '1.2.840.113549.1.9.16.2.14',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  revArchival: '1.2.840.113583.1.1.8',
  riOcsp: '1.3.6.1.5.5.7.16.2',
  tsaEku: '1.3.6.1.5.5.7.3.8',
};

export type ParsedCms = {
  signedData: SignedData;
  signerInfo: SignerInfo;
  certs: CertInfo[];
  signer?: CertInfo;
  digestOid: string;
  digestName?: string;
  signedAttrsDer?: Uint8Array;
  messageDigest?: Uint8Array;
  signingTime?: Date;
  /** ESS signing-certificate(-v2) hash and its algorithm, when present. */
  essCert?: { hash: Uint8Array; alg: string; v2: boolean };
  timestampTokens: Uint8Array[];
  ocsps: Uint8Array[];
  crls: Uint8Array[];
  eContent?: Uint8Array;
};

/** Length of the DER element at the start of `bytes` (so zero padding after it can be dropped). */
export function derElementLength(bytes: Uint8Array): number {
  if (bytes.length < 2) return 0;
  const first = bytes[1] ?? 0;
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  if (n === 0 || n > 4 || bytes.length < 2 + n) return 0;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + (bytes[2 + i] ?? 0);
  return 2 + n + len;
}

function attr(list: { attrType: string; attrValues: ArrayBuffer[] }[] | undefined, oid: string): ArrayBuffer | undefined {
  return list?.find((a) => a.attrType === oid)?.attrValues[0];
}

function parseEss(value: ArrayBuffer, v2: boolean): ParsedCms['essCert'] {
  // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 { hashAlgorithm DEFAULT sha256, certHash OCTET STRING, … } }
  const root = asn1js.fromBER(value).result as asn1js.Sequence;
  const certs = root.valueBlock.value[0] as asn1js.Sequence | undefined;
  const first = certs?.valueBlock.value[0] as asn1js.Sequence | undefined;
  if (!first) return undefined;
  const parts = first.valueBlock.value;
  let alg = v2 ? '2.16.840.1.101.3.4.2.1' : '1.3.14.3.2.26';
  let i = 0;
  if (v2 && parts[0] instanceof asn1js.Sequence) {
    const oid = parts[0].valueBlock.value[0];
    if (oid instanceof asn1js.ObjectIdentifier) alg = oid.valueBlock.toString();
    i = 1;
  }
  const hash = parts[i];
  if (!(hash instanceof asn1js.OctetString)) return undefined;
  return { hash: new Uint8Array(hash.valueBlock.valueHexView), alg, v2 };
}

function parseArchival(value: ArrayBuffer | undefined): { ocsps: Uint8Array[]; crls: Uint8Array[] } {
  const out = { ocsps: [] as Uint8Array[], crls: [] as Uint8Array[] };
  if (!value) return out;
  const root = asn1js.fromBER(value).result;
  if (!(root instanceof asn1js.Sequence)) return out;
  for (const tagged of root.valueBlock.value) {
    const tag = tagged.idBlock.tagNumber;
    const inner = (tagged as asn1js.Constructed).valueBlock.value?.[0] as asn1js.Sequence | undefined;
    for (const item of inner?.valueBlock.value ?? []) {
      const der = new Uint8Array(item.toBER());
      if (tag === 0) out.crls.push(der);
      if (tag === 1) out.ocsps.push(der);
    }
  }
  return out;
}

function trimDer(der: Uint8Array): Uint8Array {
  const len = derElementLength(der);
  return len > 0 && len <= der.length ? der.subarray(0, len) : der;
}

function signedDataOf(der: Uint8Array): SignedData {
  const trimmed = trimDer(der);
  const ci = AsnConvert.parse(trimmed, ContentInfo);
  if (ci.contentType !== OID.signedData) throw new Error('not a CMS SignedData');
  return AsnConvert.parse(ci.content, SignedData);
}

function stripZeros(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

function findSigner(si: SignerInfo, certs: CertInfo[]): CertInfo | undefined {
  const ias = si.sid.issuerAndSerialNumber;
  if (ias) {
    const serial = stripZeros(new Uint8Array(ias.serialNumber));
    const sameSerial = certs.filter((c) => bytesEqual(stripZeros(new Uint8Array(c.asn.tbsCertificate.serialNumber)), serial));
    const issuer = toHex(AsnConvert.serialize(ias.issuer));
    // Some signers (node-forge) re-encode the issuer Name with other string types: fall back to its text form.
    return sameSerial.find((c) => c.issuerDer === issuer) ?? sameSerial.find((c) => c.issuer === formatName(ias.issuer));
  }
  const ski = si.sid.subjectKeyIdentifier;
  return ski ? certs.find((c) => c.ski === toHex(ski.buffer)) : undefined;
}

/**
 * Parses a detached CMS SignedData (PDF /Contents, zero padding allowed) with exactly one signer we
 * can use. Throws a plain Error for malformed input (the caller reports FORMAT_FAILURE).
 */
export function parseCms(der: Uint8Array): ParsedCms {
  const signedData = signedDataOf(der);
  const signerInfo = signedData.signerInfos[0];
  if (!signerInfo) throw new Error('no SignerInfo');
  const certs: CertInfo[] = [];
  for (const choice of signedData.certificates ?? []) {
    if (!choice.certificate) continue;
    try { certs.push(parseCert(new Uint8Array(AsnConvert.serialize(choice.certificate)))); } catch { /* skip a broken extra certificate */ }
  }
  const sa = signerInfo.signedAttrs;
  const ua = signerInfo.unsignedAttrs;
  const md = attr(sa, OID.messageDigest);
  const st = attr(sa, OID.signingTime);
  const essV2 = attr(sa, OID.essV2);
  const essV1 = attr(sa, OID.essV1);
  const archival = parseArchival(attr(sa, OID.revArchival));
  const otherOcsp = (signedData.crls ?? []).filter((c) => c.other?.otherRevInfoFormat === OID.riOcsp)
    .map((c) => new Uint8Array(c.other.otherRevInfo));
  const eContent = signedData.encapContentInfo.eContent;
  const eBytes = eContent?.single?.buffer ?? eContent?.any;
  return {
    signedData, signerInfo, certs, signer: findSigner(signerInfo, certs),
    digestOid: signerInfo.digestAlgorithm.algorithm, digestName: hashName(signerInfo.digestAlgorithm),
    signedAttrsDer: sa ? signedAttrsSet(der) : undefined,
    messageDigest: md ? new Uint8Array((asn1js.fromBER(md).result as asn1js.OctetString).valueBlock.valueHexView) : undefined,
    signingTime: st ? (asn1js.fromBER(st).result as asn1js.UTCTime).toDate() : undefined,
    essCert: essV2 ? parseEss(essV2, true) : essV1 ? parseEss(essV1, false) : undefined,
    timestampTokens: (ua ?? []).filter((a) => a.attrType === OID.tsToken).flatMap((a) => a.attrValues.map((v) => new Uint8Array(v))),
    ocsps: [...archival.ocsps, ...otherOcsp], crls: archival.crls,
    eContent: eBytes ? new Uint8Array(eBytes) : undefined,
  };
}

/**
 * The signed attributes exactly as the signer encoded them (re-encoding could change the bytes of a
 * non-DER signer), with the [0] IMPLICIT tag turned into SET OF (0x31), which is what is signed.
 */
function signedAttrsSet(der: Uint8Array): Uint8Array | undefined {
  const ci = asn1js.fromBER(trimDer(der)).result as asn1js.Sequence;
  const explicit = ci.valueBlock.value[1] as asn1js.Constructed | undefined;
  const sd = explicit?.valueBlock.value[0] as asn1js.Sequence | undefined;
  const infos = sd?.valueBlock.value.at(-1) as asn1js.Set | undefined;
  const first = infos?.valueBlock.value[0] as asn1js.Sequence | undefined;
  const attrs = first?.valueBlock.value.find((b) => b.idBlock.tagClass === 3 && b.idBlock.tagNumber === 0);
  if (!attrs) return undefined;
  const raw = new Uint8Array(attrs.valueBeforeDecodeView).slice();
  raw[0] = 0x31;
  return raw;
}

export type CmsCheck = { hashOk: boolean; cryptoOk: boolean; essOk?: boolean; signatureAlgorithm?: string; reason?: string };

/**
 * Checks a parsed CMS over `content` (the signed bytes' digest is computed here, or `contentDigest`
 * given): messageDigest, the signature over the signed attributes, and the ESS certificate binding.
 */
export function checkCms(cms: ParsedCms, contentParts: Uint8Array[]): CmsCheck {
  if (!cms.digestName) return { hashOk: false, cryptoOk: false, reason: `unsupported digest ${cms.digestOid}` };
  if (!cms.signer) return { hashOk: false, cryptoOk: false, reason: 'signer certificate not found' };
  const contentDigest = digest(cms.digestName, ...contentParts);
  const si = cms.signerInfo;
  if (!cms.signedAttrsDer || !cms.messageDigest) {
    // No signed attributes: the signature is directly over the content (legacy PKCS#7).
    const check = verifySignature(Buffer.concat(contentParts), new Uint8Array(si.signature.buffer), cms.signer.x509.publicKey, si.signatureAlgorithm, cms.digestOid);
    return { hashOk: check.ok, cryptoOk: check.ok, signatureAlgorithm: check.algorithm };
  }
  const hashOk = bytesEqual(contentDigest, cms.messageDigest);
  const check = verifySignature(cms.signedAttrsDer, new Uint8Array(si.signature.buffer), cms.signer.x509.publicKey, si.signatureAlgorithm, cms.digestOid);
  let essOk: boolean | undefined;
  if (cms.essCert) {
    const h = hashName(cms.essCert.alg);
    essOk = h !== undefined && bytesEqual(digest(h, cms.signer.der), cms.essCert.hash);
  }
  return { hashOk, cryptoOk: check.ok, essOk, signatureAlgorithm: `${check.algorithm}/${check.hash}`, reason: check.reason };
}

export type TokenCheck = {
  ok: boolean;
  imprintOk: boolean;
  genTime?: Date;
  tsa?: CertInfo;
  certs: CertInfo[];
  hashName?: string;
  reason?: string;
};

/** Checks an RFC 3161 token: CMS signature over TSTInfo, the TSA certificate's EKU, and that the imprint is the digest of `data`. */
export function checkTimestampToken(token: Uint8Array, data: Uint8Array[]): TokenCheck {
  let cms: ParsedCms;
  let tst: TSTInfo;
  try {
    cms = parseCms(token);
    if (cms.signedData.encapContentInfo.eContentType !== OID.tstInfo || !cms.eContent) throw new Error('not a TSTInfo token');
    tst = AsnConvert.parse(cms.eContent, TSTInfo);
  } catch (e) {
    return { ok: false, imprintOk: false, certs: [], reason: e instanceof Error ? e.message : String(e) };
  }
  const base = { genTime: tst.genTime, tsa: cms.signer, certs: cms.certs };
  const sig = checkCms(cms, [cms.eContent]);
  const h = hashName(tst.messageImprint.hashAlgorithm);
  const imprintOk = h !== undefined && bytesEqual(digest(h, ...data), new Uint8Array(tst.messageImprint.hashedMessage.buffer));
  if (!sig.hashOk || !sig.cryptoOk) return { ...base, ok: false, imprintOk, hashName: h, reason: 'token signature' };
  const eku = cms.signer?.ekus ?? [];
  if (eku.length !== 1 || eku[0] !== OID.tsaEku) return { ...base, ok: false, imprintOk, hashName: h, reason: 'TSA certificate without sole EKU timeStamping' };
  return { ...base, ok: imprintOk, imprintOk, hashName: h, reason: imprintOk ? undefined : 'imprint mismatch' };
}

export { OID as CMS_OID };
