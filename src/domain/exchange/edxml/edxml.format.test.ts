import { describe, expect, test } from 'vitest';
import { documentIdForms, formatEdxmlDate, formatEdxmlTimestamp, isAgencyCode, makeDocumentId } from './edxml.format.ts';

describe('value formats of QCVN 102', () => {
  test('dates and timestamps are written in Vietnam time', () => {
    const lateUtc = new Date('2026-03-01T20:30:05Z'); // 03:30:05 on 2 March in Hà Nội
    expect(formatEdxmlDate(lateUtc)).toBe('2026/03/02');
    expect(formatEdxmlTimestamp(lateUtc)).toBe('2026/03/02 03:30:05');
    expect(formatEdxmlTimestamp(new Date('2025-12-31T17:00:00Z'))).toBe('2026/01/01 00:00:00');
  });

  test('from 1976 on, the UTC+7 arithmetic gives what Intl gives for Asia/Ho_Chi_Minh; earlier instants use Intl', () => {
    const intl = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
    });
    const expected = (d: Date) => {
      const p = Object.fromEntries(intl.formatToParts(d).map((x) => [x.type, x.value]));
      return `${p.year}/${p.month}/${p.day} ${p.hour}:${p.minute}:${p.second}`;
    };
    const from = Date.UTC(1975, 0, 1);
    const until = Date.UTC(2200, 0, 1);
    const instants = [Date.UTC(1975, 5, 12, 15, 59, 59), Date.UTC(1975, 11, 31, 16, 59, 59), Date.UTC(1975, 11, 31, 17), Date.UTC(2000, 1, 28, 17), Date.UTC(2028, 1, 28, 16, 59, 59)];
    for (let i = 0; i < 20_000; i++) instants.push(from + ((i * 2_654_435_761) % (until - from))); // spread over the range, the same every run
    for (const t of instants) {
      expect(formatEdxmlTimestamp(new Date(t)), new Date(t).toISOString()).toBe(expected(new Date(t)));
      expect(formatEdxmlDate(new Date(t))).toBe(expected(new Date(t)).slice(0, 10));
    }
    expect(formatEdxmlTimestamp(new Date('1970-01-01T00:00:00Z'))).toBe(expected(new Date(0)));
    expect(() => formatEdxmlTimestamp(new Date(Number.NaN))).toThrow(RangeError);
  });

  test('DocumentId and agency codes', () => {
    expect(makeDocumentId('000.00.00.G22', '2018/09/20', '7816/VPCP-TTĐT')).toBe('000.00.00.G22,2018/09/20,7816/VPCP-TTĐT');
    expect(makeDocumentId('000.00.00.H49', new Date('2026-03-01T18:00:00Z'), '1/UBND-VP')).toBe('000.00.00.H49,2026/03/02,1/UBND-VP');
    expect(isAgencyCode('000.00.18.G12')).toBe(true);
    for (const bad of ['000.00.00.g22', '00.00.00.G22', '000.00.00.G2', 'VN:GOV:000.00.00.G22', '000.00.00.G22 ']) expect(isAgencyCode(bad)).toBe(false);
  });

  test('a DocumentId with its số below 10 names the same document written either way («2» / «02»); other DocumentIds only themselves', () => {
    expect(documentIdForms('000.00.00.H49,2026/03/02,2/UBND-TH')).toEqual(['000.00.00.H49,2026/03/02,2/UBND-TH', '000.00.00.H49,2026/03/02,02/UBND-TH']);
    expect(documentIdForms('000.00.00.H49,2026/03/02,02/UBND-TH')).toEqual(['000.00.00.H49,2026/03/02,02/UBND-TH', '000.00.00.H49,2026/03/02,2/UBND-TH']);
    for (const one of ['000.00.00.H49,2026/03/02,12/UBND-TH', '000.00.00.H49,2026/03/02,10/UBND-TH', '000.00.00.H49,2026/03/02,002/UBND-TH', '000.00.00.H49,2026/03/02,0/UBND-TH', '6f1c…-uuid', '']) {
      expect(documentIdForms(one)).toEqual([one]);
    }
  });
});
