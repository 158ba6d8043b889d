import { expect, test } from 'vitest';
import { createRecentBodyCache } from './axis.recent.ts';

const bodies = (sha256: string, size: number, delivered?: { sha256: string; size: number }) => {
  const bytes = new Uint8Array(size);
  return { sha256, bytes, deliveredSha256: delivered?.sha256 ?? sha256, delivered: delivered ? new Uint8Array(delivered.size) : bytes };
};

test('a recent package gives the sender its original and recipients the delivered copy, and nothing under another hash', () => {
  const recent = createRecentBodyCache(1000);
  const b = bodies('orig', 10, { sha256: 'traced', size: 12 });
  recent.remember('doc-1', b);
  expect(recent.bodyOf('doc-1', 'orig')).toBe(b.bytes);
  expect(recent.bodyOf('doc-1', 'traced')).toBe(b.delivered);
  expect(recent.bodyOf('doc-1', 'other')).toBeUndefined();
  expect(recent.bodyOf('doc-2', 'orig')).toBeUndefined();
});

test('past its size the oldest packages are dropped first, and a body larger than the whole cache is not kept', () => {
  const recent = createRecentBodyCache(100);
  recent.remember('a', bodies('a', 40));
  recent.remember('b', bodies('b', 40));
  recent.remember('c', bodies('c', 40));
  expect([recent.has('a'), recent.has('b'), recent.has('c')]).toEqual([false, true, true]);
  recent.remember('huge', bodies('huge', 101));
  expect(recent.has('huge')).toBe(false);
  expect(recent.has('c')).toBe(true);
});
