import { EncapsulatedContentInfo, SignerInfo } from '@peculiar/asn1-cms';
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
  eContentType: string;
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

/** The pieces of a SignedData located by a minimal DER walk, kept as raw DER (no re-encoding, no full parse). */
type RawSignedData = { encap: Uint8Array; certs: Uint8Array[]; otherOcsp: Uint8Array[]; signerInfo: Uint8Array; signedAttrs?: Uint8Array };

/** One DER element: its tag byte and where its bytes and its content are. */
type Tlv = { tag: number; start: number; contentStart: number; end: number };

function readTlv(b: Uint8Array, at: number, limit: number): Tlv {
  const tag = b[at];
  const first = b[at + 1];
  if (tag === undefined || first === undefined || (tag & 0x1f) === 0x1f) throw new Error('bad DER tag');
  let len = first;
  let contentStart = at + 2;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n === 0 || n > 4) throw new Error('bad DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (b[at + 2 + i] ?? 0);
    contentStart += n;
  }
  const end = contentStart + len;
  if (end > limit) throw new Error('DER element overruns its parent');
  return { tag, start: at, contentStart, end };
}

function childrenOf(b: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.contentStart; at < parent.end && out.length < 10_000;) {
    const t = readTlv(b, at, parent.end);
    out.push(t);
    at = t.end;
  }
  return out;
}

const SIGNED_DATA_OID = Buffer.from('06092a864886f70d010702', 'hex');
const RI_OCSP_OID = Buffer.from('06082b0601050507100' + '2', 'hex');

function bytesAt(b: Uint8Array, t: Tlv): Uint8Array {
  return b.subarray(t.start, t.end);
}

function locateSignedData(der: Uint8Array): RawSignedData {
  try {
    return locateSignedDataDer(der);
  } catch {
    return locateSignedDataBer(der);
  }
}

function locateSignedDataDer(der: Uint8Array): RawSignedData {
  const b = trimDer(der);
  const ci = readTlv(b, 0, b.length);
  const [oid, explicit] = childrenOf(b, ci);
  if (!oid || !explicit || Buffer.compare(bytesAt(b, oid), SIGNED_DATA_OID) !== 0) throw new Error('not a CMS SignedData');
  const sd = childrenOf(b, explicit)[0];
  if (!sd) throw new Error('empty SignedData');
  const parts = childrenOf(b, sd);
  const encap = parts[2];
  const infos = parts.at(-1);
  const first = infos && infos.tag === 0x31 ? childrenOf(b, infos)[0] : undefined;
  if (!encap || !first || first.tag !== 0x30) throw new Error('no SignerInfo');
  const certBlock = parts.find((p) => p.tag === 0xa0);
  const crlBlock = parts.find((p) => p.tag === 0xa1);
  const otherOcsp: Uint8Array[] = [];
  for (const c of crlBlock ? childrenOf(b, crlBlock) : []) {
    const [o, v] = c.tag === 0xa1 ? childrenOf(b, c) : [];
    if (o && v && Buffer.compare(bytesAt(b, o), RI_OCSP_OID) === 0) otherOcsp.push(bytesAt(b, v));
  }
  const attrs = childrenOf(b, first).find((x) => x.tag === 0xa0);
  let signedAttrs: Uint8Array | undefined;
  if (attrs) {
    // The signature covers the SET OF (0x31) form, not the [0] IMPLICIT tag stored in SignerInfo.
    signedAttrs = bytesAt(b, attrs).slice();
    signedAttrs[0] = 0x31;
  }
  const certs = certBlock ? childrenOf(b, certBlock).filter((c) => c.tag === 0x30).map((c) => bytesAt(b, c)) : [];
  return { encap: bytesAt(b, encap), certs, otherOcsp, signerInfo: bytesAt(b, first), signedAttrs };
}

function rawOf(b: asn1js.AsnType): Uint8Array {
  return new Uint8Array((b as asn1js.BaseBlock).valueBeforeDecodeView);
}

function isContext(b: asn1js.AsnType | undefined, n: number): boolean {
  const id = (b as asn1js.BaseBlock | undefined)?.idBlock;
  return id?.tagClass === 3 && id.tagNumber === n;
}

