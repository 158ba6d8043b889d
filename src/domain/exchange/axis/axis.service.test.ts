import { describe, expect, test } from 'vitest';
import { formatEdxmlTimestamp } from '../edxml/edxml.format.ts';
import { listTime } from './axis.service.ts';

describe('list times', () => {
  test('are written in Vietnam time as yyyy-MM-dd HH:mm:ss, the same instant the edXML timestamps name, across day and year ends', () => {
    for (const iso of ['2026-12-31T16:59:59.999Z', '2026-12-31T17:00:00Z', '2024-02-28T17:30:05Z', '1999-06-15T00:00:00Z', '2026-03-02T02:15:00Z']) {
      const date = new Date(iso);
      expect(listTime(date)).toBe(formatEdxmlTimestamp(date).replaceAll('/', '-'));
    }
    expect(listTime(new Date('2026-12-31T17:00:00Z'))).toBe('2027-01-01 00:00:00');
  });
});
