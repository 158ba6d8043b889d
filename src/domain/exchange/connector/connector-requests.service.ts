import { audit, auditActorOf } from '../../../platform/audit/audit.ts';
import { authorize } from '../../../policies/index.ts';
import { answerSenderRequest, listSenderRequests } from '../../incoming/incoming-requests.service.ts';
import { sendUpdateRequests } from '../../outgoing/outgoing-recall.service.ts';
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
 * Sends an update of an issued document to its recipients: new subject and/or deadline with the reason,
 * through the outgoing flow's sendUpdateRequests (external recipients: BussinessDocType 2 through the
 * outbox; agencies on this install: the request on their incoming document; each one marked asked, 13,
 * until it answers 15/16). The outgoing document itself is not changed here (that is the outgoing flow's).
 * Throws exchange.not_issued (also when recalled or replaced, or nobody is left to ask), forbidden.
 */
export async function sendUpdate(c: Ctx & { outgoingId: string; reason: string; subject?: string; dueDate?: string | null }) {
  return c.db.transaction().execute(async (tx) => {
    const doc = await connectorRepo.outgoingForPackage(tx, c.outgoingId);
    if (!doc || doc.agencyId !== c.actor.agencyId || !doc.issuedAt) throw exchangeNotIssued();
    authorize(c.actor, 'exchange.operate', { agencyId: doc.agencyId });
    const changes = { ...(c.subject && { subject: c.subject }), ...(c.dueDate !== undefined && { dueDate: c.dueDate }) };
    const sent = await sendUpdateRequests(tx, { outgoingId: doc.id, reason: c.reason, changes });
    // nothing to send (no longer issued, or no recipient left to ask): the transaction wrote nothing
    if (!sent) throw exchangeNotIssued({ outgoingId: doc.id });
    await audit(tx, auditActorOf(c.actor, c.ip, c.requestId), { type: 'EXCHANGE_UPDATE_SENT', entityType: 'outgoing', entityId: doc.id, agencyId: doc.agencyId, data: { reason: c.reason, changes, recipients: sent } });
    return { recipients: sent };
  });
}
