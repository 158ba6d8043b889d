import { allow } from './policy.ts';
import { hasRole, type Actor } from './actor.ts';

/**
 * Whose numbers a report counts (ND 30 Phụ lục VI III.1.l–m: thống kê, theo dõi, đôn đốc): the whole
 * agency, one unit (by the unit in charge, đơn vị chủ trì), or one person (the person in charge).
 */
export type ReportScope = { agencyId: string; unitId?: string; userId?: string };

const sameAgency = (actor: Actor, s: { agencyId: string }) => actor.agencyId === s.agencyId;
const seesAgency = (actor: Actor) => hasRole(actor, 'leader', 'clerk', 'admin');

/**
 * The agency's leaders, clerks and admins see any scope of their agency; a unit head sees their own
 * unit and its people; everyone else only their own numbers. Nobody sees another agency's report.
 */
export function canViewReport(actor: Actor, s: ReportScope): boolean {
  if (!sameAgency(actor, s)) return false;
  if (seesAgency(actor)) return true;
  const isOwnUnit = !!s.unitId && hasRole(actor, 'unit_head') && actor.unitId === s.unitId;
  if (s.unitId && !isOwnUnit) return false;
  if (isOwnUnit) return true;
  return !!s.userId && s.userId === actor.id;
}

allow('reports.view', canViewReport);
// Đôn đốc: whoever may see the overdue document's scope in the report may chase its holder.
allow('reports.chase', (actor, s: ReportScope) => canViewReport(actor, s) && hasRole(actor, 'leader', 'clerk', 'admin', 'unit_head'));

/** The widest scope the actor may see: what the report shows when nothing narrower is asked for. */
export function defaultReportScope(actor: Actor): ReportScope {
  if (seesAgency(actor)) return { agencyId: actor.agencyId };
  if (hasRole(actor, 'unit_head') && actor.unitId) return { agencyId: actor.agencyId, unitId: actor.unitId };
  return { agencyId: actor.agencyId, userId: actor.id };
}

/**
 * Thống kê hồ sơ (ND 30 Phụ lục VI III.4.đ, III.6.a): the agency's leaders, clerks and archivists count
 * every work file of their agency (they see every file, src/policies/records.ts), a unit head the files of
 * their unit; nobody else, and nobody another agency's. Only a whole agency or one unit is asked for.
 */
export function canViewRecordsReport(actor: Actor, s: ReportScope): boolean {
  if (!sameAgency(actor, s)) return false;
  if (hasRole(actor, 'leader', 'clerk', 'archivist')) return true;
  return !!s.unitId && hasRole(actor, 'unit_head') && actor.unitId === s.unitId;
}
allow('reports.records.view', canViewRecordsReport);

/** What the records report counts when no unit is asked for: the agency, or the unit head's unit (anyone else is refused it). */
export function defaultRecordsReportScope(actor: Actor): ReportScope {
  if (!hasRole(actor, 'leader', 'clerk', 'archivist') && hasRole(actor, 'unit_head') && actor.unitId) return { agencyId: actor.agencyId, unitId: actor.unitId };
  return { agencyId: actor.agencyId };
}
