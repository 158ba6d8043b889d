import { describe, expect, test } from 'vitest';
import { createBufferPool } from './buffer-pool.ts';

describe('createBufferPool', () => {
  test('gives back the smallest kept buffer that fits, rounds new ones up to the step, keeps at most maxBytes', () => {
    const pool = createBufferPool({ step: 1024, maxBytes: 6144 });
    const small = pool.take(100);
    expect(small.length).toBe(100);
    const [a, b] = [pool.take(1500), pool.take(3000)];
    expect([a.length, b.length]).toEqual([2048, 3072]);
    pool.giveBack(b);
    pool.giveBack(a);
    pool.giveBack(small); // below the step: not kept
    expect(pool.take(1100)).toBe(a);
    expect(pool.take(1100)).toBe(b);
    const c = pool.take(1100);
    expect([c === a, c === b, c.length]).toEqual([false, false, 2048]);
    pool.giveBack(a);
    pool.giveBack(b);
    pool.giveBack(c); // 7168 bytes would pass maxBytes: not kept
    expect(pool.take(2500)).toBe(b);
    expect(pool.take(1100)).toBe(a);
    expect(pool.take(1100)).not.toBe(c);
  });
});
