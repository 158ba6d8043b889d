import { describe, expect, test } from 'vitest';
import { can } from './index.ts';
import type { Actor, Role } from './actor.ts';

const actor = (roles: Role[], agencyId = 'A'): Actor => ({ id: 'u1', agencyId, unitId: null, username: 'u', fullName: 'U', roles });
const province = { id: 'A', ancestorIds: [] };
const department = { id: 'B', ancestorIds: ['A'] };
const otherProvince = { id: 'Z', ancestorIds: [] };

describe('agency rules', () => {
  test('a province admin may create agencies under their own tree', () => {
    expect(can(actor(['province_admin']), 'agency.create', province)).toBe(true);
    expect(can(actor(['province_admin']), 'agency.create', department)).toBe(true);
  });
  test('a province admin may not create agencies in another province, and an agency admin may not create any', () => {
    expect(can(actor(['province_admin']), 'agency.create', otherProvince)).toBe(false);
    expect(can(actor(['admin']), 'agency.create', province)).toBe(false);
  });
  test('nobody creates a top-level agency from the web; the CLI system actor may', () => {
    expect(can(actor(['province_admin', 'admin']), 'agency.create_root', {})).toBe(false);
    expect(can({ ...actor(['admin']), isSystem: true }, 'agency.create_root', {})).toBe(true);
  });
  test('an agency admin updates their own agency only; a province admin also the agencies below', () => {
    expect(can(actor(['admin']), 'agency.update', province)).toBe(true);
    expect(can(actor(['admin'], 'B'), 'agency.update', province)).toBe(false);
    expect(can(actor(['province_admin']), 'agency.update', department)).toBe(true);
    expect(can(actor(['staff']), 'agency.update', province)).toBe(false);
  });
  test('a province admin gives the agencies of their tree administrators; an agency admin, or a province admin of another tree, may not', () => {
    expect(can(actor(['province_admin']), 'agency.create_admin', department)).toBe(true);
    expect(can(actor(['admin']), 'agency.create_admin', department)).toBe(false);
    expect(can(actor(['province_admin']), 'agency.create_admin', otherProvince)).toBe(false);
  });
  test('users see their own agency; only a province admin sees the agencies below', () => {
    expect(can(actor(['staff']), 'agency.view', province)).toBe(true);
    expect(can(actor(['staff']), 'agency.view', department)).toBe(false);
    expect(can(actor(['province_admin']), 'agency.view', department)).toBe(true);
    expect(can(actor(['province_admin']), 'agency.view', otherProvince)).toBe(false);
  });
});

describe('unit, user, mail and audit rules', () => {
  for (const action of ['unit.manage', 'user.manage', 'mail.view_outbox', 'audit.view']) {
    test(`${action}: an admin of the agency is allowed`, () => {
      expect(can(actor(['admin']), action, { agencyId: 'A' })).toBe(true);
    });
    test(`${action}: a non-admin, or an admin of another agency, is denied`, () => {
      expect(can(actor(['clerk', 'leader', 'staff']), action, { agencyId: 'A' })).toBe(false);
      expect(can(actor(['admin'], 'B'), action, { agencyId: 'A' })).toBe(false);
    });
  }
  for (const action of ['unit.view', 'user.view']) {
    test(`${action}: anyone in the agency may, nobody outside it`, () => {
      expect(can(actor(['staff']), action, { agencyId: 'A' })).toBe(true);
      expect(can(actor(['admin', 'province_admin'], 'B'), action, { agencyId: 'A' })).toBe(false);
    });
  }
  test('anyone signed in may look up the recipient directory; nobody anonymous', () => {
    expect(can(actor(['staff']), 'agency.directory', {})).toBe(true);
    expect(can(null, 'agency.directory', {})).toBe(false);
  });
  test('no actor means no permission', () => {
    expect(can(null, 'unit.view', { agencyId: 'A' })).toBe(false);
  });
});
