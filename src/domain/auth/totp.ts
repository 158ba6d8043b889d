import { createHmac } from 'node:crypto';
import { generateSecret, generateURI } from 'otplib';
import QRCode from 'qrcode';

const PERIOD_S = 30;
const DIGITS = 6;

/** A new random TOTP secret (Base32, 160 bits) for an authenticator app. */
export const newTotpSecret = (): string => generateSecret();

/** The otpauth:// URI and its QR code (PNG data URL) for the user to scan. */
export async function totpEnrollment(secret: string, label: string): Promise<{ uri: string; qrDataUrl: string }> {
  const uri = generateURI({ issuer: 'vanthu', label, secret });
  return { uri, qrDataUrl: await QRCode.toDataURL(uri, { margin: 1, width: 240 }) };
}

/**
 * Checks a 6-digit RFC 6238 code with ±1 step of clock drift. Returns the accepted time step, or null.
 * A step at or before `lastStep` is refused, so a code cannot be replayed.
 */
export function verifyTotpCode(secret: string, code: string, lastStep: number | null, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code.trim())) return null;
  const key = base32Decode(secret);
  const current = Math.floor(now / 1000 / PERIOD_S);
  for (const step of [current - 1, current, current + 1]) {
    if (lastStep !== null && step <= lastStep) continue;
    if (hotp(key, step) === code.trim()) return step;
  }
  return null;
}

/** The code for a time step (RFC 4226 dynamic truncation); exported for tests and enrolment checks. */
export function hotp(key: Uint8Array, counter: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** DIGITS).padStart(DIGITS, '0');
}

export const totpCodeAt = (secret: string, now = Date.now()) => hotp(base32Decode(secret), Math.floor(now / 1000 / PERIOD_S));

function base32Decode(input: string): Uint8Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = input.toUpperCase().replace(/=+$/, '');
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    const index = alphabet.indexOf(char);
    if (index < 0) continue;
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Uint8Array.from(out);
}
