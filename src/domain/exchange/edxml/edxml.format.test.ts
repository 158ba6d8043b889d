import { describe, expect, test } from 'vitest';
import { formatEdxmlDate, formatEdxmlTimestamp, isAgencyCode, makeDocumentId } from './edxml.format.ts';

describe('value formats of QCVN 102', () => {
  test('dates and timestamps are written in Vietnam time', () => {
    const lateUtc = new Date('2026-03-01T20:30:05Z'); // 03:30:05 on 2 March in Hà Nội
    expect(formatEdxmlDate(lateUtc)).toBe('2026/03/02');
    expect(formatEdxmlTimestamp(lateUtc)).toBe('2026/03/02 03:30:05');
    expect(formatEdxmlTimestamp(new Date('2025-12-31T17:00:00Z'))).toBe('2026/01/01 00:00:00');
  });

  test('DocumentId and agency codes', () => {
    expect(makeDocumentId('000.00.00.G22', '2018/09/20', '7816/VPCP-TTĐT')).toBe('000.00.00.G22,2018/09/20,7816/VPCP-TTĐT');
    expect(makeDocumentId('000.00.00.H49', new Date('2026-03-01T18:00:00Z'), '1/UBND-VP')).toBe('000.00.00.H49,2026/03/02,1/UBND-VP');
    expect(isAgencyCode('000.00.18.G12')).toBe(true);
    for (const bad of ['000.00.00.g22', '00.00.00.G22', '000.00.00.G2', 'VN:GOV:000.00.00.G22', '000.00.00.G22 ']) expect(isAgencyCode(bad)).toBe(false);
  });
});
