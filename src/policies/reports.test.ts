import { describe, expect, test } from 'vitest';
import { can } from './index.ts';
import type { Actor, Role } from './actor.ts';
import { defaultRecordsReportScope, defaultReportScope } from './reports.ts';

const actor = (id: string, roles: Role[], o: { agencyId?: string; unitId?: string | null } = {}): Actor =>
  ({ id, agencyId: o.agencyId ?? 'A', unitId: o.unitId ?? null, username: id, fullName: id, roles });

describe('report rules', () => {
  test("the agency's leaders, clerks and admins see the whole agency, any unit and any person", () => {
    for (const r of ['leader', 'clerk', 'admin'] as Role[]) {
      expect(can(actor('x', [r]), 'reports.view', { agencyId: 'A' })).toBe(true);
      expect(can(actor('x', [r]), 'reports.view', { agencyId: 'A', unitId: 'U2' })).toBe(true);
      expect(can(actor('x', [r]), 'reports.view', { agencyId: 'A', userId: 'someone' })).toBe(true);
      expect(defaultReportScope(actor('x', [r]))).toEqual({ agencyId: 'A' });
    }
  });
  test('a unit head sees their own unit but neither the agency nor another unit', () => {
    const head = actor('h', ['unit_head'], { unitId: 'U1' });
    expect(can(head, 'reports.view', { agencyId: 'A', unitId: 'U1' })).toBe(true);
    expect(can(head, 'reports.view', { agencyId: 'A' })).toBe(false);
    expect(can(head, 'reports.view', { agencyId: 'A', unitId: 'U2' })).toBe(false);
    expect(defaultReportScope(head)).toEqual({ agencyId: 'A', unitId: 'U1' });
  });
  test("staff and archivists see only their own numbers, not a colleague's, their unit's or the agency's", () => {
    for (const r of ['staff', 'archivist'] as Role[]) {
      const me = actor('me', [r], { unitId: 'U1' });
      expect(can(me, 'reports.view', { agencyId: 'A', userId: 'me' })).toBe(true);
      expect(can(me, 'reports.view', { agencyId: 'A', userId: 'colleague' })).toBe(false);
      expect(can(me, 'reports.view', { agencyId: 'A', unitId: 'U1' })).toBe(false);
      expect(can(me, 'reports.view', { agencyId: 'A' })).toBe(false);
      expect(defaultReportScope(me)).toEqual({ agencyId: 'A', userId: 'me' });
    }
  });
  test("nobody sees another agency's report, whatever their roles", () => {
    const other = actor('x', ['leader', 'clerk', 'admin', 'unit_head'], { agencyId: 'B', unitId: 'U1' });
    expect(can(other, 'reports.view', { agencyId: 'A' })).toBe(false);
    expect(can(other, 'reports.view', { agencyId: 'A', unitId: 'U1' })).toBe(false);
    expect(can(other, 'reports.view', { agencyId: 'A', userId: 'x' })).toBe(false);
  });
  test('chasing (đôn đốc) is for leaders, clerks, admins and the unit head of the unit, not for staff', () => {
    expect(can(actor('l', ['leader']), 'reports.chase', { agencyId: 'A', unitId: 'U1' })).toBe(true);
    expect(can(actor('h', ['unit_head'], { unitId: 'U1' }), 'reports.chase', { agencyId: 'A', unitId: 'U1' })).toBe(true);
    expect(can(actor('h', ['unit_head'], { unitId: 'U2' }), 'reports.chase', { agencyId: 'A', unitId: 'U1' })).toBe(false);
    expect(can(actor('me', ['staff']), 'reports.chase', { agencyId: 'A', userId: 'me' })).toBe(false);
    expect(can(actor('l', ['leader'], { agencyId: 'B' }), 'reports.chase', { agencyId: 'A', unitId: 'U1' })).toBe(false);
  });

  describe('the work files report (thống kê hồ sơ)', () => {
    test("leaders, clerks and archivists count the whole agency's files and any unit's", () => {
      for (const r of ['leader', 'clerk', 'archivist'] as Role[]) {
        expect(can(actor('x', [r]), 'reports.records.view', { agencyId: 'A' })).toBe(true);
        expect(can(actor('x', [r]), 'reports.records.view', { agencyId: 'A', unitId: 'U2' })).toBe(true);
        expect(defaultRecordsReportScope(actor('x', [r], { unitId: 'U1' }))).toEqual({ agencyId: 'A' });
      }
    });
    test("a unit head counts their unit's files, not the agency's nor another unit's", () => {
      const head = actor('h', ['unit_head'], { unitId: 'U1' });
      expect(can(head, 'reports.records.view', { agencyId: 'A', unitId: 'U1' })).toBe(true);
      expect(can(head, 'reports.records.view', { agencyId: 'A' })).toBe(false);
      expect(can(head, 'reports.records.view', { agencyId: 'A', unitId: 'U2' })).toBe(false);
      expect(defaultRecordsReportScope(head)).toEqual({ agencyId: 'A', unitId: 'U1' });
    });
    test('staff and admins are refused it, even for their own unit', () => {
      for (const r of ['staff', 'admin'] as Role[]) {
        const me = actor('me', [r], { unitId: 'U1' });
        expect(can(me, 'reports.records.view', { agencyId: 'A' })).toBe(false);
        expect(can(me, 'reports.records.view', { agencyId: 'A', unitId: 'U1' })).toBe(false);
      }
    });
    test("nobody counts another agency's files", () => {
      const other = actor('x', ['leader', 'clerk', 'archivist', 'unit_head'], { agencyId: 'B', unitId: 'U1' });
      expect(can(other, 'reports.records.view', { agencyId: 'A' })).toBe(false);
      expect(can(other, 'reports.records.view', { agencyId: 'A', unitId: 'U1' })).toBe(false);
    });
  });
});
