import { sql, type ExpressionBuilder } from 'kysely';
import type { DB } from '../platform/db/types.gen.ts';
import { allow } from './policy.ts';
import { hasRole, type Actor } from './actor.ts';
import type { AgencyScoped } from './orgs.ts';
import { hasOutgoingBox } from '../domain/outgoing/outgoing.boxes.ts';
import type { WorkBox } from '../domain/outgoing/outgoing.repository.ts';

/**
 * An outgoing document as the rules see it. `reviewerIds` are everyone on its review chain,
 * `pendingReviewerId` the one whose turn it is, `delegateIds` the deputies who may sign for the
 * signer today (approval delegation).
 */
export type OutgoingSubject = {
  agencyId: string;
  createdBy: string;
  status: string;
  isSecret: boolean;
  signerId: string | null;
  participantIds: readonly string[];
  reviewerIds: readonly string[];
  pendingReviewerId: string | null;
  delegateIds: readonly string[];
  /** The agency's own units it was issued to (internal recipients). */
  recipientUnitIds: readonly string[];
};

/** Whether the actor takes part in the document (drafter, reviewer, signer or deputy, named participant). */
export function isOutgoingParticipant(actor: Actor, d: OutgoingSubject): boolean {
  return d.createdBy === actor.id || d.signerId === actor.id || d.participantIds.includes(actor.id)
    || d.reviewerIds.includes(actor.id) || d.delegateIds.includes(actor.id);
}

const sameAgency = (actor: Actor, d: { agencyId: string }) => d.agencyId === actor.agencyId;
const isDrafter = (actor: Actor, d: OutgoingSubject) => sameAgency(actor, d) && d.createdBy === actor.id;
const isSigner = (actor: Actor, d: OutgoingSubject) => sameAgency(actor, d) && (d.signerId === actor.id || d.delegateIds.includes(actor.id));
const isEditable = (d: OutgoingSubject) => d.status === 'draft' || d.status === 'returned';
// Statuses in which a document issued to a unit of the agency stays with that unit (a recall takes it back).
const DELIVERED_STATUSES = ['issued', 'replaced'] as const;
// The members of a unit the document was issued to read it: it was sent to them (it used to say "Đã đến" and answer 404).
const isInRecipientUnit = (actor: Actor, d: OutgoingSubject) => !d.isSecret && (DELIVERED_STATUSES as readonly string[]).includes(d.status)
  && actor.unitId !== null && d.recipientUnitIds.includes(actor.unitId);
// Mật documents: only their explicit participants (Luật Bảo vệ BMNN); others: participants, clerks, leaders, recipient units.
const mayView = (actor: Actor, d: OutgoingSubject) => sameAgency(actor, d)
  && (isOutgoingParticipant(actor, d) || (!d.isSecret && hasRole(actor, 'clerk', 'leader')) || isInRecipientUnit(actor, d));
const isClerkFor = (actor: Actor, d: OutgoingSubject) => sameAgency(actor, d) && hasRole(actor, 'clerk') && (!d.isSecret || isOutgoingParticipant(actor, d));

