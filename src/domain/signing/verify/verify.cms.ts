import { createHash, type Hash } from 'node:crypto';
import type { AlgId } from '../pki/pki.der.ts';
import { bytesEqual, digest, hashName, toHex, verifySignature } from '../pki/pki.algorithms.ts';
import { formatName, parseCert, type CertInfo } from '../pki/pki.cert.ts';
import { algIdOf, bytesOf, childrenOf, contentOf, expectTag, octetsOf, oidOf, readTlv, rootOf, timeOf, type Tlv } from '../pki/pki.der.ts';

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

/** The SignerInfo fields the checks use, as raw bytes. */
export type SignerInfoData = {
  /** IssuerAndSerialNumber (issuer Name DER, serial INTEGER content) or a subjectKeyIdentifier. */
  sid: { issuer: Uint8Array; serial: Uint8Array } | { ski: Uint8Array };
  digestAlgorithm: AlgId;
  signatureAlgorithm: AlgId;
  signature: Uint8Array;
};

export type ParsedCms = {
  eContentType: string;
  signerInfo: SignerInfoData;
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

/** Attributes (SEQUENCE { type, SET OF value }) by OID: the DER of each one's values. */
function attributes(b: Uint8Array, set: Tlv | undefined): Map<string, Uint8Array[]> {
  const out = new Map<string, Uint8Array[]>();
  for (const a of set ? childrenOf(b, set) : []) {
    const [type, values] = childrenOf(b, a);
    if (!type || !values) throw new Error('bad Attribute');
    const oid = oidOf(b, type);
    out.set(oid, [...(out.get(oid) ?? []), ...childrenOf(b, values).map((v) => bytesOf(b, v))]);
  }
  return out;
}

function parseEss(value: Uint8Array, v2: boolean): ParsedCms['essCert'] {
  // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 { hashAlgorithm DEFAULT sha256, certHash OCTET STRING, … } }
  const certs = childrenOf(value, rootOf(value))[0];
  const first = certs?.tag === 0x30 ? childrenOf(value, certs)[0] : undefined;
  if (!first || first.tag !== 0x30) return undefined;
  const parts = childrenOf(value, first);
  let alg = v2 ? '2.16.840.1.101.3.4.2.1' : '1.3.14.3.2.26';
  let i = 0;
  if (v2 && parts[0]?.tag === 0x30) {
    const oid = childrenOf(value, parts[0])[0];
    if (oid?.tag === 0x06) alg = oidOf(value, oid);
    i = 1;
  }
  const hash = parts[i];
  if (hash?.tag !== 0x04) return undefined;
  return { hash: contentOf(value, hash), alg, v2 };
}

function parseArchival(value: Uint8Array | undefined): { ocsps: Uint8Array[]; crls: Uint8Array[] } {
  const out = { ocsps: [] as Uint8Array[], crls: [] as Uint8Array[] };
  if (!value) return out;
  const root = rootOf(value);
  if (root.tag !== 0x30) return out;
  for (const tagged of childrenOf(value, root)) {
    const inner = tagged.tag & 0x20 ? childrenOf(value, tagged)[0] : undefined;
    for (const item of inner && inner.tag & 0x20 ? childrenOf(value, inner) : []) {
      if (tagged.tag === 0xa0) out.crls.push(bytesOf(value, item));
      if (tagged.tag === 0xa1) out.ocsps.push(bytesOf(value, item));
    }
  }
  return out;
}

function trimDer(der: Uint8Array): Uint8Array {
  const len = derElementLength(der);
  return len > 0 && len <= der.length ? der.subarray(0, len) : der;
}

/** The pieces of a SignedData located by a DER/BER walk, kept as raw bytes (no re-encoding, no full parse). */
type RawSignedData = { b: Uint8Array; encap: Tlv; certs: Uint8Array[]; otherOcsp: Uint8Array[]; signerInfo: Tlv; signedAttrs?: Uint8Array };

function locateSignedData(der: Uint8Array): RawSignedData {
  const b = trimDer(der);
  const ci = readTlv(b, 0, b.length);
  const [oid, explicit] = childrenOf(b, ci);
  if (!oid || !explicit || oid.tag !== 0x06 || oidOf(b, oid) !== OID.signedData) throw new Error('not a CMS SignedData');
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
    if (o && v && o.tag === 0x06 && oidOf(b, o) === OID.riOcsp) otherOcsp.push(bytesOf(b, v));
  }
  const attrs = childrenOf(b, first).find((x) => x.tag === 0xa0);
  let signedAttrs: Uint8Array | undefined;
  if (attrs) {
    // The signature covers the SET OF (0x31) form, not the [0] IMPLICIT tag stored in SignerInfo.
    signedAttrs = bytesOf(b, attrs).slice();
    signedAttrs[0] = 0x31;
  }
  const certs = certBlock ? childrenOf(b, certBlock).filter((c) => c.tag === 0x30).map((c) => bytesOf(b, c)) : [];
  return { b, encap, certs, otherOcsp, signerInfo: first, signedAttrs };
}

