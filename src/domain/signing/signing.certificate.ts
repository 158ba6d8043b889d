/**
 * Checks that a certificate may sign now: inside its validity period and, when it has a KeyUsage
 * extension, allowing digitalSignature or nonRepudiation. Signing is refused by default otherwise.
 */
import * as pkijs from 'pkijs';
import { certExpired, certKeyUsage, certNotYetValid } from './signing.errors.ts';

const KEY_USAGE = '2.5.29.15';

/** Throws `signing.cert_expired`, `signing.cert_not_yet_valid` or `signing.cert_key_usage`. */
export function assertCanSign(certificate: Uint8Array, now: Date = new Date()): void {
  const cert = pkijs.Certificate.fromBER(Uint8Array.from(certificate));
  const notBefore = cert.notBefore.value;
  const notAfter = cert.notAfter.value;
  if (now.getTime() > notAfter.getTime()) throw certExpired({ notAfter: notAfter.toISOString() });
  if (now.getTime() < notBefore.getTime()) throw certNotYetValid({ notBefore: notBefore.toISOString() });
  const ext = cert.extensions?.find((e) => e.extnID === KEY_USAGE);
  if (!ext) return;
  const bits = new Uint8Array((ext.parsedValue as { valueBlock: { valueHexView: Uint8Array } }).valueBlock.valueHexView);
  // digitalSignature is bit 0 (0x80), nonRepudiation/contentCommitment bit 1 (0x40) of the first byte.
  if (((bits[0] ?? 0) & 0xc0) === 0) throw certKeyUsage();
}
