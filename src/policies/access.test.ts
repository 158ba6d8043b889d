import { describe, expect, test } from 'vitest';
import { can } from './index.ts';
import './access.ts';
import type { Actor, Role } from './actor.ts';

const actor = (id: string, roles: Role[], agencyId = 'A'): Actor => ({ id, agencyId, unitId: null, username: id, fullName: id, roles });
const doc = { agencyId: 'A', ownerIds: ['drafter', null] };

describe('access history rules', () => {
  test("the agency's clerks, leaders and admins, and the document's owner, see who opened it", () => {
    for (const r of ['clerk', 'leader', 'admin'] as Role[]) expect(can(actor('x', [r]), 'access.view_history', doc)).toBe(true);
    expect(can(actor('drafter', ['staff']), 'access.view_history', doc)).toBe(true);
  });
  test('other staff, an archivist, and anyone of another agency do not', () => {
    expect(can(actor('x', ['staff', 'unit_head']), 'access.view_history', doc)).toBe(false);
    expect(can(actor('x', ['archivist']), 'access.view_history', doc)).toBe(false);
    expect(can(actor('drafter', ['clerk'], 'B'), 'access.view_history', doc)).toBe(false);
  });
});
