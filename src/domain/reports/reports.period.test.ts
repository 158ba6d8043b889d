import { describe, expect, test } from 'vitest';
import { periodFileName, resolvePeriod } from './reports.period.ts';

describe('the name a report download carries for its period', () => {
  const today = '2026-12-08';
  test('this month, this quarter and this year are named in Vietnamese with their numbers', () => {
    expect(periodFileName(resolvePeriod({ period: 'month' }, today))).toBe('thang-12-2026');
    expect(periodFileName(resolvePeriod({ period: 'quarter' }, today))).toBe('quy-4-2026');
    expect(periodFileName(resolvePeriod({ period: 'year' }, today))).toBe('nam-2026');
    expect(periodFileName(resolvePeriod({ period: 'month' }, '2026-02-14'))).toBe('thang-02-2026');
    expect(periodFileName(resolvePeriod({ period: 'quarter' }, '2026-02-14'))).toBe('quy-1-2026');
  });

  test('a range of days is named by its two days, dd-mm-yyyy', () => {
    expect(periodFileName(resolvePeriod({ period: 'range', from: '2026-11-05', to: '2026-12-08' }, today))).toBe('tu-05-11-2026-den-08-12-2026');
    // a range that is exactly a month reads as that month
    expect(periodFileName({ from: '2026-11-01', to: '2026-11-30' })).toBe('thang-11-2026');
    // two months are not a quarter
    expect(periodFileName({ from: '2026-10-01', to: '2026-11-30' })).toBe('tu-01-10-2026-den-30-11-2026');
  });
});
