import { X509Certificate, createHash } from 'node:crypto';
import { toHex } from './pki.algorithms.ts';
import { bitsOf, bytesOf, childrenOf, contentOf, expectTag, isContext, oidOf, rootOf, stringOf, timeOf, type Tlv } from './pki.der.ts';

/** A parsed certificate: Node's native X509Certificate for crypto plus the fields and extensions we need, read by a DER walk. */
export type CertInfo = {
  der: Uint8Array;
  x509: X509Certificate;
  /** SHA-256 of the DER, hex: the identity we key caches and de-duplication on. */
  id: string;
  subject: string;
  issuer: string;
  /** DER of the subject / issuer Name, hex, for exact matching. */
  subjectDer: string;
  issuerDer: string;
  /** Content bytes of the serialNumber INTEGER, as encoded. */
  serial: Uint8Array;
  serialHex: string;
  /** subjectPublicKey bits of the SubjectPublicKeyInfo (what an OCSP CertID hashes). */
  publicKeyBits: Uint8Array;
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
  /** One attribute of the issuer's name as this certificate writes it, e.g. 'CN' or 'O'. */
  issuerAttr: (short: string) => string | undefined;
};

const ATTR: Record<string, string> = {
  '2.5.4.3': 'CN', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.12': 'T',
  '0.9.2342.19200300.100.1.1': 'UID', '1.2.840.113549.1.9.1': 'E', '2.5.4.5': 'SERIALNUMBER',
};

function nameAttrs(b: Uint8Array, name: Tlv): [string, string][] {
  const out: [string, string][] = [];
  for (const rdn of childrenOf(b, expectTag(name, 0x30, 'Name'))) {
    for (const atv of childrenOf(b, rdn)) {
      const [type, value] = childrenOf(b, atv);
      if (!type || !value) throw new Error('bad AttributeTypeAndValue');
      const oid = oidOf(b, type);
      out.push([ATTR[oid] ?? oid, stringOf(b, value)]);
    }
  }
  return out;
}

/** RFC 4514-style one-line name, most specific first (CN=…, O=…, C=…), from the DER of a Name. */
export function formatName(nameDer: Uint8Array): string {
  return formatAttrs(nameAttrs(nameDer, rootOf(nameDer)));
}

function formatAttrs(attrs: [string, string][]): string {
  return [...attrs].reverse().map(([k, v]) => `${k}=${v}`).join(', ');
}

/** URIs ([6] IA5String) among GeneralNames. */
function uris(b: Uint8Array, names: Tlv[]): string[] {
  return names.filter((n) => n.tag === 0x86).map((n) => Buffer.from(contentOf(b, n)).toString('latin1'));
}

type Extensions = Pick<CertInfo, 'isCa' | 'keyUsage' | 'ekus' | 'ekuCritical' | 'ski' | 'aki' | 'ocspUrls' | 'caIssuerUrls' | 'crlUrls' | 'ocspNoCheck'>;

