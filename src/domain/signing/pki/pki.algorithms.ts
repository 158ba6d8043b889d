import { createHash, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { algIdOf, childrenOf, contentOf, expectTag, rootOf, type AlgId } from './pki.der.ts';

/** Hash algorithms we accept, by OID, with Node's name and strength. SHA-1 is accepted but marked weak. */
export const HASH_BY_OID: Record<string, { name: string; bits: number; weak: boolean }> = {
  '1.3.14.3.2.26': { name: 'sha1', bits: 160, weak: true },
  '2.16.840.1.101.3.4.2.4': { name: 'sha224', bits: 224, weak: false },
  '2.16.840.1.101.3.4.2.1': { name: 'sha256', bits: 256, weak: false },
  '2.16.840.1.101.3.4.2.2': { name: 'sha384', bits: 384, weak: false },
  '2.16.840.1.101.3.4.2.3': { name: 'sha512', bits: 512, weak: false },
};

export const OID_BY_HASH: Record<string, string> = Object.fromEntries(
  Object.entries(HASH_BY_OID).map(([oid, h]) => [h.name, oid]),
);

const SIG_HASH: Record<string, { kind: 'rsa' | 'ecdsa'; hash: string }> = {
  '1.2.840.113549.1.1.5': { kind: 'rsa', hash: 'sha1' },
  '1.2.840.113549.1.1.14': { kind: 'rsa', hash: 'sha224' },
  '1.2.840.113549.1.1.11': { kind: 'rsa', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { kind: 'rsa', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { kind: 'rsa', hash: 'sha512' },
  '1.2.840.10045.4.1': { kind: 'ecdsa', hash: 'sha1' },
  '1.2.840.10045.4.3.1': { kind: 'ecdsa', hash: 'sha224' },
  '1.2.840.10045.4.3.2': { kind: 'ecdsa', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { kind: 'ecdsa', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { kind: 'ecdsa', hash: 'sha512' },
};
const OID_RSA = '1.2.840.113549.1.1.1';
const OID_PSS = '1.2.840.113549.1.1.10';
const OID_EC_KEY = '1.2.840.10045.2.1';

/** Node hash name for a digest AlgorithmIdentifier, or undefined when unsupported. */
export function hashName(alg: AlgId | string): string | undefined {
  const oid = typeof alg === 'string' ? alg : alg.algorithm;
  return HASH_BY_OID[oid]?.name;
}

/** Digest of `parts` (concatenated) with a Node hash name. */
export function digest(name: string, ...parts: Uint8Array[]): Uint8Array {
  const h = createHash(name);
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/** RSASSA-PSS-params (RFC 4055): hash (default SHA-1) and salt length (default 20). */
function pssParams(der: Uint8Array | undefined): { hash: string; saltLength: number } {
  let hash = 'sha1';
  let saltLength = 20;
  if (!der) return { hash, saltLength };
  for (const field of childrenOf(der, expectTag(rootOf(der), 0x30, 'RSASSA-PSS-params'))) {
    const inner = childrenOf(der, field)[0];
    if (!inner) continue;
    if (field.tag === 0xa0) hash = hashName(algIdOf(der, inner)) ?? 'sha1';
    if (field.tag === 0xa2) saltLength = contentOf(der, expectTag(inner, 0x02, 'saltLength')).reduce((n, x) => n * 256 + x, 0);
  }
  return { hash, saltLength };
}

export type SignatureCheck = { ok: boolean; algorithm: string; hash: string; reason?: string };

/**
 * Verifies a raw signature over `data` with `key`, given the signature AlgorithmIdentifier and, for
 * key-only OIDs (rsaEncryption, id-ecPublicKey, as some CMS signers write), the digest algorithm.
 * Never throws: unsupported algorithms come back as ok=false with a reason.
 */
export function verifySignature(data: Uint8Array, signature: Uint8Array, key: KeyObject, sigAlg: AlgId, digestOid?: string): SignatureCheck {
  const oid = sigAlg.algorithm;
  try {
    if (oid === OID_PSS) {
      const { hash, saltLength } = pssParams(sigAlg.parameters);
      const ok = cryptoVerify(hash, data, { key, padding: 6, saltLength }, signature);
      return { ok, algorithm: 'RSASSA-PSS', hash };
    }
    const known = SIG_HASH[oid];
    const keyOnly = oid === OID_RSA || oid === OID_EC_KEY;
    const hash = known?.hash ?? (keyOnly && digestOid ? hashName(digestOid) : undefined);
    if (!hash) return { ok: false, algorithm: oid, hash: '', reason: `unsupported signature algorithm ${oid}` };
    const isEc = known ? known.kind === 'ecdsa' : oid === OID_EC_KEY;
    const ok = cryptoVerify(hash, data, isEc ? { key, dsaEncoding: 'der' } : { key, padding: 1 }, signature);
    return { ok, algorithm: isEc ? 'ECDSA' : 'RSASSA-PKCS1-v1_5', hash };
  } catch (e) {
    return { ok: false, algorithm: oid, hash: '', reason: e instanceof Error ? e.message : String(e) };
  }
}

/** Equality of byte arrays. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

export function toHex(b: ArrayBuffer | Uint8Array): string {
  return Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b)).toString('hex');
}
