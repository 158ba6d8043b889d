import { createHash, randomBytes } from 'node:crypto';
import { expect, test } from 'vitest';
import { prefixDigester } from './verify.cms.ts';

const plain = (name: string, parts: Uint8Array[]) => {
  const h = createHash(name);
  for (const p of parts) h.update(p);
  return Buffer.from(h.digest()).toString('hex');
};

test('signatures of one file hashed through shared prefixes give the same digests as hashing each range whole', () => {
  const file = new Uint8Array(randomBytes(200_000));
  const digestOf = prefixDigester(file);
  // Ranges as signatures of successive revisions have them (first part from byte 0, then the rest after /Contents),
  // asked in an order that makes the digester resume from shorter and longer prefixes, with two hash names.
  const ranges: [string, number, number, number][] = [['sha256', 50_000, 60_000, 90_000], ['sha256', 150_000, 160_000, 200_000],
    ['sha256', 100_000, 110_000, 140_000], ['sha384', 150_000, 160_000, 200_000], ['sha256', 150_000, 160_000, 200_000], ['sha256', 10, 20, 30]];
  for (const [name, a, b, c] of ranges) {
    const parts = [file.subarray(0, a), file.subarray(b, c)];
    expect(Buffer.from(digestOf(name, parts)).toString('hex')).toBe(plain(name, parts));
  }
  // Parts that do not start at the file's first byte, or come from another buffer, are hashed as given.
  const other = [file.subarray(5, 1000), file.subarray(2000, 3000)];
  expect(Buffer.from(digestOf('sha256', other)).toString('hex')).toBe(plain('sha256', other));
  const copy = [file.slice(0, 50_000)];
  expect(Buffer.from(digestOf('sha256', copy)).toString('hex')).toBe(plain('sha256', copy));
});