allow('outgoing.create', (actor, scope: AgencyScoped) => sameAgency(actor, scope) && hasRole(actor, 'staff', 'unit_head', 'leader', 'clerk'));
allow('outgoing.view', mayView);
// A list of outgoing documents is opened by the roles that have it (OUTGOING_BOX_ROLES: drafts and reviews for those
// who draft and review, signatures for leaders and unit heads, issuing for the clerk; «all», the search page's, everyone's).
allow('outgoing.list_box', (actor, box: WorkBox) => hasOutgoingBox(actor, box));
allow('outgoing.edit', (actor, d: OutgoingSubject) => isDrafter(actor, d) && isEditable(d));
allow('outgoing.submit', (actor, d: OutgoingSubject) => isDrafter(actor, d) && isEditable(d));
allow('outgoing.cancel', (actor, d: OutgoingSubject) => isDrafter(actor, d) && isEditable(d));
allow('outgoing.review', (actor, d: OutgoingSubject) => sameAgency(actor, d) && d.status === 'in_review' && d.pendingReviewerId === actor.id);
allow('outgoing.sign', (actor, d: OutgoingSubject) => isSigner(actor, d) && d.status === 'awaiting_signature');
allow('outgoing.issue', (actor, d: OutgoingSubject) => isClerkFor(actor, d) && d.status === 'signed');
// The clerk may send a signed document back (e.g. a layout error found before numbering).
allow('outgoing.return_signed', (actor, d: OutgoingSubject) => (isClerkFor(actor, d) || isSigner(actor, d)) && d.status === 'signed');
allow('outgoing.recall', (actor, d: OutgoingSubject) => (isClerkFor(actor, d) || isSigner(actor, d)) && d.status === 'issued');
allow('outgoing.replace', (actor, d: OutgoingSubject) => sameAgency(actor, d) && mayView(actor, d) && d.status === 'issued' && hasRole(actor, 'staff', 'unit_head', 'leader', 'clerk'));
allow('outgoing.register', (actor, scope: AgencyScoped) => sameAgency(actor, scope) && hasRole(actor, 'clerk', 'leader', 'unit_head', 'archivist', 'admin'));
allow('outgoing.delegate', (actor, scope: AgencyScoped) => sameAgency(actor, scope) && hasRole(actor, 'leader'));
allow('outgoing.configure', (actor, scope: AgencyScoped) => sameAgency(actor, scope) && hasRole(actor, 'admin'));
allow('certificate.manage', (actor, scope: AgencyScoped) => sameAgency(actor, scope) && hasRole(actor, 'admin'));

/** The actions the UI asks about for one document (the `can` block of responses). */
export const OUTGOING_ACTIONS = ['outgoing.view', 'outgoing.edit', 'outgoing.submit', 'outgoing.cancel', 'outgoing.review', 'outgoing.sign',
  'outgoing.issue', 'outgoing.return_signed', 'outgoing.recall', 'outgoing.replace'] as const;

// Delegations run by calendar day in Vietnam, whatever the database session's time zone.
const VN_TODAY = sql<string>`(now() at time zone 'Asia/Ho_Chi_Minh')::date`;

/**
 * `outgoing.view` as SQL, for lists (must agree with the rule above: tested against it). Participants
 * are the drafter, signer, named participants, reviewers and today's deputies of the signer; members of
 * a unit it was issued to see it once issued.
 */
export function outgoingVisibleTo(actor: Actor) {
  return (eb: ExpressionBuilder<DB, 'outgoingDocument'>) => {
    const participant = eb.or([
      eb('outgoingDocument.createdBy', '=', actor.id),
      eb('outgoingDocument.signerId', '=', actor.id),
      eb(eb.val(actor.id), '=', eb.fn.any('outgoingDocument.participantIds')),
      eb.exists(eb.selectFrom('outgoingReviewStep as rs').select('rs.id')
        .whereRef('rs.outgoingId', '=', 'outgoingDocument.id').where('rs.reviewerId', '=', actor.id)),
      eb.exists(eb.selectFrom('outgoingDelegation as dl').select('dl.id')
        .whereRef('dl.fromUserId', '=', 'outgoingDocument.signerId').where('dl.toUserId', '=', actor.id)
        .where('dl.revokedAt', 'is', null).where('dl.startsOn', '<=', VN_TODAY).where('dl.endsOn', '>=', VN_TODAY)),
    ]);
    const byRole = hasRole(actor, 'clerk', 'leader') ? eb('outgoingDocument.isSecret', '=', false) : eb.val(false);
    const byUnit = actor.unitId === null ? eb.val(false) : eb.and([
      eb('outgoingDocument.isSecret', '=', false), eb('outgoingDocument.status', 'in', DELIVERED_STATUSES),
      eb.exists(eb.selectFrom('outgoingRecipient as orc').select('orc.id').whereRef('orc.outgoingId', '=', 'outgoingDocument.id')
        .where('orc.kind', '=', 'unit').where('orc.unitId', '=', actor.unitId)),
    ]);
    return eb.and([eb('outgoingDocument.agencyId', '=', actor.agencyId), eb.or([participant, byRole, byUnit])]);
  };
}