function stripZeros(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

function findSigner(si: SignerInfoData, certs: CertInfo[]): CertInfo | undefined {
  const sid = si.sid;
  if ('issuer' in sid) {
    const serial = stripZeros(sid.serial);
    const sameSerial = certs.filter((c) => bytesEqual(stripZeros(c.serial), serial));
    const issuer = toHex(sid.issuer);
    if (sameSerial.length === 0) return undefined;
    // Some signers (node-forge) re-encode the issuer Name with other string types: fall back to its text form.
    return sameSerial.find((c) => c.issuerDer === issuer) ?? sameSerial.find((c) => c.issuer === formatName(sid.issuer));
  }
  const ski = toHex(sid.ski);
  return certs.find((c) => c.ski === ski);
}

/** SignerInfo ::= SEQUENCE { version, sid, digestAlgorithm, [0] signedAttrs, signatureAlgorithm, signature, [1] unsignedAttrs } */
function readSignerInfo(b: Uint8Array, si: Tlv): { info: SignerInfoData; signed?: Tlv; unsigned?: Tlv } {
  const [version, sidT, digestT, ...rest] = childrenOf(b, si);
  expectTag(version, 0x02, 'SignerInfo version');
  if (!sidT || !digestT) throw new Error('incomplete SignerInfo');
  let sid: SignerInfoData['sid'];
  if (sidT.tag === 0x30) {
    const [issuer, serial] = childrenOf(b, sidT);
    sid = { issuer: bytesOf(b, expectTag(issuer, 0x30, 'issuer')), serial: contentOf(b, expectTag(serial, 0x02, 'serialNumber')) };
  } else if (sidT.tag === 0x80) sid = { ski: contentOf(b, sidT) };
  else throw new Error('bad SignerIdentifier');
  const signed = rest[0]?.tag === 0xa0 ? rest.shift() : undefined;
  const [sigAlgT, sigT, unsigned] = rest;
  if (!sigAlgT || !sigT) throw new Error('incomplete SignerInfo');
  return {
    info: { sid, digestAlgorithm: algIdOf(b, digestT), signatureAlgorithm: algIdOf(b, sigAlgT), signature: octetsOf(b, sigT) },
    signed, unsigned: unsigned?.tag === 0xa1 ? unsigned : undefined,
  };
}

/** EncapsulatedContentInfo ::= SEQUENCE { eContentType, [0] EXPLICIT eContent OCTET STRING OPTIONAL } */
function readEncap(b: Uint8Array, t: Tlv): { type: string; content?: Uint8Array } {
  const [typeT, explicit] = childrenOf(b, expectTag(t, 0x30, 'EncapsulatedContentInfo'));
  if (!typeT) throw new Error('empty EncapsulatedContentInfo');
  const inner = explicit?.tag === 0xa0 ? childrenOf(b, explicit)[0] : undefined;
  return { type: oidOf(b, typeT), content: inner ? octetsOf(b, inner) : undefined };
}

function valueOf(attrs: Map<string, Uint8Array[]>, oid: string): Uint8Array | undefined {
  return attrs.get(oid)?.[0];
}

/**
 * Parses a detached CMS SignedData (PDF /Contents, zero padding allowed) with exactly one signer we
 * can use. Throws a plain Error for malformed input (the caller reports FORMAT_FAILURE).
 */
export function parseCms(der: Uint8Array): ParsedCms {
  const raw = locateSignedData(der);
  const { b } = raw;
  const { info, signed, unsigned } = readSignerInfo(b, raw.signerInfo);
  const encap = readEncap(b, raw.encap);
  const certs: CertInfo[] = [];
  for (const c of raw.certs) {
    try { certs.push(parseCert(c)); } catch { /* skip a broken extra certificate */ }
  }
  const sa = attributes(b, signed);
  const md = valueOf(sa, OID.messageDigest);
  const st = valueOf(sa, OID.signingTime);
  const essV2 = valueOf(sa, OID.essV2);
  const essV1 = valueOf(sa, OID.essV1);
  const archival = parseArchival(valueOf(sa, OID.revArchival));
  const ua = attributes(b, unsigned);
  return {
    eContentType: encap.type, signerInfo: info, certs, signer: findSigner(info, certs),
    digestOid: info.digestAlgorithm.algorithm, digestName: hashName(info.digestAlgorithm),
    signedAttrsDer: signed ? raw.signedAttrs : undefined,
    messageDigest: md ? octetsOf(md, rootOf(md)) : undefined,
    signingTime: st ? timeOf(st, rootOf(st)) : undefined,
    essCert: essV2 ? parseEss(essV2, true) : essV1 ? parseEss(essV1, false) : undefined,
    timestampTokens: ua.get(OID.tsToken) ?? [],
    ocsps: [...archival.ocsps, ...raw.otherOcsp], crls: archival.crls,
    eContent: encap.content,
  };
}

/** Digest of the concatenated `parts` with a Node hash name. */
export type DigestParts = (hashName: string, parts: Uint8Array[]) => Uint8Array;

const plainDigest: DigestParts = (name, parts) => digest(name, ...parts);

const MAX_PREFIX_STATES = 64;

/**
 * A DigestParts for the signatures of one file. Every signature's first byte range starts at 0, and an
 * earlier revision's range is a prefix of a later one's, so the hash state at the end of each first
 * range is kept and the next signature resumes from the longest one that fits: two signatures of a
 * 5 MB file hash about 5 MB, not 10. Parts that do not start at the file's first byte are hashed
 * whole.
 */
export function prefixDigester(file: Uint8Array): DigestParts {
  const states: { name: string; end: number; hash: Hash }[] = [];
  return (name, parts) => {
    const [first, ...rest] = parts;
    if (!first || first.buffer !== file.buffer || first.byteOffset !== file.byteOffset) return plainDigest(name, parts);
    let from: (typeof states)[number] | undefined;
    for (const s of states) if (s.name === name && s.end <= first.length && (!from || s.end > from.end)) from = s;
    const hash = from ? from.hash.copy() : createHash(name);
    hash.update(file.subarray(from?.end ?? 0, first.length));
    if (states.length < MAX_PREFIX_STATES) states.push({ name, end: first.length, hash: hash.copy() });
    for (const p of rest) hash.update(p);
    return new Uint8Array(hash.digest());
  };
}

export type CmsCheck = { hashOk: boolean; cryptoOk: boolean; essOk?: boolean; signatureAlgorithm?: string; reason?: string };

/**
 * Checks a parsed CMS over `content` (the signed bytes' digest is computed here, or `contentDigest`
 * given): messageDigest, the signature over the signed attributes, and the ESS certificate binding.
 */
export function checkCms(cms: ParsedCms, contentParts: Uint8Array[], digestOf: DigestParts = plainDigest): CmsCheck {
  if (!cms.digestName) return { hashOk: false, cryptoOk: false, reason: `unsupported digest ${cms.digestOid}` };
  if (!cms.signer) return { hashOk: false, cryptoOk: false, reason: 'signer certificate not found' };
  const contentDigest = digestOf(cms.digestName, contentParts);
  const si = cms.signerInfo;
  if (!cms.signedAttrsDer || !cms.messageDigest) {
    // No signed attributes: the signature is directly over the content (legacy PKCS#7).
    const check = verifySignature(Buffer.concat(contentParts), si.signature, cms.signer.x509.publicKey, si.signatureAlgorithm, cms.digestOid);
    return { hashOk: check.ok, cryptoOk: check.ok, signatureAlgorithm: check.algorithm };
  }
  const hashOk = bytesEqual(contentDigest, cms.messageDigest);
  const check = verifySignature(cms.signedAttrsDer, si.signature, cms.signer.x509.publicKey, si.signatureAlgorithm, cms.digestOid);
  let essOk: boolean | undefined;
  if (cms.essCert) {
    const h = hashName(cms.essCert.alg);
    essOk = h !== undefined && bytesEqual(digest(h, cms.signer.der), cms.essCert.hash);
  }
  return { hashOk, cryptoOk: check.ok, essOk, signatureAlgorithm: `${check.algorithm}/${check.hash}`, reason: check.reason };
}

/** TSTInfo ::= SEQUENCE { version, policy, messageImprint { hashAlgorithm, hashedMessage }, serialNumber, genTime, … } */
function readTstInfo(b: Uint8Array): { genTime: Date; hashAlgorithm: AlgId; hashedMessage: Uint8Array } {
  const [, , imprintT, , genTimeT] = childrenOf(b, expectTag(rootOf(b), 0x30, 'TSTInfo'));
  const [algT, hashT] = childrenOf(b, expectTag(imprintT, 0x30, 'MessageImprint'));
  if (!algT) throw new Error('empty MessageImprint');
  return { genTime: timeOf(b, expectTag(genTimeT, 0x18, 'genTime')), hashAlgorithm: algIdOf(b, algT), hashedMessage: octetsOf(b, expectTag(hashT, 0x04, 'hashedMessage')) };
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
  let tst: ReturnType<typeof readTstInfo>;
  try {
    cms = parseCms(token);
    if (cms.eContentType !== OID.tstInfo || !cms.eContent) throw new Error('not a TSTInfo token');
    tst = readTstInfo(cms.eContent);
  } catch (e) {
    return { ok: false, imprintOk: false, certs: [], reason: e instanceof Error ? e.message : String(e) };
  }
  const base = { genTime: tst.genTime, tsa: cms.signer, certs: cms.certs };
  const sig = checkCms(cms, [cms.eContent]);
  const h = hashName(tst.hashAlgorithm);
  const imprintOk = h !== undefined && bytesEqual(digest(h, ...data), tst.hashedMessage);
  if (!sig.hashOk || !sig.cryptoOk) return { ...base, ok: false, imprintOk, hashName: h, reason: 'token signature' };
  const eku = cms.signer?.ekus ?? [];
  if (eku.length !== 1 || eku[0] !== OID.tsaEku) return { ...base, ok: false, imprintOk, hashName: h, reason: 'TSA certificate without sole EKU timeStamping' };
  return { ...base, ok: imprintOk, imprintOk, hashName: h, reason: imprintOk ? undefined : 'imprint mismatch' };
}

export { OID as CMS_OID };
