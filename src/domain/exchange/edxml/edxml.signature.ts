import { createHash, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { edxmlSignerInvalid } from './edxml.errors.ts';
import {
  childNamed, childrenNamed, DSIG_NS, EDXML_NS, excC14n, textOf, xattr, xel, xtext, type XElement,
} from './edxml.xml.ts';

/**
 * XML-DSig for edXML packages (profile documented in docs/edxml.md §Chữ ký):
 * `edXML:Signature` (an element of type ds:SignatureType, its children in the XML-DSig namespace) with
 *  1. `Reference URI=""` + enveloped-signature + XPath `ancestor-or-self::edXML:edXMLEnvelope` +
 *     exc-c14n: the whole edXMLEnvelope minus the signature (not the attachments' base64);
 *  2. one `Reference URI="cid:<ContentId>"` per attachment, no transforms, digest over the attachment
 *     bytes as carried (base64-decoded), so both sides can hash while streaming.
 * Out: exc-c14n, rsa-sha256 (ecdsa-sha256 for EC keys), sha256 digests. In: also rsa-sha1/sha1 and the
 * SDK style `URI=""` over the whole document (verified only when the package is small enough to keep).
 */

export const ALG = {
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  enveloped: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  xpath: 'http://www.w3.org/TR/1999/REC-xpath-19991116',
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  ecdsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
} as const;

/** The VNPT SDK sample writes this (non-standard) URI for exc-c14n; read as an alias. */
export const EXC_C14N_ALIASES = [ALG.excC14n, 'http://www.w3.org/TR/xml-exc-c14n#'];

const DIGESTS: Record<string, string> = {
  'http://www.w3.org/2000/09/xmldsig#sha1': 'sha1',
  'http://www.w3.org/2001/04/xmlenc#sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#sha384': 'sha384',
  'http://www.w3.org/2001/04/xmlenc#sha512': 'sha512',
};

export const SIGNATURE_METHODS: Record<string, { hash: string; key: 'rsa' | 'ec'; name: string }> = {
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1': { hash: 'sha1', key: 'rsa', name: 'rsa-sha1' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': { hash: 'sha256', key: 'rsa', name: 'rsa-sha256' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384': { hash: 'sha384', key: 'rsa', name: 'rsa-sha384' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': { hash: 'sha512', key: 'rsa', name: 'rsa-sha512' },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256': { hash: 'sha256', key: 'ec', name: 'ecdsa-sha256' },
};

/** The sending agency's key and certificate (what `loadPkcs12` returns). */
export type EdxmlSigner = { privateKey: KeyObject; certificate: Uint8Array };

/** Digests of the attachments, keyed by ContentId (without `cid:`), then by hash name (`sha256`). */
export type AttachmentDigests = Map<string, Map<string, Buffer>>;

export type TEdxmlSignatureCheck = {
  /** A signature with a SignatureValue is present. */
  signed: boolean;
  /** Every reference digest and the signature value check out, and every attachment is covered. */
  valid: boolean;
  signatureMethod?: string;
  /** DER of the signer certificate from KeyInfo (check trust with the PKI module). */
  certificate?: Uint8Array;
  subject?: string;
  references: { uri: string; covers: 'envelope' | 'document' | 'attachment' | 'unknown'; digest: string; ok: boolean }[];
  /** Vietnamese descriptions of what failed. */
  problems: string[];
};

const ds = (name: string, children: XElement['children'] = [], attrs = [] as XElement['attrs']) =>
  xel(`ds:${name}`, DSIG_NS, children, attrs);

/** The XML-DSig subject name (RFC 4514 order: most specific first) of a certificate. */
export function x509SubjectName(cert: X509Certificate): string {
  const escape = (v: string) => v.replace(/([,+"\\<>;])/g, '\\$1');
  return cert.subject.split('\n').reverse().map((rdn) => {
    const i = rdn.indexOf('=');
    return `${rdn.slice(0, i)}=${escape(rdn.slice(i + 1))}`;
  }).join(',');
}

function keyKind(key: KeyObject): 'rsa' | 'ec' {
  if (key.asymmetricKeyType === 'rsa') return 'rsa';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ec';
  throw edxmlSignerInvalid({ keyType: key.asymmetricKeyType });
}

export function isSignatureElement(el: XElement): boolean {
  return el.local === 'Signature' && (el.uri === EDXML_NS || el.uri === DSIG_NS || el.uri === '');
}

function envelopeReference(envelope: XElement): XElement {
  const digest = createHash('sha256').update(excC14n(envelope, isSignatureElement)).digest('base64');
  const xpath = ds('XPath', [xtext('ancestor-or-self::edXML:edXMLEnvelope')]);
  xpath.ns = { edXML: EDXML_NS };
  return ds('Reference', [
    ds('Transforms', [
      ds('Transform', [], [xattr('Algorithm', ALG.enveloped)]),
      ds('Transform', [xpath], [xattr('Algorithm', ALG.xpath)]),
      ds('Transform', [], [xattr('Algorithm', ALG.excC14n)]),
    ]),
    ds('DigestMethod', [], [xattr('Algorithm', ALG.sha256)]),
    ds('DigestValue', [xtext(digest)]),
  ], [xattr('URI', '')]);
}

/**
 * Makes the `edXML:Signature` element over `envelope` (which must not contain it yet) and the given
 * attachment SHA-256 digests. The private-key operation runs on libuv's thread pool, not on the event
 * loop (an RSA-2048 signature is ~0.7 ms of CPU). Throws edxml.signer_invalid.
 */
export async function createSignature(envelope: XElement, attachments: { contentId: string; sha256: Buffer }[], signer: EdxmlSigner): Promise<XElement> {
  const { kind, subjectName, certificateB64 } = signerFacts(signer);
  const signedInfo = ds('SignedInfo', [
    ds('CanonicalizationMethod', [], [xattr('Algorithm', ALG.excC14n)]),
    ds('SignatureMethod', [], [xattr('Algorithm', kind === 'rsa' ? ALG.rsaSha256 : ALG.ecdsaSha256)]),
    envelopeReference(envelope),
    ...attachments.map((a) => ds('Reference', [
      ds('DigestMethod', [], [xattr('Algorithm', ALG.sha256)]),
      ds('DigestValue', [xtext(a.sha256.toString('base64'))]),
    ], [xattr('URI', `cid:${a.contentId}`)])),
  ]);
  const value = await signInPool('sha256', Buffer.from(excC14n(signedInfo), 'utf8'),
    kind === 'rsa' ? signer.privateKey : { key: signer.privateKey, dsaEncoding: 'ieee-p1363' });
  const signature = xel('edXML:Signature', EDXML_NS, [
    signedInfo,
    ds('SignatureValue', [xtext(value.toString('base64'))]),
    ds('KeyInfo', [ds('X509Data', [
      ds('X509SubjectName', [xtext(subjectName)]),
      ds('X509Certificate', [xtext(certificateB64)]),
    ])]),
  ]);
  signature.ns = { ds: DSIG_NS };
  return signature;
}

const signInPool = promisify(sign as (algorithm: string, data: Buffer, key: Parameters<typeof sign>[2], callback: (error: Error | null, signature: Buffer) => void) => void);

// What a signer's certificate says, checked once per signer (the connector keeps one signer object per seal).
const signerFactsCache = new WeakMap<EdxmlSigner, { kind: 'rsa' | 'ec'; subjectName: string; certificateB64: string }>();

/** The key kind, subject name and base64 certificate of a signer whose key matches its certificate. Throws edxml.signer_invalid. */
function signerFacts(signer: EdxmlSigner): { kind: 'rsa' | 'ec'; subjectName: string; certificateB64: string } {
  const cached = signerFactsCache.get(signer);
  if (cached) return cached;
  const kind = keyKind(signer.privateKey);
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(signer.certificate);
  } catch (cause) {
    throw edxmlSignerInvalid({ reason: 'certificate' }, { cause });
  }
  if (!cert.checkPrivateKey(signer.privateKey)) throw edxmlSignerInvalid({ reason: 'key does not match certificate' });
  const facts = { kind, subjectName: x509SubjectName(cert), certificateB64: Buffer.from(signer.certificate).toString('base64') };
  signerFactsCache.set(signer, facts);
  return facts;
}

/** Finds the signature element in edXMLHeader (edXML:Signature, ds:Signature or unqualified). */
export function findSignature(header: XElement): XElement | undefined {
  return header.children.find((c): c is XElement => c.kind === 'element' && isSignatureElement(c));
}

function algorithmOf(el: XElement | undefined): string {
  if (!el) return '';
  // Bkav's SDK writes DigestMethod's URI as text instead of the Algorithm attribute.
  return el.attrs.find((a) => a.local === 'Algorithm')?.value ?? textOf(el).trim();
}

export type RefInfo = { uri: string; covers: 'envelope' | 'document' | 'attachment' | 'unknown'; hash?: string; digest: string; el: XElement; transformsOk: boolean };

export function describeReference(ref: XElement): RefInfo {
  const uri = ref.attrs.find((a) => a.local === 'URI')?.value ?? '';
  const transforms = childNamed(ref, 'Transforms');
  const algs = transforms ? childrenNamed(transforms, 'Transform').map((t) => ({ alg: algorithmOf(t), el: t })) : [];
  const hash = DIGESTS[algorithmOf(childNamed(ref, 'DigestMethod'))];
  const digest = textOf(childNamed(ref, 'DigestValue') ?? xel('x', '')).replace(/\s+/g, '');
  const base = { uri, hash, digest, el: ref };
  if (uri.startsWith('cid:')) return { ...base, covers: 'attachment', transformsOk: algs.length === 0 };
  if (uri !== '') return { ...base, covers: 'unknown', transformsOk: false };
  const xpath = algs.find((t) => t.alg === ALG.xpath);
  const known = algs.every((t) => t.alg === ALG.enveloped || t.alg === ALG.xpath || EXC_C14N_ALIASES.includes(t.alg));
  const xpathOk = !xpath || /^\s*ancestor-or-self::[A-Za-z_][\w.-]*:edXMLEnvelope\s*$/.test(textOf(xpath.el));
  return { ...base, covers: xpath ? 'envelope' : 'document', transformsOk: known && xpathOk };
}

/** What the streaming parser must hash per attachment, and whether the whole document is signed. */
export function signaturePlan(signature: XElement): { digests: Map<string, Set<string>>; wholeDocument: boolean } {
  const signedInfo = childNamed(signature, 'SignedInfo');
  const digests = new Map<string, Set<string>>();
  let wholeDocument = false;
  for (const ref of signedInfo ? childrenNamed(signedInfo, 'Reference') : []) {
    const info = describeReference(ref);
    if (info.covers === 'document') wholeDocument = true;
    if (info.covers === 'attachment' && info.hash) {
      const cid = normalizeContentId(info.uri);
      digests.set(cid, (digests.get(cid) ?? new Set()).add(info.hash));
    }
  }
  return { digests, wholeDocument };
}

/** `cid:<x>`, `<x>` and `x` all name the same attachment. */
export function normalizeContentId(value: string): string {
  return value.trim().replace(/^cid:/i, '').replace(/^<(.*)>$/, '$1');
}
