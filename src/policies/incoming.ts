import type { ExpressionBuilder, Expression, SqlBool } from 'kysely';
import type { DB } from '../platform/db/types.gen.ts';
import { allow } from './policy.ts';
import { hasRole, type Actor } from './actor.ts';
import { vietnamDay } from '../platform/dates.ts';
import { hasIncomingBox, type IncomingBox } from '../domain/incoming/incoming.boxes.ts';

/** An assignment as the rules see it. */
export type IncomingAssignmentSubject = {
  id: string;
  role: string;
  userId: string | null;
  unitId: string | null;
  isActive: boolean;
};

/**
 * An incoming document as the rules see it. `delegatorIds` are the leaders who delegated direction to
 * the acting user for today (loaded for that actor by the service).
 */
export type IncomingSubject = {
  agencyId: string;
  isSecret: boolean;
  status: string;
  createdBy: string | null;
  registeredBy: string | null;
  forwardedTo: string | null;
  directedBy: string | null;
  assignments: readonly IncomingAssignmentSubject[];
  delegatorIds?: readonly string[];
};

const isHeadOf = (actor: Actor, unitId: string | null) => !!unitId && actor.unitId === unitId && hasRole(actor, 'unit_head');

/** Whether an actor holds an assignment: it is theirs, or it is their unit's and they head the unit. */
export const holdsAssignment = (actor: Actor, a: IncomingAssignmentSubject): boolean =>
  a.isActive && (a.userId === actor.id || isHeadOf(actor, a.unitId));

/** Explicit participants: who received, registered, was forwarded, directed, or was assigned it. */
export function isParticipant(actor: Actor, d: IncomingSubject): boolean {
  const direct = [d.createdBy, d.registeredBy, d.forwardedTo, d.directedBy].includes(actor.id);
  const delegated = !!d.forwardedTo && (d.delegatorIds ?? []).includes(d.forwardedTo);
  return direct || delegated || d.assignments.some((a) => holdsAssignment(actor, a));
}

const sameAgency = (actor: Actor, d: { agencyId: string }) => actor.agencyId === d.agencyId;

/**
 * Who sees a document: its participants; for ordinary documents also the agency's clerks, leaders and
 * archivists; for a document not yet registered, the clerks (they must register or refuse it).
 * Mật documents: only their explicit participants (and the clerks until it is registered).
 */
export function canViewIncoming(actor: Actor, d: IncomingSubject): boolean {
  if (!sameAgency(actor, d)) return false;
  if (isParticipant(actor, d)) return true;
  if (d.status === 'received' && hasRole(actor, 'clerk')) return true;
  return !d.isSecret && hasRole(actor, 'clerk', 'leader', 'archivist');
}

allow('incoming.view', canViewIncoming);
// Intake: the clerk receives paper documents (uploads the scan) for their own agency.
allow('incoming.receive', (actor, scope: { agencyId: string }) => sameAgency(actor, scope) && hasRole(actor, 'clerk'));
// Registration, refusal and forwarding to a leader are the clerk's (Art. 22–23); a Mật one only by its clerk.
const clerkActs = (actor: Actor, d: IncomingSubject) => canViewIncoming(actor, d) && hasRole(actor, 'clerk');
allow('incoming.register', clerkActs);
allow('incoming.refuse', clerkActs);
allow('incoming.forward', clerkActs);
// Direction (bút phê): a leader the document was forwarded to (or their deputy by delegation);
// when not forwarded to anyone, any leader who can see it.
allow('incoming.direct', (actor, d: IncomingSubject) => {
  if (!hasRole(actor, 'leader') || !canViewIncoming(actor, d)) return false;
  if (!d.forwardedTo || d.directedBy === actor.id) return true;
  return d.forwardedTo === actor.id || (d.delegatorIds ?? []).includes(d.forwardedTo);
});
// A unit head re-assigns their unit's part to people inside the unit.
allow('incoming.reassign', (actor, s: { doc: IncomingSubject; assignment: IncomingAssignmentSubject }) =>
  sameAgency(actor, s.doc) && !!s.assignment.unitId && isHeadOf(actor, s.assignment.unitId) && s.assignment.isActive);
// Handling: whoever holds the assignment records progress and marks their part done.
allow('incoming.handle', (actor, s: { doc: IncomingSubject; assignment: IncomingAssignmentSubject }) =>
  sameAgency(actor, s.doc) && holdsAssignment(actor, s.assignment));
