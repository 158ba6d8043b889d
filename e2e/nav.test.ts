import { expect, test } from 'vitest';
import { ROLES, type Actor, type Role } from '../src/policies/actor.ts';
import { can } from '../src/policies/index.ts';
import { activeNavTo, navFor, sectionKey } from '../web/src/shell/nav.ts';

test('each section of the navigation has its own key, whatever the roles (two sections without a heading once shared one)', () => {
  for (const roles of [...ROLES.map((r) => [r]), [...ROLES]]) {
    const keys = navFor({ roles }).map(sectionKey);
    expect(keys.every(Boolean)).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
  }
});

const entriesOf = (roles: Role[]) => navFor({ roles }).flatMap((s) => s.items.map((i) => i.to));
const actorWith = (role: Role): Actor => ({ id: 'u', agencyId: 'a', unitId: null, username: 'u', fullName: 'U', roles: [role] });

test('«Thống kê truy cập» is in the navigation of exactly the roles that may read the audit log (audit.view: the agency\'s admins)', () => {
  expect(entriesOf(['admin'])).toContain('/admin/audit?tab=access');
  for (const role of ROLES) expect(entriesOf([role]).includes('/admin/audit?tab=access')).toBe(can(actorWith(role), 'audit.view', { agencyId: 'a' }));
});

test('«Thay đổi quyền truy cập» is in the navigation of exactly the roles that see changes of access (user.access_change.view: leaders, admins)', () => {
  expect(entriesOf(['leader'])).toContain('/admin/access-changes');
  expect(entriesOf(['staff'])).not.toContain('/admin/access-changes');
  for (const role of ROLES) expect(entriesOf([role]).includes('/admin/access-changes')).toBe(can(actorWith(role), 'user.access_change.view', { agencyId: 'a' }));
});

test('on the audit log\'s access tab its own entry is the active one, on the log the log\'s', () => {
  const sections = navFor({ roles: ['admin'] });
  expect(activeNavTo(sections, { pathname: '/admin/audit', search: '?tab=access' })).toBe('/admin/audit?tab=access');
  expect(activeNavTo(sections, { pathname: '/admin/audit', search: '' })).toBe('/admin/audit');
  expect(activeNavTo(sections, { pathname: '/admin/access-changes', search: '?tab=all' })).toBe('/admin/access-changes');
  expect(activeNavTo(sections, { pathname: '/', search: '' })).toBe('/');
});

test('«Sao lưu dữ liệu» is in the navigation exactly when the session\'s rule allows it (backup.manage: the admins of the install\'s top-level agency), whatever the roles', () => {
  const entries = (roles: Role[], manageBackups: boolean) => navFor({ roles }, { manageBackups }).flatMap((s) => s.items.map((i) => i.to));
  expect(entries(['admin'], true)).toContain('/admin/backups');
  // a commune's admin sharing the province's install: an admin by role, not allowed by the rule
  expect(entries(['admin'], false)).not.toContain('/admin/backups');
  expect(entriesOf(['admin', 'province_admin'])).not.toContain('/admin/backups');
  for (const role of ROLES) {
    const topLevel = can(actorWith(role), 'backup.manage', { id: 'a', ancestorIds: [] });
    expect(entries([role], topLevel).includes('/admin/backups')).toBe(topLevel);
  }
});
