import { describe, expect, test } from 'vitest';
import { can } from './index.ts';
import type { Actor, Role } from './actor.ts';

const actor = (roles: Role[], agencyId = 'A'): Actor => ({ id: 'u1', agencyId, unitId: null, username: 'u', fullName: 'U', roles });
const own = { agencyId: 'A' };

describe('exchange rules', () => {
  test("an agency admin configures their agency's axis endpoint", () => {
    expect(can(actor(['admin']), 'exchange.configure', own)).toBe(true);
  });
  test("a clerk, or an admin of another agency, may not configure the endpoint", () => {
    expect(can(actor(['clerk']), 'exchange.configure', own)).toBe(false);
    expect(can(actor(['admin'], 'B'), 'exchange.configure', own)).toBe(false);
  });
  test('clerks, leaders and admins see the outbox of their own agency', () => {
    for (const role of ['clerk', 'leader', 'admin'] as const) expect(can(actor([role]), 'exchange.view', own)).toBe(true);
  });
  test("staff do not see the outbox, nor does anyone see another agency's", () => {
    expect(can(actor(['staff']), 'exchange.view', own)).toBe(false);
    expect(can(actor(['clerk'], 'B'), 'exchange.view', own)).toBe(false);
  });
  test("a clerk answers recalls and retries packages of their own agency", () => {
    expect(can(actor(['clerk']), 'exchange.operate', own)).toBe(true);
  });
  test('a leader, an admin or a clerk of another agency may not', () => {
    expect(can(actor(['leader', 'admin']), 'exchange.operate', own)).toBe(false);
    expect(can(actor(['clerk'], 'B'), 'exchange.operate', own)).toBe(false);
  });
});
