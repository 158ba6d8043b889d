/**
 * Fills a written placeholder: /ByteRange in place, the digest of the covered bytes (hashed
 * straight from the base and update buffers, without concatenating them), and finally the
 * hex-encoded CMS in /Contents. The base bytes are never touched.
 */
import { createHash } from 'node:crypto';
import { nodeHash } from './signing.cms.ts';
import type { HashAlgorithm } from './keys.ts';
import type { Placeholder } from './signing.placeholder.ts';
import { signatureTooLarge } from './signing.errors.ts';

/** The /ByteRange of a placeholder: [0, contentsStart, contentsEnd, rest]. */
export function byteRangeOf(p: Placeholder): [number, number, number, number] {
  const total = p.base.length + p.update.length;
  return [0, p.contentsStart, p.contentsEnd, total - p.contentsEnd];
}

/** Writes the real /ByteRange into the update (same width, padded with spaces). */
export function fillByteRange(p: Placeholder): void {
  const [a, b, c, d] = byteRangeOf(p);
  const width = p.byteRangeEnd - p.byteRangeStart;
  const text = `[${a} ${b} ${c} ${d}`.padEnd(width - 1, ' ') + ']';
  p.update.set(new TextEncoder().encode(text), p.byteRangeStart - p.base.length);
}

/** Hashes the bytes covered by the /ByteRange (everything except /Contents' hex string). */
export function digestByteRange(p: Placeholder, hash: HashAlgorithm): Uint8Array {
  const h = createHash(nodeHash(hash));
  h.update(p.base);
  h.update(p.update.subarray(0, p.contentsStart - p.base.length));
  h.update(p.update.subarray(p.contentsEnd - p.base.length));
  return new Uint8Array(h.digest());
}

/** The room in /Contents, in bytes of DER. */
export function contentsCapacity(p: Placeholder): number {
  return (p.contentsEnd - p.contentsStart - 2) / 2;
}

/** Writes DER into /Contents as upper-case hex, zero-padded. Throws `signing.signature_too_large`. */
export function fillContents(p: Placeholder, der: Uint8Array): void {
  const capacity = contentsCapacity(p);
  if (der.length > capacity) throw signatureTooLarge({ size: der.length, capacity });
  const hex = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('hex').toUpperCase();
  p.update.set(new TextEncoder().encode(hex), p.contentsStart + 1 - p.base.length);
}

/** The final file: base followed by the update (one copy, into uninitialised memory: no zero-fill pass). */
export function joinPlaceholder(base: Uint8Array, update: Uint8Array): Uint8Array {
  return Buffer.concat([base, update]);
}
