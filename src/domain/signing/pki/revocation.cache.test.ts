import { describe, expect, test } from 'vitest';
import { createRevocationCache } from './revocation.cache.ts';

describe('the verifier\'s cache remembers failed downloads', () => {
  test('a failure is remembered until its time, then forgotten', () => {
    let clock = 1_000_000;
    const cache = createRevocationCache({ now: () => clock });
    const until = cache.rememberFailure('aia|http://ca.example/ca.cer', 'máy chủ trả lời HTTP 503', 600_000);
    expect(until.getTime()).toBe(1_600_000);
    clock = 1_599_999;
    expect(cache.recentFailure('aia|http://ca.example/ca.cer')).toEqual({ reason: 'máy chủ trả lời HTTP 503', until });
    expect(cache.recentFailure('aia|http://ca.example/other.cer')).toBeUndefined();
    clock = 1_600_000;
    expect(cache.recentFailure('aia|http://ca.example/ca.cer')).toBeUndefined();
  });

  test('at most maxFailures addresses are remembered: the oldest failure is forgotten first, a renewed one counts as new', () => {
    const cache = createRevocationCache({ maxFailures: 2 });
    cache.rememberFailure('a', 'lỗi a', 600_000);
    cache.rememberFailure('b', 'lỗi b', 600_000);
    cache.rememberFailure('a', 'lỗi a lần hai', 600_000);
    cache.rememberFailure('c', 'lỗi c', 600_000);
    expect(['a', 'b', 'c'].map((k) => cache.recentFailure(k)?.reason)).toEqual(['lỗi a lần hai', undefined, 'lỗi c']);
    cache.clear();
    expect(cache.recentFailure('a')).toBeUndefined();
  });
});
