/**
 * A signer's certificate chain, as the admin uploads it with a personal certificate: read from the
 * files a provider gives (.cer/.crt/.der, PEM bundles, .p7b, or a PKCS#12's extra certificates), put
 * in order leaf → issuer → … → root with every link checked by signature, and cut down to what a
 * signature embeds. Vietnamese public CAs (Ban Cơ yếu Chính phủ) issue through an intermediate CA, so
 * a signature carrying only the leaf leaves the recipient with «issuer unknown».
 */
import { X509Certificate } from 'node:crypto';
import * as pkijs from 'pkijs';
import { errorFactory } from '../../platform/errors.ts';
import { formatVnDate } from '../signing/appearance/appearance.time.ts';
import { splitCerts } from '../signing/pki/pki.cert.ts';
import { commonNameOf } from './certificates.names.ts';

export const certificateChainBroken = errorFactory({ code: 'certificates.chain_broken', status: 400,
  message: 'Chuỗi chứng thư số không khớp: chứng thư của tổ chức cấp không phải là chứng thư đã ký chứng thư số này.' });

export const certificateChainExpired = errorFactory({ code: 'certificates.chain_expired', status: 400,
  message: 'Một chứng thư trong chuỗi chứng thư của tổ chức cấp đã hết hạn hoặc chưa đến ngày có hiệu lực.' });

const SIGNED_DATA = '1.2.840.113549.1.7.2';
const MAX_DEPTH = 8;

/** The certificates of a PKCS#7 «certs-only» file (.p7b/.p7c, DER), or undefined when it is not one. */
function p7bCertificates(der: Uint8Array): Uint8Array[] | undefined {
  try {
    const info = pkijs.ContentInfo.fromBER(Uint8Array.from(der));
    if (info.contentType !== SIGNED_DATA) return undefined;
    const signed = new pkijs.SignedData({ schema: info.content });
    return (signed.certificates ?? []).filter((c) => c instanceof pkijs.Certificate).map((c) => new Uint8Array(c.toSchema().toBER()));
  } catch {
    return undefined;
  }
}

/**
 * The certificates (DER) in an uploaded file: one DER certificate, PEM certificates (one or many), or a
 * PKCS#7 .p7b in DER or PEM. Anything else (or a file holding no certificate) is an empty list.
 */
export function readCertificateFile(bytes: Uint8Array): Uint8Array[] {
  const text = Buffer.from(bytes.subarray(0, 64)).toString('latin1').includes('-----BEGIN') ? Buffer.from(bytes).toString('latin1') : undefined;
  const p7Pem = text && /-----BEGIN PKCS7-----([\s\S]*?)-----END PKCS7-----/.exec(text);
  if (p7Pem) return p7bCertificates(new Uint8Array(Buffer.from((p7Pem[1] ?? '').replace(/\s+/g, ''), 'base64'))) ?? [];
  if (text !== undefined) return splitCerts(text).filter(isCertificate);
  return p7bCertificates(bytes) ?? (isCertificate(bytes) ? [bytes] : []);
}

function isCertificate(der: Uint8Array): boolean {
  try {
    new X509Certificate(der);
    return true;
  } catch {
    return false;
  }
}

function isSelfSigned(x: X509Certificate): boolean {
  return x.checkIssued(x) && x.verify(x.publicKey);
}

const nameOf = (dn: string) => commonNameOf(dn) || dn.replace(/\n/g, ', ');
const cnOf = (x: X509Certificate) => nameOf(x.subject);

/**
 * Orders `candidates` as the issuers of `leaf`, nearest first (leaf excluded, root included when given),
 * checking each link: the issuer's name is the certificate's issuer name, the issuer is a CA, and its key
 * verifies the certificate's signature. Duplicates and copies of the leaf are dropped. Refuses, with
 * certificates.chain_broken naming the certificates in question, a candidate that is not on the path
 * (another CA's certificate) and an issuer whose key did not sign (a same-named impostor). `lenient` keeps
 * what links and ignores the rest (a USB token may hold other CAs' certificates too).
 */
