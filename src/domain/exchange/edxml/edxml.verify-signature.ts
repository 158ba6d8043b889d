import { createHash, verify, X509Certificate, type KeyObject } from 'node:crypto';
import {
  describeReference, EXC_C14N_ALIASES, normalizeContentId, SIGNATURE_METHODS, type RefInfo,
  type TEdxmlSignatureCheck,
} from './edxml.signature.ts';
import { childNamed, childrenNamed, excC14n, textOf, type XElement } from './edxml.xml.ts';

/** What the parser collected for checking a package signature. */
export type SignatureContext = {
  signature: XElement;
  envelope: XElement;
  /** The whole document tree, kept only when a reference signs the whole document and it was small. */
  document?: XElement;
  attachments: { contentId: string; digests: Map<string, Buffer> }[];
};

function attr(el: XElement | undefined, local: string): string {
  return el?.attrs.find((a) => a.local === local)?.value ?? '';
}

type SignerCertificate = { der: Uint8Array; publicKey?: KeyObject; subject?: string };
// Parsed certificates by their base64 text: a sender signs every package with the same seal.
const certificates = new Map<string, SignerCertificate>();
const CERTIFICATE_CACHE_SIZE = 256;

/** The signing certificate the signature carries, parsed once per distinct certificate (publicKey undefined when unreadable). */
function certificateOf(signature: XElement): SignerCertificate | undefined {
  const keyInfo = childNamed(signature, 'KeyInfo');
  const data = keyInfo && childNamed(keyInfo, 'X509Data');
  const certEl = data && childNamed(data, 'X509Certificate');
  if (!certEl) return undefined;
  const b64 = textOf(certEl).replace(/\s+/g, '');
  const cached = certificates.get(b64);
  if (cached) return cached;
  const der = new Uint8Array(Buffer.from(b64, 'base64'));
  let parsed: SignerCertificate = { der };
  try {
    const cert = new X509Certificate(der);
    parsed = { der, publicKey: cert.publicKey, subject: cert.subject.split('\n').reverse().join(', ') };
  } catch {
    // unreadable: reported by the caller
  }
  if (certificates.size >= CERTIFICATE_CACHE_SIZE) certificates.clear();
  certificates.set(b64, parsed);
  return parsed;
}

function referenceDigest(ref: RefInfo, ctx: SignatureContext, hash: string): Buffer | string {
  const skip = (el: XElement) => el === ctx.signature;
  if (ref.covers === 'envelope') return createHash(hash).update(excC14n(ctx.envelope, skip)).digest();
  if (ref.covers === 'document') {
    if (!ctx.document) return 'gói tin quá lớn để kiểm tra chữ ký trên toàn bộ tài liệu (URI="")';
    return createHash(hash).update(excC14n(ctx.document, skip)).digest();
  }
  if (ref.covers === 'attachment') {
    const cid = normalizeContentId(ref.uri);
    const found = ctx.attachments.find((a) => a.contentId === cid)?.digests.get(hash);
    return found ?? `không có tệp đính kèm ${ref.uri}`;
  }
  return `không hỗ trợ tham chiếu URI="${ref.uri}"`;
}

function checkReferences(refs: RefInfo[], ctx: SignatureContext, problems: string[]) {
  return refs.map((ref) => {
    let ok = false;
    if (!ref.hash) problems.push(`Thuật toán băm của tham chiếu "${ref.uri}" không được hỗ trợ`);
    else if (!ref.transformsOk) problems.push(`Biến đổi (Transforms) của tham chiếu "${ref.uri}" không được hỗ trợ`);
    else {
      const digest = referenceDigest(ref, ctx, ref.hash);
      if (typeof digest === 'string') problems.push(`Tham chiếu "${ref.uri}": ${digest}`);
      else if (digest.toString('base64') !== ref.digest) problems.push(`Giá trị băm của tham chiếu "${ref.uri}" không khớp: nội dung đã bị thay đổi`);
      else ok = true;
    }
    return { uri: ref.uri, covers: ref.covers, digest: ref.hash ?? '?', ok };
  });
}

function checkCoverage(refs: TEdxmlSignatureCheck['references'], ctx: SignatureContext, problems: string[]) {
  const documentSigned = refs.some((r) => r.covers === 'document' && r.ok);
  if (!documentSigned && !refs.some((r) => r.covers === 'envelope' && r.ok)) {
    problems.push('Chữ ký không bao phủ phần tiêu đề edXMLEnvelope');
  }
  for (const a of ctx.attachments) {
    const covered = documentSigned || refs.some((r) => r.covers === 'attachment' && r.ok && normalizeContentId(r.uri) === a.contentId);
    if (!covered) problems.push(`Tệp đính kèm cid:${a.contentId} không được chữ ký bao phủ`);
  }
}

function checkSignatureValue(signedInfo: XElement, value: string, method: string, publicKey: KeyObject, problems: string[]): void {
  const spec = SIGNATURE_METHODS[method];
  if (!spec) {
    problems.push(`Thuật toán ký "${method}" không được hỗ trợ`);
    return;
  }
  const keyType = publicKey.asymmetricKeyType === 'rsa' ? 'rsa' : 'ec';
  if (keyType !== spec.key) {
    problems.push('Loại khóa của chứng thư số không khớp thuật toán ký');
    return;
  }
  const data = Buffer.from(excC14n(signedInfo), 'utf8');
  const sig = Buffer.from(value.replace(/\s+/g, ''), 'base64');
  const key = spec.key === 'rsa' ? publicKey : { key: publicKey, dsaEncoding: 'ieee-p1363' as const };
  let ok = false;
  try {
    ok = verify(spec.hash, data, key, sig);
  } catch {
    ok = false;
  }
  if (!ok) problems.push('Giá trị chữ ký (SignatureValue) không đúng với chứng thư số');
}

/** Checks the digests and the signature value of a package signature (no trust decision). */
export function verifySignatureElement(ctx: SignatureContext): TEdxmlSignatureCheck {
  const signedInfo = childNamed(ctx.signature, 'SignedInfo');
  const valueEl = childNamed(ctx.signature, 'SignatureValue');
  const value = valueEl ? textOf(valueEl).trim() : '';
  if (!signedInfo || value === '') {
    return { signed: false, valid: false, references: [], problems: ['Gói tin không có chữ ký số'] };
  }
  const problems: string[] = [];
  const c14n = attr(childNamed(signedInfo, 'CanonicalizationMethod'), 'Algorithm');
  if (!EXC_C14N_ALIASES.includes(c14n)) problems.push(`Phương pháp chuẩn hóa "${c14n}" không được hỗ trợ (chỉ exc-c14n)`);
  const method = attr(childNamed(signedInfo, 'SignatureMethod'), 'Algorithm');
  const references = checkReferences(childrenNamed(signedInfo, 'Reference').map(describeReference), ctx, problems);
  checkCoverage(references, ctx, problems);
  const signer = certificateOf(ctx.signature);
  if (!signer?.publicKey) problems.push('Thiếu hoặc hỏng chứng thư số (KeyInfo/X509Data/X509Certificate)');
  else if (problems.length === 0 || EXC_C14N_ALIASES.includes(c14n)) checkSignatureValue(signedInfo, value, method, signer.publicKey, problems);
  return {
    signed: true,
    valid: problems.length === 0,
    signatureMethod: SIGNATURE_METHODS[method]?.name ?? method,
    certificate: signer?.der,
    subject: signer?.subject,
    references,
    problems,
  };
}
