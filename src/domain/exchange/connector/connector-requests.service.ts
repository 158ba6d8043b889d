import { audit, auditActorOf } from '../../../platform/audit/audit.ts';
import { authorize } from '../../../policies/index.ts';
import { answerSenderRequest, listSenderRequests, receiveSenderRequest } from '../../incoming/incoming-requests.service.ts';
import { exchangeNotIssued } from './connector.errors.ts';
import { connectorRepo } from './connector.repository.ts';
import type { Ctx } from './connector.service.ts';

/**
 * Recall/update requests from senders, for the clerk: the incoming flow's list (senders on this install
 * and through the axis alike). Throws forbidden.
 */
export async function listRequests(c: Ctx & { status?: 'pending' | 'agreed' | 'refused' }) {
  return listSenderRequests(c);
}

/**
 * The clerk answers a sender's recall or update request: the incoming flow's answer (15/16 back to the
 * sender, recall → `recalled`, update applied). Throws incoming.request_not_found, incoming.request_answered, forbidden.
 */
export async function answerRequest(c: Ctx & { id: string; agree: boolean; note: string }) {
  return (await answerSenderRequest(c)).request;
}

/**
 * Sends an update of an issued document to its recipients: new subject and/or deadline with the reason.
 * External recipients get BussinessDocType 2 through the outbox; agencies on this install get the same
 * request directly on their incoming document. Each answers 15/16. The outgoing document itself is not
 * changed here (that is the outgoing flow's). Throws exchange.not_issued, forbidden.
 */
export async function sendUpdate(c: Ctx & { outgoingId: string; reason: string; subject?: string; dueDate?: string | null }) {
  return c.db.transaction().execute(async (tx) => {
    const doc = await connectorRepo.outgoingForPackage(tx, c.outgoingId);
    if (!doc || doc.agencyId !== c.actor.agencyId || !doc.issuedAt) throw exchangeNotIssued();
    authorize(c.actor, 'exchange.operate', { agencyId: doc.agencyId });
    const documentId = await connectorRepo.documentIdOf(tx, doc.id);
    const external = documentId ? (await connectorRepo.externalRecipients(tx, [doc.id])).filter((r) => r.agencyCode) : [];
    const internal = await connectorRepo.internalRecipients(tx, doc.id);
    if (external.length + internal.length === 0) throw exchangeNotIssued({ outgoingId: doc.id });
    const changes = { ...(c.subject && { subject: c.subject }), ...(c.dueDate !== undefined && { dueDate: c.dueDate }) };
    for (const r of external) {
      await connectorRepo.insertEdocOutbox(tx, { outgoingId: doc.id, recipientAgencyCode: r.agencyCode ?? '', businessDocType: 2, payload: { reason: c.reason, changes } });
    }
    for (const r of internal) await receiveSenderRequest(tx, { incomingId: r.incomingId, kind: 'update', reason: c.reason, changes });
    await audit(tx, auditActorOf(c.actor, c.ip, c.requestId), { type: 'EXCHANGE_UPDATE_SENT', entityType: 'outgoing', entityId: doc.id, agencyId: doc.agencyId, data: { reason: c.reason, changes, recipients: external.length + internal.length } });
    return { recipients: external.length + internal.length };
  });
}
