/**
 * Checks that a certificate may sign now: inside its validity period and, when it has a KeyUsage
 * extension, allowing digitalSignature or nonRepudiation. Signing is refused by default otherwise.
 */
import * as pkijs from 'pkijs';
import { certExpired, certKeyUsage, certNotYetValid } from './signing.errors.ts';

const KEY_USAGE = '2.5.29.15';

type Facts = { notBefore: Date; notAfter: Date; canSign: boolean };
const cache = new WeakMap<Uint8Array, Facts>();

function factsOf(certificate: Uint8Array): Facts {
  const cached = cache.get(certificate);
  if (cached) return cached;
  const cert = pkijs.Certificate.fromBER(new Uint8Array(certificate));
  const ext = cert.extensions?.find((e) => e.extnID === KEY_USAGE);
  const bits = ext ? new Uint8Array((ext.parsedValue as { valueBlock: { valueHexView: Uint8Array } }).valueBlock.valueHexView) : undefined;
  // digitalSignature is bit 0 (0x80), nonRepudiation/contentCommitment bit 1 (0x40) of the first byte.
  const facts = { notBefore: cert.notBefore.value, notAfter: cert.notAfter.value, canSign: !bits || ((bits[0] ?? 0) & 0xc0) !== 0 };
  cache.set(certificate, facts);
  return facts;
}

/** Throws `signing.cert_expired`, `signing.cert_not_yet_valid` or `signing.cert_key_usage`. */
export function assertCanSign(certificate: Uint8Array, now: Date = new Date()): void {
  const { notBefore, notAfter, canSign } = factsOf(certificate);
  if (now.getTime() > notAfter.getTime()) throw certExpired({ notAfter: notAfter.toISOString() });
  if (now.getTime() < notBefore.getTime()) throw certNotYetValid({ notBefore: notBefore.toISOString() });
  if (!canSign) throw certKeyUsage();
}
