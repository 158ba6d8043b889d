import type { Kysely } from 'kysely';
import type { DB, Db } from '../../platform/db/client.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { auditActorOf, type AuditActor } from '../../platform/audit/audit.ts';
import type { Actor } from '../../policies/actor.ts';
import type { OutgoingSubject } from '../../policies/outgoing.ts';
import { outgoingRepo, type OutgoingRow } from './outgoing.repository.ts';
import { authorize, can } from '../../policies/index.ts';
import { outgoingBadStatus, outgoingNotFound } from './outgoing.errors.ts';
import { assertTransition, type OutgoingStatus } from './outgoing.status.ts';

/** What every outgoing action takes: the database, the actor, and the request's IP and id for the audit row. */
export type Ctx = { db: Kysely<DB>; actor: Actor; ip?: string; requestId?: string };
/** Actions that touch files also need the blob store and configuration. */
export type DepsCtx = Ctx & { deps: AppDeps };

export const auditActor = (c: Ctx): AuditActor => auditActorOf(c.actor, c.ip, c.requestId);

/** The policy subject of a document: its row plus its reviewers, pending reviewer, the signer's deputies today and the units it goes to. */
export async function subjectOf(db: Db, doc: OutgoingRow): Promise<OutgoingSubject & { row: OutgoingRow }> {
  const [reviewerIds, delegateIds, step, recipients] = await Promise.all([
    outgoingRepo.reviewerIds(db, doc.id),
    outgoingRepo.activeDelegateIds(db, doc.signerId),
    doc.currentStepId ? outgoingRepo.findStep(db, doc.currentStepId) : Promise.resolve(undefined),
    outgoingRepo.listRecipients(db, doc.id),
  ]);
  return {
    row: doc, agencyId: doc.agencyId, createdBy: doc.createdBy, status: doc.status, isSecret: doc.isSecret, signerId: doc.signerId,
    participantIds: doc.participantIds, reviewerIds, pendingReviewerId: step?.status === 'pending' ? step.reviewerId : null, delegateIds,
    recipientUnitIds: recipients.flatMap((r) => (r.kind === 'unit' && r.unitId ? [r.unitId] : [])),
  };
}

/** Loads a document FOR UPDATE with its policy subject. Throws outgoing.not_found (also for another agency's document). */
export async function lockDocument(tx: Db, actor: Actor, id: string) {
  const doc = await outgoingRepo.findForUpdate(tx, id);
  if (!doc || doc.agencyId !== actor.agencyId) throw outgoingNotFound();
  return subjectOf(tx, doc);
}

/**
 * The standard checks of an action, in order: the actor may see the document (else 404, no leak),
 * the document's status allows the move to `to` (else 409 outgoing.bad_status with the current
 * status), and the actor may do `action` (else 403 forbidden).
 */
export function guard(actor: Actor, subject: OutgoingSubject, action: string, to: OutgoingStatus | readonly string[]): void {
  if (!can(actor, 'outgoing.view', subject)) throw outgoingNotFound();
  if (typeof to === 'string') assertTransition(subject.status, to, action);
  else if (!to.includes(subject.status)) throw outgoingBadStatus({ status: subject.status, action });
  authorize(actor, action, subject);
}
