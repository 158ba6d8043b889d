import type { Kysely } from 'kysely';
import type { DB, Db } from '../../platform/db/client.ts';
import { audit, auditActorOf } from '../../platform/audit/audit.ts';
import type { TAuditEvent } from '../../platform/audit/events.ts';
import { can } from '../../policies/index.ts';
import type { IncomingSubject } from '../../policies/incoming.ts';
import { vietnamDay } from '../../platform/dates.ts';
import type { Actor } from '../../policies/actor.ts';
import { incomingRepo, type IncomingDoc } from './incoming.repository.ts';
import { workRepo } from './incoming-work.repository.ts';
import { requestsRepo } from './incoming-requests.repository.ts';
import { incomingConcurrentChange, incomingNotFound, incomingRecallPending } from './incoming.errors.ts';
import { assertTransition, type IncomingStatus } from './incoming.status.ts';
import type { Updateable } from 'kysely';
import type { IncomingDocument } from '../../platform/db/types.gen.ts';

/** What every service action receives: the database, the actor, and the request's IP and id for the audit row. */
export type ServiceCtx = { db: Kysely<DB>; actor: Actor; ip?: string; requestId?: string };
export type AssignmentRow = Awaited<ReturnType<typeof workRepo.listAssignments>>[number];

/** The policy subject of a document for one actor. */
export function toSubject(doc: IncomingDoc, assignments: readonly AssignmentRow[], delegatorIds: readonly string[]): IncomingSubject {
  return {
    agencyId: doc.agencyId, isSecret: doc.isSecret, status: doc.status, createdBy: doc.createdBy, registeredBy: doc.registeredBy,
    forwardedTo: doc.forwardedTo, directedBy: doc.directedBy, delegatorIds,
    assignments: assignments.map((a) => ({ id: a.id, role: a.role, userId: a.userId, unitId: a.unitId, isActive: a.isActive })),
  };
}

/**
 * Loads a document (FOR UPDATE when `lock`) with its assignments as the actor's policy subject. A document
 * the actor may not see is reported as not found, so a Mật document's existence is not revealed.
 * Throws incoming.not_found.
 */
export async function loadDocument(tx: Db, actor: Actor, id: string, lock = true) {
  const doc = lock ? await incomingRepo.findForUpdate(tx, id) : await incomingRepo.findById(tx, id);
  if (!doc || doc.agencyId !== actor.agencyId) throw incomingNotFound();
  const assignments = await workRepo.listAssignments(tx, id);
  const subject = toSubject(doc, assignments, await workRepo.delegatorsOf(tx, actor.id, vietnamDay()));
  if (!can(actor, 'incoming.view', subject)) throw incomingNotFound();
  return { doc, assignments, subject };
}

/** The steps that take a document further into the agency's work, which a pending recall holds back. */
const HELD_BY_RECALL: readonly IncomingStatus[] = ['registered', 'forwarded', 'assigned'];

/**
 * While the sender asks to recall a document (ND 30 Art. 18.4.b), it is not registered, forwarded,
 * directed or re-assigned: the clerk or a leader answers the recall first (agreeing takes it out of
 * the work lists, refusing lets the work go on). The caller holds the document's row lock, which
 * receiving a request also takes, so a recall arriving meanwhile waits. Throws incoming.recall_pending.
 */
export async function assertNoPendingRecall(tx: Db, doc: { id: string }): Promise<void> {
  const recall = await requestsRepo.pendingRecall(tx, doc.id);
  if (recall) throw incomingRecallPending({ requestId: recall.id, reason: recall.reason, requestedAt: recall.createdAt.toISOString() });
}

/**
 * Moves a document to `to` (checked against the status machine, and held back by a pending recall
 * when `to` is registered, forwarded or assigned) with other column changes; the update also filters
 * on the current status, so a concurrent change is caught. Throws incoming.bad_status,
 * incoming.recall_pending, incoming.concurrent_change.
 */
export async function moveTo(tx: Db, doc: IncomingDoc, to: IncomingStatus, values: Updateable<IncomingDocument> = {}): Promise<IncomingDoc> {
  assertTransition(doc.status, to);
  if (HELD_BY_RECALL.includes(to)) await assertNoPendingRecall(tx, doc);
  const updated = await incomingRepo.update(tx, doc.id, doc.status, { ...values, status: to });
  if (!updated) throw incomingConcurrentChange();
  return updated;
}

type IncomingEventType = Extract<TAuditEvent, { entityType: 'incoming' }>['type'];

/** Appends the audit row of an action on a document (its timeline entry). */
export function auditIncoming(tx: Db, ctx: Pick<ServiceCtx, 'actor' | 'ip' | 'requestId'>, type: IncomingEventType, doc: { id: string; agencyId: string }, data: Record<string, unknown> = {}) {
  return audit(tx, auditActorOf(ctx.actor, ctx.ip, ctx.requestId), { type, entityType: 'incoming', entityId: doc.id, agencyId: doc.agencyId, data });
}
