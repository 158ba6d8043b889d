import { allow, can } from './policy.ts';
import { hasRole, type Actor } from './actor.ts';
import type { AgencyScoped } from './orgs.ts';

/** A document or work file as the access-history rule sees it: its agency and its owners (drafter, keeper, receiving clerk). */
export type AccessHistorySubject = { agencyId: string; ownerIds: readonly (string | null)[] };

/**
 * The subject of each page that shows the history, built in one place for the endpoint that answers it and
 * for the page's `can` block that says whether to ask (whoever may not see it would get a 403).
 */
export const accessHistorySubject = {
  incoming: (d: { agencyId: string; createdBy: string | null; registeredBy: string | null }): AccessHistorySubject => ({ agencyId: d.agencyId, ownerIds: [d.createdBy, d.registeredBy] }),
  outgoing: (d: { agencyId: string; createdBy: string }): AccessHistorySubject => ({ agencyId: d.agencyId, ownerIds: [d.createdBy] }),
  records_file: (f: { agencyId: string; ownerId: string | null }): AccessHistorySubject => ({ agencyId: f.agencyId, ownerIds: [f.ownerId] }),
};

/** The entry of a page's `can` block saying whether the page may ask for the history. */
export const accessHistoryCan = (actor: Actor, subject: AccessHistorySubject): Record<string, boolean> => ({ 'access.view_history': can(actor, 'access.view_history', subject) });

const sameAgency = (actor: Actor, s: AgencyScoped) => actor.agencyId === s.agencyId;

// Who opened a document (ND 30 Phụ lục VI III.5.a, III.6.a) is the business of the agency's clerks,
// leaders and admins, and of the document's or file's owner — not of every colleague who may open it.
// The caller has already checked that the actor may open the document or file itself.
allow('access.view_history', (actor, s: AccessHistorySubject) =>
  sameAgency(actor, s) && (hasRole(actor, 'clerk', 'leader', 'admin') || s.ownerIds.includes(actor.id)));
// The agency's sign-ins and views (III.6.b) are read by whoever reads its audit log ('audit.view': its admins).