export function orderIssuerChain(leaf: Uint8Array, candidates: Uint8Array[], options: { lenient?: boolean } = {}): Uint8Array[] {
  const leafX = new X509Certificate(leaf);
  const pool = new Map<string, { der: Uint8Array; x: X509Certificate }>();
  for (const der of candidates) {
    const x = new X509Certificate(der);
    if (x.fingerprint256 !== leafX.fingerprint256) pool.set(x.fingerprint256, { der, x });
  }
  const chain: Uint8Array[] = [];
  let current = leafX;
  for (let depth = 0; depth < MAX_DEPTH && pool.size > 0 && !isSelfSigned(current); depth++) {
    const named = [...pool.values()].filter((c) => c.x.subject === current.issuer);
    const issuer = named.find((c) => c.x.ca && current.verify(c.x.publicKey));
    if (!issuer) {
      const [impostor] = named;
      if (!impostor || options.lenient) break;
      throw certificateChainBroken({ certificate: cnOf(current), issuer: cnOf(impostor.x) }, {
        message: `Chứng thư «${cnOf(impostor.x)}» trong chuỗi không phải là chứng thư đã ký «${cnOf(current)}» (${impostor.x.ca ? 'cùng tên nhưng khóa của nó không ký chứng thư này' : 'không phải chứng thư của tổ chức chứng thực'}). Hãy tải đúng chuỗi chứng thư do tổ chức chứng thực cấp.`,
      });
    }
    chain.push(issuer.der);
    pool.delete(issuer.x.fingerprint256);
    current = issuer.x;
  }
  const [stray] = pool.values();
  if (stray && !options.lenient) {
    const next = isSelfSigned(current)
      ? `chuỗi đã đủ đến tổ chức chứng thực gốc «${cnOf(current)}»`
      : `chứng thư cần có tiếp theo là của «${nameOf(current.issuer)}», tổ chức đã cấp cho «${cnOf(current)}»`;
    throw certificateChainBroken({ certificate: cnOf(current), stray: cnOf(stray.x) }, {
      message: `Chứng thư «${cnOf(stray.x)}» không thuộc chuỗi cấp của chứng thư số này (${next}). Hãy tải đúng chuỗi chứng thư do tổ chức chứng thực cung cấp.`,
    });
  }
  return chain;
}

/**
 * Refuses an issuer chain (as orderIssuerChain gives it) holding a CA certificate that is not valid at
 * `at` — an intermediate or root that expired, or whose validity has not begun: a signature whose path
 * runs through it is not accepted, however valid the holder's own certificate. Throws
 * certificates.chain_expired, naming the certificate and the date.
 */
export function requireChainValidAt(chain: readonly Uint8Array[], at: Date): void {
  for (const der of chain) {
    const x = new X509Certificate(der);
    const [from, to] = [new Date(x.validFrom), new Date(x.validTo)];
    if (at >= from && at <= to) continue;
    const when = at > to ? `đã hết hạn ngày ${formatVnDate(to)}` : `chỉ có hiệu lực từ ngày ${formatVnDate(from)}`;
    throw certificateChainExpired({ certificate: cnOf(x), notBefore: from.toISOString(), notAfter: to.toISOString() }, {
      message: `Chứng thư «${cnOf(x)}» trong chuỗi của tổ chức cấp ${when}: chữ ký số có chuỗi này sẽ không được công nhận. Hãy tải chuỗi chứng thư còn hiệu lực do tổ chức chứng thực cung cấp.`,
    });
  }
}

/**
 * What a signature with `certificate` embeds of `candidates` (CA certificates in any order, maybe other
 * CAs' too): those that link to it, ordered, without the root. Never throws.
 */
export function issuersToEmbed(certificate: Uint8Array, candidates: readonly Uint8Array[]): Uint8Array[] {
  return chainToEmbed(orderIssuerChain(certificate, candidates.filter(isCertificate), { lenient: true }));
}

/**
 * The chain a signing device sent with its certificate (the CA certificates on the USB token, base64
 * DER, in any order): those that link to it, ordered, without the root. Never throws.
 */
export function deviceChainToEmbed(certificate: Uint8Array, chain: readonly string[]): Uint8Array[] {
  return issuersToEmbed(certificate, chain.map((c) => new Uint8Array(Buffer.from(c, 'base64'))));
}

/**
 * The part of a stored chain a signature embeds: the intermediate CAs, without a self-signed root. A
 * root in a signature earns no trust (the recipient must already trust it), so, as is common practice
 * (Adobe, EU DSS, pdfsig/NSS and openssl all build the path from their own roots), it is left out.
 */
export function chainToEmbed(chain: Uint8Array[]): Uint8Array[] {
  return chain.filter((der) => !isSelfSigned(new X509Certificate(der)));
}
