import type { Kysely } from 'kysely';
import type { DB, Db } from '../../platform/db/client.ts';
import { audit, auditActorOf } from '../../platform/audit/audit.ts';
import type { TAuditEvent } from '../../platform/audit/events.ts';
import { can } from '../../policies/index.ts';
import { vietnamToday, type IncomingSubject } from '../../policies/incoming.ts';
import type { Actor } from '../../policies/actor.ts';
import { incomingRepo, type IncomingDoc } from './incoming.repository.ts';
import { workRepo } from './incoming-work.repository.ts';
import { incomingConcurrentChange, incomingNotFound } from './incoming.errors.ts';
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
  const subject = toSubject(doc, assignments, await workRepo.delegatorsOf(tx, actor.id, vietnamToday()));
  if (!can(actor, 'incoming.view', subject)) throw incomingNotFound();
  return { doc, assignments, subject };
}

/**
 * Moves a document to `to` (checked against the status machine) with other column changes; the update
 * also filters on the current status, so a concurrent change is caught. Throws incoming.bad_status,
 * incoming.concurrent_change.
 */
export async function moveTo(tx: Db, doc: IncomingDoc, to: IncomingStatus, values: Updateable<IncomingDocument> = {}): Promise<IncomingDoc> {
  assertTransition(doc.status, to);
  const updated = await incomingRepo.update(tx, doc.id, doc.status, { ...values, status: to });
  if (!updated) throw incomingConcurrentChange();
  return updated;
}

type IncomingEventType = Extract<TAuditEvent, { entityType: 'incoming' }>['type'];

/** Appends the audit row of an action on a document (its timeline entry). */
export function auditIncoming(tx: Db, ctx: Pick<ServiceCtx, 'actor' | 'ip' | 'requestId'>, type: IncomingEventType, doc: { id: string; agencyId: string }, data: Record<string, unknown> = {}) {
  return audit(tx, auditActorOf(ctx.actor, ctx.ip, ctx.requestId), { type, entityType: 'incoming', entityId: doc.id, agencyId: doc.agencyId, data });
}
