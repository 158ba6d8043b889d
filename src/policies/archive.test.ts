import { describe, expect, test } from 'vitest';
import { can } from './index.ts';
import type { Actor, Role } from './actor.ts';

const actor = (roles: Role[], agencyId = 'A'): Actor => ({ id: 'u1', agencyId, unitId: null, username: 'u', fullName: 'U', roles });

describe('archive rules', () => {
  test("an agency's admin and archivist see its archive status; the province admin sees any agency's", () => {
    expect(can(actor(['admin']), 'archive.view', { agencyId: 'A' })).toBe(true);
    expect(can(actor(['archivist']), 'archive.view', { agencyId: 'A' })).toBe(true);
    expect(can(actor(['province_admin'], 'P'), 'archive.view', { agencyId: 'A' })).toBe(true);
  });
  test("nobody else sees it, and an admin never sees another agency's", () => {
    for (const role of ['staff', 'clerk', 'leader', 'unit_head'] as const) expect(can(actor([role]), 'archive.view', { agencyId: 'A' })).toBe(false);
    expect(can(actor(['admin'], 'B'), 'archive.view', { agencyId: 'A' })).toBe(false);
  });
  test('only the province admin starts a pass by hand', () => {
    expect(can(actor(['province_admin']), 'archive.run', {})).toBe(true);
    expect(can(actor(['admin', 'archivist']), 'archive.run', {})).toBe(false);
  });
});