function otherOcspOf(crlBlock: asn1js.Constructed | undefined): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const c of crlBlock?.valueBlock.value ?? []) {
    const kids = (c as asn1js.Constructed).valueBlock.value;
    if (isContext(c, 1) && kids?.[0] instanceof asn1js.ObjectIdentifier && kids[0].valueBlock.toString() === OID.riOcsp && kids[1]) out.push(rawOf(kids[1]));
  }
  return out;
}

/** Slow path for BER (indefinite lengths, as NSS writes): the same pieces located with asn1js. */
function locateSignedDataBer(der: Uint8Array): RawSignedData {
  const parsed = asn1js.fromBER(trimDer(der));
  if (parsed.offset === -1) throw new Error('not DER');
  const ci = parsed.result as asn1js.Sequence;
  const oid = ci.valueBlock.value?.[0];
  if (!(oid instanceof asn1js.ObjectIdentifier) || oid.valueBlock.toString() !== OID.signedData) throw new Error('not a CMS SignedData');
  const sd = (ci.valueBlock.value[1] as asn1js.Constructed | undefined)?.valueBlock.value?.[0] as asn1js.Sequence | undefined;
  const parts = sd?.valueBlock.value ?? [];
  const encap = parts[2];
  const infos = parts.at(-1) as asn1js.Set | undefined;
  const first = infos?.valueBlock.value?.[0] as asn1js.Sequence | undefined;
  if (!encap || !first || !(first instanceof asn1js.Sequence)) throw new Error('no SignerInfo');
  const certBlock = parts.find((p) => isContext(p, 0)) as asn1js.Constructed | undefined;
  const attrs = first.valueBlock.value.find((b) => isContext(b, 0));
  let signedAttrs: Uint8Array | undefined;
  if (attrs) {
    // The signature covers the SET OF (0x31) form, not the [0] IMPLICIT tag stored in SignerInfo.
    signedAttrs = rawOf(attrs).slice();
    signedAttrs[0] = 0x31;
  }
  const certs = (certBlock?.valueBlock.value ?? []).filter((c) => c instanceof asn1js.Sequence).map(rawOf);
  return { encap: rawOf(encap), certs, otherOcsp: otherOcspOf(parts.find((p) => isContext(p, 1)) as asn1js.Constructed | undefined), signerInfo: rawOf(first), signedAttrs };
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
  const raw = locateSignedData(der);
  const signerInfo = AsnConvert.parse(raw.signerInfo, SignerInfo);
  const encap = AsnConvert.parse(raw.encap, EncapsulatedContentInfo);
  const certs: CertInfo[] = [];
  for (const c of raw.certs) {
    try { certs.push(parseCert(c)); } catch { /* skip a broken extra certificate */ }
  }
  const sa = signerInfo.signedAttrs;
  const md = attr(sa, OID.messageDigest);
  const st = attr(sa, OID.signingTime);
  const essV2 = attr(sa, OID.essV2);
  const essV1 = attr(sa, OID.essV1);
  const archival = parseArchival(attr(sa, OID.revArchival));
  const eBytes = encap.eContent?.single?.buffer ?? encap.eContent?.any;
  return {
    eContentType: encap.eContentType, signerInfo, certs, signer: findSigner(signerInfo, certs),
    digestOid: signerInfo.digestAlgorithm.algorithm, digestName: hashName(signerInfo.digestAlgorithm),
    signedAttrsDer: sa ? raw.signedAttrs : undefined,
    messageDigest: md ? new Uint8Array((asn1js.fromBER(md).result as asn1js.OctetString).valueBlock.valueHexView) : undefined,
    signingTime: st ? (asn1js.fromBER(st).result as asn1js.UTCTime).toDate() : undefined,
    essCert: essV2 ? parseEss(essV2, true) : essV1 ? parseEss(essV1, false) : undefined,
    timestampTokens: (signerInfo.unsignedAttrs ?? []).filter((a) => a.attrType === OID.tsToken).flatMap((a) => a.attrValues.map((v) => new Uint8Array(v))),
    ocsps: [...archival.ocsps, ...raw.otherOcsp], crls: archival.crls,
    eContent: eBytes ? new Uint8Array(eBytes) : undefined,
  };
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
    if (cms.eContentType !== OID.tstInfo || !cms.eContent) throw new Error('not a TSTInfo token');
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