// The lead (chủ trì) closes or reopens the document; so may the leader who directed it.
const leadOrDirector = (actor: Actor, d: IncomingSubject) =>
  sameAgency(actor, d) && (d.directedBy === actor.id || d.assignments.some((a) => a.role === 'lead' && holdsAssignment(actor, a)));
allow('incoming.close', leadOrDirector);
allow('incoming.reopen', leadOrDirector);
// A sender's recall / update request (ND 30 Art. 18.4.b) is answered (15/16) by the recipient agency's clerk or a leader.
allow('incoming.answer_request', (actor, scope: { agencyId: string }) => sameAgency(actor, scope) && hasRole(actor, 'clerk', 'leader'));
// The list of those requests: the clerks and leaders who answer them, and the agency's admins, who
// follow its exchange traffic (GET /api/exchange/requests) without answering. Which rows: requestsVisibleTo.
allow('incoming.list_requests', (actor, scope: { agencyId: string }) => sameAgency(actor, scope) && hasRole(actor, 'clerk', 'leader', 'admin'));
// A list of incoming documents is opened by the roles that have it (INCOMING_BOX_ROLES: the clerk's intake, a
// leader's direction inbox, a unit head's unit and following lists; everyone's own tasks and all they may see).
allow('incoming.list_box', (actor, box: IncomingBox) => hasIncomingBox(actor, box));
// A leader delegates their direction to a deputy for a date range.
allow('incoming.delegate', (actor, scope: { agencyId: string }) => sameAgency(actor, scope) && hasRole(actor, 'leader'));
// The register books: the ordinary one for clerks, leaders and archivists; the Mật series for clerks only.
allow('incoming.register_book', (actor, scope: { agencyId: string; isSecret: boolean }) =>
  sameAgency(actor, scope) && (scope.isSecret ? hasRole(actor, 'clerk') : hasRole(actor, 'clerk', 'leader', 'archivist')));

/**
 * `canViewIncoming` as SQL, for lists: the same rule, so a list and a single read never disagree
 * (tested against each other in incoming.test.ts).
 */
export function incomingVisibleTo(actor: Actor, today = vietnamDay()) {
  return (eb: ExpressionBuilder<DB, 'incomingDocument'>): Expression<SqlBool> => {
    const unitHeadUnit = hasRole(actor, 'unit_head') && actor.unitId ? actor.unitId : null;
    const delegators = eb.selectFrom('incomingDelegation').select('incomingDelegation.leaderId')
      .where('incomingDelegation.deputyId', '=', actor.id).where('incomingDelegation.revokedAt', 'is', null)
      .where('incomingDelegation.startsOn', '<=', today).where('incomingDelegation.endsOn', '>=', today);
    const assigned = eb.exists(eb.selectFrom('incomingAssignment as a').select('a.id')
      .whereRef('a.incomingId', '=', 'incomingDocument.id').where('a.isActive', '=', true)
      .where((ax) => ax.or([ax('a.userId', '=', actor.id), ...(unitHeadUnit ? [ax('a.unitId', '=', unitHeadUnit)] : [])])));
    const alternatives: Expression<SqlBool>[] = [
      eb('incomingDocument.createdBy', '=', actor.id),
      eb('incomingDocument.registeredBy', '=', actor.id),
      eb('incomingDocument.forwardedTo', '=', actor.id),
      eb('incomingDocument.directedBy', '=', actor.id),
      eb('incomingDocument.forwardedTo', 'in', delegators),
      assigned,
    ];
    if (hasRole(actor, 'clerk')) alternatives.push(eb('incomingDocument.status', '=', 'received'));
    if (hasRole(actor, 'clerk', 'leader', 'archivist')) alternatives.push(eb('incomingDocument.isSecret', '=', false));
    return eb.and([eb('incomingDocument.agencyId', '=', actor.agencyId), eb.or(alternatives)]);
  };
}

/**
 * The documents whose senders' requests an actor finds in the request list: the ones they may view
 * (incomingVisibleTo), and for the agency's admins every ordinary one too. A Mật document's request
 * stays with its participants, as the document does.
 */
export function requestsVisibleTo(actor: Actor, today = vietnamDay()) {
  return (eb: ExpressionBuilder<DB, 'incomingDocument'>): Expression<SqlBool> => {
    const visible = incomingVisibleTo(actor, today)(eb);
    if (!hasRole(actor, 'admin')) return visible;
    return eb.or([visible, eb.and([eb('incomingDocument.agencyId', '=', actor.agencyId), eb('incomingDocument.isSecret', '=', false)])]);
  };
}
