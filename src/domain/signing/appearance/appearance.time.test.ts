import { describe, expect, test } from 'vitest';
import { formatDocumentNumber, formatIsoVn, formatIssueDate, formatSigningTime } from './appearance.time.ts';

describe('Vietnamese time formatting', () => {
  test('signing time is dd/MM/yyyy HH:mm:ss +07:00 in Vietnam time, across the UTC date line', () => {
    expect(formatSigningTime(new Date('2026-03-04T17:30:05Z'))).toBe('05/03/2026 00:30:05 +07:00');
    expect(formatSigningTime(new Date('2026-12-31T16:59:59Z'))).toBe('31/12/2026 23:59:59 +07:00');
    expect(formatSigningTime(new Date('2026-12-31T17:00:00Z'), '; ')).toBe('01/01/2027; 00:00:00 +07:00');
    expect(formatIsoVn(new Date('2026-03-04T17:30:05Z'))).toBe('2026-03-05T00:30:05+07:00');
  });

  test('the date line pads days below 10 and months 1–2 only', () => {
    expect(formatIssueDate('Hà Nội', new Date('2026-03-05T03:00:00Z'))).toBe('Hà Nội, ngày 05 tháng 3 năm 2026');
    expect(formatIssueDate('Huế', new Date('2026-02-09T03:00:00Z'))).toBe('Huế, ngày 09 tháng 02 năm 2026');
    expect(formatIssueDate('Đà Nẵng', new Date('2026-01-20T03:00:00Z'))).toBe('Đà Nẵng, ngày 20 tháng 01 năm 2026');
    expect(formatIssueDate('Cần Thơ', new Date('2026-12-15T03:00:00Z'))).toBe('Cần Thơ, ngày 15 tháng 12 năm 2026');
  });

  test('document numbers below 10 get a leading zero and the notation is upper case', () => {
    expect(formatDocumentNumber(5, 'qđ-ubnd')).toBe('05/QĐ-UBND');
    expect(formatDocumentNumber(123, 'UBND-VX')).toBe('123/UBND-VX');
  });
});
