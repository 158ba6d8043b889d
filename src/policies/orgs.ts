import { allow } from './policy.ts';
import { hasRole } from './actor.ts';

/** An agency as the rules see it: its id and the ids of its ancestors (parent first). */
export type AgencySubject = { id: string; ancestorIds: readonly string[] };
export type AgencyScoped = { agencyId: string };

const isProvinceAdminOver = (actorAgencyId: string, agency: AgencySubject) =>
  agency.id === actorAgencyId || agency.ancestorIds.includes(actorAgencyId);

// A top-level agency (no parent) is created only from the CLI (`vanthu admin create-agency`).
allow('agency.create_root', () => false);
// A province admin creates agencies under their own agency's tree (the new agency's parent chain).
allow('agency.create', (actor, parent: AgencySubject) => hasRole(actor, 'province_admin') && isProvinceAdminOver(actor.agencyId, parent));
allow('agency.update', (actor, agency: AgencySubject) =>
  (hasRole(actor, 'admin') && agency.id === actor.agencyId) || (hasRole(actor, 'province_admin') && isProvinceAdminOver(actor.agencyId, agency)));
// … and gives an agency of that tree its administrators (the agency's own admin then manages its users).
allow('agency.create_admin', (actor, agency: AgencySubject) => hasRole(actor, 'province_admin') && isProvinceAdminOver(actor.agencyId, agency));
allow('agency.view', (actor, agency: AgencySubject) =>
  agency.id === actor.agencyId || (hasRole(actor, 'province_admin') && isProvinceAdminOver(actor.agencyId, agency)));

// Agency names and codes are public (QCVN 102 directory): any signed-in user may look them up to address a document.
allow('agency.directory', () => true);

// The setup checklist of the home page: the agency's own admins (a province admin sees theirs, not each commune's).
allow('agency.readiness', (actor, scope: AgencyScoped) => hasRole(actor, 'admin') && scope.agencyId === actor.agencyId);

allow('unit.manage', (actor, unit: AgencyScoped) => hasRole(actor, 'admin') && unit.agencyId === actor.agencyId);
allow('unit.view', (actor, unit: AgencyScoped) => unit.agencyId === actor.agencyId);

allow('user.manage', (actor, user: AgencyScoped) => hasRole(actor, 'admin') && user.agencyId === actor.agencyId);
allow('user.view', (actor, user: AgencyScoped) => user.agencyId === actor.agencyId);
// ND 30 Phụ lục VI III.3.c: changes of access are shown to the agency's leaders and admins until a leader
// (người có thẩm quyền) confirms them; who made a change cannot confirm it (access-changes.ts).
allow('user.access_change.view', (actor, scope: AgencyScoped) => hasRole(actor, 'leader', 'admin') && scope.agencyId === actor.agencyId);
allow('user.access_change.confirm', (actor, scope: AgencyScoped) => hasRole(actor, 'leader') && scope.agencyId === actor.agencyId);

// A backup is of the whole install (every agency on it): only the administrators of a top-level agency
// (no parent: the install's owner, e.g. the province) see and start them, not a commune's admin sharing it.
allow('backup.manage', (actor, agency: AgencySubject) => hasRole(actor, 'admin', 'province_admin') && agency.id === actor.agencyId && agency.ancestorIds.length === 0);

allow('mail.view_outbox', (actor, scope: AgencyScoped) => hasRole(actor, 'admin') && scope.agencyId === actor.agencyId);
allow('audit.view', (actor, scope: AgencyScoped) => hasRole(actor, 'admin') && scope.agencyId === actor.agencyId);