function parseExtensions(b: Uint8Array, list: Tlv | undefined): Extensions {
  const out: Extensions = { isCa: false, ekus: [], ekuCritical: false, ocspUrls: [], caIssuerUrls: [], crlUrls: [], ocspNoCheck: false };
  for (const e of list ? childrenOf(b, expectTag(list, 0x30, 'Extensions')) : []) {
    const parts = childrenOf(b, e);
    const [idT] = parts;
    const valueT = parts.at(-1);
    if (!idT || !valueT || parts.length < 2) throw new Error('bad Extension');
    const critical = parts.length === 3 && parts[1]?.tag === 0x01 && b[parts[1].contentStart] !== 0;
    const v = contentOf(b, expectTag(valueT, 0x04, 'extnValue'));
    const root = () => rootOf(v);
    switch (oidOf(b, idT)) {
      case '2.5.29.19': { const cA = childrenOf(v, root())[0]; out.isCa = cA?.tag === 0x01 && v[cA.contentStart] !== 0; break; }
      case '2.5.29.15': {
        const bits = bitsOf(v, root());
        const byte = bits[0] ?? 0;
        out.keyUsage = { digitalSignature: (byte & 0x80) !== 0, nonRepudiation: (byte & 0x40) !== 0, keyCertSign: (byte & 0x04) !== 0, cRLSign: (byte & 0x02) !== 0 };
        break;
      }
      case '2.5.29.37': out.ekus = childrenOf(v, root()).map((o) => oidOf(v, o)); out.ekuCritical = critical; break;
      case '2.5.29.14': out.ski = toHex(contentOf(v, expectTag(root(), 0x04, 'SubjectKeyIdentifier'))); break;
      case '2.5.29.35': { const id = childrenOf(v, root()).find((x) => x.tag === 0x80); if (id) out.aki = toHex(contentOf(v, id)); break; }
      case '1.3.6.1.5.5.7.1.1':
        for (const ad of childrenOf(v, root())) {
          const [method, location] = childrenOf(v, ad);
          if (!method || !location) continue;
          const m = oidOf(v, method);
          if (m === '1.3.6.1.5.5.7.48.1') out.ocspUrls.push(...uris(v, [location]));
          if (m === '1.3.6.1.5.5.7.48.2') out.caIssuerUrls.push(...uris(v, [location]));
        }
        break;
      case '2.5.29.31':
        for (const dp of childrenOf(v, root())) {
          const name = childrenOf(v, dp).find((x) => x.tag === 0xa0);
          const full = name ? childrenOf(v, name).find((x) => x.tag === 0xa0) : undefined;
          if (full) out.crlUrls.push(...uris(v, childrenOf(v, full)));
        }
        break;
      case '1.3.6.1.5.5.7.48.1.5': out.ocspNoCheck = true; break;
    }
  }
  return out;
}

/** Serial INTEGER content as Node prints X509Certificate.serialNumber: upper-case hex without leading zero bytes. */
function serialHexOf(serial: Uint8Array): string {
  let i = 0;
  while (i < serial.length - 1 && serial[i] === 0) i++;
  const hex = toHex(serial.subarray(i)).toUpperCase();
  return hex === '00' ? '0' : hex;
}

const cache = new Map<string, CertInfo>();
const CACHE_MAX = 2000;

/** Empties the memo of parseCert (the startup snapshot is taken without live crypto objects). */
export function clearCertCache(): void {
  cache.clear();
}

/**
 * Parses a DER certificate (memoised by its SHA-256). Throws a plain Error on malformed input; callers
 * turn that into a FORMAT_FAILURE or skip the certificate.
 */
export function parseCert(der: Uint8Array): CertInfo {
  const id = createHash('sha256').update(der).digest('hex');
  const hit = cache.get(id);
  if (hit) return hit;
  const x509 = new X509Certificate(der);
  const cert = rootOf(der);
  const tbs = expectTag(childrenOf(der, expectTag(cert, 0x30, 'Certificate'))[0], 0x30, 'TBSCertificate');
  const f = childrenOf(der, tbs);
  const at = isContext(f[0], 0) ? 1 : 0;
  const [serialT, , issuerT, validityT, subjectT, spkiT] = f.slice(at);
  const serial = contentOf(der, expectTag(serialT, 0x02, 'serialNumber'));
  const [nb, na] = childrenOf(der, expectTag(validityT, 0x30, 'Validity'));
  const [, spk] = childrenOf(der, expectTag(spkiT, 0x30, 'SubjectPublicKeyInfo'));
  if (!issuerT || !subjectT || !nb || !na || !spk) throw new Error('incomplete TBSCertificate');
  const subjectDer = toHex(bytesOf(der, subjectT));
  const issuerDer = toHex(bytesOf(der, issuerT));
  const subjectAttrs = nameAttrs(der, subjectT);
  const issuerAttrs = nameAttrs(der, issuerT);
  const extList = f.find((x) => x.tag === 0xa3);
  const info: CertInfo = {
    der, x509, id, subjectDer, issuerDer, serial,
    subject: formatAttrs(subjectAttrs), issuer: formatAttrs(issuerAttrs),
    serialHex: serialHexOf(serial), publicKeyBits: bitsOf(der, spk),
    notBefore: timeOf(der, nb), notAfter: timeOf(der, na),
    ...parseExtensions(der, extList ? childrenOf(der, extList)[0] : undefined),
    selfSigned: subjectDer === issuerDer,
    subjectAttr: (short) => subjectAttrs.find(([k]) => k === short)?.[1],
    issuerAttr: (short) => issuerAttrs.find(([k]) => k === short)?.[1],
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
