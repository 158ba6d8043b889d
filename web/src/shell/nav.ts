import type { TablerIcon } from '@tabler/icons-react';
import IconLayoutDashboard from '@tabler/icons-react/dist/esm/icons/IconLayoutDashboard.mjs';
import IconSitemap from '@tabler/icons-react/dist/esm/icons/IconSitemap.mjs';
import IconUsers from '@tabler/icons-react/dist/esm/icons/IconUsers.mjs';
import IconMail from '@tabler/icons-react/dist/esm/icons/IconMail.mjs';
import IconHistory from '@tabler/icons-react/dist/esm/icons/IconHistory.mjs';
import IconBuildingCommunity from '@tabler/icons-react/dist/esm/icons/IconBuildingCommunity.mjs';
import IconArchive from '@tabler/icons-react/dist/esm/icons/IconArchive.mjs';
import IconPlugConnected from '@tabler/icons-react/dist/esm/icons/IconPlugConnected.mjs';
import IconDatabase from '@tabler/icons-react/dist/esm/icons/IconDatabase.mjs';
import IconChartLine from '@tabler/icons-react/dist/esm/icons/IconChartLine.mjs';
import IconUserShield from '@tabler/icons-react/dist/esm/icons/IconUserShield.mjs';
import IconCertificate from '@tabler/icons-react/dist/esm/icons/IconCertificate.mjs';
import IconBooks from '@tabler/icons-react/dist/esm/icons/IconBooks.mjs';
import type { MessageKey } from '../i18n/i18n.tsx';
import { hasAnyRole, type Role, type SessionUser, type SessionView } from '../auth/session.ts';
import { outgoingNav } from '../features/outgoing/outgoing-nav.ts';
import { incomingNav } from '../features/incoming/incoming.routes.tsx';
import { recordsNav } from '../features/records/records.routes.tsx';
import { reportsNavItem } from '../features/reports/reports.routes.tsx';
import { ACCESS_CHANGE_ROLES } from '../admin/access-changes-tile.tsx';

/** Roles that see the agency administration pages (the server's policies say the same: src/policies/orgs.ts). */
export const ADMIN_ROLES: readonly Role[] = ['admin'];
/** Roles that see the province's agency tree. */
export const PROVINCE_ROLES: readonly Role[] = ['province_admin'];
/** Roles that see the archive protection page (src/policies/archive.ts). */
export const ARCHIVE_ROLES: readonly Role[] = ['admin', 'archivist', 'province_admin'];

/** What the session says the user may do beyond their roles (rules of src/policies decided by the server). */
export type SessionCan = SessionView['can'];

/** `roles`: shown to these roles; `can`: shown when the session's rule of that name allows it. */
export type NavItem = { to: string; label: MessageKey; icon: TablerIcon; roles?: readonly Role[]; can?: keyof SessionCan };
export type NavSection = { label?: MessageKey; items: NavItem[] };

const NAV: NavSection[] = [
  { items: [{ to: '/', label: 'nav.dashboard', icon: IconLayoutDashboard }, reportsNavItem] },
  outgoingNav,
  incomingNav,
  recordsNav,
  {
    label: 'nav.section.admin',
    items: [
      { to: '/admin/units', label: 'nav.units', icon: IconSitemap, roles: ADMIN_ROLES },
      { to: '/admin/users', label: 'nav.users', icon: IconUsers, roles: ADMIN_ROLES },
      { to: '/admin/registers', label: 'nav.registers', icon: IconBooks, roles: ADMIN_ROLES },
      // the agency's seal certificate (issuing needs it) and the signers' certificates ('certificate.manage')
      { to: '/admin/certificates', label: 'nav.certificates', icon: IconCertificate, roles: ADMIN_ROLES },
      { to: '/admin/outbox', label: 'nav.outbox', icon: IconMail, roles: ADMIN_ROLES },
      { to: '/admin/exchange', label: 'nav.exchangeConnection', icon: IconPlugConnected, roles: ADMIN_ROLES },
      { to: '/admin/audit', label: 'nav.audit', icon: IconHistory, roles: ADMIN_ROLES },
      // the audit log's second tab, for whoever reads the log ('audit.view': the agency's admins)
      { to: '/admin/audit?tab=access', label: 'accessStats.tab', icon: IconChartLine, roles: ADMIN_ROLES },
      // shown to the agency's leaders (who confirm) and admins (who see) until confirmed ('user.access_change.view')
      { to: '/admin/access-changes', label: 'accessChanges.title', icon: IconUserShield, roles: ACCESS_CHANGE_ROLES },
      { to: '/admin/archive', label: 'nav.archive', icon: IconArchive, roles: ARCHIVE_ROLES },
      // the install's backups: the admins of its top-level agency, not a commune's sharing it ('backup.manage')
      { to: '/admin/backups', label: 'nav.backups', icon: IconDatabase, can: 'manageBackups' },
    ],
  },
  { label: 'nav.section.province', items: [{ to: '/admin/agencies', label: 'nav.agencies', icon: IconBuildingCommunity, roles: PROVINCE_ROLES }] },
];

const NOTHING_MORE: SessionCan = { manageBackups: false };

/** The navigation sections the user's roles and the session's rules allow, without empty sections. */
export function navFor(user: Pick<SessionUser, 'roles'>, allowed: SessionCan = NOTHING_MORE): NavSection[] {
  const isShown = (i: NavItem) => (!i.roles || hasAnyRole(user, i.roles)) && (!i.can || allowed[i.can]);
  return NAV.map((s) => ({ ...s, items: s.items.filter(isShown) })).filter((s) => s.items.length > 0);
}

/**
 * The entry of the page at `location`: the deepest one holding it (/records/plan is not also /records), an
 * entry with a query (/admin/audit?tab=access) only when the page has it too.
 */
export function activeNavTo(sections: readonly NavSection[], location: { pathname: string; search: string }): string | undefined {
  const params = new URLSearchParams(location.search);
  const holds = (to: string) => {
    const [path = '', query = ''] = to.split('?');
    const isUnder = path === '/' ? location.pathname === '/' : location.pathname.startsWith(path);
    return isUnder && [...new URLSearchParams(query)].every(([k, v]) => params.get(k) === v);
  };
  return sections.flatMap((s) => s.items.map((i) => i.to)).filter(holds).sort((a, b) => b.length - a.length)[0];
}

/** A section's React key: its heading, or for a section without one its first page (each shown section has a page). */
export function sectionKey(section: NavSection): string {
  return section.label ?? section.items[0]?.to ?? '';
}
