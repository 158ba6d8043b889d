import { X509Certificate, createHash } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AuthorityInfoAccessSyntax, AuthorityKeyIdentifier, BasicConstraints, CRLDistributionPoints, Certificate,
  ExtendedKeyUsage, KeyUsage, Name, SubjectKeyIdentifier, type Extension,
} from '@peculiar/asn1-x509';
import { toHex } from './pki.algorithms.ts';

/** A parsed certificate: Node's native X509Certificate for crypto plus the extensions we need. */
export type CertInfo = {
  der: Uint8Array;
  x509: X509Certificate;
  asn: Certificate;
  /** SHA-256 of the DER, hex: the identity we key caches and de-duplication on. */
  id: string;
  subject: string;
  issuer: string;
  /** DER of the subject / issuer Name, hex, for exact matching. */
  subjectDer: string;
  issuerDer: string;
  serialHex: string;
  notBefore: Date;
  notAfter: Date;
  isCa: boolean;
  /** KeyUsage bits (bit 0 = digitalSignature … bit 6 = cRLSign), undefined when absent. */
  keyUsage?: { digitalSignature: boolean; nonRepudiation: boolean; keyCertSign: boolean; cRLSign: boolean };
  ekus: string[];
  ekuCritical: boolean;
  ski?: string;
  aki?: string;
  ocspUrls: string[];
  caIssuerUrls: string[];
  crlUrls: string[];
  ocspNoCheck: boolean;
  selfSigned: boolean;
  /** One attribute of the subject, e.g. 'CN' or 'O'. */
  subjectAttr: (short: string) => string | undefined;
};

const ATTR: Record<string, string> = {
  '2.5.4.3': 'CN', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.12': 'T',
  '0.9.2342.19200300.100.1.1': 'UID', '1.2.840.113549.1.9.1': 'E', '2.5.4.5': 'SERIALNUMBER',
};

function nameAttrs(name: Name): [string, string][] {
  const out: [string, string][] = [];
  for (const rdn of name) {
    for (const atv of rdn) out.push([ATTR[atv.type] ?? atv.type, atv.value.toString()]);
  }
  return out;
}

/** RFC 4514-style one-line name, most specific first (CN=…, O=…, C=…). */
export function formatName(name: Name): string {
  return nameAttrs(name).reverse().map(([k, v]) => `${k}=${v}`).join(', ');
}

function ext<T>(exts: Extension[], oid: string, type: new () => T): { value: T; critical: boolean } | undefined {
  const e = exts.find((x) => x.extnID === oid);
  if (!e) return undefined;
  return { value: AsnConvert.parse(e.extnValue, type), critical: e.critical };
}

function uris(names: { uniformResourceIdentifier?: string }[] | undefined): string[] {
  return (names ?? []).flatMap((n) => (n.uniformResourceIdentifier ? [n.uniformResourceIdentifier] : []));
}

function parseExtensions(asn: Certificate) {
  const exts = asn.tbsCertificate.extensions ?? [];
  const ku = ext(exts, '2.5.29.15', KeyUsage);
  const eku = ext(exts, '2.5.29.37', ExtendedKeyUsage);
  const aia = ext(exts, '1.3.6.1.5.5.7.1.1', AuthorityInfoAccessSyntax)?.value ?? [];
  const cdp = ext(exts, '2.5.29.31', CRLDistributionPoints)?.value ?? [];
  const akiVal = ext(exts, '2.5.29.35', AuthorityKeyIdentifier)?.value.keyIdentifier;
  const skiVal = ext(exts, '2.5.29.14', SubjectKeyIdentifier)?.value;
  const bits = ku ? ku.value.toNumber() : 0;
  return {
    isCa: ext(exts, '2.5.29.19', BasicConstraints)?.value.cA === true,
    keyUsage: ku ? { digitalSignature: (bits & 1) !== 0, nonRepudiation: (bits & 2) !== 0, keyCertSign: (bits & 32) !== 0, cRLSign: (bits & 64) !== 0 } : undefined,
    ekus: eku ? [...eku.value] : [],
    ekuCritical: eku?.critical === true,
    ski: skiVal ? toHex(skiVal.buffer) : undefined,
    aki: akiVal ? toHex(akiVal.buffer) : undefined,
    ocspUrls: uris(aia.filter((a) => a.accessMethod === '1.3.6.1.5.5.7.48.1').map((a) => a.accessLocation)),
    caIssuerUrls: uris(aia.filter((a) => a.accessMethod === '1.3.6.1.5.5.7.48.2').map((a) => a.accessLocation)),
    crlUrls: cdp.flatMap((dp) => uris(dp.distributionPoint?.fullName)),
    ocspNoCheck: exts.some((x) => x.extnID === '1.3.6.1.5.5.7.48.1.5'),
  };
}

const cache = new Map<string, CertInfo>();
const CACHE_MAX = 2000;

/**
 * Parses a DER certificate (memoised by its SHA-256). Throws a plain Error on malformed input; callers
 * turn that into a FORMAT_FAILURE or skip the certificate.
 */
export function parseCert(der: Uint8Array): CertInfo {
  const id = createHash('sha256').update(der).digest('hex');
  const hit = cache.get(id);
  if (hit) return hit;
  const asn = AsnConvert.parse(der, Certificate);
  const x509 = new X509Certificate(der);
  const tbs = asn.tbsCertificate;
  const subjectDer = toHex(AsnConvert.serialize(tbs.subject));
  const issuerDer = toHex(AsnConvert.serialize(tbs.issuer));
  const subjectAttrs = nameAttrs(tbs.subject);
  const info: CertInfo = {
    der, x509, asn, id, subjectDer, issuerDer,
    subject: formatName(tbs.subject), issuer: formatName(tbs.issuer),
    serialHex: x509.serialNumber.toUpperCase(),
    notBefore: tbs.validity.notBefore.getTime(), notAfter: tbs.validity.notAfter.getTime(),
    ...parseExtensions(asn),
    selfSigned: subjectDer === issuerDer,
    subjectAttr: (short) => subjectAttrs.find(([k]) => k === short)?.[1],
  };
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(id, info);
  return info;
}

/** Parses PEM text (one or many certificates) or DER bytes into DER blocks. */
export function splitCerts(input: Uint8Array | string): Uint8Array[] {
  const text = typeof input === 'string' ? input : Buffer.from(input.subarray(0, 64)).toString('latin1').includes('-----BEGIN')
    ? Buffer.from(input).toString('latin1') : undefined;
  if (text === undefined) return [input as Uint8Array];
  const out: Uint8Array[] = [];
  for (const m of text.matchAll(/-----BEGIN (?:TRUSTED )?CERTIFICATE-----([\s\S]*?)-----END (?:TRUSTED )?CERTIFICATE-----/g)) {
    out.push(new Uint8Array(Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64')));
  }
  return out;
}
